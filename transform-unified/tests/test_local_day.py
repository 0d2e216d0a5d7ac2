"""Account-local days as UTC instants across DST, and the estimated window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from singer_messages import campaign, insight, performance
from transform_unified.local_day import day_bounds_utc


def _hours(row: dict) -> float:
    start = datetime.fromisoformat(row["date_start_utc"])
    end = datetime.fromisoformat(row["date_end_utc"])
    return (end - start) / timedelta(hours=1)


@pytest.mark.parametrize(
    ("timezone", "day", "start", "end", "hours"),
    [
        # Spring forward: the day has 23 hours.
        (
            "America/Los_Angeles",
            "2025-03-09",
            "2025-03-09T08:00:00+00:00",
            "2025-03-10T07:00:00+00:00",
            23,
        ),
        # Fall back: 25 hours.
        (
            "America/Los_Angeles",
            "2025-11-02",
            "2025-11-02T07:00:00+00:00",
            "2025-11-03T08:00:00+00:00",
            25,
        ),
        (
            "America/Los_Angeles",
            "2025-06-15",
            "2025-06-15T07:00:00+00:00",
            "2025-06-16T07:00:00+00:00",
            24,
        ),
        # Far ahead of UTC: the local day starts the previous UTC day (NZDT, +13).
        (
            "Pacific/Auckland",
            "2025-01-15",
            "2025-01-14T11:00:00+00:00",
            "2025-01-15T11:00:00+00:00",
            24,
        ),
        # Auckland's DST ends on 2025-04-06 (+13 -> +12): 25 hours.
        (
            "Pacific/Auckland",
            "2025-04-06",
            "2025-04-05T11:00:00+00:00",
            "2025-04-06T12:00:00+00:00",
            25,
        ),
        (
            "Pacific/Auckland",
            "2025-09-28",
            "2025-09-27T12:00:00+00:00",
            "2025-09-28T11:00:00+00:00",
            23,
        ),
    ],
)
def test_day_bounds_in_utc(run_mapper, timezone, day, start, end, hours):
    row = run_mapper(
        performance(insight(day=day, timezone=timezone), with_campaigns=[campaign()])
    ).row()
    assert (row["date"], row["date_start_utc"], row["date_end_utc"]) == (day, start, end)
    assert _hours(row) == hours
    assert row["timezone"] == timezone


def test_midnight_skipped_by_dst_starts_the_day_at_the_transition():
    # Chile moved clocks from 00:00 to 01:00 on 2024-09-08.
    start, end = day_bounds_utc(date(2024, 9, 8), ZoneInfo("America/Santiago"))
    assert start == datetime(2024, 9, 8, 4, tzinfo=UTC)
    assert end - start == timedelta(hours=23)


def test_report_timestamp_format_is_read_as_local_date(run_mapper):
    row = run_mapper(
        performance(
            insight(day="2025-03-09 00:00:00", timezone="America/Los_Angeles"),
            with_campaigns=[campaign()],
        )
    ).row()
    assert row["date"] == "2025-03-09"


def test_unknown_timezone_leaves_instants_null(run_mapper):
    row = run_mapper(
        performance(insight(timezone="Mars/Olympus"), with_campaigns=[campaign()])
    ).row()
    assert (row["date_start_utc"], row["date_end_utc"]) == (None, None)
    assert row["timezone"] == "Mars/Olympus"


def test_recent_days_are_estimated_in_account_local_time(run_mapper):
    zone = ZoneInfo("Pacific/Auckland")
    today = datetime.now(UTC).astimezone(zone).date()
    days = [today - timedelta(days=n) for n in (0, 7, 8)]
    run = run_mapper(
        performance(
            *(insight(day=d.isoformat(), timezone="Pacific/Auckland") for d in days),
            with_campaigns=[campaign()],
        )
    )
    assert [row["is_estimated"] for row in run.rows()] == [True, True, False]


def test_estimated_days_setting_overrides_the_default(run_mapper):
    today = datetime.now(UTC).date()
    run = run_mapper(
        performance(
            insight(day=(today - timedelta(days=2)).isoformat()),
            insight(day=(today - timedelta(days=3)).isoformat()),
            with_campaigns=[campaign()],
        ),
        estimated_days={"tiktok": 2},
    )
    assert [row["is_estimated"] for row in run.rows()] == [True, False]


def test_fixed_offset_timezones_are_read_as_the_tap_reads_them(run_mapper):
    row = run_mapper(
        performance(insight(day="2025-03-10", timezone="UTC+08:00"), with_campaigns=[campaign()])
    ).row()
    assert row["date_start_utc"] == "2025-03-09T16:00:00+00:00"
    assert row["date_end_utc"] == "2025-03-10T16:00:00+00:00"
