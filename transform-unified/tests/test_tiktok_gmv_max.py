"""TikTok GMV Max (`gmv_max_campaigns`, `insights_gmv_max`): campaign rows with spend = cost,
conversions = orders, conversion value = gross revenue, no impressions or clicks (null), the
campaign's entity columns, and no level or anomaly warning for what TikTok reports apart."""

from __future__ import annotations

from decimal import Decimal

from singer_messages import campaign, insight, record, schema

ACCOUNT = {"account_id": "111", "account_currency": "USD", "account_timezone": "UTC"}


def gmv_max_campaign(campaign_id: str = "g1", **fields) -> dict:
    row = {
        "advertiser_id": "111",
        **ACCOUNT,
        "campaign_id": campaign_id,
        "campaign_name": f"GMV Max {campaign_id}",
        "objective_type": "PRODUCT_SALES",
        "operation_status": "ENABLE",
        "secondary_status": "CAMPAIGN_STATUS_ENABLE",
        "shopping_ads_type": "PRODUCT",
        "store_id": "7495609155379170274",
        "budget": Decimal("120.00"),
        **fields,
    }
    return record("gmv_max_campaigns", row)


def gmv_max_row(campaign_id: str = "g1", day: str = "2024-06-01", **metrics) -> dict:
    row = {
        "advertiser_id": "111",
        **ACCOUNT,
        "store_id": "7495609155379170274",
        "campaign_id": campaign_id,
        "stat_time_day": day,
        "campaign_name": f"GMV Max {campaign_id}",
        "cost": Decimal("61.52"),
        "net_cost": Decimal("61.52"),
        "orders": 4,
        "cost_per_order": Decimal("15.38"),
        "gross_revenue": Decimal("173.80"),
        "roi": Decimal("2.83"),
        **metrics,
    }
    return record("insights_gmv_max", row)


def account_row(spend: str) -> dict:
    row = {"advertiser_id": "111", **ACCOUNT, "stat_time_day": "2024-06-01"}
    row.update(spend=Decimal(spend), impressions=1000, clicks=20, conversion=2)
    row["total_purchase_value"] = Decimal("40.00")
    return record("insights_advertiser", row)


def test_gmv_max_rows_are_campaign_rows_and_the_levels_still_agree(run_mapper):
    run = run_mapper(
        [
            schema("campaigns"),
            campaign(),
            schema("gmv_max_campaigns"),
            gmv_max_campaign(),
            gmv_max_campaign("g2", secondary_status="CAMPAIGN_STATUS_DELETE"),
            schema("insights_advertiser", {"advertiser_id": {"type": "string"}}),
            account_row("10.00"),  # TikTok's account report leaves GMV Max out
            schema("insights_campaign"),
            insight(),
            schema("insights_gmv_max"),
            gmv_max_row(),
            gmv_max_row("g2", cost=Decimal("5.00"), orders=0, gross_revenue=Decimal("0")),
        ]
    )
    rows = {row["campaign_id"]: row for row in run.rows()}
    assert set(rows) == {"c1", "g1", "g2"}
    gmv = rows["g1"]
    assert (gmv["spend"], gmv["conversions"], gmv["conversion_value"]) == (
        Decimal("61.52"),
        4,
        Decimal("173.80"),
    )
    assert gmv["impressions"] is None and gmv["clicks"] is None
    assert gmv["ctr"] is None and gmv["cpm"] is None
    assert gmv["roas"] == Decimal("2.825098")  # from the sums, at the mapper's precision
    assert (gmv["campaign_name"], gmv["status"], gmv["objective"]) == (
        "GMV Max g1",
        "ACTIVE",
        "SALES",
    )
    assert (gmv["budget"], gmv["budget_period"]) == (Decimal("120.00"), "daily")
    assert rows["g2"]["status"] == "DELETED" and rows["g2"]["spend"] == Decimal("5.00")
    entities = {row["campaign_id"]: row for row in run.rows("unified_campaigns")}
    assert entities["g1"]["native_objective"] == "PRODUCT_SALES"
    summary = run.summary()
    assert summary["warnings"] == []  # no level disagreement, no "activity without impressions"
    assert summary["spend"] == Decimal("76.52")  # 10.00 + 61.52 + 5.00
    # CPM and CPC divide only the spend of rows with impressions and clicks (GMV Max has
    # none); ROAS and cost per conversion take every row's.
    assert (summary["cpm"], summary["cpc"], summary["ctr"]) == (
        Decimal("10.000000"),
        Decimal("0.500000"),
        Decimal("0.020000"),
    )
    assert summary["roas"] == Decimal("2.794041")  # 213.80 / 76.52
    assert summary["cost_per_conversion"] == Decimal("12.753333")  # 76.52 / 6
