"""Property: at every level the ratios equal their definitions computed from the summed base
metrics, rounded once, and a zero denominator gives null, never an error."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from singer_messages import campaign, insight, record, schema

PLACES = Decimal("0.000001")
money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
counts = st.integers(min_value=0, max_value=10**9)
part = st.tuples(money, counts, counts, st.decimals(0, 10**6, places=0), money)


def expected(numerator, denominator, scale=1):
    if not denominator:
        return None
    exact = Fraction(numerator) * scale / Fraction(denominator)
    return Decimal(round(exact * 10**6)).scaleb(-6)


# The mapper fixture is reused across examples on purpose: one entity cache, one capture.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(part, min_size=1, max_size=6))
def test_breakdown_ratios_are_their_definitions_from_sums(run_mapper, parts):
    # Every part is a native device value of the same unified MOBILE row.
    natives = ["ANDROID", "IPHONE"]
    messages = [schema("campaigns"), campaign(), schema("insights_audience_device")]
    for number, (spend, impressions, clicks, conversions, value) in enumerate(parts):
        row = insight(
            day=f"2024-06-{number + 1:02}" if number >= 2 else "2024-06-01",
            spend=spend,
            impressions=impressions,
            clicks=clicks,
            conversion=conversions,
            total_purchase_value=value,
        )["record"]
        row["platform"] = natives[number % 2]
        messages.append(record("insights_audience_device", row))
    rows = run_mapper(messages).rows("unified_breakdown_performance")
    assert sum(row["spend"] for row in rows) == sum(p[0] for p in parts)
    for row in rows:
        spend, impressions, clicks = row["spend"], row["impressions"], row["clicks"]
        assert row["ctr"] == expected(clicks, impressions)
        assert row["cpc"] == expected(spend, clicks)
        assert row["cpm"] == expected(spend, impressions, 1000)
        assert row["roas"] == expected(row["conversion_value"], spend)
        assert row["cost_per_conversion"] == expected(spend, row["conversions"])


# The mapper fixture is reused across examples on purpose: one entity cache, one capture.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spend=money, impressions=counts, clicks=counts, conversions=counts, value=money)
def test_campaign_ratios_never_divide_by_zero(
    run_mapper, spend, impressions, clicks, conversions, value
):
    row = run_mapper(
        [
            schema("insights_campaign"),
            insight(
                spend=spend,
                impressions=impressions,
                clicks=clicks,
                conversion=conversions,
                total_purchase_value=value,
            ),
        ]
    ).row()
    assert row["ctr"] == expected(clicks, impressions)
    assert row["cpm"] == expected(spend, impressions, 1000)
    assert row["cpc"] == expected(spend, clicks)
    assert row["roas"] == expected(value, spend)
    assert row["cost_per_conversion"] == expected(spend, conversions)
    for name in ("ctr", "cpc", "cpm", "roas", "cost_per_conversion"):
        assert row[name] is None or row[name] == row[name].quantize(PLACES)
