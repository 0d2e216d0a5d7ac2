"""Entity facts travel in the Singer state, so a lost cache file does not turn loaded rows'
status and budget into UNKNOWN and null (issue 8, item 6)."""

from __future__ import annotations

from decimal import Decimal

from singer_messages import campaign, insight, performance, schema

TAP_STATE = {"type": "STATE", "value": {"bookmarks": {"campaigns": {"partitions": []}}}}


def first_run(run_mapper) -> dict:
    """Campaign PAUSED with a budget, and the state the target would commit."""
    run = run_mapper(
        [
            *performance(
                insight(day="2024-06-01"),
                with_campaigns=[
                    campaign(
                        budget=Decimal("123.45"),
                        operation_status="DISABLE",
                        secondary_status="CAMPAIGN_STATUS_DISABLE",
                    )
                ],
            ),
            TAP_STATE,
        ]
    )
    assert run.row()["status"] == "PAUSED"
    return run.states()[-1]


def test_a_new_machine_gets_the_entities_back_from_the_state(run_mapper, tmp_path):
    committed = first_run(run_mapper)
    (tmp_path / "entities.json").unlink()  # a new machine, or a cleaned directory

    # The tap re-emits the bookmarks it was given after its first stream; the campaigns
    # stream is incremental and has nothing new.
    second = run_mapper(
        [
            {"type": "STATE", "value": committed},
            schema("insights_campaign"),
            insight(day="2024-06-02"),
        ]
    )
    row = second.row()
    assert (row["status"], row["budget"], row["budget_period"]) == (
        "PAUSED",
        Decimal("123.45"),
        "daily",
    )
    kinds = {w["kind"]: w for w in second.summary("*", "*")["warnings"]}
    assert "was missing or empty" in kinds["entity_cache_restored"]["message"]
    assert "unknown_campaign" not in {w["kind"] for w in second.summary()["warnings"]}, (
        "the campaign was known"
    )


def test_rows_wait_for_a_state_that_comes_after_them(run_mapper, tmp_path):
    committed = first_run(run_mapper)
    (tmp_path / "entities.json").unlink()
    second = run_mapper(
        [
            schema("insights_campaign"),
            insight(day="2024-06-02"),
            {"type": "STATE", "value": committed},
        ]
    )
    assert second.row()["status"] == "PAUSED"
    assert second.types()[-1] == ("STATE", None)


def test_the_state_keeps_the_entities_through_a_run_without_entity_records(run_mapper, tmp_path):
    committed = first_run(run_mapper)
    (tmp_path / "entities.json").unlink()
    second = run_mapper([{"type": "STATE", "value": committed}])
    (tmp_path / "entities.json").unlink()
    third = run_mapper([{"type": "STATE", "value": second.states()[-1]}, *performance(insight())])
    assert third.row()["budget"] == Decimal("123.45")


def test_the_cache_wins_over_an_older_state(run_mapper):
    committed = first_run(run_mapper)
    # Later, the campaign is switched on; the cache knows, the old state does not.
    run_mapper([schema("campaigns"), campaign(budget=Decimal("9.99"))])
    row = run_mapper(
        [{"type": "STATE", "value": committed}, schema("insights_campaign"), insight()]
    ).row()
    assert (row["status"], row["budget"]) == ("ACTIVE", Decimal("9.99"))


def test_a_malformed_state_entry_is_a_warning_not_a_crash(run_mapper):
    state = {"bookmarks": {"transform_unified": {"format": 99}}}
    run = run_mapper([{"type": "STATE", "value": state}, *performance(insight())])
    kinds = [w["kind"] for w in run.summary("*", "*")["warnings"]]
    assert "unreadable_state_entities" in kinds
    assert run.row()["status"] == "UNKNOWN"


def test_a_taps_state_carries_only_its_own_platforms_entities(run_mapper, tmp_path):
    from transform_unified.adapters.base import CampaignFacts
    from transform_unified.entity_cache import EntityCache
    from transform_unified.vocabulary import Objective, Status

    shared = EntityCache.load(tmp_path / "entities.json")  # one cache for every pipeline
    shared.put_campaign(
        "meta",
        CampaignFacts("act_1", "m1", None, Status.ACTIVE, None, Objective.SALES, None, None),
    )
    shared.save()
    state = first_run(run_mapper)["bookmarks"]["transform_unified"]
    assert set(state["platforms"]) == {"tiktok"}
