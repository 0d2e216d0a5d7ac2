"""Insights date parameters: `time_range`, `time_ranges`, `date_preset`, `time_increment`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ads_sandbox.meta import catalog
from ads_sandbox.meta.errors import GraphError, invalid
from ads_sandbox.meta.params import json_param

RETENTION_MONTHS = 37
REACH_BREAKDOWN_MONTHS = 13


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def preset_range(preset: str, today: date) -> tuple[date, date]:
    yesterday = today - timedelta(days=1)
    if preset == "today":
        return today, today
    if preset == "yesterday":
        return yesterday, yesterday
    if preset.startswith("last_") and preset.endswith("d") and preset[5:-1].isdigit():
        return today - timedelta(days=int(preset[5:-1])), yesterday
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "this_quarter":
        return _quarter_start(today), today
    if preset == "last_quarter":
        end = _quarter_start(today) - timedelta(days=1)
        return _quarter_start(end), end
    if preset == "this_year":
        return date(today.year, 1, 1), today
    if preset == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if preset in ("maximum", "data_maximum"):
        return months_before(today, RETENTION_MONTHS) + timedelta(days=1), today
    if preset in ("last_week_mon_sun", "last_week_sun_sat"):
        shift = 0 if preset.endswith("mon_sun") else 1
        start = today - timedelta(days=(today.weekday() + shift) % 7 + 7)
        return start, start + timedelta(days=6)
    if preset in ("this_week_mon_today", "this_week_sun_today"):
        shift = 0 if preset.endswith("mon_today") else 1
        return today - timedelta(days=(today.weekday() + shift) % 7), today
    allowed = ", ".join(sorted(catalog.DATE_PRESETS))
    raise invalid(f"(#100) date_preset must be one of the following values: {allowed}")


def _one_range(value: Any, name: str) -> tuple[date, date]:
    if not isinstance(value, dict) or "since" not in value or "until" not in value:
        raise invalid(f"(#100) {name} must be an object with since and until")
    try:
        since, until = date.fromisoformat(value["since"]), date.fromisoformat(value["until"])
    except (TypeError, ValueError):
        raise invalid(f"(#100) {name}: since and until must be dates as YYYY-MM-DD") from None
    if since > until:
        raise invalid(f"(#100) {name}: since must be on or before until")
    return since, until


def time_ranges(params: Mapping[str, str], today: date) -> list[tuple[date, date]]:
    ranges = json_param(params, "time_ranges")
    if ranges is not None:
        if not isinstance(ranges, list) or not ranges:
            raise invalid("(#100) time_ranges must be a non-empty array")
        chosen = [_one_range(r, "time_ranges") for r in ranges]
    elif params.get("time_range"):
        chosen = [_one_range(json_param(params, "time_range"), "time_range")]
    else:
        chosen = [preset_range(params.get("date_preset") or "last_30d", today)]
    floor = months_before(today, RETENTION_MONTHS)
    for since, _ in chosen:
        if since < floor:
            raise GraphError(
                3018,
                "(#3018) The start date of the time range cannot be beyond 37 months from the "
                "current date",
                user_title="Invalid Time Range",
                user_msg=f"The start date of the time range must be on or after {floor}.",
            )
    return [(since, min(until, today)) for since, until in chosen if since <= today]


def time_increment(params: Mapping[str, str]) -> int | str:
    raw = params.get("time_increment")
    if raw in (None, "", "all_days"):
        return "all_days"
    if raw == "monthly":
        return "monthly"
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= 90:
        raise invalid("(#100) time_increment must be an integer from 1 to 90, monthly or all_days")
    return value
