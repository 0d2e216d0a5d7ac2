"""Campaigns seen in one run still describe performance rows in later runs."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from singer_messages import campaign, insight, performance, record, schema
from singer_sdk.exceptions import ConfigValidationError
from transform_unified.adapters.base import CampaignFacts
from transform_unified.entity_cache import EntityCache
from transform_unified.mapper import TransformUnified
from transform_unified.vocabulary import Objective, Status


def test_second_run_without_campaign_records_keeps_status_objective_budget(run_mapper, tmp_path):
    first = run_mapper(
        performance(
            insight(day="2024-06-01"),
            with_campaigns=[
                campaign(
                    budget=Decimal("123.45"),
                    operation_status="DISABLE",
                    secondary_status="CAMPAIGN_STATUS_DISABLE",
                ),
                schema("advertisers"),
                record(
                    "advertisers",
                    {"advertiser_id": "111", "currency": "USD", "timezone": "UTC", "name": "Shop"},
                ),
            ],
        )
    ).row()
    cache_text = (tmp_path / "entities.json").read_text()
    assert "token" not in cache_text and "secret" not in cache_text

    # Run 2: the tap's campaigns bookmark skips the unmodified campaign.
    second = run_mapper(performance(insight(day="2024-06-02"))).row()
    for column in (
        "status",
        "native_status",
        "objective",
        "native_objective",
        "budget",
        "campaign_name",
    ):
        assert second[column] == first[column]
    assert second["status"] == "PAUSED"
    assert second["budget"] == Decimal("123.45")


def test_account_currency_and_timezone_fall_back_to_the_accounts_stream(run_mapper):
    run_mapper(
        [
            schema("advertisers"),
            record(
                "advertisers", {"advertiser_id": "111", "currency": "JPY", "timezone": "Asia/Tokyo"}
            ),
        ]
    )
    row = run_mapper(
        performance(insight(currency=None, timezone=None), with_campaigns=[campaign()]),
        fx_rates={"JPY": "0.0067"},
    ).row()
    assert (row["currency"], row["timezone"]) == ("JPY", "Asia/Tokyo")
    assert row["date_start_utc"] == "2024-05-31T15:00:00+00:00"


def _facts(campaign_id: str) -> CampaignFacts:
    return CampaignFacts(
        account_id="111",
        campaign_id=campaign_id,
        name=None,
        status=Status.ACTIVE,
        native_status="ENABLE",
        objective=Objective.SALES,
        native_objective="WEB_CONVERSIONS",
        budget=Decimal("0.10"),
    )


def test_parallel_writers_merge_instead_of_overwriting(tmp_path):
    path = tmp_path / "cache" / "entities.json"
    shard_a, shard_b = EntityCache.load(path), EntityCache.load(path)
    shard_a.put_campaign("tiktok", _facts("a"))
    shard_b.put_campaign("tiktok", _facts("b"))
    shard_a.save()
    shard_b.save()
    reloaded = EntityCache.load(path)
    assert reloaded.campaign("tiktok", "111", "a") == _facts("a")
    assert reloaded.campaign("tiktok", "111", "b") == _facts("b")
    assert (
        json.loads(path.read_text())["platforms"]["tiktok"]["campaigns"]["111"]["a"]["budget"]
        == "0.10"
    )
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_unchanged_cache_is_not_rewritten(tmp_path):
    path = tmp_path / "entities.json"
    cache = EntityCache.load(path)
    cache.save()
    assert not path.exists()


def test_unreadable_cache_fails_at_start_naming_the_setting(tmp_path):
    path = tmp_path / "entities.json"
    path.write_text("{not json")
    with pytest.raises(ConfigValidationError) as raised:
        TransformUnified(config={"entity_cache_path": str(path)})
    assert raised.value.errors[0].startswith("entity_cache_path: ")


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (lambda tmp: tmp, "is a directory"),
        (lambda tmp: tmp / "a-file" / "entities.json", "cannot be written"),
    ],
    ids=["a-directory", "under-a-file"],
)
def test_an_unwritable_cache_fails_at_start_naming_the_setting(tmp_path, where, message):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ConfigValidationError) as raised:
        TransformUnified(config={"entity_cache_path": str(where(tmp_path))})
    (error,) = raised.value.errors
    assert error.startswith("entity_cache_path: ") and message in error
