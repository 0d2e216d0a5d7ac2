"""Error classes the taps raise once they have classified a platform's answer.

Retriable ones ride the SDK's backoff (they subclass `RetriableAPIError`); the rest stop the
request at once. Every message is redacted when the error is built, so a token never reaches
a traceback.
"""

from __future__ import annotations

from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from ads_kit.redaction import redact


class RetryableError(RetriableAPIError):
    """A transient failure (server error, timeout, maintenance): retry with backoff."""

    def __init__(self, message: str, response: object | None = None) -> None:
        super().__init__(redact(message), response)  # type: ignore[arg-type]


class RateLimitedError(RetryableError):
    """The platform throttled us; `retry_after` seconds is how long it asks us to wait.

    `per_account`: the limit is the account's own (others may go on), not the app's.
    """

    def __init__(
        self,
        message: str,
        retry_after: float | None = None,
        response: object | None = None,
        *,
        per_account: bool = False,
    ) -> None:
        super().__init__(message, response)
        self.retry_after = retry_after
        self.per_account = per_account


class StopError(FatalAPIError):
    """A failure retrying cannot fix; the message says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))


class AuthenticationError(StopError):
    """The credentials were refused: the run stops and says how to get valid ones."""


class InvalidRequestError(StopError):
    """The request itself is wrong (a setting, a metric, a date span): fix the config."""


class QuotaExhaustedError(StopError):
    """A quota that resets later (a daily limit) is used up; the state so far is resumable."""


class AccountAccessError(StopError):
    """One account cannot be read (no permission, deleted, unknown); the others carry on."""

    def __init__(self, account_id: str, message: str) -> None:
        super().__init__(message)
        self.account_id = account_id


class VersionRefusedError(StopError):
    """The API refused the version in the request as sunset or unknown."""


class FieldRefusedError(StopError):
    """The platform refused requested fields as deprecated or unknown; the stream drops
    `fields` with a warning naming the setting they came from, and asks again."""

    def __init__(self, fields: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.fields = fields
