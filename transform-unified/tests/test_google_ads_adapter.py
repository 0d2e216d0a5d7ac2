"""tap-google-ads' streams in the unified schema: micros to the account currency (JPY
included), channel types and statuses in the unified vocabulary, native values kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from singer_messages import record

PROPERTIES = {
    "account_id": {"type": "string"},
    "campaign__id": {"type": "integer"},
    "segments__date": {"type": "string"},
}


def schema(stream: str) -> dict:
    return {
        "type": "SCHEMA",
        "stream": stream,
        "schema": {"type": "object", "properties": PROPERTIES},
        "key_properties": ["account_id", "campaign__id"],
    }


def campaign(**fields) -> dict:
    row = {
        "account_id": "1234567890",
        "campaign__id": 42,
        "campaign__name": "Brand",
        "campaign__status": "ENABLED",
        "campaign__advertising_channel_type": "SEARCH",
        "campaign_budget__amount_micros": 25_500_000,
        "campaign_budget__period": "DAILY",
        **fields,
    }
    return record("campaigns", row)


def report(currency: str = "USD", **metrics) -> dict:
    row = {
        "account_id": "1234567890",
        "account_currency": currency,
        "account_timezone": "Asia/Tokyo" if currency == "JPY" else "America/New_York",
        "campaign__id": 42,
        "segments__date": "2026-11-02",
        "metrics__cost_micros": 12_345_670_000,
        "metrics__impressions": 1000,
        "metrics__clicks": 20,
        "metrics__conversions": Decimal("2.5"),
        "metrics__conversions_value": Decimal("40.25"),
        **metrics,
    }
    return record("campaign_performance", row)


def messages(*records: dict, campaigns: tuple = ()) -> list[dict]:
    return [schema("campaigns"), *campaigns, schema("campaign_performance"), *records]


@pytest.mark.parametrize(
    ("currency", "micros", "spend"),
    [("USD", 12_345_670_000, Decimal("12345.67")), ("JPY", 1_234_000_000, Decimal("1234"))],
)
def test_cost_micros_become_the_account_currency(run_mapper, currency, micros, spend):
    row = run_mapper(
        messages(report(currency, metrics__cost_micros=micros), campaigns=(campaign(),))
    ).row()
    assert row["platform"] == "google_ads"
    assert (row["currency"], Decimal(row["spend"])) == (currency, spend)
    assert (row["impressions"], row["clicks"]) == (1000, 20)
    assert Decimal(row["conversions"]) == Decimal("2.5")
    assert Decimal(row["conversion_value"]) == Decimal("40.25")


@pytest.mark.parametrize(
    ("status", "channel", "unified_status", "objective"),
    [
        ("ENABLED", "SEARCH", "ACTIVE", "TRAFFIC"),
        ("PAUSED", "PERFORMANCE_MAX", "PAUSED", "SALES"),
        ("REMOVED", "VIDEO", "DELETED", "VIDEO_VIEWS"),
        ("ENABLED", "DISPLAY", "ACTIVE", "AWARENESS"),
        ("ENABLED", "SOMETHING_NEW", "ACTIVE", "OTHER"),
    ],
)
def test_status_and_channel_vocabulary(run_mapper, status, channel, unified_status, objective):
    row = run_mapper(
        messages(
            report(),
            campaigns=(
                campaign(campaign__status=status, campaign__advertising_channel_type=channel),
            ),
        )
    ).row()
    assert (row["status"], row["native_status"]) == (unified_status, status)
    assert (row["objective"], row["native_objective"]) == (objective, channel)
    assert Decimal(row["budget"]) == Decimal("25.5")


def breakdown_report(stream: str, field: str, value, ad_group: int, impressions: int) -> dict:
    message = report(
        metrics__impressions=impressions,
        metrics__clicks=impressions // 10,
        metrics__cost_micros=impressions * 10_000,
    )
    message["stream"] = stream
    message["record"].update({"ad_group__id": ad_group, field: value})
    return message


def test_age_gender_and_country_rows_sum_into_the_campaigns_breakdown_rows(run_mapper):
    age, gender = "ad_group_criterion__age_range__type", "ad_group_criterion__gender__type"
    country = "geographic_view__country_criterion_id"
    parts = [
        ("ad_group_performance_age", age, "AGE_RANGE_25_34", 1, 300),
        ("ad_group_performance_age", age, "AGE_RANGE_25_34", 2, 200),  # another ad group
        ("ad_group_performance_age", age, "AGE_RANGE_65_UP", 1, 500),
        ("ad_group_performance_gender", gender, "FEMALE", 1, 600),
        ("ad_group_performance_gender", gender, "MALE", 2, 400),
        ("geo_performance", country, 2840, 0, 700),  # a location of presence ...
        ("geo_performance", country, 2840, 0, 100),  # ... and an area of interest
        ("geo_performance", country, 2392, 0, 200),
    ]
    streams = sorted({stream for stream, *_ in parts})
    run = run_mapper(
        [
            schema("campaigns"),
            campaign(),
            schema("campaign_performance"),
            report(metrics__impressions=1000, metrics__clicks=100, metrics__cost_micros=10_000_000),
            *(schema(stream) for stream in streams),
            *(breakdown_report(*part) for part in parts),
        ]
    )
    rows = {
        (row["breakdown"], row["breakdown_value"]): row
        for row in run.rows("unified_breakdown_performance")
    }
    assert {key: row["impressions"] for key, row in rows.items()} == {
        ("age", "25-34"): 500,
        ("age", "65+"): 500,
        ("gender", "FEMALE"): 600,
        ("gender", "MALE"): 400,
        ("country", "US"): 800,
        ("country", "JP"): 200,
    }
    assert rows[("country", "US")]["native_breakdown_value"] == "2840"
    assert Decimal(rows[("age", "25-34")]["spend"]) == Decimal("5")
    summary = run.summary("google_ads", "1234567890")
    assert summary["records_merged"] == 2  # one more ad group, one more location type
    kinds = {w["kind"] for w in summary["warnings"]}
    assert not kinds & {"level_sums_disagree", "unmapped_breakdown_value"}


def test_an_unknown_geo_target_is_other_with_a_warning(run_mapper):
    country = "geographic_view__country_criterion_id"
    run = run_mapper(
        [schema("geo_performance"), breakdown_report("geo_performance", country, 1023191, 0, 5)]
    )
    (row,) = run.rows("unified_breakdown_performance")
    assert (row["breakdown_value"], row["native_breakdown_value"]) == ("OTHER", "1023191")
    assert "unmapped_breakdown_value" in {
        w["kind"] for w in run.summary("google_ads", "1234567890")["warnings"]
    }
