"""How a run that fails ends: one error line saying what to fix, the traceback at debug level.

The SDK's command logs any uncaught exception with its full traceback; `one_line_excepthook`
replaces that hook on the taps' commands. Errors the taps raise on purpose (`StopError` and
its kind) already say what to do; the others are translated here from what they are about
(a host that cannot be reached, a Redis, a file), and anything else is named with its type.
"""

from __future__ import annotations

import logging
import sys
import typing as t
from types import TracebackType
from urllib.parse import urlsplit

import redis.exceptions
import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from ads_kit.redaction import redact


class RunInputError(Exception):
    """A file or value the run was given is unusable; the message names it and the fix."""


def _origin(request: object) -> str:
    url = getattr(request, "url", None) or ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "the API"


def describe(error: BaseException, tap_name: str) -> str:
    """The one line a user reads: what went wrong and what to fix."""
    prefix = tap_name.upper().replace("-", "_")
    if isinstance(error.__cause__, requests.RequestException):
        # The call guard's RetryableError for a lost connection: say what was lost.
        error = error.__cause__
    match error:
        case RunInputError() | FatalAPIError():
            return str(error)
        case redis.exceptions.RedisError():
            return (
                f"The Redis of `rate_limiting.redis_url` cannot be used ({error}): start it, "
                f"or fix or unset the setting ({prefix}_RATE_LIMITING_REDIS_URL)."
            )
        case requests.exceptions.InvalidHeader():
            return (
                "A header value holds a character HTTP cannot carry (a line break or a space "
                "pasted with the token?): check `access_token`."
            )
        case requests.exceptions.Timeout():
            return (
                f"{_origin(error.request)} did not answer in time, and retrying did not help "
                "(rate_limiting.max_retries): check the network, or raise `request_timeout`."
            )
        case requests.exceptions.ConnectionError():
            return (
                f"Cannot connect to {_origin(error.request)}, even after retrying "
                "(rate_limiting.max_retries): check `api_url` and the network."
            )
        case RetriableAPIError():
            return (
                f"{error}; still failing after the retries of rate_limiting.max_retries. "
                "Run again later: the state saved so far is resumable."
            )
    return (
        f"Unexpected {type(error).__name__}: {error}. The traceback is logged at debug "
        f"level ({prefix}_LOGLEVEL=DEBUG, or meltano --log-level=debug)."
    )


def one_line_excepthook(
    logger: logging.Logger, tap_name: str
) -> t.Callable[[type[BaseException], BaseException, TracebackType | None], None]:
    """An excepthook logging `describe(error)` as the error and the traceback at debug."""

    def hook(
        kind: type[BaseException], error: BaseException, traceback: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, traceback)
            return
        logger.debug("Traceback of the error below", exc_info=(kind, error, traceback))
        logger.error("%s", redact(describe(error, tap_name)))

    return hook
