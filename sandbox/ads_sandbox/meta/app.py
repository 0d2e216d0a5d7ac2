"""The Meta emulator's aiohttp application: versioned Graph paths, auth, usage headers,
faults, batch requests and the node/edge dispatcher."""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import orjson
from aiohttp import web
from multidict import MultiDict

from ads_sandbox.control import add_control_routes
from ads_sandbox.faults import Fault
from ads_sandbox.meta import catalog
from ads_sandbox.meta.errors import (
    BATCH_TIMEOUT,
    INVALID_TOKEN,
    REDUCE_DATA,
    SERVICE_UNAVAILABLE,
    SUNSET_VERSION,
    UNKNOWN,
    GraphError,
    TraceIds,
    invalid,
)
from ads_sandbox.meta.graph import Graph, Reply
from ads_sandbox.meta.jobs import JobSettings
from ads_sandbox.meta.usage import UsageLimits, UsageMeter
from ads_sandbox.oauth.grants import OAuthState
from ads_sandbox.oauth.meta import add_meta_token_routes
from ads_sandbox.state import SandboxState

log = logging.getLogger(__name__)

# Marketing API expiry dates (Meta's version table); a version past its date answers 2635.
EXPIRES = {
    19: date(2025, 2, 4),
    20: date(2025, 5, 6),
    21: date(2025, 9, 9),
    22: date(2026, 2, 19),
    23: date(2026, 6, 9),
    24: date(2026, 10, 6),
}
OLDEST = 19
# One version past the SDK's newest is served too: where sunset_version sends clients.
NEWEST = catalog.SDK_MAJOR + 1
REQUEST_FAULTS = ("rate_limit", "server_error", "timeout", "disconnect", "token_expiry")
BATCH_FAULTS = ("rate_limit", "server_error", "token_expiry")
MAX_BATCH = 50
WAIT = "Wait a bit and try again."
# Error codes the rate_limit fault answers with: (code, subcode, message).
_RATE_LIMITS = (
    (4, None, "(#4) Application request limit reached"),
    (17, 2446079, "(#17) User request limit reached"),
    (32, None, "(#32) Page request limit reached"),
    (613, 1487742, "(#613) Calls to this api have exceeded the rate limit."),
    *(
        (code, 2446079, f"(#{code}) There have been too many calls to this ad-account. {WAIT}")
        for code in (80000, 80003, 80004, 80014)
    ),
)


@dataclass(frozen=True, slots=True)
class MetaSettings:
    access_token: str = "sandbox-token"  # noqa: S105 - the sandbox's documented test token
    usage: UsageLimits = field(default_factory=UsageLimits)
    jobs: JobSettings = field(default_factory=JobSettings)
    max_page_cells: int = 100_000  # rows x fields of one page before code 1 "reduce data"
    sync_row_limit: int = 50_000  # a synchronous insights query past this times out
    fault_timeout_seconds: float = 5.0


def version_refusal(major: int, sunset_fault: bool, today: date) -> GraphError | None:
    refused = (major in EXPIRES and EXPIRES[major] <= today) or (
        sunset_fault and major == catalog.SDK_MAJOR
    )
    if not refused:
        return None
    latest = NEWEST if sunset_fault else catalog.SDK_MAJOR
    return GraphError(
        SUNSET_VERSION,
        f"(#2635) You are calling a deprecated version of the Ads API. Please update to the "
        f"latest version: v{latest}.0.",
    )


def _parse_version(segment: str) -> int | None:
    if segment.startswith("v") and segment.endswith(".0") and segment[1:-2].isdigit():
        return int(segment[1:-2])
    return None


class MetaEmulator:
    def __init__(
        self, state: SandboxState, settings: MetaSettings, oauth: OAuthState | None = None
    ) -> None:
        self.state = state
        self.settings = settings
        #: Tokens of the sign-in emulator (Facebook Login), accepted besides the default one.
        self.oauth = oauth or OAuthState()
        self.usage = UsageMeter(settings.usage, over_limit=state.over_limit)
        self.graph = Graph(state, settings, self.usage)
        self._trace = TraceIds()

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=16 * 1024**2)
        add_control_routes(app, self.state)
        add_meta_token_routes(app, self.oauth)  # before the Graph's catch-all
        app.router.add_post("/_sandbox/meta/limits", self._set_limits)
        app.router.add_route("*", "/{path:.*}", self._handle)
        return app

    async def _set_limits(self, request: web.Request) -> web.Response:
        """Control endpoint: `{"max_job_cells": N}` bounds rows x fields of an async job."""
        try:
            body = orjson.loads(await request.read() or b"{}")
        except orjson.JSONDecodeError:
            body = None
        cells = body.get("max_job_cells") if isinstance(body, dict) else None
        if isinstance(cells, bool) or not isinstance(cells, int) or cells < 0:
            return web.json_response(
                {"error": 'body must be {"max_job_cells": N}, N >= 0 (0: no bound)'}, status=400
            )
        self.graph.jobs.max_cells = cells
        return web.json_response({"max_job_cells": cells})

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        trace = self._trace.next()
        self.state.requests[request.path] += 1
        body = await request.read()
        params: MultiDict[str] = MultiDict(request.query)
        if request.method == "POST" and body:
            if request.content_type == "multipart/form-data":
                form = await request.post()
                params.extend({k: v for k, v in form.items() if isinstance(v, str)})
            else:
                params.extend(parse_qsl(body.decode(errors="replace"), keep_blank_values=True))
        flat = {k: params.getone(k) for k in params}
        try:
            signature = b"%s %s\n%s" % (request.method.encode(), request.raw_path.encode(), body)
            fault = self.state.faults.draw(signature, REQUEST_FAULTS)
            if fault is not None:
                early = await self._fault(request, fault, trace)
                if early is not None:
                    return early
            reply = self.call(request.method, request.path, flat, request.headers, trace)
        except GraphError as error:
            reply = Reply(error.status, error.body(trace), error.headers)
        return self._response(reply, trace)

    def _response(self, reply: Reply, trace: str) -> web.Response:
        headers = {
            "x-fb-trace-id": trace,
            "x-fb-request-id": trace,
            "x-fb-rev": "1019284756",
            "facebook-api-version": reply.version or catalog.SDK_VERSION,
            **reply.headers,
        }
        return web.Response(
            body=orjson.dumps(reply.body), status=reply.status, headers=headers,
            content_type="application/json",
        )  # fmt: skip

    def call(
        self,
        method: str,
        path: str,
        params: Mapping[str, str],
        headers: Mapping[str, str],
        trace: str,
    ) -> Reply:
        """One Graph call (an HTTP request or one item of a batch)."""
        parts = [p for p in path.split("/") if p]
        version = catalog.SDK_MAJOR
        if parts and (major := _parse_version(parts[0])) is not None:
            parts = parts[1:]
            version = major
        elif parts and parts[0].startswith("v") and parts[0][1:2].isdigit():
            raise GraphError(2500, f"Unknown path components: /{parts[0]}", type="OAuthException")
        if not OLDEST <= version <= NEWEST:
            raise GraphError(2500, f"Unknown path components: /v{version}.0", type="OAuthException")
        faults = self.state.faults
        refusal = version_refusal(version, faults.active("sunset_version"), date.today())
        if refusal is not None:
            faults.record("sunset_version")
            raise refusal
        self._authenticate(params, headers)
        if not parts and method == "POST" and "batch" in params:
            return self._batch(params, headers, trace, version)
        reply = self.graph.dispatch(method, parts, params)
        reply.version = f"v{version}.0"
        return reply

    def _authenticate(self, params: Mapping[str, str], headers: Mapping[str, str]) -> None:
        token = params.get("access_token")
        auth = headers.get("Authorization", "")
        if not token and auth.lower().startswith(("bearer ", "oauth ")):
            token = auth.split(" ", 1)[1].strip()
        if not token:
            raise GraphError(
                2500,
                "An active access token must be used to query information about the current user.",
            )
        if token == self.settings.access_token or self.oauth.usable("meta", token):
            return
        if self.oauth.token("meta", token) is not None:
            raise GraphError(
                INVALID_TOKEN,
                "Error validating access token: Session has expired.",
                status=400,
                subcode=463,
            )
        if token != self.settings.access_token:
            raise GraphError(
                INVALID_TOKEN, "Invalid OAuth access token - Cannot parse access token", status=400,
            )  # fmt: skip

    def _batch(
        self, params: Mapping[str, str], headers: Mapping[str, str], trace: str, version: int
    ) -> Reply:
        try:
            items = orjson.loads(params["batch"])
        except orjson.JSONDecodeError:
            raise invalid("(#100) The parameter batch must be a JSON array") from None
        if not isinstance(items, list) or not items:
            raise invalid("(#100) The parameter batch must be a non-empty JSON array")
        if len(items) > MAX_BATCH:
            raise invalid(
                f"(#100) Too many requests in batch message. Maximum batch size is {MAX_BATCH}"
            )
        # server_error: one batch in four may time out as a whole, HTTP 400 code 960 (which
        # Airbyte retries); its message is not in the sources. Drawn only for those, so the
        # stats count each timeout once.
        signature = b"batch-timeout|" + params["batch"].encode()
        if zlib.crc32(signature) % 4 == 0 and self.state.faults.draw(signature, ("server_error",)):
            raise GraphError(BATCH_TIMEOUT, "(#960) Request timed out", transient=True)
        out: list[Any] = []
        for item in items:
            if not isinstance(item, dict) or "relative_url" not in item:
                raise invalid("(#100) Each batch item needs method and relative_url")
            method = str(item.get("method", "GET")).upper()
            split = urlsplit(str(item["relative_url"]))
            sub_params = dict(parse_qsl(split.query, keep_blank_values=True))
            if item.get("body"):
                sub_params.update(parse_qsl(str(item["body"]), keep_blank_values=True))
            sub_params.setdefault("access_token", params.get("access_token", ""))
            sub_headers = dict(headers)
            for header in item.get("headers") or ():
                if isinstance(header, dict) and "name" in header:
                    sub_headers[str(header["name"])] = str(header.get("value", ""))
            signature = b"batch %s %s\n%s" % (
                method.encode(),
                str(item["relative_url"]).encode(),
                str(item.get("body", "")).encode(),
            )
            fault = self.state.faults.draw(signature, BATCH_FAULTS)
            try:
                if fault is not None:
                    if fault.name == "server_error" and fault.variant % 3 == 0:
                        out.append(None)  # not processed: the client sends it again
                        continue
                    raise self._fault_error(fault, self._account_of(split.path), split.path)
                path = f"/v{version}.0/{split.path.lstrip('/')}"
                reply = self.call(method, path, sub_params, sub_headers, trace)
            except GraphError as error:
                reply = Reply(error.status, error.body(trace), error.headers)
            out.append(
                {
                    "code": reply.status,
                    "headers": [{"name": k, "value": v} for k, v in reply.headers.items()]
                    + [{"name": "Content-Type", "value": "text/javascript; charset=UTF-8"}],
                    "body": orjson.dumps(reply.body).decode(),
                }
            )
        return Reply(200, out, self.usage.headers(None, "ads_management"))

    @staticmethod
    def _account_of(path: str) -> str | None:
        head = path.strip("/").split("/", 1)[0]
        return head.removeprefix("act_") if head.startswith("act_") else None

    def _fault_error(self, fault: Fault, account_id: str | None, path: str) -> GraphError:
        if fault.name == "rate_limit":
            code, subcode, message = _RATE_LIMITS[fault.variant % len(_RATE_LIMITS)]
            case = "ads_insights" if code == 80000 else "ads_management"
            return GraphError(
                code, message, subcode=subcode, transient=True,
                headers=self.usage.saturated(account_id, case),
            )  # fmt: skip
        if fault.name == "token_expiry":
            return GraphError(
                INVALID_TOKEN,
                "Error validating access token: Session has expired on Tuesday, 01-Dec-26 "
                "01:00:00 PST. The current time is Tuesday, 01-Dec-26 02:00:00 PST.",
                subcode=463,
                status=400,
            )
        variant = fault.variant % 4
        if variant == 0:
            return GraphError(
                SERVICE_UNAVAILABLE, "Service temporarily unavailable", status=503, transient=True
            )
        if variant == 1:
            return GraphError(
                UNKNOWN, "An unknown error occurred", status=500, subcode=99, transient=True
            )
        if variant == 2:
            return GraphError(UNKNOWN, REDUCE_DATA, status=500)
        if path.rstrip("/").endswith("insights"):
            return invalid(
                "(#100) Cannot include impressions, spend in summary param because they weren't "
                "there while creating the report run."
            )
        return GraphError(
            UNKNOWN,
            "An unexpected error has occurred. Please retry your request later.",
            status=500,
            transient=True,
        )

    async def _fault(
        self, request: web.Request, fault: Fault, trace: str
    ) -> web.StreamResponse | None:
        log.debug("fault %s on %s", fault.name, request.path)
        if fault.name == "timeout":
            await asyncio.sleep(self.settings.fault_timeout_seconds)
            return None
        if fault.name == "disconnect":
            response = web.StreamResponse(
                headers={
                    "Content-Type": "application/json",
                    "Content-Length": "4096",
                    "x-fb-trace-id": trace,
                }
            )
            await response.prepare(request)
            await response.write(b'{"data":[{"id":"')
            if request.transport is not None:
                request.transport.abort()
            return response
        if fault.name == "server_error" and fault.variant % 5 == 4:
            return web.Response(
                status=503,
                text="<html><body><h1>Service Unavailable</h1></body></html>",
                content_type="text/html",
            )
        parts = [p for p in request.path.split("/") if p]
        account = next((p.removeprefix("act_") for p in parts if p.startswith("act_")), None)
        error = self._fault_error(fault, account, request.path)
        return self._response(Reply(error.status, error.body(trace), error.headers), trace)
