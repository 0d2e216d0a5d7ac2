"""Meta's error answers (`FacebookRequestError` and friends), classified into ads-kit's error
classes for the call guard."""

from __future__ import annotations

import json
import re

from ads_kit.errors import (
    AccountAccessError,
    AuthenticationError,
    FieldRefusedError,
    InvalidRequestError,
    RateLimitedError,
    RetryableError,
    StopError,
    VersionRefusedError,
)
from ads_kit.stream import classify_transport_error
from facebook_business.exceptions import FacebookBadObjectError, FacebookRequestError

#: Throttles: app (4), user (17), page (32), ad account (613), business use cases (80000-80014).
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
TOKEN_CODES = frozenset({102, 190})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
TRANSIENT_CODES = frozenset({1, 2, 104, 960})
SUNSET_VERSION = 2635
#: "Request Timed Out" of the synchronous insights edge (2/1504038, 100/1504018): asking the
#: same again times out again; async report jobs answer it.
SYNC_TIMEOUT_SUBCODES = frozenset({1504038, 1504018})
#: 2/1504041 "Invalid Breakdowns": a combination Meta refuses, not a passing failure.
INVALID_BREAKDOWNS = 1504041
REDUCE_DATA = "reduce the amount of data"
SUMMARY_RACE = "in summary param"
_NONEXISTING = re.compile(r"nonexisting field \(([^)]+)\)")

RENEW_ADVICE = (
    "Renew the token: a system user's token from Business Settings > System users (it does not "
    "expire), or a long-lived user token (oauth/access_token with grant_type=fb_exchange_token), "
    "then set it in `access_token` (TAP_META_ADS_ACCESS_TOKEN)."
)


class SyncTimeoutError(StopError):
    """The synchronous insights edge gave up on a query; the stream moves to async jobs."""


def describe(error: FacebookRequestError) -> str:
    code, subcode = error.api_error_code(), error.api_error_subcode()
    where = f"code {code}" + (f"/{subcode}" if subcode else "")
    return f"Meta {where} (HTTP {error.http_status()}): {error.api_error_message()}"


def regain_seconds(headers: object) -> float | None:
    """The longest `estimated_time_to_regain_access` (minutes) in the usage header, in seconds."""
    raw = _header(headers, "x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except json.JSONDecodeError:
        return None
    minutes = [
        float(entry.get("estimated_time_to_regain_access") or 0)
        for entries in (usage.values() if isinstance(usage, dict) else ())
        for entry in (entries if isinstance(entries, list) else ())
        if isinstance(entry, dict)
    ]
    longest = max(minutes, default=0.0)
    return 60 * longest if longest > 0 else None


def _header(headers: object, name: str) -> str | None:
    if headers is None:
        return None
    if isinstance(headers, list):  # a batch item's [{"name", "value"}]
        for item in headers:
            if isinstance(item, dict) and str(item.get("name", "")).lower() == name:
                return str(item.get("value"))
        return None
    getter = getattr(headers, "get", None)
    return getter(name) if getter else None


def classify(error: BaseException, account_id: str | None) -> BaseException | None:
    """The ads-kit error `error` stands for; None lets it through unchanged."""
    if isinstance(error, FacebookBadObjectError):
        return RetryableError(f"Meta answered with a body that is not an object: {error}")
    if not isinstance(error, FacebookRequestError):
        return classify_transport_error(error)
    code = error.api_error_code()
    message = error.api_error_message() or ""
    text = describe(error)
    if code in RATE_LIMIT_CODES:
        return RateLimitedError(text, retry_after=regain_seconds(error.http_headers()))
    if code == SUNSET_VERSION:
        return VersionRefusedError(
            f"{text} Set `api_version` to the version Meta names, or list it in "
            "`api_version_fallback`."
        )
    if code in TOKEN_CODES:
        return AuthenticationError(f"{text} {RENEW_ADVICE}")
    if REDUCE_DATA in message.lower() or SUMMARY_RACE in message:
        return RetryableError(text)
    if error.api_error_subcode() in SYNC_TIMEOUT_SUBCODES:
        return SyncTimeoutError(text)
    if error.api_error_subcode() == INVALID_BREAKDOWNS:
        return InvalidRequestError(
            f"{text} Meta refuses these breakdowns together: change `breakdowns` or the "
            "report's `custom_reports` entry."
        )
    if code == 100 and (match := _NONEXISTING.search(message)):
        return FieldRefusedError((match.group(1),), text)
    if code in PERMISSION_CODES or (code == 100 and error.api_error_subcode() == 33):
        who = account_id or "?"
        return AccountAccessError(
            who,
            f"account {who}: {text} Grant the token's user or system user access to this ad "
            "account with the ads_read permission (Business Settings > Ad accounts), or remove "
            "it from `ad_accounts`.",
        )
    status = error.http_status() or 0
    if code in TRANSIENT_CODES or error.api_transient_error() or status >= 500 or code is None:
        return RetryableError(text)
    return InvalidRequestError(f"{text} Check the settings that shape this request.")
