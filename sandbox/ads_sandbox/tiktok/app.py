"""The TikTok emulator's aiohttp application: routing, auth, limits, faults, envelope."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import orjson
from aiohttp import web

from ads_sandbox.control import add_control_routes
from ads_sandbox.faults import Fault
from ads_sandbox.latency import Latency
from ads_sandbox.oauth.grants import OAuthState
from ads_sandbox.state import SandboxState
from ads_sandbox.tiktok import accounts, audiences, creatives, entities, gmv_max, reports, tasks
from ads_sandbox.tiktok.context import Call, TikTokSettings
from ads_sandbox.tiktok.envelope import (
    ADVERTISER_RATE_LIMITED,
    FIELD_NOT_IN_USE,
    INVALID_VERSION,
    RATE_LIMITED,
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    TOKEN_MISSING,
    ApiError,
    RequestIds,
    api_response,
    error_response,
    param_error,
)
from ads_sandbox.tiktok.params import Params
from ads_sandbox.tiktok.ratelimit import AdvertiserLimiter, AppLimiter
from ads_sandbox.tiktok.report_engine import ReportEngine
from ads_sandbox.tiktok.tasks import TaskStore

log = logging.getLogger(__name__)

Handler = Callable[[Call], web.Response]
TOKEN_EXCHANGE = "oauth2/access_token/"  # noqa: S105 - a path, not a secret
ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", TOKEN_EXCHANGE, accounts.access_token),
    ("GET", "oauth2/advertiser/get/", accounts.oauth_advertisers),
    ("GET", "advertiser/info/", accounts.advertiser_info),
    ("GET", "user/info/", accounts.user_info),
    ("GET", "bc/get/", accounts.business_centers),
    ("GET", "file/image/ad/search/", creatives.search_images),
    ("GET", "file/image/ad/info/", creatives.image_info),
    ("GET", "file/video/ad/search/", creatives.search_videos),
    ("GET", "file/video/ad/info/", creatives.video_info),
    ("GET", "creative/portfolio/list/", creatives.list_portfolios),
    ("GET", "pixel/list/", creatives.list_pixels),
    ("GET", "campaign/get/", entities.get_campaigns),
    ("GET", "adgroup/get/", entities.get_adgroups),
    ("GET", "ad/get/", entities.get_ads),
    ("GET", "dmp/custom_audience/list/", audiences.list_audiences),
    ("GET", "dmp/custom_audience/get/", audiences.get_audiences),
    ("GET", "report/integrated/get/", reports.integrated_get),
    ("GET", "gmv_max/store/list/", gmv_max.store_list),
    ("GET", "gmv_max/campaign/get/", gmv_max.campaign_get),
    ("GET", gmv_max.REPORT_PATH, gmv_max.report_get),
    ("POST", "report/task/create/", tasks.create),
    ("GET", "report/task/check/", tasks.check),
    ("GET", "report/task/download/", tasks.download),
    ("POST", "report/task/cancel/", tasks.cancel),
)
VERSIONS = (
    "v1.3",
    "v1.4",
)  # v1.3 is the pinned version; v1.4 is where sunset_version sends clients
TASK_CREATE = "report/task/create/"
# Faults drawn per request, in this order (job_failure is drawn when a task is created).
REQUEST_FAULTS = ("rate_limit", "server_error", "timeout", "disconnect", "token_expiry")
DEPRECATED_METRIC = b"real_time_conversion"

_SERVER_ERRORS = (
    (50000, "System error"),
    (50002, "System error, please try again later."),
    (51001, "internal service timeout"),
    (51305, "Satellite service error, please try again later."),
    (60001, "The system is under maintenance. Please try again later."),
)
#: Besides the app's 40100: TikTok's per-app-and-endpoint throttle (code 40016).
_ENDPOINT_THROTTLE = (40016, "Requests are too frequent. Please try again later.")


class TikTokEmulator:
    def __init__(
        self, state: SandboxState, settings: TikTokSettings, oauth: OAuthState | None = None
    ) -> None:
        self.state = state
        #: Codes and tokens of the sign-in emulator (its consent page issues the codes).
        self.oauth = oauth or OAuthState()
        self.settings = settings
        self.reports = ReportEngine(state.world, settings.sync_ad_limit)
        self.tasks = TaskStore(settings.task_seconds)
        self.limiter = AppLimiter(
            settings.qps, settings.qpm, settings.qpd, settings.qpm_penalty_seconds
        )
        self.task_limiter = AppLimiter(2, 60, 4500, settings.qpm_penalty_seconds)
        self.gmv_max_limiter = AppLimiter(*gmv_max.REPORT_LIMITS, settings.qpm_penalty_seconds)
        self.advertiser_limiter = AdvertiserLimiter(settings.advertiser_qps)
        self.used_auth_codes: set[str] = set()
        self.latency = Latency(settings.latency_ms, settings.seed)
        self._ids = RequestIds()

    def build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=8 * 1024**2)
        for version in VERSIONS:
            for method, resource, handler in ROUTES:
                app.router.add_route(
                    method,
                    f"/open_api/{version}/{resource}",
                    self._endpoint(version, resource, handler),
                )
        add_control_routes(app, self.state)
        return app

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path.startswith("/open_api/"):
            self.state.requests[request.path] += 1
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            # Unknown path (e.g. no trailing slash) or wrong method: a real HTTP error.
            response = web.Response(
                status=exc.status, text=f"{exc.status} {exc.reason.lower()}", headers=exc.headers
            )
            response.headers["X-Tt-Logid"] = self._ids.next()
            return response

    def _endpoint(
        self, version: str, resource: str, handler: Handler
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def endpoint(request: web.Request) -> web.StreamResponse:
            request_id = self._ids.next()
            try:
                response = await self._call(request, request_id, version, resource, handler)
            except ApiError as error:
                response = error_response(request_id, error)
            if self.latency and isinstance(response, web.Response):
                await asyncio.sleep(self.latency.seconds(len(response.body or b"")))
            return response

        return endpoint

    async def _call(
        self, request: web.Request, request_id: str, version: str, resource: str, handler: Handler
    ) -> web.StreamResponse:
        faults = self.state.faults
        if version == "v1.3" and faults.active("sunset_version"):
            faults.record("sunset_version")
            raise ApiError(
                INVALID_VERSION,
                "Invalid API version: v1.3 has been sunset. Please migrate to v1.4.",
            )
        body = await request.read()
        signature = b"%s %s\n%s" % (request.method.encode(), request.raw_path.encode(), body)
        candidates = REQUEST_FAULTS
        if DEPRECATED_METRIC in signature:
            candidates = (*REQUEST_FAULTS, "deprecated_field")
        fault = faults.draw(signature, candidates)
        if fault is not None:
            response = await self._inject(request, request_id, fault)
            if response is not None:
                return response

        if resource != TOKEN_EXCHANGE:  # the exchange is how a client gets a token
            self._authenticate(request.headers.get("Access-Token"))
        refused = self.limiter.check()
        if refused is None and resource == TASK_CREATE:
            refused = self.task_limiter.check()
        if refused is None and resource == gmv_max.REPORT_PATH:
            refused = self.gmv_max_limiter.check()
        if refused is not None:
            self.state.over_limit[refused.split(":")[0]] += 1
            raise self._rate_limited(refused)

        if body:
            try:
                payload = orjson.loads(body)
            except orjson.JSONDecodeError:
                raise param_error("Request body: Not a valid JSON object.") from None
            if not isinstance(payload, dict):
                raise param_error("Request body: Not a valid JSON object.")
        else:
            payload = {}
        advertiser_id = str(
            request.query.get("advertiser_id") or payload.get("advertiser_id") or ""
        )
        if advertiser_id and not self.advertiser_limiter.admits(advertiser_id, resource):
            self.state.over_limit["advertiser QPS"] += 1
            raise ApiError(
                ADVERTISER_RATE_LIMITED,
                f"Advertiser ({advertiser_id})'s QPS ({self.settings.advertiser_qps}) reaches "
                f"QPS limit of path /open_api/{version}/{resource}. Please try again later.",
            )
        params = Params(request.query, payload)
        return handler(Call(self, request, body, params, request_id))

    def _authenticate(self, token: str | None) -> None:
        if not token:
            raise ApiError(
                TOKEN_MISSING,
                "Access token is null, you should set it in http header with key Access-Token.",
            )
        if token != self.settings.access_token and self.oauth.usable("tiktok", token) is None:
            raise ApiError(TOKEN_INVALID, "Access token is invalid or has been revoked.")

    def _rate_limited(self, window: str) -> ApiError:
        """TikTok's 40100 names no window (QPS, QPM or QPD) and sends no header: a client
        must find the wait itself. The window is kept in `over_limit` for the tests."""
        log.debug("40100: %s", window)
        return ApiError(
            RATE_LIMITED,
            f"Due to too many requests, requests from App [{self.settings.app_id}] are "
            "temporarily restricted.",
        )

    async def _inject(
        self, request: web.Request, request_id: str, fault: Fault
    ) -> web.StreamResponse | None:
        """Answer with the fault, or None to go on serving normally (after a delay)."""
        log.debug("fault %s on %s", fault.name, request.path)
        if fault.name == "rate_limit":
            if fault.variant % 2:
                raise ApiError(*_ENDPOINT_THROTTLE)
            raise self._rate_limited("QPS limit")
        if fault.name == "token_expiry":
            raise ApiError(TOKEN_EXPIRED, "Access token has expired. Please re-authorize.")
        if fault.name == "deprecated_field":
            raise ApiError(
                FIELD_NOT_IN_USE,
                "The following fields are no longer in use: ['real_time_conversion']. "
                "Please remove them from the request.",
            )
        if fault.name == "timeout":
            await asyncio.sleep(self.settings.fault_timeout_seconds)
            return None
        if fault.name == "disconnect":
            return await self._disconnect(request, request_id)
        variant = fault.variant % (len(_SERVER_ERRORS) + 2)
        if variant < len(_SERVER_ERRORS):
            code, message = _SERVER_ERRORS[variant]
            return api_response(request_id, {}, code, message)
        if variant == len(_SERVER_ERRORS):
            response = web.Response(
                status=503,
                text="<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                content_type="text/html",
            )
        else:
            response = web.Response(status=500, text="Internal Server Error")
        response.headers["X-Tt-Logid"] = request_id
        return response

    async def _disconnect(self, request: web.Request, request_id: str) -> web.StreamResponse:
        """Promise a body, send part of it, then drop the connection."""
        partial = b'{"code": 0, "message": "OK", "request_id": "%s", "data": {"list": [' % (
            request_id.encode()
        )
        response = web.StreamResponse(
            headers={
                "Content-Type": "application/json",
                "Content-Length": str(len(partial) * 20),
                "X-Tt-Logid": request_id,
            }
        )
        await response.prepare(request)
        await response.write(partial)
        if request.transport is not None:
            request.transport.abort()
        return response
