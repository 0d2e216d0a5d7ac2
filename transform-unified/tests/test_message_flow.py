"""Which streams are read, what passes through, and where STATE goes."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from singer_messages import CAMPAIGNS, UNIFIED, campaign, insight, performance, record, schema
from transform_unified.adapters import AmbiguousStream, route_stream
from transform_unified.adapters.base import Role
from transform_unified.adapters.tiktok import TikTokAdapter
from transform_unified.diagnostics import Diagnostics

STATE = {"type": "STATE", "value": {"bookmarks": {"insights_campaign": {"partitions": [1]}}}}


def test_state_passes_through_after_the_rows_before_it(run_mapper):
    run = run_mapper([*performance(insight(), with_campaigns=[campaign()]), STATE])
    assert run.types() == [
        ("SCHEMA", CAMPAIGNS),
        ("RECORD", CAMPAIGNS),
        ("SCHEMA", UNIFIED),
        ("RECORD", UNIFIED),
        ("STATE", None),
    ]
    # The tap's bookmarks unchanged, plus the mapper's entities.
    (state,) = run.states()
    assert (
        state["bookmarks"]["insights_campaign"] == STATE["value"]["bookmarks"]["insights_campaign"]
    )
    assert set(state["bookmarks"]) == {"insights_campaign", "transform_unified"}


def test_state_waits_for_rows_held_until_their_campaign_arrives(run_mapper):
    run = run_mapper(
        [
            schema("insights_campaign"),
            insight(),
            STATE,
            schema("campaigns"),
            campaign(),
            {"type": "STATE", "value": {"bookmarks": {"latest": True}}},
        ]
    )
    assert run.types() == [
        ("SCHEMA", UNIFIED),
        ("SCHEMA", CAMPAIGNS),
        ("RECORD", CAMPAIGNS),
        ("RECORD", UNIFIED),
        ("STATE", None),
    ]
    assert run.row()["status"] == "ACTIVE"
    assert run.states()[-1]["bookmarks"]["latest"] is True


def test_entities_are_saved_before_state_is_passed_on(run_mapper, tmp_path):
    run_mapper([schema("campaigns"), campaign(), STATE])
    assert "c1" in (tmp_path / "entities.json").read_text()


def test_other_streams_are_ignored_by_default(run_mapper):
    run = run_mapper(
        [
            schema("adgroups"),
            record("adgroups", {"advertiser_id": "111", "adgroup_id": "g1"}),
            {"type": "ACTIVATE_VERSION", "stream": "adgroups", "version": 1},
            *performance(insight(), with_campaigns=[campaign()]),
        ]
    )
    assert run.types() == [
        ("SCHEMA", CAMPAIGNS),
        ("RECORD", CAMPAIGNS),
        ("SCHEMA", UNIFIED),
        ("RECORD", UNIFIED),
    ]
    assert run.summary("*", "*")["records_not_unified"] == 1


def test_source_streams_pass_through_when_asked(run_mapper):
    adgroup = {"advertiser_id": "111", "adgroup_id": "g1"}
    run = run_mapper(
        [
            schema("adgroups"),
            record("adgroups", adgroup, time_extracted="2025-01-01T00:00:00+00:00"),
            {"type": "ACTIVATE_VERSION", "stream": "adgroups", "version": 7},
            *performance(insight(), with_campaigns=[campaign()]),
        ],
        include_source_streams=True,
    )
    assert run.types() == [
        ("SCHEMA", "adgroups"),
        ("RECORD", "adgroups"),
        ("ACTIVATE_VERSION", "adgroups"),
        ("SCHEMA", "campaigns"),
        ("SCHEMA", CAMPAIGNS),
        ("RECORD", "campaigns"),
        ("RECORD", CAMPAIGNS),
        ("SCHEMA", "insights_campaign"),
        ("SCHEMA", UNIFIED),
        ("RECORD", "insights_campaign"),
        ("RECORD", UNIFIED),
    ]
    assert run.rows("adgroups") == [adgroup]
    assert run.messages[2]["version"] == 7


def test_unhandled_streams_pass_through_and_handled_ones_do_not(run_mapper):
    adgroup = {"advertiser_id": "111", "adgroup_id": "g1"}
    run = run_mapper(
        [
            schema("adgroups"),
            record("adgroups", adgroup),
            {"type": "ACTIVATE_VERSION", "stream": "adgroups", "version": 3},
            *performance(insight(), with_campaigns=[campaign()]),
        ],
        source_streams="unhandled",
    )
    assert run.rows("adgroups") == [adgroup]
    assert run.rows("campaigns") == [] and run.rows("insights_campaign") == []
    assert ("ACTIVATE_VERSION", "adgroups") in run.types()
    assert len(run.rows(UNIFIED)) == 1


def test_same_named_stream_of_another_platform_is_not_claimed_but_passed_on(run_mapper, caplog):
    meta_like = {"account_id": {"type": "string"}, "id": {"type": "string"}}
    run = run_mapper(
        [
            schema("campaigns", meta_like),
            record("campaigns", {"account_id": "act_1", "id": "c1"}),
            schema("insights_campaign", meta_like),
            record("insights_campaign", {"account_id": "act_1", "id": "c1"}),
        ]
    )
    assert run.rows(UNIFIED) == [] and run.rows(CAMPAIGNS) == []
    assert run.rows("campaigns") == [{"account_id": "act_1", "id": "c1"}]
    assert run.rows("insights_campaign") == [{"account_id": "act_1", "id": "c1"}]
    warnings = {w["kind"]: w for w in run.summary("*", "*")["warnings"]}
    assert warnings["unrecognised_stream"]["count"] == 2
    assert "lacks advertiser_id" in warnings["unrecognised_stream"]["message"]


def test_platform_setting_forces_the_adapter(run_mapper):
    bare = {"campaign_id": {"type": "string"}}
    run = run_mapper(
        [schema("insights_campaign", bare), insight()],
        platform="tiktok",
    )
    assert run.row()["platform"] == "tiktok"


def test_two_platforms_claiming_one_stream_is_an_error():
    class OtherAdapter(TikTokAdapter):
        platform = "other"

    diagnostics = Diagnostics(logging.getLogger("test"))
    adapters = {"tiktok": TikTokAdapter(diagnostics), "other": OtherAdapter(diagnostics)}
    tiktok_schema = schema("campaigns")["schema"]
    with pytest.raises(AmbiguousStream, match="set `platform`"):
        route_stream(adapters, "campaigns", tiktok_schema, None)
    adapter, role = route_stream(adapters, "campaigns", tiktok_schema, "other")
    assert (adapter.platform, role) == ("other", Role.CAMPAIGNS)


def test_extracted_at_is_the_records_time_extracted_in_utc(run_mapper):
    message = insight()
    message["time_extracted"] = "2025-03-10T12:30:00+02:00"
    row = run_mapper(performance(message, with_campaigns=[campaign()])).row()
    assert row["extracted_at"] == "2025-03-10T10:30:00+00:00"


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2025-03-10T10:30:00.123456Z", "2025-03-10T10:30:00.123456+00:00"),
        ("2025-03-10T10:30:00.000000Z", "2025-03-10T10:30:00+00:00"),
        ("2025-03-10T10:30:00Z", "2025-03-10T10:30:00+00:00"),
    ],
)
def test_extracted_at_from_the_sdks_stamp_is_its_isoformat(run_mapper, stamp, expected):
    message = insight()
    message["time_extracted"] = stamp
    run = run_mapper(performance(message, with_campaigns=[campaign()]))
    assert run.row()["extracted_at"] == expected
    (out,) = [m for m in run.messages if m["type"] == "RECORD" and m["stream"] == UNIFIED]
    assert datetime.fromisoformat(out["time_extracted"]) == datetime.fromisoformat(expected)


def test_records_without_keys_are_skipped_with_one_warning(run_mapper, caplog):
    caplog.set_level(logging.WARNING)
    run = run_mapper(
        performance(
            insight(campaign_id=None),
            insight(campaign_id=None, day="2024-06-02"),
            insight(day="not a date"),
            insight(),
            with_campaigns=[campaign()],
        )
    )
    assert len(run.rows()) == 1
    skipped = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Skipping")]
    assert len(skipped) == 2
