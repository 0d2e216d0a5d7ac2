"""The call guard: one platform call, whatever its transport, made safely.

A `requests` call, an SDK method or a gRPC stream is wrapped the same way: it waits for a
pacer slot (`rate_limiting`), its failure is classified by the tap into ads-kit's error
classes, retryable ones are retried with the `rate_limiting` backoff (or the wait the
platform asked for), a refused API version moves to the next fallback and the call is made
again, and a call that fails for good is written to the dead-letter file.
"""

from __future__ import annotations

import logging
import random
import typing as t
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field

import backoff

from ads_kit.errors import (
    QuotaExhaustedError,
    RateLimitedError,
    RetryableError,
    VersionRefusedError,
)
from ads_kit.redaction import redact

if t.TYPE_CHECKING:
    from backoff.types import Details

    from ads_kit.dead_letter import DeadLetterFile
    from ads_kit.pacing import RateLimits, RequestPacer
    from ads_kit.versions import ApiVersions

T = t.TypeVar("T")
#: Turns whatever a call raised into an ads-kit error (or None: re-raise it unchanged).
Classifier = Callable[[BaseException], BaseException | None]


@dataclass(frozen=True)
class Operation:
    """What one call is, for retries' log lines and dead letters (redacted when written)."""

    stream: str
    account_id: str | None
    #: e.g. "GET /open_api/v1.3/campaign/get/" or "GoogleAdsService.SearchStream".
    name: str
    #: A description of the request: URL, parameters, body, query; never credentials.
    request: Mapping[str, t.Any] = field(default_factory=dict)


def jittered_waits(limits: RateLimits) -> Generator[float, BaseException | None, None]:
    """Exponential waits from `backoff_multiplier`, or the wait a throttled answer asks for,
    each jittered by ±20 % and then capped at `max_wait_seconds`: the cap always holds."""
    attempt = 0
    error = yield 0
    while True:
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            wait = error.retry_after * random.uniform(1.0, 1.1)
        else:
            wait = limits.backoff_multiplier * 2**attempt * random.uniform(0.8, 1.2)
        attempt += 1
        error = yield min(wait, limits.max_wait_seconds)


class CallGuard:
    """Makes platform calls through pacing, retries, version fallback and dead letters."""

    def __init__(
        self,
        *,
        pacer: RequestPacer,
        limits: RateLimits,
        classify: Classifier,
        versions: ApiVersions,
        dead_letters: DeadLetterFile | None,
        logger: logging.Logger,
    ) -> None:
        self.pacer = pacer
        self.limits = limits
        self.classify = classify
        self.versions = versions
        self.dead_letters = dead_letters
        self.logger = logger

    def call(self, fn: Callable[[], T], operation: Operation) -> T:
        """`fn()`, retried and paced; `fn` reads `versions.current` each time it is called."""
        tries = 0
        version = self.versions.current

        def attempt() -> T:
            nonlocal tries, version
            tries += 1
            version = self.versions.current
            try:
                with self.pacer.slot(operation.account_id):
                    return fn()
            except Exception as raw:
                error = self.classify(raw)
                if error is None or error is raw:
                    raise
                raise error from raw

        retrying = backoff.on_exception(
            lambda: jittered_waits(self.limits),
            RetryableError,
            max_tries=self.limits.max_retries + 1,
            jitter=None,
            giveup=self._waits_too_long,
            on_backoff=lambda details: self._log_retry(operation, details),
            logger=None,
        )(attempt)
        while True:
            try:
                return retrying()
            except VersionRefusedError as refusal:
                if self.versions.refused(version, refusal):
                    continue
                self._dead_letter(operation, refusal, tries)
                raise
            except RateLimitedError as error:
                if self._waits_too_long(error):
                    stop = self._wait_refused(error)
                    self._dead_letter(operation, stop, tries)
                    raise stop from error
                self._dead_letter(operation, error, tries)
                raise
            except Exception as error:
                self._dead_letter(operation, error, tries)
                raise

    def _waits_too_long(self, error: BaseException) -> bool:
        """A platform asking for a longer wait than `max_wait_seconds` is not waited out."""
        return (
            isinstance(error, RateLimitedError)
            and error.retry_after is not None
            and error.retry_after > self.limits.max_wait_seconds
        )

    def _wait_refused(self, error: RateLimitedError) -> QuotaExhaustedError:
        return QuotaExhaustedError(
            f"{error} The platform asks to wait {error.retry_after:.0f} s, longer than "
            f"rate_limiting.max_wait_seconds ({self.limits.max_wait_seconds:g} s). The state "
            "saved so far is resumable: run again later, or raise "
            "rate_limiting.max_wait_seconds."
        )

    def _log_retry(self, operation: Operation, details: Details) -> None:
        error = details.get("exception")
        if isinstance(error, RateLimitedError):
            # Every other call of the app (or account), in any process, waits too.
            account = operation.account_id if error.per_account else None
            self.pacer.pause(details.get("wait") or 0, account)
        account = f", account {operation.account_id}" if operation.account_id else ""
        self.logger.warning(
            "Retrying %s (%s%s) in %.1f s after try %d: %s",
            operation.stream,
            operation.name,
            account,
            details.get("wait") or 0,
            details.get("tries") or 0,
            redact(f"{type(error).__name__}: {error}"),
        )

    def _dead_letter(self, operation: Operation, error: BaseException, tries: int) -> None:
        if self.dead_letters is not None:
            self.dead_letters.write(operation, error, tries)
