"""Hourly campaign rows re-bucketed into the days of `reporting_timezone`."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from singer_messages import SUMMARY, campaign, insight, schema
from singer_sdk.exceptions import ConfigValidationError
from transform_unified.mapper import TransformUnified

STREAM = "insights_campaign_hourly"
DAYS = "unified_campaign_reporting_day"
LA = ZoneInfo("America/Los_Angeles")


def hours(first: datetime, count: int, **metrics) -> list[dict]:
    rows = []
    for n in range(count):
        message = insight(timezone="America/Los_Angeles", currency="EUR", **metrics)
        message["stream"] = STREAM
        record = message["record"]
        del record["stat_time_day"]
        record["stat_time_hour"] = (first + timedelta(hours=n)).isoformat()
        rows.append(message)
    return rows


def test_hours_move_to_the_reporting_days(run_mapper):
    local_midnight = datetime(2024, 11, 10, tzinfo=LA)  # 08:00 UTC
    run = run_mapper(
        [
            schema("campaigns"),
            campaign(),
            schema(STREAM),
            *hours(local_midnight, 24, spend=Decimal("1.01"), impressions=10, clicks=1),
        ],
        reporting_timezone="UTC",
        fx_rates={"EUR": "2"},
    )
    days = {row["date"]: row for row in run.rows(DAYS)}
    assert set(days) == {"2024-11-10", "2024-11-11"}
    first, second = days["2024-11-10"], days["2024-11-11"]
    assert (first["hours"], second["hours"]) == (16, 8)
    assert first["spend"] == Decimal("16.16") and second["spend"] == Decimal("8.08")
    assert first["spend_reporting"] == Decimal("32.3200")
    assert first["ctr"] == Decimal("0.100000")
    assert (first["timezone"], first["account_timezone"]) == ("UTC", "America/Los_Angeles")
    assert first["date_start_utc"] == "2024-11-10T00:00:00+00:00"
    assert first["is_complete_day"] is False
    summary = run.summary()
    assert summary["records_in"] == summary["rows_out"] + summary["records_merged"] == 25


def test_a_complete_day_spanning_two_local_dates_and_their_rates(run_mapper):
    start = datetime(2024, 11, 9, 16, tzinfo=LA)  # 2024-11-10 00:00 UTC
    run = run_mapper(
        [schema(STREAM), *hours(start, 24, spend=Decimal("1.00"))],
        reporting_timezone="UTC",
        fx_rates={"EUR": {"2024-11-01": "1.5", "2024-11-10": "2"}},
    )
    (day,) = run.rows(DAYS)
    assert day["hours"] == 24 and day["is_complete_day"] is True
    # 8 hours of 2024-11-09 at 1.5, 16 hours of 2024-11-10 at 2.
    assert day["spend_reporting"] == Decimal("44.000")
    assert (day["fx_rate"], day["fx_rate_date"]) == (None, None)


def test_fixed_offset_reporting_zone(run_mapper):
    start = datetime(2024, 11, 10, tzinfo=LA)
    run = run_mapper([schema(STREAM), *hours(start, 1)], reporting_timezone="UTC+05:30")
    (day,) = run.rows(DAYS)
    assert day["date"] == "2024-11-10" and day["date_start_utc"] == "2024-11-09T18:30:00+00:00"


def test_without_reporting_timezone_hourly_rows_are_not_unified(run_mapper):
    run = run_mapper([schema(STREAM), *hours(datetime(2024, 11, 10, tzinfo=LA), 2)])
    assert run.rows(DAYS) == []
    (everything,) = [r for r in run.rows(SUMMARY) if r["platform"] == "*"]
    assert everything["records_not_unified"] == 2


def test_an_unknown_reporting_timezone_fails_at_start():
    with pytest.raises(ConfigValidationError) as raised:
        TransformUnified(config={"reporting_timezone": "Mars/Olympus"})
    assert raised.value.errors[0].startswith("reporting_timezone: 'Mars/Olympus'")
