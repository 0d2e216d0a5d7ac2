"""`unified_run_summary`: counts balance, totals are exact sums, nothing vanishes unseen
(issue 8, item 7)."""

from __future__ import annotations

from decimal import Decimal

from singer_messages import (
    CAMPAIGNS,
    SUMMARY,
    UNIFIED,
    campaign,
    insight,
    performance,
    record,
    schema,
)

COUNTS = ("rows_out", "records_rejected", "records_reference", "records_not_unified")


def balanced(row: dict) -> bool:
    return row["records_in"] == sum(row[name] for name in COUNTS)


def test_every_record_is_counted_out_or_rejected_per_account(run_mapper):
    run = run_mapper(
        [
            schema("advertisers"),
            record("advertisers", {"advertiser_id": "111", "currency": "USD", "timezone": "UTC"}),
            *performance(
                insight(day="2024-06-01", spend=Decimal("0.10")),
                insight(day="2024-06-02", spend=Decimal("0.20")),
                insight(day="not a date"),
                insight(day="2024-06-03", account_id="222", currency="EUR"),
                with_campaigns=[campaign(), campaign(account_id="222")],
            ),
            schema("adgroups"),
            record("adgroups", {"advertiser_id": "111", "adgroup_id": "g1"}),
        ],
        fx_rates={"EUR": "1.1"},
    )
    first = run.summary("tiktok", "111")
    assert (first["records_in"], first["rows_out"], first["records_rejected"]) == (5, 3, 1)
    assert first["records_reference"] == 1
    assert first["spend"] == Decimal("0.30") and first["spend_reporting"] == Decimal("0.30")
    assert (first["date_start"], first["date_end"]) == ("2024-06-01", "2024-06-02")
    assert first["impressions"] == 2000 and first["ctr"] == Decimal("0.020000")
    assert [w["kind"] for w in first["warnings"]] == ["rejected_record"]
    second = run.summary("tiktok", "222")
    assert second["spend_reporting"] == Decimal("11.000") and second["currency"] == "EUR"
    everything = run.summary("*", "*")
    assert everything["records_not_unified"] == 1
    assert all(balanced(row) for row in run.rows(SUMMARY))
    assert len(run.rows(UNIFIED)) == 3 and len(run.rows(CAMPAIGNS)) == 2


def test_a_missing_rate_leaves_the_reporting_total_null_not_partial(run_mapper):
    run = run_mapper(
        performance(
            insight(day="2023-12-31", currency="EUR"),
            insight(day="2024-06-01", currency="EUR"),
            with_campaigns=[campaign()],
        ),
        fx_rates={"EUR": {"2024-01-01": "1.1"}},
    )
    totals = run.summary()
    assert totals["spend"] == Decimal("20.00")
    assert totals["spend_reporting"] is None
    kinds = {w["kind"]: w["count"] for w in totals["warnings"]}
    assert kinds["missing_fx_rate"] == 1
    assert kinds["missing_days"] == 152  # 2024-01-01 to 2024-05-31


def test_report_schema_without_the_platform_field_is_passed_through_and_counted(run_mapper):
    """A stream map that removed advertiser_id: the records used to vanish with one info
    line; now they pass through unchanged, and the summary warns and counts them."""
    bare = {"campaign_id": {"type": "string"}, "stat_time_day": {"type": "string"}}
    rows = [{"campaign_id": f"c{n}", "stat_time_day": "2024-06-01"} for n in range(3)]
    run = run_mapper(
        [schema("insights_campaign", bare), *(record("insights_campaign", r) for r in rows)]
    )
    assert run.rows("insights_campaign") == rows
    assert run.rows(UNIFIED) == []
    summary = run.summary("*", "*")
    assert summary["records_in"] == summary["records_not_unified"] == 3
    warnings = {w["kind"]: w for w in summary["warnings"]}
    assert warnings["unrecognised_stream"]["count"] == 3
    assert "insights_campaign" in warnings["unrecognised_stream"]["message"]
    assert "nothing_to_unify" in warnings


def test_nothing_to_unify_is_a_warning_with_a_summary_row(run_mapper, caplog):
    run = run_mapper(
        [schema("advertisers"), record("advertisers", {"advertiser_id": "111"})],
    )
    (summary,) = [row for row in run.rows(SUMMARY) if row["platform"] == "*"]
    (warning,) = summary["warnings"]
    assert warning["kind"] == "nothing_to_unify"
    assert "advertisers" in warning["message"] and "insights_campaign" in warning["message"]
    assert any(
        r.levelname == "WARNING" and "No report stream to unify" in r.getMessage()
        for r in caplog.records
    )
