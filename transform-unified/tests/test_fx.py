"""Conversion into the reporting currency: constant, dated, identity and missing rates."""

from __future__ import annotations

import logging
from decimal import Decimal

from singer_messages import campaign, insight, performance


def test_dated_rates_use_the_latest_on_or_before_the_row_date(run_mapper, caplog):
    caplog.set_level(logging.WARNING)
    run = run_mapper(
        performance(
            insight(day="2024-12-31", currency="EUR"),
            insight(day="2025-01-01", currency="EUR"),
            insight(day="2025-01-31", currency="EUR"),
            insight(day="2025-02-01", currency="EUR"),
            with_campaigns=[campaign()],
        ),
        fx_rates={"EUR": {"2025-02-01": "1.04", "2025-01-01": Decimal("1.0825")}},
    )
    by_day = {row["date"]: row for row in run.rows()}

    early = by_day["2024-12-31"]
    assert early["fx_rate"] is None
    assert early["fx_rate_date"] is None
    assert early["spend_reporting"] is None
    assert early["conversion_value_reporting"] is None
    assert early["spend"] == Decimal("10.00")

    assert by_day["2025-01-01"]["fx_rate"] == Decimal("1.0825")
    assert by_day["2025-01-31"]["fx_rate_date"] == "2025-01-01"
    assert by_day["2025-01-31"]["spend_reporting"] == Decimal("10.825")
    assert by_day["2025-01-31"]["conversion_value_reporting"] == Decimal("43.30")
    assert by_day["2025-02-01"]["fx_rate"] == Decimal("1.04")
    assert by_day["2025-02-01"]["fx_rate_date"] == "2025-02-01"
    assert {row["reporting_currency"] for row in run.rows()} == {"USD"}
    assert {row["currency"] for row in run.rows()} == {"EUR"}


def test_missing_rate_warns_once_per_currency(run_mapper, caplog):
    caplog.set_level(logging.WARNING)
    run = run_mapper(
        performance(
            insight(day="2025-01-01", currency="GBP"),
            insight(day="2025-01-02", currency="GBP"),
            insight(day="2025-01-02", currency="CHF", account_id="222"),
            with_campaigns=[campaign(), campaign(account_id="222")],
        ),
    )
    assert [row["spend_reporting"] for row in run.rows()] == [None, None, None]
    missing = [r.getMessage() for r in caplog.records if "no fx_rates entry" in r.getMessage()]
    assert len(missing) == 2
    assert any("GBP" in m for m in missing) and any("CHF" in m for m in missing)


def test_reporting_currency_converts_at_one(run_mapper):
    row = run_mapper(
        performance(insight(currency="EUR"), with_campaigns=[campaign()]),
        reporting_currency="EUR",
    ).row()
    assert row["fx_rate"] == 1
    assert row["fx_rate_date"] is None
    assert row["spend_reporting"] == Decimal("10.00")


def test_constant_rate_has_no_rate_date(run_mapper):
    row = run_mapper(
        performance(insight(currency="EUR"), with_campaigns=[campaign()]),
        fx_rates={"EUR": "1.1"},
    ).row()
    assert row["fx_rate"] == Decimal("1.1")
    assert row["fx_rate_date"] is None
    assert row["spend_reporting"] == Decimal("11.000")


def test_yen_amounts_have_no_minor_units_and_convert_exactly(run_mapper):
    row = run_mapper(
        performance(
            insight(
                currency="JPY",
                timezone="Asia/Tokyo",
                spend=1468,
                clicks=12,
                impressions=1079,
                total_purchase_value=5000,
            ),
            with_campaigns=[campaign(budget=30000)],
        ),
        fx_rates={"JPY": "0.0067"},
    ).row()
    assert row["spend"] == 1468
    assert row["budget"] == 30000
    assert row["spend_reporting"] == Decimal("9.8356")
    assert row["conversion_value_reporting"] == Decimal("33.5")
    assert row["cpc"] == Decimal("122.333333")
    assert row["cpm"] == Decimal("1360.518999")  # 1468000/1079 = 1360.5189990...
    assert row["currency"] == "JPY"
