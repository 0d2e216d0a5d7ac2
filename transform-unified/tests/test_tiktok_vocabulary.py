"""TikTok's native statuses and objectives in the unified vocabulary."""

from __future__ import annotations

import pytest
from singer_messages import campaign, insight, performance


@pytest.mark.parametrize(
    ("operation_status", "secondary_status", "status", "native_status"),
    [
        ("ENABLE", "CAMPAIGN_STATUS_ENABLE", "ACTIVE", "CAMPAIGN_STATUS_ENABLE"),
        ("DISABLE", "CAMPAIGN_STATUS_DISABLE", "PAUSED", "CAMPAIGN_STATUS_DISABLE"),
        ("DISABLE", "CAMPAIGN_STATUS_DELETE", "DELETED", "CAMPAIGN_STATUS_DELETE"),
        ("ENABLE", "CAMPAIGN_STATUS_DELETE", "DELETED", "CAMPAIGN_STATUS_DELETE"),
        ("ENABLE", "CAMPAIGN_STATUS_BUDGET_EXCEED", "ACTIVE", "CAMPAIGN_STATUS_BUDGET_EXCEED"),
        ("ENABLE", None, "ACTIVE", "ENABLE"),  # TikTok's sandbox omits secondary_status
        (None, "CAMPAIGN_STATUS_DISABLE", "PAUSED", "CAMPAIGN_STATUS_DISABLE"),
        (None, "CAMPAIGN_STATUS_ADVERTISER_AUDIT", "UNKNOWN", "CAMPAIGN_STATUS_ADVERTISER_AUDIT"),
    ],
)
def test_status(run_mapper, operation_status, secondary_status, status, native_status):
    row = run_mapper(
        performance(
            insight(),
            with_campaigns=[
                campaign(operation_status=operation_status, secondary_status=secondary_status)
            ],
        )
    ).row()
    assert (row["status"], row["native_status"]) == (status, native_status)


@pytest.mark.parametrize(
    ("objective_type", "objective"),
    [
        ("REACH", "AWARENESS"),
        ("RF_REACH", "AWARENESS"),
        ("TRAFFIC", "TRAFFIC"),
        ("VIDEO_VIEWS", "VIDEO_VIEWS"),
        ("ENGAGEMENT", "ENGAGEMENT"),
        ("LEAD_GENERATION", "LEADS"),
        ("APP_PROMOTION", "APP_PROMOTION"),
        ("WEB_CONVERSIONS", "SALES"),
        ("PRODUCT_SALES", "SALES"),
        ("SOMETHING_NEW", "OTHER"),
        (None, "UNKNOWN"),
    ],
)
def test_objective(run_mapper, objective_type, objective):
    row = run_mapper(
        performance(
            insight(objective_type=None),
            with_campaigns=[campaign(objective_type=objective_type)],
        )
    ).row()
    assert (row["objective"], row["native_objective"]) == (objective, objective_type)


def test_report_attributes_fill_in_for_an_unknown_campaign(run_mapper):
    row = run_mapper(
        performance(insight(campaign_name="From report", objective_type="TRAFFIC"))
    ).row()
    assert row["status"] == "UNKNOWN"
    assert row["native_status"] is None
    assert row["budget"] is None
    assert (row["campaign_name"], row["objective"], row["native_objective"]) == (
        "From report",
        "TRAFFIC",
        "TRAFFIC",
    )


def test_unlimited_budget_is_null(run_mapper):
    row = run_mapper(
        performance(
            insight(),
            with_campaigns=[campaign(budget=0, budget_mode="BUDGET_MODE_INFINITE")],
        )
    ).row()
    assert row["budget"] is None


def test_deleted_campaign_keeps_its_spend(run_mapper):
    row = run_mapper(
        performance(
            insight(),
            with_campaigns=[
                campaign(operation_status="DISABLE", secondary_status="CAMPAIGN_STATUS_DELETE")
            ],
        )
    ).row()
    assert row["status"] == "DELETED"
    assert row["spend"] is not None
