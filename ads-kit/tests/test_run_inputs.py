"""What of a loaded state a run would ignore is named; the unified mapper's entity facts,
which the taps keep and pass on, are not."""

from __future__ import annotations

from ads_kit.run_inputs import state_warnings

KEYS = {"campaigns": ["account_id"], "insights_campaign": ["account_id"]}


def test_bookmarks_of_unknown_streams_are_named():
    (warning,) = state_warnings({"campaigns": {}, "insights_retired": {}}, KEYS)
    assert warning.endswith("ignored: insights_retired.")


def test_the_mappers_entity_facts_are_passed_on_without_a_warning():
    entities = {"format": 1, "platforms": {}}
    assert state_warnings({"campaigns": {}, "transform_unified": entities}, KEYS) == []
