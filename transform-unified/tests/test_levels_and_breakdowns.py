"""Ad set, ad and breakdown rows: their own streams and keys, normalised breakdown values
summed exactly, and the run summary's counts still balance."""

from __future__ import annotations

from decimal import Decimal

import pytest
from singer_messages import SUMMARY, campaign, insight, record, schema

ADSETS = "unified_adset_performance"
ADS = "unified_ad_performance"
BREAKDOWNS = "unified_breakdown_performance"


def report(stream: str, **fields) -> dict:
    message = insight(**{k: v for k, v in fields.items() if k in ("day", "campaign_id")})
    message["stream"] = stream
    message["record"].update({k: v for k, v in fields.items() if k not in ("day",)})
    return message


def test_adset_and_ad_rows_carry_their_ids_and_the_campaigns_attributes(run_mapper):
    run = run_mapper(
        [
            schema("campaigns"),
            campaign(),
            schema("insights_adgroup"),
            report("insights_adgroup", adgroup_id="g1", adgroup_name="Group 1"),
            schema("insights"),
            report("insights", adgroup_id="g1", ad_id="a1", ad_name="Ad 1"),
        ]
    )
    (adset,) = run.rows(ADSETS)
    (ad,) = run.rows(ADS)
    assert (adset["adset_id"], adset["adset_name"], adset["status"]) == ("g1", "Group 1", "ACTIVE")
    assert (ad["ad_id"], ad["adset_id"], ad["ad_name"]) == ("a1", "g1", "Ad 1")
    assert ad["cpc"] == Decimal("0.500000") and ad["cost_per_conversion"] == Decimal("5.000000")
    assert ad["conversion_attribution"] == "7d_click_1d_view"
    keys = {m["stream"]: m["key_properties"] for m in run.messages if m["type"] == "SCHEMA"}
    assert keys[ADSETS] == ["platform", "account_id", "adset_id", "date"]
    assert keys[ADS] == ["platform", "account_id", "ad_id", "date"]


def test_native_values_meaning_the_same_are_summed_under_one_key(run_mapper):
    stream = "insights_audience_device"
    run = run_mapper(
        [
            schema("campaigns"),
            campaign(),
            schema(stream),
            report(stream, platform="ANDROID", spend=Decimal("0.10"), clicks=1, impressions=10),
            report(stream, platform="IPHONE", spend=Decimal("0.20"), clicks=2, impressions=30),
            report(stream, platform="PC", spend=Decimal("1.00"), clicks=0, impressions=5),
            report(stream, platform="SMART_FRIDGE", spend=Decimal("0"), clicks=0, impressions=1),
        ]
    )
    rows = {row["breakdown_value"]: row for row in run.rows(BREAKDOWNS)}
    assert set(rows) == {"MOBILE", "DESKTOP", "OTHER"}
    mobile = rows["MOBILE"]
    assert (mobile["spend"], mobile["clicks"], mobile["impressions"]) == (Decimal("0.30"), 3, 40)
    assert mobile["ctr"] == Decimal("0.075000")  # 3 / 40 from the sums, not averaged
    assert mobile["native_breakdown_value"] == "ANDROID,IPHONE"
    assert rows["DESKTOP"]["cpc"] is None  # no clicks: no division by zero
    assert rows["OTHER"]["native_breakdown_value"] == "SMART_FRIDGE"
    summary = run.summary()
    assert summary["records_merged"] == 1
    assert summary["records_in"] == summary["rows_out"] + summary["records_merged"]
    kinds = {w["kind"] for w in summary["warnings"]}
    assert "unmapped_breakdown_value" in kinds


@pytest.mark.parametrize(
    ("stream", "field", "native", "unified"),
    [
        ("insights_audience_age", "age", "AGE_55_100", "55+"),
        ("insights_audience_age", "age", "AGE_18_24", "18-24"),
        ("insights_audience_gender", "gender", "NONE", "UNKNOWN"),
        ("insights_audience_placement", "placement", "PLACEMENT_PANGLE", "PANGLE"),
        ("insights_audience_country", "country_code", "de", "DE"),
    ],
)
def test_breakdown_vocabulary(run_mapper, stream, field, native, unified):
    run = run_mapper([schema(stream), report(stream, **{field: native})])
    (row,) = run.rows(BREAKDOWNS)
    assert (row["breakdown"], row["breakdown_value"]) == (stream.rsplit("_", 1)[1], unified)
    assert row["native_breakdown_value"] == native


def test_state_waits_for_the_summed_breakdown_rows(run_mapper):
    stream = "insights_audience_gender"
    run = run_mapper(
        [
            schema(stream),
            report(stream, gender="MALE"),
            {"type": "STATE", "value": {"bookmarks": {stream: {}}}},
            report(stream, gender="FEMALE"),
        ]
    )
    streams = [m.get("stream") for m in run.messages if m["type"] in ("RECORD", "STATE")]
    assert streams.index(None) > max(i for i, s in enumerate(streams) if s == BREAKDOWNS)


def test_level_sums_that_disagree_are_a_warning(run_mapper):
    run = run_mapper(
        [
            schema("campaigns"),
            campaign(),
            schema("insights_campaign"),
            insight(),
            schema("insights_advertiser"),
            report("insights_advertiser", spend=Decimal("10.01")),
            schema("insights_audience_gender"),
            report(
                "insights_audience_gender",
                gender="MALE",
                spend=Decimal("4.00"),
                impressions=400,
                clicks=5,
            ),
            report(
                "insights_audience_gender",
                gender="FEMALE",
                spend=Decimal("6.00"),
                impressions=600,
                clicks=15,
            ),
        ]
    )
    warnings = {w["kind"]: w for w in run.summary()["warnings"]}
    disagree = warnings["level_sums_disagree"]
    assert disagree["count"] == 1, "gender rows add up; only the account level is off"
    assert "account rows do not add up" in disagree["message"]
    assert "spend 10.01" in disagree["message"]
    assert all(
        row["records_in"]
        == row["rows_out"]
        + row["records_rejected"]
        + row["records_reference"]
        + row["records_merged"]
        + row["records_not_unified"]
        for row in run.rows(SUMMARY)
    )


def test_a_report_row_without_its_level_id_is_rejected_and_counted(run_mapper):
    run = run_mapper([schema("insights"), report("insights", adgroup_id="g1")])
    assert run.rows(ADS) == []
    summary = run.summary()
    assert (summary["records_in"], summary["records_rejected"]) == (1, 1)
    (warning,) = [w for w in summary["warnings"] if w["kind"] == "rejected_record"]
    assert "'insights'" in warning["message"] and "no ad_id" in warning["message"]


#: Two advertisers, of which only 111 has a report row.
TWO_ADVERTISERS = [
    schema("advertisers"),
    record("advertisers", {"advertiser_id": "111", "currency": "USD"}),
    record("advertisers", {"advertiser_id": "222", "currency": "USD"}),
    schema("insights_campaign"),
    insight(account_id="111"),
]


def test_an_account_without_report_rows_is_not_partial(run_mapper):
    run = run_mapper(TWO_ADVERTISERS)
    assert run.summary("tiktok", "222")["warnings"] == []  # no delivery: nothing failed


def test_an_account_the_tap_could_not_read_is_partial(run_mapper):
    reason = "advertiser 222: no permission to read reports (code 40001)"
    failed = {"account_failures": {"222": {"insights_campaign": reason}}}
    run = run_mapper(
        [
            *TWO_ADVERTISERS,
            insight(account_id="222"),  # rows read before the failure still count
            {"type": "STATE", "value": {"bookmarks": failed}},
        ]
    )
    warnings = {w["kind"]: w for w in run.summary("tiktok", "222")["warnings"]}
    warning = warnings["partial_data"]
    assert warning["count"] == 1 and "tiktok account 222" in warning["message"]
    assert "stream 'insights_campaign'" in warning["message"] and reason in warning["message"]
    assert "partial_data" not in {w["kind"] for w in run.summary("tiktok", "111")["warnings"]}


def test_a_tap_that_stopped_makes_its_run_partial(run_mapper):
    stopped = {"account_failures": {"*": {"*": "quota exhausted for the day"}}}
    run = run_mapper(
        [
            schema("insights_campaign"),
            insight(account_id="111"),
            {"type": "STATE", "value": {"bookmarks": stopped}},
        ]
    )
    warnings = {w["kind"]: w for w in run.summary("tiktok", "*")["warnings"]}
    message = warnings["partial_data"]["message"]
    assert "tiktok: partial data: the tap stopped" in message
    assert "quota exhausted for the day" in message
