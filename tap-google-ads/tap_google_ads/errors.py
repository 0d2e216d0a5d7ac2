"""Google Ads failures as ads-kit's error classes.

Most failures arrive as `GoogleAdsException` with a `GoogleAdsFailure`; RESOURCE_EXHAUSTED
and INTERNAL arrive as plain `google.api_core` exceptions with the failure still in the
trailing metadata, which is decoded here to read the quota's `retry_delay`.
"""

from __future__ import annotations

import importlib
import typing as t

from ads_kit.errors import (
    AccountAccessError,
    AuthenticationError,
    FieldRefusedError,
    InvalidRequestError,
    RateLimitedError,
    RetryableError,
    VersionRefusedError,
)
from google.ads.googleads.errors import GoogleAdsException
from google.api_core import exceptions as core
from google.auth.exceptions import RefreshError

#: Set on an exception by the caller: which customer the failed call was about.
CUSTOMER_ATTRIBUTE = "ads_customer_id"
_RETRIED_STATUSES = (
    core.ServiceUnavailable,
    core.InternalServerError,
    core.DeadlineExceeded,
    core.GatewayTimeout,
    core.BadGateway,
    core.Aborted,
)
_ACCESS_FIXES = {
    "USER_PERMISSION_DENIED": "the user of refresh_token has no access to it; when it is "
    "reached through a manager, leave login_customer_id empty (the tap sets the manager's) "
    "or set it to that manager's id",
    "CUSTOMER_NOT_ENABLED": "the account is cancelled or not set up; remove it from customer_ids",
    "ACTION_NOT_PERMITTED_FOR_SUSPENDED_ACCOUNT": "the account is suspended",
}


def _failure_from_trailers(error: core.GoogleAPICallError) -> t.Any | None:
    """The GoogleAdsFailure in an api_core error's trailing metadata (any version's key)."""
    call = getattr(error, "response", None)
    trailers = call.trailing_metadata() if call is not None else None
    for key, value in trailers or ():
        if key.endswith(".errors.googleadsfailure-bin"):
            version = key.split(".")[3]
            module = importlib.import_module(f"google.ads.googleads.{version}.errors.types.errors")
            failure = module.GoogleAdsFailure
            return type(failure.pb(failure())).FromString(value)
    return None


def _first_error(failure: t.Any) -> tuple[str, str, t.Any] | None:
    failure = getattr(failure, "_pb", failure)  # the exception carries proto-plus
    if failure is None or not failure.errors:
        return None
    error = failure.errors[0]
    family = error.error_code.WhichOneof("error_code")
    if family is None:
        return None
    number = getattr(error.error_code, family)
    code = (
        error.error_code.DESCRIPTOR.fields_by_name[family].enum_type.values_by_number[number].name
    )
    return family, code, error


def _retry_delay(error: t.Any) -> float | None:
    details = error.details
    if details.HasField("quota_error_details") and details.quota_error_details.HasField(
        "retry_delay"
    ):
        delay = details.quota_error_details.retry_delay
        return delay.seconds + delay.nanos / 1e9
    return None


def classify(error: BaseException, on_token_expired: t.Callable[[], None]) -> BaseException | None:
    customer = getattr(error, CUSTOMER_ATTRIBUTE, None)
    where = f" (customer {customer})" if customer else ""
    if isinstance(error, RefreshError):
        return AuthenticationError(
            f"The OAuth refresh was refused ({error.args[0] if error.args else error}): set a "
            "valid refresh_token with its client_id and client_secret, or check oauth_url."
        )
    if isinstance(error, GoogleAdsException):
        first = _first_error(error.failure)
        status = error.error.code().name if error.error is not None else "UNKNOWN"
    elif isinstance(error, core.GoogleAPICallError):
        if "invalid_grant" in str(error) or "Getting metadata from plugin failed" in str(error):
            return AuthenticationError(
                f"The OAuth refresh was refused ({error.message}): set a valid refresh_token "
                "with its client_id and client_secret, or check oauth_url."
            )
        first = _failure_from_trailers(error)
        first = _first_error(first) if first is not None else None
        status = error.grpc_status_code.name if error.grpc_status_code else type(error).__name__
        if first is None:
            if isinstance(error, core.ResourceExhausted):
                return RateLimitedError(f"Google Ads quota{where}: {error.message}")
            if isinstance(error, _RETRIED_STATUSES):
                return RetryableError(f"Google Ads {status}{where}: {error.message}")
            if isinstance(error, core.Unauthenticated):
                return AuthenticationError(f"Google Ads refused the credentials: {error.message}")
            if isinstance(error, core.PermissionDenied) and customer:
                return AccountAccessError(customer, f"customer {customer}: {error.message}")
            return None
    else:
        return None
    if first is None:
        return RetryableError(f"Google Ads {status}{where}: {error}")
    family, code, detail = first
    message = f"{family}.{code}{where}: {detail.message}"
    if family == "quota_error":
        return RateLimitedError(f"Google Ads quota {message}", retry_after=_retry_delay(detail))
    if family == "internal_error":
        return RetryableError(f"Google Ads {message}")
    if family == "authentication_error":
        if code == "OAUTH_TOKEN_EXPIRED":
            on_token_expired()
            return RetryableError(f"Google Ads {message} (the access token is refreshed)")
        fix = (
            "set a valid developer_token"
            if "DEVELOPER_TOKEN" in code
            else "check the OAuth settings"
        )
        return AuthenticationError(f"Google Ads refused the credentials, {message}: {fix}.")
    if family == "authorization_error":
        if "DEVELOPER_TOKEN" in code:
            return AuthenticationError(
                f"Google Ads {message}: the developer_token is not approved for this account."
            )
        fix = _ACCESS_FIXES.get(code, "check the user's access to it")
        if customer:
            return AccountAccessError(customer, f"customer {customer}: {family}.{code}: {fix}.")
        return AuthenticationError(f"Google Ads {message}: {fix}.")
    if family == "request_error":
        if code in ("EXPIRED_PAGE_TOKEN", "INVALID_PAGE_TOKEN"):
            return RetryableError(f"Google Ads {message}: reading the slice again from its start")
        if code == "UNSUPPORTED_VERSION":
            return VersionRefusedError(f"Google Ads {message}")
        if code == "INVALID_CUSTOMER_ID" and customer:
            return AccountAccessError(
                customer, f"customer {customer}: not a customer id; fix customer_ids."
            )
    if family == "query_error" and code in ("UNRECOGNIZED_FIELD", "BAD_FIELD_NAME"):
        trigger = detail.trigger.string_value if detail.HasField("trigger") else ""
        if trigger:
            return FieldRefusedError((trigger,), f"Google Ads {message}")
    return InvalidRequestError(f"Google Ads {message}")
