"""TikTok's values as records carry them: metric strings as exact numbers (`"-"`, TikTok's
"not available", as null), report times with the account's offset, entity times in UTC."""

from __future__ import annotations

import datetime as dt
import decimal

from ads_kit.timezones import zone

from tap_tiktok_ads.report_catalog import DECIMAL, INTEGER, METRICS, MONEY, PERCENT, TEXT


def _missing(value: object) -> bool:
    return value is None or value == "-" or value == ""


def as_integer(value: object) -> int | None:
    if _missing(value):
        return None
    try:
        return int(value)  # type: ignore[call-overload]
    except ValueError:
        return int(decimal.Decimal(str(value)))


def as_decimal(value: object) -> decimal.Decimal | None:
    return None if _missing(value) else decimal.Decimal(str(value))


def as_text(value: object) -> str | None:
    return None if _missing(value) else str(value)


_CONVERTERS = {
    INTEGER: as_integer,
    MONEY: as_decimal,
    DECIMAL: as_decimal,
    PERCENT: as_decimal,
    TEXT: as_text,
}
#: Per metric, the function turning TikTok's string into the record's value.
CONVERTERS = {name: _CONVERTERS[metric.kind] for name, metric in METRICS.items()}


def local_day(value: str) -> str:
    """`stat_time_day` ("YYYY-MM-DD 00:00:00", account-local) as a date."""
    return value[:10]


def local_hour(value: str, timezone: str) -> str:
    """`stat_time_hour` (account-local, no offset) as ISO 8601 with the account's offset."""
    naive = dt.datetime.fromisoformat(value)
    return naive.replace(tzinfo=zone(timezone)).isoformat()


def utc_timestamp(value: str | None) -> str | None:
    """Entity times ("YYYY-MM-DD HH:MM:SS" or, for assets, ISO 8601; UTC) as ISO 8601."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC).isoformat()
