"""Data-quality warnings: each named, counted per account in unified_run_summary and logged
as a warning; the rows themselves are written unchanged."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from singer_messages import campaign, insight, performance


def kinds(run) -> dict[str, int]:
    return {w["kind"]: w["count"] for w in run.summary()["warnings"]}


@pytest.mark.parametrize(
    ("metrics", "kind"),
    [
        ({"spend": Decimal("-1.00")}, "negative_spend"),
        ({"clicks": 2000}, "clicks_exceed_impressions"),
        ({"impressions": 0, "clicks": 0}, "activity_without_impressions"),
        ({"impressions": 0, "clicks": 0, "spend": 0}, "conversions_without_clicks"),
    ],
)
def test_anomalies_are_counted_and_the_row_is_kept(run_mapper, caplog, metrics, kind):
    caplog.set_level(logging.WARNING)
    run = run_mapper(performance(insight(**metrics), with_campaigns=[campaign()]))
    assert kinds(run)[kind] == 1
    assert len(run.rows()) == 1
    assert any(kind.replace("_", " ") in r.getMessage() for r in caplog.records)


def test_clean_rows_raise_no_anomaly(run_mapper):
    run = run_mapper(performance(insight(), with_campaigns=[campaign()]))
    assert kinds(run) == {}


def test_recent_days_are_estimated_and_old_extractions_stale(run_mapper):
    today = datetime.now(UTC).date()
    old = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    message = insight(day=today.isoformat())
    message["time_extracted"] = old
    run = run_mapper(performance(message, with_campaigns=[campaign()]))
    assert run.row()["is_estimated"] is True
    found = kinds(run)
    assert found["estimated_data"] == 1 and found["stale_data"] == 1
    fresh = run_mapper(performance(insight(day=today.isoformat()), with_campaigns=[campaign()]))
    assert "stale_data" not in kinds(fresh)


def test_missing_days_are_listed(run_mapper):
    run = run_mapper(
        performance(
            insight(day="2024-06-01"),
            insight(day="2024-06-04"),
            with_campaigns=[campaign()],
        )
    )
    (warning,) = [w for w in run.summary()["warnings"] if w["kind"] == "missing_days"]
    assert warning["count"] == 2
    assert "2024-06-02, 2024-06-03" in warning["message"]
