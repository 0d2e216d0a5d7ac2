"""Meta's rate-limit accounting and the usage headers it sends on every response.

Calls are counted per ad account (business use case) and per app in a rolling window; usage is
reported as percentages in `x-business-use-case-usage`, `x-ad-account-usage` and `x-app-usage`,
and a call past 100% is refused with the use case's code and the time to regain access.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import orjson

from ads_sandbox.meta.errors import (
    APP_LIMIT,
    BUC_ADS_MANAGEMENT,
    BUC_CUSTOM_AUDIENCE,
    BUC_INSIGHTS,
    GraphError,
)

TIER = "standard_access"
BUC_CODES = {
    "ads_insights": BUC_INSIGHTS,
    "custom_audience": BUC_CUSTOM_AUDIENCE,
    "ads_management": BUC_ADS_MANAGEMENT,
}


@dataclass(frozen=True, slots=True)
class UsageLimits:
    account_calls: int = 100_000  # per window, per ad account and use case
    app_calls: int = 1_000_000  # per window, whole app
    window_seconds: float = 300.0


def use_case(path_tail: str) -> str:
    if path_tail.endswith("insights") or path_tail == "report_run":
        return "ads_insights"
    if path_tail.endswith("customaudiences"):
        return "custom_audience"
    return "ads_management"


class UsageMeter:
    def __init__(self, limits: UsageLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._accounts: dict[tuple[str, str], deque[float]] = {}
        self._app: deque[float] = deque()

    def _trim(self, window: deque[float], now: float) -> None:
        while window and window[0] <= now - self.limits.window_seconds:
            window.popleft()

    def _regain_seconds(self, window: deque[float], now: float) -> float:
        return max(0.0, window[0] + self.limits.window_seconds - now) if window else 0.0

    def admit(self, account_id: str | None, case: str) -> dict[str, str]:
        """Count one call and return its usage headers; raise the throttle error past 100%."""
        now = self._clock()
        self._trim(self._app, now)
        window = None
        if account_id:
            window = self._accounts.setdefault((account_id, case), deque())
            self._trim(window, now)
        if len(self._app) >= self.limits.app_calls:
            raise GraphError(
                APP_LIMIT, "(#4) Application request limit reached", transient=True,
                headers=self.headers(account_id, case, now),
            )  # fmt: skip
        if window is not None and len(window) >= self.limits.account_calls:
            code = BUC_CODES[case]
            raise GraphError(
                code,
                f"(#{code}) There have been too many calls to this ad-account. Wait a bit and "
                "try again. For more info, please refer to "
                "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
                subcode=2446079,
                transient=True,
                headers=self.headers(account_id, case, now),
            )
        self._app.append(now)
        if window is not None:
            window.append(now)
        return self.headers(account_id, case, now)

    def headers(
        self, account_id: str | None, case: str, now: float | None = None
    ) -> dict[str, str]:
        now = self._clock() if now is None else now
        app_pct = min(100, round(100 * len(self._app) / self.limits.app_calls))
        out = {
            "x-app-usage": orjson.dumps(
                {"call_count": app_pct, "total_time": app_pct, "total_cputime": app_pct}
            ).decode()
        }
        if account_id:
            window = self._accounts.get((account_id, case), deque())
            pct = min(100, round(100 * len(window) / self.limits.account_calls, 2))
            regain = self._regain_seconds(window, now) if pct >= 100 else 0.0
            out["x-business-use-case-usage"] = orjson.dumps(
                {
                    account_id: [
                        {
                            "type": case,
                            "call_count": math.floor(pct),
                            "total_cputime": math.floor(pct * 0.6),
                            "total_time": math.floor(pct * 0.8),
                            "estimated_time_to_regain_access": math.ceil(regain / 60),
                            "ads_api_access_tier": TIER,
                        }
                    ]
                }
            ).decode()
            out["x-ad-account-usage"] = orjson.dumps(
                {
                    "acc_id_util_pct": pct,
                    "reset_time_duration": math.ceil(self._regain_seconds(window, now)),
                    "ads_api_access_tier": TIER,
                }
            ).decode()
        return out

    def saturated(self, account_id: str | None, case: str) -> dict[str, str]:
        """Headers showing the limit reached, for an injected rate-limit fault."""
        out = self.headers(account_id, case)
        out["x-app-usage"] = orjson.dumps(
            {"call_count": 100, "total_time": 64, "total_cputime": 40}
        ).decode()
        if account_id:
            out["x-business-use-case-usage"] = orjson.dumps(
                {
                    account_id: [
                        {
                            "type": case,
                            "call_count": 100,
                            "total_cputime": 35,
                            "total_time": 60,
                            "estimated_time_to_regain_access": 0,
                            "ads_api_access_tier": TIER,
                        }
                    ]
                }
            ).decode()
            out["x-ad-account-usage"] = orjson.dumps(
                {"acc_id_util_pct": 100, "reset_time_duration": 1, "ads_api_access_tier": TIER}
            ).decode()
        return out
