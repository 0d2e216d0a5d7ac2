"""The report plan: which dates of an account a report stream reads on this run.

The configured range (`start_date`/`end_date`, or `date_range`) in the account's timezone,
`lifetime` from the account's creation, on later runs the saved bookmark minus
`insights_lookback_days` (conversions arrive late), cut into windows of the platform's
maximum span. All dates are calendar dates in the account's own timezone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ads_kit.accounts import Account
from ads_kit.timezones import account_today


@dataclass(frozen=True)
class ReportPlan:
    """The dates one account's report reads in this run."""

    start: dt.date
    end: dt.date
    #: Why it starts where it does, for the log.
    reason: str

    @property
    def days(self) -> int:
        return max(0, (self.end - self.start).days + 1)

    def windows(self, max_days: int) -> list[tuple[dt.date, dt.date]]:
        """The plan cut into windows of at most `max_days` days, the most recent first: when
        a budget runs out part-way, today's and yesterday's numbers are the ones loaded."""
        return list(windows(self.start, self.end, max_days))[::-1]


def plan_report(
    config: Mapping[str, object],
    account: Account,
    bookmark: object | None,
    *,
    today: dt.date | None = None,
) -> ReportPlan:
    """The plan of one account: the configured range, or after a bookmark the lookback.

    `config["insights_lookback_days"]` is the tap's setting with its default applied.
    """
    today = today or account_today(account.timezone)
    start, end = configured_range(config, today)
    if start is None:  # lifetime
        start = parse_date(account.created) if account.created else today
        reason = "lifetime, from the account's creation"
    else:
        reason = "the configured range"
    if bookmark is not None:
        lookback = int(config["insights_lookback_days"])  # type: ignore[call-overload]
        resumed = incremental_start(start, bookmark, lookback)
        if resumed > start:
            reason = f"the bookmark {parse_date(bookmark)} minus {lookback} lookback day(s)"
        start = resumed
    return ReportPlan(start, end, reason)


def configured_range(
    config: Mapping[str, object], today: dt.date
) -> tuple[dt.date | None, dt.date]:
    """The (start, end) the settings ask for; start is None for `lifetime`.

    `date_range.type` takes precedence over `start_date`/`end_date`:
    `last_n_days` covers the N days before today and today itself.
    """
    date_range = config.get("date_range") or {}
    kind = date_range.get("type") if isinstance(date_range, Mapping) else None
    if kind == "last_n_days":
        return today - dt.timedelta(days=int(date_range["days"])), today
    if kind == "lifetime":
        return None, today
    source = date_range if kind == "custom" else config
    start = source.get("start_date")
    end = source.get("end_date")
    return (
        parse_date(start) if start else None,
        min(parse_date(end), today) if end else today,
    )


def parse_date(value: object) -> dt.date:
    """Accept `YYYY-MM-DD` or an ISO timestamp (its date part)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def incremental_start(
    configured_start: dt.date,
    bookmark: object | None,
    lookback_days: int,
) -> dt.date:
    """Where a report run starts: the configured start on the first run, else the bookmark
    minus the lookback (late conversions), never before the configured start."""
    if bookmark is None:
        return configured_start
    return max(configured_start, parse_date(bookmark) - dt.timedelta(days=lookback_days))


def windows(start: dt.date, end: dt.date, max_days: int) -> Iterator[tuple[dt.date, dt.date]]:
    """Split [start, end] (inclusive) into consecutive windows of at most `max_days` days."""
    step = dt.timedelta(days=max_days - 1)
    while start <= end:
        window_end = min(start + step, end)
        yield start, window_end
        start = window_end + dt.timedelta(days=1)
