"""Report date ranges: configured ranges, lookback re-reads, and API-sized windows.

All dates are calendar dates in the account's own timezone.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET = re.compile(r"^(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?$")


@functools.cache
def zone(name: str) -> dt.tzinfo:
    """An account's timezone: an IANA name, or a fixed offset written `UTC+08:00`/`GMT-5`."""
    if name in ("UTC", "GMT"):
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        match = _OFFSET.match(name.strip())
        if not match:
            msg = f"unknown timezone {name!r}: expected an IANA name or an offset like UTC+08:00"
            raise ValueError(msg) from None
        sign, hours, minutes = match.groups()
        offset = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        return dt.timezone(-offset if sign == "-" else offset)


def account_today(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the account's timezone."""
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(zone(timezone)).date()


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
