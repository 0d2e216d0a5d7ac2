"""`unified_campaign_reporting_day`: hourly campaign rows re-bucketed into the days of one
`reporting_timezone`, so platforms and accounts in different time zones line up on the same
days. Each hour keeps the amounts (and FX rate) of its account-local date; a day is summed
exactly from its hours and its ratios recomputed. `hours` says how many hours the day got,
`is_complete_day` whether that is all of them (the first and last days of a run are partial,
and a DST day has 23 or 25)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from transform_unified.breakdown_rows import SUMMED, add_amounts
from transform_unified.derived_metrics import ratios_of

CONVERTED = ("spend_reporting", "conversion_value_reporting")


class ReportingDays:
    def __init__(self, zone: tzinfo, name: str) -> None:
        self.zone, self.name = zone, name
        self._rows: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self._hours: dict[tuple[str, str, str, str], set[datetime]] = {}

    @property
    def pending(self) -> bool:
        return bool(self._rows)

    def add(self, row: dict[str, Any], hour_start: datetime) -> bool:
        """Take one hourly row; False when it was summed into its day's row."""
        day = hour_start.astimezone(self.zone).date()
        key = (row["platform"], row["account_id"], row["campaign_id"], day.isoformat())
        self._hours.setdefault(key, set()).add(hour_start.astimezone(UTC))
        earlier = self._rows.get(key)
        if earlier is None:
            start = datetime.combine(day, time(0), tzinfo=self.zone).astimezone(UTC)
            end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
            self._rows[key] = {
                **row,
                "date": day.isoformat(),
                "account_timezone": row["timezone"],
                "timezone": self.name,
                "date_start_utc": start.isoformat(),
                "date_end_utc": end.astimezone(UTC).isoformat(),
                # One rate per hour's local date: a day can span two; say so by leaving
                # the single-rate columns empty then.
                "fx_rates_used": {row["fx_rate_date"] or "": row["fx_rate"]},
            }
            return True
        for name in SUMMED:
            earlier[name] = add_amounts(earlier[name], row[name])
        for name, source in zip(CONVERTED, ("spend", "conversion_value"), strict=True):
            if earlier[name] is None and earlier[source] is not None:
                continue
            if row[name] is None and row[source] is not None:
                earlier[name] = None
            else:
                earlier[name] = add_amounts(earlier[name], row[name])
        earlier["fx_rates_used"][row["fx_rate_date"] or ""] = row["fx_rate"]
        earlier["is_estimated"] = earlier["is_estimated"] or row["is_estimated"]
        return False

    def drain(self) -> Iterator[dict[str, Any]]:
        for key, row in self._rows.items():
            start = datetime.fromisoformat(row["date_start_utc"])
            end = datetime.fromisoformat(row["date_end_utc"])
            hours = len(self._hours[key])
            rates = row.pop("fx_rates_used")
            single = len(rates) == 1
            yield {
                **row,
                **ratios_of(row),
                "fx_rate": row["fx_rate"] if single else None,
                "fx_rate_date": row["fx_rate_date"] if single else None,
                "hours": hours,
                "is_complete_day": hours == round((end - start) / timedelta(hours=1)),
            }
        self._rows.clear()
        self._hours.clear()
