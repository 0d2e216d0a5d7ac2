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
