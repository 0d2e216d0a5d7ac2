"""Account partitioning for any SDK stream: every stream of a tap is read per account.

The accounts stream (`ad_accounts`, `customers`, `advertisers`) registers each account it
reads, and its child context, `{"account_id": ...}`, is exactly the state partition of
every child stream: the SDK finalizes an account's bookmark as soon as that account is done,
so an interrupted run resumes after it.
"""

from __future__ import annotations

import threading
import typing as t
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ads_kit.errors import AccountAccessError
from ads_kit.timezones import zone

if t.TYPE_CHECKING:
    from ads_kit.tap import AdsTap

#: The key of an account's state listing the slices an interrupted run finished.
FINISHED_SLICES = "finished_slices"
#: The state's bookmark entry naming the accounts this run could not read, per stream:
#: `{"<account id>": {"<stream>": "<redacted reason>"}}`. Cleared when a run starts, so
#: every STATE message says what failed in its own run (transform-unified warns `partial`
#: from it).
ACCOUNT_FAILURES = "account_failures"
#: Its account and stream key when the whole run stopped (an error no one account caused):
#: `{"*": {"*": "<redacted reason>"}}`.
RUN_STOPPED = "*"
#: The SDK's progress marker of an unsorted stream, as it writes it into the state.
PROGRESS_MARKERS, UNSORTED_NOTE = (
    "progress_markers",
    {"Note": "Progress is not resumable if interrupted."},
)
#: The schema of the fields every account-partitioned record carries.
ACCOUNT_PROPERTIES = {
    "account_id": {"type": ["string"]},
    "account_currency": {"type": ["string", "null"]},
    "account_timezone": {"type": ["string", "null"]},
}


@dataclass(frozen=True)
class Account:
    """What every stream of an account needs to know about it."""

    id: str
    currency: str
    timezone: str
    created: str | None = None


class AccountRegistry:
    """The accounts read so far, and the ones that could not be read."""

    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self.failures: list[tuple[str, AccountAccessError]] = []
        self._lock = threading.Lock()

    def __getitem__(self, account_id: str) -> Account:
        return self._accounts[account_id]

    def __contains__(self, account_id: object) -> bool:
        return account_id in self._accounts

    def __iter__(self) -> Iterator[Account]:
        return iter(list(self._accounts.values()))

    def register(self, account: Account) -> Account:
        """Keep `account` for its streams; AccountAccessError when its timezone is unknown,
        since its report dates could not be placed."""
        try:
            zone(account.timezone)
        except ValueError as error:
            raise AccountAccessError(
                account.id,
                f"account {account.id}: {error}; its report dates cannot be placed, so its "
                "streams were skipped",
            ) from None
        with self._lock:
            self._accounts[account.id] = account
        return account

    def fail(self, stream: str, error: AccountAccessError) -> None:
        with self._lock:
            self.failures.append((stream, error))

    def failure_summary(self) -> str | None:
        """One line naming every account that failed, or None when all were read."""
        if not self.failures:
            return None
        accounts = sorted({error.account_id for _, error in self.failures})
        details = "; ".join(
            f"{error.account_id} ({stream}): {error}" for stream, error in self.failures
        )
        return (
            f"{len(accounts)} account(s) could not be read and were skipped while the "
            f"others finished: {details}"
        )


class AccountsStreamMixin:
    """For the accounts stream: registers each account and hands its children the context."""

    _tap: AdsTap
    name: str

    def account_context(self, account: Account) -> dict | None:
        """The child context of `account`, or None (logged, the run fails at the end) when
        the account cannot be placed."""
        try:
            self._tap.accounts.register(account)
        except AccountAccessError as error:
            self._tap.record_account_failure(self.name, error)
            return None
        return {"account_id": account.id}


class PerAccountStream:
    """A mixin for any SDK `Stream` read per account (`{"account_id": ...}` contexts).

    Implement `get_account_records(context)`. Every record gets `account_id`,
    `account_currency` and `account_timezone`; an account that cannot be read
    (`AccountAccessError`) is reported to the tap and skipped, so the others finish.
    """

    state_partitioning_keys: t.ClassVar[list[str]] = ["account_id"]
    _tap: AdsTap
    name: str

    def account(self, context: t.Any) -> Account:
        """The account this context is about."""
        return self._tap.accounts[context["account_id"]]

    def saved_bookmark(self, context: t.Any) -> t.Any | None:
        """The bookmark a previous run left for this account; None on a first run.

        Unlike `get_starting_replication_key_value`, never the configured `start_date`:
        entity listings must not drop objects last modified before it.
        """
        state = self.get_context_state(context)  # type: ignore[attr-defined]
        if state.get("replication_key") != self.replication_key:  # type: ignore[attr-defined]
            return None
        return state.get("replication_key_value")

    def finished_slices(self, context: t.Any) -> set[str]:
        """Slices (report windows, jobs) an interrupted run of this account finished.

        They are kept in the account's state while its run is under way, so a run resumed
        from that state skips them, and removed when the account is done.
        """
        state = self.get_context_state(context)  # type: ignore[attr-defined]
        return set(state.get(FINISHED_SLICES) or ())

    def mark_slice_finished(self, context: t.Any, key: str) -> None:
        """Record that every row of slice `key` has been emitted."""
        state = self.get_context_state(context)  # type: ignore[attr-defined]
        state[FINISHED_SLICES] = sorted({*state.get(FINISHED_SLICES, ()), key})

    def forget_finished_slices(self, context: t.Any) -> None:
        """The account is done: the next run plans its slices anew."""
        self.get_context_state(context).pop(FINISHED_SLICES, None)  # type: ignore[attr-defined]

    def get_records(self, context: t.Any) -> Iterable[dict[str, t.Any]]:
        self._declare_order(context)
        try:
            yield from self.get_account_records(context)
        except AccountAccessError as error:
            self._tap.record_account_failure(self.name, error)

    def _declare_order(self, context: t.Any) -> None:
        """Say once per stream what its order means for resuming, instead of the SDK's
        warning per account that progress is not resumable: an account's bookmark moves
        when the account is done, and an interrupted run resumes after the accounts (and
        report slices) it finished. The SDK's own progress marker, seeded here, is what
        keeps the bookmark from moving earlier."""
        if self.is_sorted or not self.replication_key:  # type: ignore[attr-defined]
            return
        state = self.get_context_state(context)  # type: ignore[attr-defined]
        state.setdefault(PROGRESS_MARKERS, dict(UNSORTED_NOTE))
        if not getattr(self, "_order_declared", False):
            self._order_declared = True
            self.logger.info(  # type: ignore[attr-defined]
                "%s: rows are not in %s order, so each account's bookmark is saved when the "
                "account is done; an interrupted run resumes after the accounts and report "
                "slices it finished",
                self.name,
                self.replication_key,  # type: ignore[attr-defined]
            )

    def get_account_records(self, context: t.Any) -> Iterable[dict[str, t.Any]]:
        """The stream's records for one account (the context)."""
        yield from super().get_records(context)  # type: ignore[misc]

    def post_process(self, row: dict, context: t.Any = None) -> dict | None:
        row = super().post_process(row, context)  # type: ignore[misc]
        if row is None:
            return None
        account = self.account(context)
        row["account_id"] = account.id
        row["account_currency"] = account.currency
        row["account_timezone"] = account.timezone
        return row
