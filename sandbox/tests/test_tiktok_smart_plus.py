"""Upgraded Smart+ over plain HTTP (requests, no tap code): `smart_plus/*/get/` list the
world's Upgraded Smart+ campaigns, ad groups and ads (several creatives an ad), the standard
listings only when `campaign_automation_type` asks; `report/integrated/get` groups their
rows by ad under `ad_id_v2` and by creative under `ad_id`, with the same totals."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from ads_sandbox.world import World

from .conftest import END, SCALE, TikTok, status_all
from .test_tiktok_reports import report

EVERY = {"primary_status": "STATUS_ALL"}
WINDOW = {"start_date": "2025-03-02", "end_date": END.isoformat()}
SUMMED = ["spend", "impressions", "clicks", "conversion"]


@pytest.fixture(scope="module")
def world() -> World:
    return World("tiktok", 1, SCALE, END)


def _upgraded(world: World, advertiser: str) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """The world's Upgraded Smart+ campaign, ad group ids and creative ids by ad id."""
    account = world.account(advertiser)
    tree, smart = world.entities(account), world.smart_plus(account)
    campaigns = {c.id for c in tree.campaigns if smart.is_smart_plus(c.index)}
    adgroups = {s.id for s in tree.adsets if smart.is_smart_plus(s.campaign_index)}
    creatives = {tree.ads[ad].id: {c.id for c in listed} for ad, listed in smart.creatives.items()}
    return campaigns, adgroups, creatives


def test_smart_plus_listings_hold_what_the_standard_ones_leave_out(
    api: TikTok, advertisers: list[str], world: World
) -> None:
    seen_creatives = 0
    for advertiser in advertisers:
        campaigns, adgroups, creatives = _upgraded(world, advertiser)
        assert len(campaigns) == 1  # one of every account's four campaigns
        q = {"advertiser_id": advertiser, "filtering": EVERY}
        listed = api.all_pages("smart_plus/campaign/get/", **q)
        assert {c["campaign_id"] for c in listed} == campaigns
        assert {"budget", "budget_mode", "operation_status", "objective_type"} <= set(listed[0])
        assert {a["adgroup_id"] for a in api.all_pages("smart_plus/adgroup/get/", **q)} == adgroups
        ads = api.all_pages("smart_plus/ad/get/", **q)
        assert {
            a["smart_plus_ad_id"]: {c["ad_material_id"] for c in a["creative_list"]} for a in ads
        } == creatives
        assert all(2 <= len(a["creative_list"]) <= 4 for a in ads)
        seen_creatives += sum(len(a["creative_list"]) for a in ads)

        standard = {c["campaign_id"] for c in api.all_pages("campaign/get/", **q)}
        assert not standard & campaigns and standard  # the default leaves them out
        asked = api.all_pages(
            "campaign/get/",
            advertiser_id=advertiser,
            filtering={**EVERY, "campaign_automation_type": "UPGRADED_SMART_PLUS"},
        )
        assert {c["campaign_id"] for c in asked} == campaigns
        assert {c["campaign_automation_type"] for c in asked} == {"UPGRADED_SMART_PLUS"}
        manual = api.all_pages(
            "ad/get/",
            advertiser_id=advertiser,
            filtering={**EVERY, "campaign_automation_type": "MANUAL"},
        )
        assert not {a["ad_id"] for a in manual} & set(creatives)
        picked = sorted(creatives)[:1]
        one = api.ok(
            "smart_plus/ad/get/",
            advertiser_id=advertiser,
            filtering={"smart_plus_ad_ids": picked, **EVERY},
        )["list"]
        assert [a["smart_plus_ad_id"] for a in one] == picked
    assert seen_creatives > 2 * len(advertisers)


def test_smart_plus_listing_limits_and_errors(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[0]
    for path in ("smart_plus/campaign/get/", "smart_plus/adgroup/get/", "smart_plus/ad/get/"):
        assert api.get(path, advertiser_id=advertiser, page_size=1000)["code"] == 0
        assert api.get(path, advertiser_id=advertiser, page_size=1001)["code"] == 40002
        assert api.get(path, advertiser_id=advertiser, fields=["nope"])["code"] == 40002
    body = api.get(
        "campaign/get/", advertiser_id=advertiser, filtering={"campaign_automation_type": "X"}
    )
    assert body["code"] == 40002 and "campaign_automation_type" in body["message"]
    picked = api.ok(
        "smart_plus/ad/get/", advertiser_id=advertiser, fields=["smart_plus_ad_id", "ad_name"]
    )["list"]
    assert picked and all(set(a) == {"smart_plus_ad_id", "ad_name"} for a in picked)


def _rows(api: TikTok, advertiser: str, level: str, id_dimension: str) -> list[dict]:
    ad_level = level == "AUCTION_AD"
    return report(
        api,
        advertiser,
        level,
        [id_dimension, "stat_time_day"],
        metrics=[*SUMMED, "campaign_id", "campaign_automation_type"] if ad_level else SUMMED,
        filtering=status_all("campaign_status", "adgroup_status", "ad_status")
        if ad_level
        else status_all("campaign_status"),
        **WINDOW,
    )


def _sums(rows: list[dict]) -> dict[str, Decimal]:
    return {m: sum((Decimal(r["metrics"][m]) for r in rows), Decimal(0)) for m in SUMMED}


def test_ad_id_v2_groups_by_ad_and_ad_id_by_creative_with_equal_totals(
    api: TikTok, advertisers: list[str], world: World
) -> None:
    for advertiser in advertisers:
        campaigns, _, creatives = _upgraded(world, advertiser)
        every_ad = {a.id for a in world.entities(world.account(advertiser)).ads}
        by_ad = _rows(api, advertiser, "AUCTION_AD", "ad_id_v2")
        by_creative = _rows(api, advertiser, "AUCTION_AD", "ad_id")
        by_campaign = _rows(api, advertiser, "AUCTION_CAMPAIGN", "campaign_id")
        assert _sums(by_ad) == _sums(by_creative) == _sums(by_campaign)
        assert _sums(by_ad)["spend"] > 0

        ad_days = Counter(
            (r["dimensions"]["ad_id_v2"], r["dimensions"]["stat_time_day"]) for r in by_ad
        )
        assert set(ad_days.values()) == {1}  # one row per ad and day
        assert {ad for ad, _ in ad_days} <= every_ad
        upgraded_rows = [r for r in by_ad if r["metrics"]["campaign_id"] in campaigns]
        assert upgraded_rows
        assert {r["metrics"]["campaign_automation_type"] for r in upgraded_rows} == {
            "UPGRADED_SMART_PLUS"
        }

        creative_of = {c: ad for ad, listed in creatives.items() for c in listed}
        creative_rows = [r for r in by_creative if r["metrics"]["campaign_id"] in campaigns]
        assert {r["dimensions"]["ad_id"] for r in creative_rows} <= set(creative_of)
        assert {r["metrics"]["campaign_automation_type"] for r in creative_rows} == {
            "UPGRADED_SMART_PLUS_CREATIVE"
        }
        # Each ad-day's creatives add up to the ad's row, exactly.
        for row in upgraded_rows:
            ad, day = row["dimensions"]["ad_id_v2"], row["dimensions"]["stat_time_day"]
            parts = [
                r
                for r in creative_rows
                if creative_of[r["dimensions"]["ad_id"]] == ad
                and r["dimensions"]["stat_time_day"] == day
            ]
            assert _sums(parts) == _sums([row])
        manual = [r for r in by_creative if r["metrics"]["campaign_id"] not in campaigns]
        assert {r["dimensions"]["ad_id"] for r in manual} <= every_ad


def test_ad_id_v2_is_an_ad_level_dimension_only(api: TikTok, advertisers: list[str]) -> None:
    body = api.get(
        "report/integrated/get/",
        advertiser_id=advertisers[0],
        report_type="BASIC",
        data_level="AUCTION_CAMPAIGN",
        dimensions=["ad_id_v2", "stat_time_day"],
        **WINDOW,
    )
    assert body["code"] == 40002 and "only ID dimension allowed is campaign_id" in body["message"]
