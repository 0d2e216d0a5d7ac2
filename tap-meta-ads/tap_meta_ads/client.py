"""facebook-business pointed at `api_url`, every call of it made through the ads-kit guard.

`GuardedApi` is the SDK's `FacebookAdsApi` with `call` wrapped (as Meta's own connectors do):
each request, whether a cursor's next page, a report run's status or a batch, waits for a
pacer slot, slows down while Meta's usage headers near their limits, is classified and
retried by the call guard, and goes to the tap's current API version.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import threading
import time
import typing as t
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ads_kit.guard import Operation
from facebook_business.api import FacebookAdsApi, FacebookResponse, FacebookSession
from facebook_business.exceptions import FacebookRequestError

from tap_meta_ads.errors import REDUCE_DATA, _header

if t.TYPE_CHECKING:
    from tap_meta_ads.tap import TapMetaAds

DEFAULT_API_URL = "https://graph.facebook.com"
#: Usage (percent of a limit) from which calls are slowed, and from which they wait for reset.
SLOW_FROM = 75.0
WAIT_FROM = 95.0
MIN_PAGE_SIZE = 10

# The SDK warns on every enum-typed value it cannot check (all strings): noise in the log.
warnings.filterwarnings("ignore", category=UserWarning, module=r"facebook_business\..*")


@dataclass(frozen=True)
class Scope:
    stream: str = "tap-meta-ads"
    account_id: str | None = None


_UNSCOPED = Scope()
_scope: contextvars.ContextVar[Scope] = contextvars.ContextVar("meta_scope", default=_UNSCOPED)


@contextlib.contextmanager
def scope(stream: str, account_id: str | None) -> Iterator[None]:
    """Calls made inside are attributed to this stream and account (logs, dead letters)."""
    token = _scope.set(Scope(stream, account_id))
    try:
        yield
    finally:
        _scope.reset(token)


def current_scope() -> Scope:
    return _scope.get()


def _percent(raw: str | None, keys: tuple[str, ...]) -> tuple[float, float]:
    """(highest usage percent, seconds to reset) in one usage header's JSON."""
    if not raw:
        return 0.0, 0.0
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return 0.0, 0.0
    entries: list[Mapping[str, t.Any]] = []
    if isinstance(data, dict) and any(isinstance(v, list) for v in data.values()):
        entries = [
            e for v in data.values() if isinstance(v, list) for e in v if isinstance(e, dict)
        ]
    elif isinstance(data, dict):
        entries = [data]
    usage, reset = 0.0, 0.0
    for entry in entries:
        for key in keys:
            value = entry.get(key)
            if isinstance(value, int | float):
                usage = max(usage, float(value))
        reset = max(
            reset,
            60 * float(entry.get("estimated_time_to_regain_access") or 0),
            float(entry.get("reset_time_duration") or 0),
        )
    return usage, reset


class UsageGovernor:
    """Reads Meta's usage headers on every answer and holds calls back before the limits.

    Per ad account: `x-business-use-case-usage`, `x-ad-account-usage`; for the app:
    `x-app-usage`; for report jobs: `x-fb-ads-insights-throttle` (see `insights_throttle`).
    """

    def __init__(self, logger: logging.Logger, max_wait: float) -> None:
        self.logger = logger
        self.max_wait = max_wait
        self._lock = threading.Lock()
        self._usage: dict[str, tuple[float, float, float]] = {}  # who -> (percent, reset, at)
        self.insights_throttle: dict[str, float] = {}
        self.slowed = 0

    def observe(self, headers: object, account_id: str | None) -> None:
        buc = _percent(
            _header(headers, "x-business-use-case-usage"),
            ("call_count", "total_cputime", "total_time"),
        )
        acc = _percent(_header(headers, "x-ad-account-usage"), ("acc_id_util_pct",))
        app = _percent(
            _header(headers, "x-app-usage"), ("call_count", "total_cputime", "total_time")
        )
        now = time.monotonic()
        with self._lock:
            if account_id and (
                _header(headers, "x-business-use-case-usage")
                or _header(headers, "x-ad-account-usage")
            ):
                self._usage[account_id] = (max(buc[0], acc[0]), max(buc[1], acc[1]), now)
            if _header(headers, "x-app-usage"):
                self._usage["app"] = (app[0], app[1], now)
            throttle = _header(headers, "x-fb-ads-insights-throttle")
            if throttle and account_id:
                pct, _ = _percent(throttle, ("acc_id_util_pct", "app_id_util_pct"))
                self.insights_throttle[account_id] = pct

    def pause_before(self, account_id: str | None) -> float:
        """Seconds to wait before the next call of this account (0 when far from a limit)."""
        now = time.monotonic()
        with self._lock:
            known = [self._usage.get(k) for k in (account_id, "app") if k]
        pause = 0.0
        for entry in known:
            if entry is None:
                continue
            usage, reset, at = entry
            if usage >= WAIT_FROM:
                pause = max(pause, max(reset, 5.0) - (now - at))
            elif usage >= SLOW_FROM:
                pause = max(
                    pause, 0.2 * (usage - SLOW_FROM) / (WAIT_FROM - SLOW_FROM) * max(reset, 5.0)
                )
        return min(max(pause, 0.0), self.max_wait)

    def wait(self, account_id: str | None) -> None:
        pause = self.pause_before(account_id)
        if pause > 0:
            self.slowed += 1
            self.logger.info(
                "Meta usage of %s is near its limit: waiting %.1f s before the next call",
                f"account {account_id}" if account_id else "the app",
                pause,
            )
            time.sleep(pause)


class GuardedApi(FacebookAdsApi):
    """The SDK's API object; `call` goes through the tap's guard, at its current version."""

    def __init__(self, session: FacebookSession, tap: TapMetaAds) -> None:
        super().__init__(session, api_version=tap.api_version)
        self._tap = tap
        self.governor = UsageGovernor(tap.logger, tap.rate_limits.max_wait_seconds)
        self.page_size = int(tap.config["page_size"])
        self.calls = 0
        self._halved: set[int] = set()  # ids of the params dicts whose page was halved

    def call(  # type: ignore[override]
        self,
        method: str,
        path: t.Any,
        params: dict | None = None,
        headers: dict | None = None,
        files: dict | None = None,
        url_override: str | None = None,
        api_version: str | None = None,
    ) -> FacebookResponse:
        where = current_scope()
        name = "/".join(map(str, path)) if not isinstance(path, str) else path
        operation = Operation(
            stream=where.stream,
            account_id=where.account_id,
            name=f"{method} /{name}",
            request={
                "method": method,
                "path": name,
                "params": {k: v for k, v in (params or {}).items() if k != "batch"},
            },
        )

        def send() -> FacebookResponse:
            self.governor.wait(where.account_id)
            self.calls += 1
            try:
                response = FacebookAdsApi.call(
                    self, method, path, params, headers, files, url_override, self._tap.api_version
                )
            except FacebookRequestError as error:
                self.governor.observe(error.http_headers(), where.account_id)
                if params is not None and REDUCE_DATA in (error.api_error_message() or "").lower():
                    self._halve_page(params, where)
                raise
            self.governor.observe(response.headers(), where.account_id)
            if params is not None:
                self._restore_page(params)
            return response

        return self._tap.guard.call(send, operation)

    def _halve_page(self, params: dict, where: Scope) -> None:
        """Meta's code 1 "reduce the amount of data": the same request, half the page."""
        limit = int(params.get("limit") or self.page_size)
        if limit > MIN_PAGE_SIZE:
            params["limit"] = max(MIN_PAGE_SIZE, limit // 2)
            self._halved.add(id(params))
            self._tap.logger.warning(
                "%s: Meta asks for less data per page; page size %d -> %d for this listing",
                where.stream,
                limit,
                params["limit"],
            )

    def _restore_page(self, params: dict) -> None:
        """After a halved page succeeded, grow back toward `page_size`, one doubling a page."""
        if id(params) in self._halved:
            self._halved.discard(id(params))  # the halved page itself: keep it for now
        elif int(params.get("limit") or self.page_size) < self.page_size:
            params["limit"] = min(self.page_size, int(params["limit"]) * 2)


def build_api(tap: TapMetaAds) -> GuardedApi:
    config = tap.config
    session = FacebookSession(
        app_id=config.get("app_id"),
        app_secret=config.get("app_secret"),
        access_token=config["access_token"],
        timeout=(float(config["connect_timeout"]), float(config["request_timeout"])),
    )
    session.GRAPH = str(config["api_url"]).rstrip("/")  # instance attribute: no global change
    return GuardedApi(session, tap)
