"""Upgraded Smart+: `smart_plus_campaigns`, `smart_plus_adgroups`, `smart_plus_ads` list what
the standard listings leave out, and `insights` keys their rows by ad (`ad_id_v2`), one row
per ad and day, with the totals of the campaign report and of the truth."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from ads_sandbox.world import World
from test_sync import loaded_totals
from tiktok_tap_runner import END_DATE, SCALE, SEED

END = dt.date.fromisoformat(END_DATE)
ENTITIES = [
    "campaigns",
    "adgroups",
    "ads",
    *(f"smart_plus_{s}" for s in ("campaigns", "adgroups", "ads")),
]
STREAMS = ["advertisers", *ENTITIES, "insights", "insights_campaign"]


def test_smart_plus_objects_are_listed_and_insights_has_one_row_per_ad_and_day(
    run_tap, make_config
):
    run = run_tap(make_config(), STREAMS)
    assert run.returncode == 0, run.stderr
    world = World("tiktok", SEED, SCALE, END)
    upgraded_campaigns, upgraded_ads, every_ad, creatives = set(), set(), set(), {}
    for account in world.accounts:
        tree, smart = world.entities(account), world.smart_plus(account)
        upgraded_campaigns |= {c.id for c in tree.campaigns if smart.is_smart_plus(c.index)}
        every_ad |= {a.id for a in tree.ads}
        for ad, listed in smart.creatives.items():
            upgraded_ads.add(tree.ads[ad].id)
            creatives[tree.ads[ad].id] = {c.id for c in listed}
    assert upgraded_campaigns

    campaigns = {c["campaign_id"] for c in run.records["campaigns"]}
    smart_campaigns = run.records["smart_plus_campaigns"]
    assert {c["campaign_id"] for c in smart_campaigns} == upgraded_campaigns
    assert not campaigns & upgraded_campaigns  # the sandbox's standard listing leaves them out
    assert all(c["advertiser_id"] and c["account_currency"] for c in smart_campaigns)
    assert all(isinstance(c["budget"], int | Decimal) for c in smart_campaigns)
    assert {a["campaign_id"] for a in run.records["smart_plus_adgroups"]} == upgraded_campaigns
    ads = run.records["smart_plus_ads"]
    assert run.keys["smart_plus_ads"] == ("smart_plus_ad_id",)
    assert {
        a["smart_plus_ad_id"]: {c["ad_material_id"] for c in a["creative_list"]} for a in ads
    } == creatives
    assert {a["ad_id"] for a in run.records["ads"]} | set(creatives) == every_ad

    insights = run.records["insights"]
    assert run.keys["insights"] == ("advertiser_id", "ad_id", "stat_time_day")
    per_key = Counter((r["advertiser_id"], r["ad_id"], r["stat_time_day"]) for r in insights)
    assert set(per_key.values()) == {1}
    keyed = {r["ad_id"] for r in insights}
    assert keyed <= every_ad and keyed & upgraded_ads  # by ad, never by creative
    assert all(r["ad_id"] == r["ad_id_v2"] for r in insights)
    assert loaded_totals(insights) == loaded_totals(run.records["insights_campaign"])
