"""Money stays exact end to end; derived metrics come from the row's sums."""

from __future__ import annotations

import logging
from decimal import Decimal
from fractions import Fraction

import pytest
from singer_messages import campaign, insight, performance
from transform_unified.numbers import exact_product, rounded_ratio, to_count, to_decimal


def test_amounts_pass_through_and_convert_without_float_error(run_mapper):
    run = run_mapper(
        performance(
            insight(day="2024-06-01", spend=Decimal("0.1"), currency="EUR"),
            insight(day="2024-06-02", spend=Decimal("0.2"), currency="EUR"),
            with_campaigns=[campaign()],
        ),
        fx_rates={"EUR": "3"},
    )
    rows = run.rows()
    assert sum(row["spend"] for row in rows) == Decimal("0.3")
    assert [row["spend_reporting"] for row in rows] == [Decimal("0.3"), Decimal("0.6")]
    # The written JSON holds the decimal digits, not a binary float's expansion.
    first = next(line for line in run.lines if '"2024-06-01"' in line)
    assert '"spend":0.1,' in first
    assert '"spend_reporting":0.3,' in first
    assert "0.30000000000000004" not in "".join(run.lines)


def test_large_amounts_keep_every_digit(run_mapper):
    spend = Decimal("12345678901234567890.12")
    run = run_mapper(
        performance(insight(spend=spend), with_campaigns=[campaign()]),
        fx_rates={"EUR": "0.9"},
    )
    row = run.row()
    assert row["spend"] == spend
    assert row["spend_reporting"] == spend  # USD account, USD reporting: rate 1
    assert row["budget"] == Decimal("250.00")


def test_derived_metrics_from_sums(run_mapper):
    row = run_mapper(
        performance(
            insight(
                spend=Decimal("14.68"),
                impressions=1079,
                clicks=12,
                total_purchase_value=Decimal("50.00"),
                ctr=Decimal("1.11"),  # TikTok's own percent: ignored
                cpc=Decimal("1.22"),
            ),
            with_campaigns=[campaign()],
        )
    ).row()
    assert row["ctr"] == Decimal("0.011121")  # 12/1079 = 0.0111214...
    assert row["cpc"] == Decimal("1.223333")  # 14.68/12
    assert row["cpm"] == Decimal("13.605190")  # 14680/1079 = 13.6051899...
    assert row["roas"] == Decimal("3.405995")  # 50/14.68 = 3.4059945...


def test_zero_denominators_give_null(run_mapper):
    row = run_mapper(
        performance(
            insight(spend=Decimal(0), impressions=0, clicks=0, total_purchase_value=Decimal(0)),
            with_campaigns=[campaign()],
        )
    ).row()
    assert (row["ctr"], row["cpc"], row["cpm"], row["roas"]) == (None, None, None, None)
    assert row["spend"] == 0
    assert row["impressions"] == 0


def test_missing_spend_stays_null_with_a_warning(run_mapper, caplog):
    caplog.set_level(logging.WARNING)
    row = run_mapper(
        performance(
            insight(day="2024-06-01", spend=None),
            insight(day="2024-06-02", spend="-"),
            with_campaigns=[campaign()],
        )
    ).rows()[0]
    assert row["spend"] is None
    assert (row["cpc"], row["cpm"], row["roas"], row["spend_reporting"]) == (None,) * 4
    assert row["ctr"] == Decimal("0.020000")  # clicks/impressions does not need spend
    warnings = [r.getMessage() for r in caplog.records if "without spend" in r.getMessage()]
    assert len(warnings) == 1


def test_string_metrics_and_not_available_markers(run_mapper):
    row = run_mapper(
        performance(
            insight(spend="14.68", impressions="1079", clicks="-", conversion="3"),
            with_campaigns=[campaign()],
        )
    ).row()
    assert row["spend"] == Decimal("14.68")
    assert row["impressions"] == 1079
    assert row["clicks"] is None
    assert row["cpc"] is None
    assert row["conversions"] == 3


def test_rounding_is_half_even_and_single():
    assert rounded_ratio(1, 8, 2) == Decimal("0.12")
    assert rounded_ratio(3, 8, 2) == Decimal("0.38")
    assert rounded_ratio(Decimal("2"), 3, 6) == Decimal("0.666667")
    assert rounded_ratio(1, 0, 6) is None
    assert rounded_ratio(None, 5, 6) is None
    assert str(rounded_ratio(0, 5, 6)) == "0.000000"


def test_exact_product_never_rounds():
    left = Decimal("98765432109876543210.987654321")
    right = Decimal("1.23456789012345678901")
    product = exact_product(left, right)
    assert Fraction(product) == Fraction(left) * Fraction(right)
    assert product == Decimal("121932631137021795225.95336074347340344322251181221")


@pytest.mark.parametrize("value", [True, "abc", "NaN", "Infinity", {"a": 1}])
def test_non_numbers_are_rejected(value):
    with pytest.raises(ValueError):
        to_decimal(value)


def test_counts_must_be_whole():
    assert to_count(Decimal("12.0")) == 12
    with pytest.raises(ValueError):
        to_count(Decimal("12.5"))
