"""TikTok's answer codes, classified into ads-kit's error classes.

TikTok reports errors as HTTP 200 with a non-zero `code` in the body, so every response's
code is checked: a failed call never passes as an empty page.
"""

from __future__ import annotations

import re
import threading

from ads_kit.errors import (
    AccountAccessError,
    AuthenticationError,
    FieldRefusedError,
    InvalidRequestError,
    QuotaExhaustedError,
    RateLimitedError,
    RetryableError,
    VersionRefusedError,
)

PARTIAL_SUCCESS = 20001
OK_CODES = frozenset({0, PARTIAL_SUCCESS})
ADVERTISER_LIMIT = 40133
RATE_LIMIT_CODES = frozenset({40100, 40016, ADVERTISER_LIMIT, 40132})
TRANSIENT_CODES = frozenset({50000, 50002, 60001, 40200, 40202, 40700})
ACCOUNT_CODES = frozenset({40001, 40300, 40301})
FIELDS_NOT_IN_USE = 41002
VERSION_CODES = frozenset({40006, 40051})

#: TikTok asks for about five minutes' rest after a per-minute limit, when it does not say.
QPM_PAUSE_SECONDS = 300.0
#: "... suspended for 42 seconds", "retry after 30s": the wait an answer names.
_STATED_WAIT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:s\b|sec|second)", re.IGNORECASE)


_QUOTED = re.compile(r"'([a-z0-9_]+)'")


def stated_wait(message: str) -> float | None:
    """The seconds a rate-limit message says to wait, when it says."""
    match = _STATED_WAIT.search(message)
    return float(match.group(1)) if match else None


REAUTHORIZATION_STEPS = (
    "To get a new token: have the advertiser open your app's advertiser authorization URL "
    "(TikTok for Business developers, My Apps) and approve; exchange the auth_code it "
    "redirects with at POST /open_api/v1.3/oauth2/access_token/ (app_id, secret, auth_code) "
    "within minutes, as it is single-use; set the returned access_token in `access_token` "
    "(TAP_TIKTOK_ADS_ACCESS_TOKEN)."
)
#: What each token refusal means, and what to do about it.
TOKEN_ADVICE = {
    40102: "TikTok calls the access token expired. Marketing API tokens have no expiry "
    "timer, so this is either a TikTok account (creator) token, which is not one, or an "
    "authorization the advertiser withdrew. " + REAUTHORIZATION_STEPS,
    40104: "No access token was sent: set `access_token` (TAP_TIKTOK_ADS_ACCESS_TOKEN).",
    40105: "The access token is wrong or was revoked: check `access_token` for a typo or a "
    "truncated paste. If it is the right one, it was revoked. " + REAUTHORIZATION_STEPS,
    40106: "The token's user cannot act for this advertiser: use a token the advertiser "
    "authorized in `access_token`, or remove the advertiser from "
    "`advertiser_ids`.",
    40113: "The app is blocked or unknown, or `app_id` is not the app the token was issued "
    "to: check `app_id` and `secret` against the token's app.",
}


QPD_ADVICE = (
    "The app's daily request quota is used up; it resets at 00:00 UTC. "
    "The state saved so far is resumable: run again after the reset."
)


class AppThrottle:
    """The waits after TikTok's app-level refusals (40100, 40016, 40132).

    Their message names no window and no header says how long to wait, so the waits climb
    through TikTok's recovery rules: the next second (QPS) twice, then about five minutes
    (a QPM suspension) twice, each at most `longest` seconds; refused after that, the
    daily quota (QPD) is used up. Any accepted answer starts the climb again.
    """

    WAITS = (1.0, 1.0, QPM_PAUSE_SECONDS, QPM_PAUSE_SECONDS)

    def __init__(self, longest: float) -> None:
        self.longest = longest
        self._refusals = 0
        self._lock = threading.Lock()

    def accepted(self) -> None:
        with self._lock:
            self._refusals = 0

    def refused(self) -> float | None:
        """The wait before the next try, or None once the waits are spent."""
        with self._lock:
            step, self._refusals = self._refusals, self._refusals + 1
        return min(self.WAITS[step], self.longest) if step < len(self.WAITS) else None


def classify(
    code: int, message: str, advertiser_id: str | None, throttle: AppThrottle | None = None
) -> Exception | None:
    """The error to raise for a response body's `code`, or None when it succeeded."""
    if code in OK_CODES:
        if throttle is not None:
            throttle.accepted()
        return None
    text = f"TikTok code {code}: {message}"
    if code in RATE_LIMIT_CODES:
        lowered = message.lower()
        if "qpd" in lowered or "daily" in lowered:
            return QuotaExhaustedError(f"{text}. {QPD_ADVICE}")
        if "qpm" in lowered or "minute" in lowered:
            return RateLimitedError(text, retry_after=stated_wait(message) or QPM_PAUSE_SECONDS)
        if code == ADVERTISER_LIMIT:
            # One advertiser's per-second limit on one path: the others need not wait.
            return RateLimitedError(text, retry_after=1.0, per_account=True)
        wait = throttle.refused() if throttle is not None else 1.0
        if wait is None:
            return QuotaExhaustedError(
                f"{text}. Still refused after waiting out a per-second and a per-minute "
                f"limit. {QPD_ADVICE}"
            )
        return RateLimitedError(text, retry_after=wait)
    if code in TRANSIENT_CODES or 51000 <= code < 52000:
        return RetryableError(text)
    if code in TOKEN_ADVICE:
        return AuthenticationError(f"{text}. {TOKEN_ADVICE[code]}")
    if code in ACCOUNT_CODES:
        who = advertiser_id or "?"
        fix = (
            "grant the app access to this advertiser (re-authorize with the needed scopes)"
            if code == 40001
            else "check the id, or remove it from `advertiser_ids`"
        )
        return AccountAccessError(who, f"advertiser {who}: {text}. Fix: {fix}.")
    if code == FIELDS_NOT_IN_USE and (fields := tuple(_QUOTED.findall(message))):
        return FieldRefusedError(fields, text)
    if code in VERSION_CODES:
        return VersionRefusedError(
            f"{text}. Set `api_version` to a supported version, or list fallbacks in "
            "`api_version_fallback`."
        )
    return InvalidRequestError(f"{text}. Check the settings that shape this request.")
