"""The REST adapter: how a `RESTStream`'s requests go through the call guard.

The SDK's `_request` still sends each request (its request metrics count every one, retries
included) and `validate_response` still classifies the answer; `request_decorator` hands the
call to the tap's `CallGuard` instead of the SDK's own backoff, so REST, SDK and gRPC calls
are paced, retried and dead-lettered by one piece of code.
"""

from __future__ import annotations

import logging
import typing as t
from urllib.parse import urlsplit

import requests
from singer_sdk import RESTStream

from ads_kit.errors import RetryableError
from ads_kit.guard import Operation

if t.TYPE_CHECKING:
    from ads_kit.tap import AdsTap

#: What `requests` raises when an answer is lost on the way: worth another try.
TRANSPORT_ERRORS = (
    ConnectionResetError,
    requests.exceptions.Timeout,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


def classify_transport_error(error: BaseException) -> BaseException | None:
    """A lost connection or answer of a `requests` call as a RetryableError."""
    if isinstance(error, TRANSPORT_ERRORS):
        return RetryableError(f"{type(error).__name__}: {error}")
    return None


def at_version(url: str, versions: t.Sequence[str], current: str) -> str:
    """`url` moved to the `current` version when it names an older one of `versions`."""
    for version in versions:
        if version != current and f"/{version}/" in url:
            return url.replace(f"/{version}/", f"/{current}/", 1)
    return url


class AdsRESTStream(RESTStream):
    """A RESTStream whose requests are made through the tap's call guard."""

    _tap: AdsTap

    @property
    def timeout(self) -> tuple[float, float]:  # type: ignore[override]
        """(connect, read) seconds: `connect_timeout`, `request_timeout`."""
        return (float(self.config["connect_timeout"]), float(self.config["request_timeout"]))

    def request_decorator(self, func: t.Callable) -> t.Callable:
        guard = self._tap.guard
        versions = self._tap.api_versions

        def call(prepared_request: requests.PreparedRequest, context: t.Any) -> t.Any:
            def send() -> requests.Response:
                prepared_request.url = at_version(
                    prepared_request.url or "", versions.used, versions.current
                )
                return func(prepared_request, context)

            return guard.call(send, self.operation(prepared_request, context))

        return call

    def operation(self, request: requests.PreparedRequest, context: t.Any) -> Operation:
        """The guard's description of one request (redacted when written)."""
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8", errors="replace")
        return Operation(
            stream=self.name,
            account_id=(context or {}).get("account_id"),
            name=f"{request.method} {urlsplit(request.url or '').path}",
            request={"method": request.method, "url": request.url, "body": body},
        )


logging.getLogger("urllib3").setLevel(logging.WARNING)
