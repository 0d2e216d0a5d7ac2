"""Property: at every level the ratios equal their definitions computed from the summed base
metrics, rounded once, and a zero denominator gives null, never an error."""

from __future__ import annotations

from decimal import Context, Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from singer_messages import campaign, insight, record, schema
from transform_unified.derived_metrics import RATIO_TERMS, RatioSums, derive_metrics, ratios_of
from transform_unified.numbers import rounded_ratio

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


def exactly(numerator, denominator, scale):
    """The definition, rounded half-even once to 6 places, at any length."""
    if not denominator:
        return None
    units = round(Fraction(numerator) * scale * 10**6 / Fraction(denominator))
    return Context(prec=200).scaleb(Decimal(units), -6)


amounts = st.one_of(
    st.none(),
    st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False),
    st.decimals(min_value=0, max_value=10**60, places=0, allow_nan=False),
)
whole = st.one_of(st.none(), st.integers(min_value=-5, max_value=10**12))


@settings(max_examples=300, deadline=None)
@given(spend=amounts, impressions=whole, clicks=whole, value=amounts, conversions=amounts)
def test_the_quick_path_is_the_exact_definition(spend, impressions, clicks, value, conversions):
    metrics = derive_metrics(
        spend=spend,
        impressions=impressions,
        clicks=clicks,
        conversion_value=value,
        conversions=conversions,
    )
    assert metrics == (
        rounded_ratio(clicks, impressions, 6),
        rounded_ratio(spend, clicks, 6),
        rounded_ratio(spend, impressions, 6, scale_digits=3),
        rounded_ratio(value, spend, 6),
        rounded_ratio(spend, conversions, 6),
    )
    assert all(ratio is None or not ratio.is_signed() or ratio for ratio in metrics)  # no -0
    for ratio, (top, bottom, scale) in zip(
        metrics,
        [
            (clicks, impressions, 1),
            (spend, clicks, 1),
            (spend, impressions, 1000),
            (value, spend, 1),
            (spend, conversions, 1),
        ],
        strict=True,
    ):
        assert ratio == (None if top is None else exactly(top, bottom, scale))


row_values = st.fixed_dictionaries(
    {
        "spend": st.one_of(st.none(), money),
        "impressions": st.one_of(st.none(), counts),
        "clicks": st.one_of(st.none(), counts),
        "conversions": st.one_of(st.none(), st.decimals(0, 10**6, places=0)),
        "conversion_value": st.one_of(st.none(), money),
    }
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(row_values, min_size=1, max_size=8))
def test_summed_ratios_count_each_side_only_over_rows_with_both(rows):
    sums = RatioSums()
    for row in rows:
        sums.add(row)
    ratios = sums.ratios()
    for name, (top, bottom, _) in RATIO_TERMS.items():
        both = [row for row in rows if row[top] is not None and row[bottom] is not None]
        numerator = sum(row[top] for row in both)
        denominator = sum(row[bottom] for row in both)
        scale = 1000 if name == "cpm" else 1
        assert ratios[name] == (exactly(numerator, denominator, scale) if both else None), name
    if all(value is not None for row in rows for value in row.values()):
        # Nothing missing: the ratios of the plain sums.
        plain = {name: sum(row[name] for row in rows) for name in rows[0]}
        assert ratios == ratios_of(plain)
