"""Account timezones, the one resolver the taps and the mapper share.

Platforms name an account's timezone by IANA name (`America/Los_Angeles`) or, on some
accounts, by a fixed offset (`UTC+08:00`, `GMT-5`); both resolve here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET = re.compile(r"^(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?$")


@functools.cache
def zone(name: str) -> dt.tzinfo:
    """An account's timezone: an IANA name, or a fixed offset written `UTC+08:00`/`GMT-5`.

    Raises ValueError naming the value when it is neither.
    """
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
