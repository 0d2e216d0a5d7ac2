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


def meta_part(stream: str, spend: str, impressions: int, **fields: Any) -> dict:
    clicks = impressions // 10
    message = meta_insight(spend=Decimal(spend), impressions=impressions, clicks=clicks, **fields)
    message["stream"] = stream
    return message


def test_audience_rows_below_and_ad_set_and_ad_rows_sum_to_the_campaign(run_mapper):
    placement = "insights_audience_placement"
    keys = ["account_id", "campaign_id", "date_start"]
    levels = {
        "insights_adset": {**META_INSIGHT_PROPERTIES, "adset_id": {"type": "string"}},
        "insights": {**META_INSIGHT_PROPERTIES, "ad_id": {"type": "string"}},
        placement: META_INSIGHT_PROPERTIES,
        "insights_audience_gender": META_INSIGHT_PROPERTIES,
    }
    run = run_mapper(
        [
            *messages(meta_campaign(), meta_part("insights_campaign", "10.00", 100)),
            *(_schema(stream, properties, keys) for stream, properties in levels.items()),
            meta_part("insights_adset", "6.50", 60, adset_id="as1"),
            meta_part("insights_adset", "3.50", 40, adset_id="as2"),
            meta_part("insights", "6.50", 60, adset_id="as1", ad_id="ad1"),
            meta_part("insights", "3.50", 40, adset_id="as2", ad_id="ad2"),
            meta_part(
                placement, "5.00", 50, publisher_platform="facebook", platform_position="feed"
            ),
            meta_part(
                placement, "1.25", 10, publisher_platform="facebook", platform_position="story"
            ),
            meta_part(placement, "3.75", 40, publisher_platform="instagram"),
            meta_part("insights_audience_gender", "4.00", 30, gender="female"),
            meta_part("insights_audience_gender", "6.00", 70, gender="male"),
        ]
    )
    adsets = run.rows("unified_adset_performance")
    assert {(r["adset_id"], r["spend"]) for r in adsets} == {
        ("as1", Decimal("6.50")),
        ("as2", Decimal("3.50")),
    }
    ads = run.rows("unified_ad_performance")
    assert {(r["adset_id"], r["ad_id"], r["impressions"]) for r in ads} == {
        ("as1", "ad1", 60),
        ("as2", "ad2", 40),
    }
    rows = {
        (r["breakdown"], r["breakdown_value"]): (r["spend"], r["impressions"])
        for r in run.rows("unified_breakdown_performance")
    }
    assert rows == {
        ("placement", "FACEBOOK"): (Decimal("6.25"), 60),
        ("placement", "INSTAGRAM"): (Decimal("3.75"), 40),
        ("gender", "FEMALE"): (Decimal("4.00"), 30),
        ("gender", "MALE"): (Decimal("6.00"), 70),
    }
    summary = run.summary("meta", "act_9")
    assert summary["records_merged"] == 1
    assert "level_sums_disagree" not in {w["kind"] for w in summary["warnings"]}
