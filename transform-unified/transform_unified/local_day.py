"""An account-local report day as UTC instants, and whether its numbers are still moving."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from ads_kit.timezones import zone as account_zone


@lru_cache(maxsize=256)
def resolve_zone(name: str) -> tzinfo | None:
    """The account's zone, as the taps read it (an IANA name, or a fixed offset written
    `UTC+08:00` or `GMT-5`); None if it is neither."""
    try:
        return account_zone(name)
    except ValueError:
        return None


def local_midnight_utc(day: date, zone: tzinfo) -> datetime:
    """The UTC instant the local day `day` starts.

    fold=0 picks the first of two ambiguous midnights; a midnight skipped by a DST jump
    resolves to the transition instant, which is when that day really began.
    """
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def day_bounds_utc(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Start and end of the local day in UTC: 23 or 25 hours apart across DST changes."""
    return local_midnight_utc(day, zone), local_midnight_utc(day + timedelta(days=1), zone)


def local_today(now: datetime, zone: tzinfo | None) -> date:
    """The account's current date (UTC's when the zone is unknown)."""
    return now.astimezone(zone or UTC).date()


def is_estimated(day: date, today: date, estimated_days: int) -> bool:
    """True when `day` is at most `estimated_days` days before the account's today (and for
    today or later): the tap re-reads those days because conversions still arrive."""
    return (today - day).days <= estimated_days
