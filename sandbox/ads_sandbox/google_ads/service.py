"""The gRPC services of every API version the library ships: GoogleAdsService (Search,
SearchStream), CustomerService.ListAccessibleCustomers and GoogleAdsFieldService, with the
real checks (developer token, OAuth token, login-customer-id, account status), quotas,
page tokens and the sandbox's faults."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import logging
import re
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import grpc
import orjson

from ads_sandbox.faults import Fault, FaultInjector
from ads_sandbox.google_ads import fields_service
from ads_sandbox.google_ads.catalog import catalog
from ads_sandbox.google_ads.directory import Customer, Directory
from ads_sandbox.google_ads.engine import Engine, QueryFailure, Result
from ads_sandbox.google_ads.entities import build
from ads_sandbox.google_ads.failures import Failure
from ads_sandbox.google_ads.gaql import GaqlError, parse
from ads_sandbox.google_ads.rows import field_mask, row_builder, summary_row
from ads_sandbox.google_ads.versions import VersionTypes, shipped_versions, version_types
from ads_sandbox.oauth.google import GoogleAccessTokens
from ads_sandbox.state import SandboxState
from ads_sandbox.tiktok.ratelimit import AdvertiserLimiter as PerSecondLimiter
from ads_sandbox.world.hashing import Hasher

log = logging.getLogger(__name__)

PAGE_SIZE = 10_000  # rows per Search page and per SearchStream message
REQUEST_FAULTS = ("rate_limit", "server_error", "timeout", "disconnect", "token_expiry")
DEPRECATED_FIELD = "metrics.average_cpm"
_CUSTOMER_ID = re.compile(r"\d{10}")


@dataclass(frozen=True)
class GoogleAdsSettings:
    developer_token: str = "sandbox-dev"  # noqa: S105 - the sandbox's documented test token
    #: A token with Test Account Access only: every sandbox account is a production one.
    test_access_token: str = "sandbox-test-dev"  # noqa: S105 - documented like the above
    refresh_token: str = "sandbox-refresh"  # noqa: S105 - the sandbox's documented test token
    sunset_version: str | None = None  # refused under the sunset_version fault (default: oldest)
    retry_delay_seconds: int = 1  # short-term rate limit's QuotaErrorDetails.retry_delay
    daily_operations: int = 15_000  # Basic access: operations per developer token per 24 h
    #: Short-term limits Google documents without publishing numbers (requests per second
    #: per customer ID and per developer token, answered RESOURCE_TEMPORARILY_EXHAUSTED): 0
    #: is off, as the real limits vary with server load.
    customer_qps: int = 0
    developer_qps: int = 0
    page_token_seconds: float = 3600.0
    page_token_expiry_rate: float = 0.0  # share of page tokens answered EXPIRED_PAGE_TOKEN
    fault_timeout_seconds: float = 2.0
    latency_ms: float = 0.0


class _Call:
    def __init__(
        self, types: VersionTypes, context: grpc.aio.ServicerContext, request_id: str
    ) -> None:
        self.types = types
        self.context = context
        self.request_id = request_id
        self.metadata = {k: v for k, v in context.invocation_metadata() or ()}
        #: The disconnect fault: the answer is cut off part-way.
        self.disconnect = False

    async def fail(self, failure: Failure) -> None:
        await self.context.abort(
            failure.grpc_status,
            failure.message,
            failure.trailing_metadata(self.types, self.request_id),
        )

    def succeed(self) -> None:
        self.context.set_trailing_metadata((("request-id", self.request_id),))


class GoogleAdsEmulator:
    def __init__(
        self, state: SandboxState, settings: GoogleAdsSettings, tokens: GoogleAccessTokens
    ) -> None:
        self.state = state
        self.settings = settings
        self.tokens = tokens
        self.directory = Directory(state.world)
        hasher = Hasher(state.world.seed, "google_ads-entities")
        self.engine = Engine(state.world, self.directory, lambda c: build(state.world, c, hasher))
        self.versions = shipped_versions()
        self.sunset = settings.sunset_version or self.versions[-1]
        self._ids = itertools.count(1)
        self._operations: deque[float] = deque()
        self._customer_qps = PerSecondLimiter(settings.customer_qps)
        self._developer_qps = PerSecondLimiter(settings.developer_qps)
        self._results: OrderedDict[tuple, Result] = OrderedDict()
        self._page_faults = FaultInjector(
            state.world.seed, {"expired_page_token": settings.page_token_expiry_rate}
        )

    # -- plumbing -----------------------------------------------------------------------

    def handlers(self) -> list[grpc.GenericRpcHandler]:
        methods: dict[str, grpc.RpcMethodHandler] = {}
        for version in self.versions:
            types = version_types(version)
            specs = (
                ("GoogleAdsService", "Search", types.search_request, self._search, False),
                (
                    "GoogleAdsService",
                    "SearchStream",
                    types.stream_request,
                    self._search_stream,
                    True,
                ),
                (
                    "CustomerService",
                    "ListAccessibleCustomers",
                    types.list_customers_request,
                    self._list_customers,
                    False,
                ),
                (
                    "GoogleAdsFieldService",
                    "SearchGoogleAdsFields",
                    types.fields_request,
                    self._search_fields,
                    False,
                ),
                (
                    "GoogleAdsFieldService",
                    "GetGoogleAdsField",
                    types.get_field_request,
                    self._get_field,
                    False,
                ),
            )
            for service, method, request_type, behaviour, streaming in specs:
                path = types.service_path(service, method)
                bound = self._bind(types, path, behaviour, streaming)
                factory = (
                    grpc.unary_stream_rpc_method_handler
                    if streaming
                    else grpc.unary_unary_rpc_method_handler
                )
                methods[path] = factory(
                    bound,
                    request_deserializer=request_type.FromString,
                    response_serializer=lambda message: message.SerializeToString(),
                )
        return [_Handlers(methods)]

    def _bind(
        self, types: VersionTypes, path: str, behaviour: Callable, streaming: bool
    ) -> Callable:
        if streaming:

            async def stream(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
                call = _Call(types, context, self._request_id())
                self.state.requests[path] += 1
                try:
                    await self._gate(call, path, request)
                    async for message in behaviour(call, request):
                        yield message
                except Failure as failure:
                    await call.fail(failure)
                    return
                call.succeed()

            return stream

        async def unary(request: Any, context: grpc.aio.ServicerContext) -> Any:
            call = _Call(types, context, self._request_id())
            self.state.requests[path] += 1
            try:
                await self._gate(call, path, request)
                response = await behaviour(call, request)
            except Failure as failure:
                await call.fail(failure)
                return None
            call.succeed()
            return response

        return unary

    def _request_id(self) -> str:
        return (
            f"sbx{next(self._ids):07d}"
            + hashlib.blake2b(str(time.time_ns()).encode(), digest_size=4).hexdigest()
        )

    # -- checks every call goes through -------------------------------------------------

    async def _gate(self, call: _Call, path: str, request: Any) -> None:
        if self.settings.latency_ms:
            await asyncio.sleep(self.settings.latency_ms / 1000)
        faults = self.state.faults
        if call.types.version == self.sunset and faults.active("sunset_version"):
            faults.record("sunset_version")
            raise Failure(
                "request_error",
                "UNSUPPORTED_VERSION",
                f"Version {self.sunset} of the Google Ads API has been sunset; "
                f"migrate to {self.versions[0]}.",
            )
        query = getattr(request, "query", "")
        signature = "\n".join(
            (path, getattr(request, "customer_id", ""), query, getattr(request, "page_token", ""))
        ).encode()
        candidates = REQUEST_FAULTS
        if DEPRECATED_FIELD in query:
            candidates = (*REQUEST_FAULTS, "deprecated_field")
        fault = faults.draw(signature, candidates)
        if fault is not None and fault.name != "disconnect":
            await self._inject(call, fault)
        call.disconnect = fault is not None and fault.name == "disconnect"
        self._authenticate(call)
        token = call.metadata["developer-token"]
        if not self._developer_qps.admits(token, "any"):
            self._over_limit(
                "developer token QPS", "DEVELOPER", "Requests per developer token per second"
            )

    async def _inject(self, call: _Call, fault: Fault) -> None:
        log.debug("fault %s", fault.name)
        if fault.name == "rate_limit":
            delay = self.settings.retry_delay_seconds
            raise Failure(
                "quota_error",
                "RESOURCE_TEMPORARILY_EXHAUSTED",
                f"Too many requests. Retry in {delay} seconds.",
                retry_delay_seconds=delay,
                rate_scope="ACCOUNT",
                rate_name="Requests per customer per second",
            )
        if fault.name == "token_expiry":
            token = call.metadata.get("authorization", "").removeprefix("Bearer ")
            self.tokens.expire(token)
            raise Failure(
                "authentication_error",
                "OAUTH_TOKEN_EXPIRED",
                "The OAuth token in the request header has expired. Refresh it and try again.",
            )
        if fault.name == "deprecated_field":
            raise Failure(
                "query_error",
                "UNRECOGNIZED_FIELD",
                f"Unrecognized field in the query: '{DEPRECATED_FIELD}'.",
                DEPRECATED_FIELD,
            )
        if fault.name == "timeout":
            await asyncio.sleep(self.settings.fault_timeout_seconds)
            raise Failure(
                "internal_error",
                "DEADLINE_EXCEEDED",
                "The request took too long to respond.",
                status=grpc.StatusCode.DEADLINE_EXCEEDED,
            )
        if fault.variant % 2:
            await call.context.abort(
                grpc.StatusCode.UNAVAILABLE, "The service is currently unavailable."
            )
        raise Failure("internal_error", "INTERNAL_ERROR", "An internal error has occurred.")

    def _authenticate(self, call: _Call) -> None:
        meta = call.metadata
        developer = meta.get("developer-token")
        if not developer:
            raise Failure(
                "request_error",
                "DEVELOPER_TOKEN_PARAMETER_MISSING",
                "Developer token is missing from the request headers.",
            )
        if developer not in (self.settings.developer_token, self.settings.test_access_token):
            raise Failure(
                "authentication_error",
                "DEVELOPER_TOKEN_INVALID",
                "The developer token is not valid.",
            )
        header = meta.get("authorization", "")
        if not header.startswith("Bearer "):
            raise Failure(
                "authentication_error",
                "OAUTH_TOKEN_HEADER_INVALID",
                "The OAuth token in the request header is not valid.",
            )
        state = self.tokens.state(header.removeprefix("Bearer "))
        if state == "expired":
            raise Failure(
                "authentication_error",
                "OAUTH_TOKEN_EXPIRED",
                "The OAuth token in the request header has expired.",
            )
        if state != "valid":
            raise Failure(
                "authentication_error",
                "OAUTH_TOKEN_INVALID",
                "The OAuth token in the request header is not valid.",
            )
        login = meta.get("login-customer-id")
        if login is not None and not _CUSTOMER_ID.fullmatch(login):
            raise Failure(
                "header_error",
                "INVALID_LOGIN_CUSTOMER_ID",
                "The login customer id header is not valid.",
            )

    def _customer(self, call: _Call, customer_id: str) -> Customer:
        if not _CUSTOMER_ID.fullmatch(customer_id or ""):
            raise Failure("request_error", "INVALID_CUSTOMER_ID", "The customer id is not valid.")
        customer = self.directory.get(customer_id)
        login = call.metadata.get("login-customer-id")
        if customer is None or not self.directory.reachable(customer, login):
            note = (
                ""
                if login
                else " Note: If you're accessing a client customer, the manager's customer id "
                "must be set in the 'login-customer-id' header."
            )
            raise Failure(
                "authorization_error",
                "USER_PERMISSION_DENIED",
                f"User doesn't have permission to access customer.{note}",
                customer_id,
            )
        if call.metadata.get("developer-token") == self.settings.test_access_token:
            raise Failure(
                "authorization_error",
                "DEVELOPER_TOKEN_NOT_APPROVED",
                "The developer token is only approved for use with test accounts. To access "
                "non-test accounts, apply for Basic or Standard access.",
            )
        if customer.status != "ENABLED":
            raise Failure(
                "authorization_error",
                "CUSTOMER_NOT_ENABLED",
                "The customer account can't be accessed because it is not yet enabled or has "
                "been deactivated.",
                customer_id,
            )
        return customer

    def _over_limit(self, limit: str, scope: str, rate_name: str, delay: int | None = None) -> None:
        """Refuse a request over a real limit, counted in the stats' `over_limit`."""
        self.state.over_limit[limit] += 1
        wait = self.settings.retry_delay_seconds if delay is None else delay
        code = (
            "RESOURCE_EXHAUSTED"
            if limit == "daily operations"
            else "RESOURCE_TEMPORARILY_EXHAUSTED"
        )
        raise Failure(
            "quota_error",
            code,
            f"Too many requests. Retry in {wait} seconds.",
            retry_delay_seconds=wait,
            rate_scope=scope,
            rate_name=rate_name,
        )

    def _customer_rate(self, customer: Customer) -> None:
        if not self._customer_qps.admits(customer.id, "any"):
            self._over_limit("customer QPS", "ACCOUNT", "Requests per customer per second")

    def _operation(self) -> None:
        """One operation against the developer token's daily quota (a sliding 24 hours)."""
        now = time.monotonic()
        window = self._operations
        while window and window[0] <= now - 86_400:
            window.popleft()
        if len(window) >= self.settings.daily_operations:
            wait = max(1, int(window[0] + 86_400 - now))
            self._over_limit(
                "daily operations", "DEVELOPER", "Number of operations for basic access", wait
            )
        window.append(now)

    # -- GoogleAdsService ---------------------------------------------------------------

    def _run(self, call: _Call, customer: Customer, query_text: str, keep: bool = False) -> Result:
        """The query's result; kept for its next pages when `keep` (Search with more than
        one page, the last 4 kept), so paging does not run it again."""
        key = (call.types.version, customer.id, query_text, self.state.world.revision)
        cached = self._results.get(key)
        if cached is not None:
            self._results.move_to_end(key)
            return cached
        try:
            query = parse(query_text)
            result = self.engine.run(query, catalog(call.types.version), customer)
        except GaqlError as error:
            raise Failure("query_error", error.code, str(error), error.trigger) from None
        except QueryFailure as error:
            raise Failure(error.family, error.code, str(error), error.trigger) from None
        if keep and len(result.rows) > PAGE_SIZE:
            self._results[key] = result
        while len(self._results) > 4:
            self._results.popitem(last=False)
        return result

    def _page_token(self, customer: str, query: str, offset: int) -> str:
        body = orjson.dumps(
            {
                "c": customer,
                "q": hashlib.sha256(query.encode()).hexdigest()[:16],
                "o": offset,
                "t": time.time(),
            }
        )
        return base64.urlsafe_b64encode(body).decode()

    def _read_token(self, token: str, customer: str, query: str) -> int:
        try:
            body = orjson.loads(base64.urlsafe_b64decode(token.encode()))
            offset = int(body["o"])
            valid = (
                body["c"] == customer
                and body["q"] == hashlib.sha256(query.encode()).hexdigest()[:16]
            )
        except (ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            raise Failure("request_error", "INVALID_PAGE_TOKEN", "Page token is invalid.")
        expired = time.time() - float(body["t"]) > self.settings.page_token_seconds
        signature = f"{customer}\n{query}\n{offset}".encode()
        if expired or self._page_faults.draw(signature, ("expired_page_token",)) is not None:
            raise Failure("request_error", "EXPIRED_PAGE_TOKEN", "Page token has expired.")
        return offset

    async def _search(self, call: _Call, request: Any) -> Any:
        if request.page_size:
            raise Failure(
                "request_error",
                "PAGE_SIZE_NOT_SUPPORTED",
                "Setting the page size is not supported. Search responses will have fixed page "
                f"size of {PAGE_SIZE} rows.",
            )
        customer = self._customer(call, request.customer_id)
        self._customer_rate(customer)
        offset = 0
        if request.page_token:
            offset = self._read_token(request.page_token, customer.id, request.query)
        else:
            self._operation()
        result = self._run(call, customer, request.query, keep=True)
        response = call.types.search_response()
        if request.validate_only:
            return response
        if call.disconnect:
            await call.context.abort(grpc.StatusCode.UNAVAILABLE, "Socket closed")
        cat = catalog(call.types.version)
        build = row_builder(result, cat, call.types.row)
        page = result.rows[offset : offset + PAGE_SIZE]
        response.results.extend(build(row) for row in page)
        self.state.rows_served += len(page)
        if offset + PAGE_SIZE < len(result.rows):
            response.next_page_token = self._page_token(
                customer.id, request.query, offset + PAGE_SIZE
            )
        response.field_mask.paths.extend(field_mask(result.selected))
        settings = request.search_settings
        if settings.return_total_results_count:
            response.total_results_count = len(result.rows)
        if settings.return_summary_row and not response.next_page_token:
            response.summary_row.CopyFrom(summary_row(result, cat, call.types.row))
        return response

    async def _search_stream(self, call: _Call, request: Any) -> AsyncIterator[Any]:
        customer = self._customer(call, request.customer_id)
        self._customer_rate(customer)
        self._operation()
        result = self._run(call, customer, request.query)
        cat = catalog(call.types.version)
        build = row_builder(result, cat, call.types.row)
        mask = field_mask(result.selected)
        setting = request.summary_row_setting  # 0/1 unspecified/unknown, 2 none, 3 with, 4 only
        rows = result.rows if setting != 4 else []
        cut = len(rows) // 2 if call.disconnect else None
        for start in range(0, len(rows), PAGE_SIZE):
            end = min(start + PAGE_SIZE, len(rows))
            if cut is not None and end > cut:
                end = cut
            message = call.types.stream_response()
            message.results.extend(build(row) for row in rows[start:end])
            message.field_mask.paths.extend(mask)
            message.request_id = call.request_id
            self.state.rows_served += end - start
            if end > start:
                yield message
            if cut is not None and end >= cut:
                await call.context.abort(grpc.StatusCode.UNAVAILABLE, "Socket closed")
            await asyncio.sleep(0)
        if cut is not None:
            await call.context.abort(grpc.StatusCode.UNAVAILABLE, "Socket closed")
        if setting in (3, 4):
            message = call.types.stream_response()
            message.summary_row.CopyFrom(summary_row(result, cat, call.types.row))
            message.field_mask.paths.extend(mask)
            message.request_id = call.request_id
            yield message

    # -- CustomerService and GoogleAdsFieldService --------------------------------------

    async def _list_customers(self, call: _Call, request: Any) -> Any:
        response = call.types.list_customers_response()
        response.resource_names.extend(c.resource_name for c in self.directory.direct)
        return response

    async def _search_fields(self, call: _Call, request: Any) -> Any:
        return fields_service.search(call.types, catalog(call.types.version), request)

    async def _get_field(self, call: _Call, request: Any) -> Any:
        return fields_service.get(call.types, catalog(call.types.version), request.resource_name)


class _Handlers(grpc.GenericRpcHandler):
    def __init__(self, methods: dict[str, grpc.RpcMethodHandler]) -> None:
        self._methods = methods

    def service(
        self, handler_call_details: grpc.HandlerCallDetails
    ) -> grpc.RpcMethodHandler | None:
        return self._methods.get(handler_call_details.method)
