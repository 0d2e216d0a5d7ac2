"""tap-meta-ads streams in the unified schema: numbers, vocabulary, budgets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from singer_messages import UNIFIED, record

META_CAMPAIGN_PROPERTIES = {
    "id": {"type": "string"},
    "account_id": {"type": "string"},
    "effective_status": {"type": "string"},
}
META_INSIGHT_PROPERTIES = {
    "account_id": {"type": "string"},
    "campaign_id": {"type": "string"},
    "date_start": {"type": "string"},
}


def _schema(stream: str, properties: dict, keys: list[str]) -> dict:
    return {
        "type": "SCHEMA",
        "stream": stream,
        "schema": {"type": "object", "properties": properties},
        "key_properties": keys,
    }


def meta_campaign(currency: str = "USD", **fields: Any) -> dict:
    return record(
        "campaigns",
        {
            "id": "2385",
            "account_id": "act_9",
            "account_currency": currency,
            "account_timezone": "Asia/Tokyo",
            "name": "Spring Sale",
            "objective": "OUTCOME_SALES",
            "status": "ACTIVE",
            "effective_status": "ACTIVE",
            "daily_budget": 12345,
            **fields,
        },
    )


def meta_insight(currency: str = "USD", **fields: Any) -> dict:
    return record(
        "insights_campaign",
        {
            "account_id": "act_9",
            "account_currency": currency,
            "account_timezone": "Asia/Tokyo",
            "campaign_id": "2385",
            "campaign_name": "Spring Sale",
            "objective": "OUTCOME_SALES",
            "date_start": "2026-11-20",
            "date_stop": "2026-11-20",
            "spend": Decimal("110.91"),
            "impressions": 10972,
            "clicks": 115,
            "event_conversions": 4,
            "event_conversion_value": Decimal("247.04"),
            **fields,
        },
    )


def messages(campaign: dict, insight: dict) -> list[dict]:
    return [
        _schema("campaigns", META_CAMPAIGN_PROPERTIES, ["id"]),
        campaign,
        _schema(
            "insights_campaign",
            META_INSIGHT_PROPERTIES,
            ["account_id", "campaign_id", "date_start"],
        ),
        insight,
    ]


def test_a_meta_campaign_day_becomes_a_unified_row(run_mapper):
    row = run_mapper(messages(meta_campaign(), meta_insight())).row()
    assert row["platform"] == "meta" and row["account_id"] == "act_9"
    assert row["date"] == "2026-11-20" and row["currency"] == "USD"
    assert (row["spend"], row["impressions"], row["clicks"]) == (Decimal("110.91"), 10972, 115)
    assert (row["conversions"], row["conversion_value"]) == (4, Decimal("247.04"))
    assert (row["status"], row["native_status"]) == ("ACTIVE", "ACTIVE")
    assert (row["objective"], row["native_objective"]) == ("SALES", "OUTCOME_SALES")
    assert row["budget"] == Decimal("123.45")


def test_budgets_of_whole_unit_currencies_are_not_divided(run_mapper):
    rows = run_mapper(messages(meta_campaign("JPY"), meta_insight("JPY"))).rows(UNIFIED)
    assert rows[0]["budget"] == 12345


@pytest.mark.parametrize(
    ("status", "objective", "unified"),
    [
        ("PAUSED", "OUTCOME_TRAFFIC", ("PAUSED", "TRAFFIC")),
        ("DELETED", "OUTCOME_AWARENESS", ("DELETED", "AWARENESS")),
        ("ARCHIVED", "LINK_CLICKS", ("ARCHIVED", "TRAFFIC")),
        ("ACTIVE", "VIDEO_VIEWS", ("ACTIVE", "VIDEO_VIEWS")),
        ("ACTIVE", "OUTCOME_SOMETHING_NEW", ("ACTIVE", "OTHER")),
    ],
)
def test_vocabulary_keeps_the_native_values(run_mapper, status, objective, unified):
    campaign = meta_campaign(status=status, objective=objective)
    row = run_mapper(messages(campaign, meta_insight(objective=objective))).row()
    assert (row["status"], row["objective"]) == unified
    assert (row["native_status"], row["native_objective"]) == (status, objective)
