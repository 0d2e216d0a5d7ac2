"""The request layer every REST stream of the taps runs on.

It plugs into the SDK's own hooks: `_request` waits for the pacer, `request_decorator` keeps
the SDK's backoff and adds the dead-letter file, and the backoff hooks take their numbers
from `rate_limiting` and from the wait a rate-limited answer asks for.
"""

from __future__ import annotations

import logging
import random
import typing as t
from collections.abc import Generator, Iterable

import requests
from singer_sdk import RESTStream
from singer_sdk.exceptions import RetriableAPIError

from ads_kit.errors import AccountAccessError, RateLimitedError, VersionRefusedError
from ads_kit.redaction import redact

if t.TYPE_CHECKING:
    from backoff.types import Details

    from ads_kit.tap import Account, AdsTap


class AdsRESTStream(RESTStream):
    """A RESTStream paced, retried and dead-lettered by the tap's `rate_limiting` settings."""

    _tap: AdsTap

    @property
    def timeout(self) -> int:
        return self.config.get("request_timeout", 300)

    def _request(
        self, prepared_request: requests.PreparedRequest, context: t.Any
    ) -> requests.Response:
        with self._tap.pacer.slot():
            return super()._request(prepared_request, context)

    def request_decorator(self, func: t.Callable) -> t.Callable:
        retrying = super().request_decorator(func)

        def call(prepared_request: requests.PreparedRequest, context: t.Any) -> t.Any:
            while True:
                try:
                    return retrying(prepared_request, context)
                except VersionRefusedError as exc:
                    url = self._tap.fallback_url(prepared_request.url or "", exc)
                    if url is None:
                        self._write_dead_letter(prepared_request, context, exc)
                        raise
                    prepared_request.url = url
                except Exception as exc:
                    self._write_dead_letter(prepared_request, context, exc)
                    raise

        return call

    def _write_dead_letter(
        self, request: requests.PreparedRequest, context: t.Any, error: BaseException
    ) -> None:
        dead_letters = self._tap.dead_letters
        if dead_letters is None:
            return
        retried = isinstance(error, RetriableAPIError | requests.RequestException)
        dead_letters.write(
            stream=self.name,
            context=dict(context or {}),
            method=request.method or "",
            url=request.url or "",
            body=request.body,
            error=error,
            tries=self.backoff_max_tries() if retried else 1,
        )

    def saved_bookmark(self, context: t.Any) -> t.Any | None:
        """The bookmark a previous run left for this partition; None on a first run.

        Unlike `get_starting_replication_key_value`, never the configured `start_date`:
        entity listings must not drop objects last modified before it.
        """
        state = self.get_context_state(context)
        if state.get("replication_key") != self.replication_key:
            return None
        return state.get("replication_key_value")

    def backoff_wait_generator(self) -> Generator[float, BaseException, None]:
        """Exponential waits from `backoff_multiplier`, or the wait a throttled answer asks
        for, never longer than `max_wait_seconds`."""
        limits = self._tap.rate_limits
        attempt = 0
        error = yield 0
        while True:
            wait = limits.backoff_multiplier * 2**attempt
            if isinstance(error, RateLimitedError) and error.retry_after is not None:
                wait = error.retry_after
            attempt += 1
            error = yield min(wait, limits.max_wait_seconds)

    def backoff_max_tries(self) -> int:
        return self._tap.rate_limits.max_retries + 1

    def backoff_jitter(self, value: float) -> float:
        return value * random.uniform(0.8, 1.2)

    def backoff_handler(self, details: Details) -> None:
        error = details.get("exception")
        self.logger.warning(
            "Retrying %s in %.1f s after try %d: %s",
            self.name,
            details.get("wait") or 0,
            details.get("tries") or 0,
            redact(f"{type(error).__name__}: {error}"),
        )


#: The schema of the fields every account-partitioned record carries.
ACCOUNT_PROPERTIES = {
    "account_id": {"type": ["string"]},
    "account_currency": {"type": ["string", "null"]},
    "account_timezone": {"type": ["string", "null"]},
}


class AccountStream(AdsRESTStream):
    """A stream partitioned by account: its context, `{"account_id": ...}`, comes from the
    accounts stream, which registers each account's currency and timezone with the tap.

    The context being exactly the state partition lets the SDK finalize each account's
    bookmark as soon as the account is done, so an interrupted run resumes after it.
    Every record gets `account_id`, `account_currency` and `account_timezone`; an account that
    cannot be read is reported to the tap and skipped so the other accounts finish.
    """

    state_partitioning_keys: t.ClassVar[list[str]] = ["account_id"]

    def account(self, context: t.Any) -> Account:
        """The account this context is about."""
        return self._tap.accounts[context["account_id"]]

    def get_records(self, context: t.Any) -> Iterable[dict[str, t.Any]]:
        try:
            yield from self.get_account_records(context)
        except AccountAccessError as error:
            self._tap.record_account_failure(self.name, error)

    def get_account_records(self, context: t.Any) -> Iterable[dict[str, t.Any]]:
        """The stream's records for one account (the context)."""
        yield from super().get_records(context)

    def post_process(self, row: dict, context: t.Any = None) -> dict | None:
        account = self.account(context)
        row["account_id"] = account.id
        row["account_currency"] = account.currency
        row["account_timezone"] = account.timezone
        return row


logging.getLogger("urllib3").setLevel(logging.WARNING)
