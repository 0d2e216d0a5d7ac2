"""TikTok Upgraded Smart+ campaigns (`smart_plus_campaigns`): their report rows get the
campaign's real status, objective and budget, with no unknown-campaign warning."""

from __future__ import annotations

from decimal import Decimal

from singer_messages import campaign, insight, record, schema


def smart_plus_campaign(campaign_id: str = "s1", **fields) -> dict:
    row = campaign(campaign_id, **fields)["record"]
    row.pop("advertiser_id")  # `smart_plus/campaign/get` does not name it; the tap adds account_id
    row.update(campaign_name=f"Upgraded Smart+ {campaign_id}", budget_mode="BUDGET_MODE_TOTAL")
    return record("smart_plus_campaigns", row)


def test_smart_plus_campaigns_are_known_campaigns(run_mapper):
    run = run_mapper(
        [
            schema("campaigns"),
            campaign(),
            schema("smart_plus_campaigns"),
            smart_plus_campaign(budget=Decimal("900.00")),
            smart_plus_campaign(
                "s2",
                secondary_status="CAMPAIGN_STATUS_DISABLE",
                operation_status="DISABLE",
                objective_type="APP_PROMOTION",
            ),
            schema("insights_campaign"),
            insight(),
            insight(campaign_id="s1", spend=Decimal("7.25")),
            insight(campaign_id="s2", spend=Decimal("0.75")),
        ]
    )
    rows = {row["campaign_id"]: row for row in run.rows()}
    assert set(rows) == {"c1", "s1", "s2"}
    smart = rows["s1"]
    assert (smart["campaign_name"], smart["status"], smart["objective"]) == (
        "Upgraded Smart+ s1",
        "ACTIVE",
        "SALES",
    )
    assert (smart["budget"], smart["budget_period"]) == (Decimal("900.00"), "lifetime")
    assert smart["native_objective"] == "WEB_CONVERSIONS" and smart["spend"] == Decimal("7.25")
    assert (rows["s2"]["status"], rows["s2"]["objective"]) == ("PAUSED", "APP_PROMOTION")
    entities = {row["campaign_id"]: row for row in run.rows("unified_campaigns")}
    assert set(entities) == {"c1", "s1", "s2"}
    summary = run.summary()
    assert not [w for w in summary["warnings"] if "unknown" in str(w).lower()]
    assert summary["spend"] == Decimal("18.00")
