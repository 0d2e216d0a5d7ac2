"""TikTok Shop GMV Max end to end: `meltano run tap-tiktok-ads transform-unified
target-duckdb` loads GMV Max campaigns' cost, orders and gross revenue as campaign rows, and
the warehouse equals `ads-sandbox truth` (which counts them); without their stream the
totals fall short and the tap names the stream to select."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import duckdb
import pytest
from ads_sandbox.world import World
from compare_truth import ALL_METRICS, compare, load_duckdb, load_truth, report_text

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]

SEED, SCALE = 11, "3x2x2x2x10"
BLOCKS = ("tap-tiktok-ads", "transform-unified", "target-duckdb")
WITHOUT_GMV_MAX = ["advertisers.*", "campaigns.*", "insights_campaign.*"]


def test_gmv_max_loads_into_the_unified_rows_and_balances_with_the_truth(
    sandbox_factory, meltano_project
):
    meltano_project.set_sandbox(sandbox_factory(seed=SEED, scale=SCALE))
    truth = load_truth("tiktok", SEED, SCALE)
    meltano_project.run(*BLOCKS).check()

    comparison = compare(truth, load_duckdb(meltano_project.duckdb_path), ALL_METRICS, "tiktok")
    assert comparison.equal, report_text(comparison)

    # The world's GMV Max campaigns are campaign rows: cost, orders and revenue, no
    # impressions or clicks (the report has none), their entity columns from the listing.
    any_account = next(iter(truth.values))[2]
    world = World("tiktok", SEED, SCALE, dt.date.fromisoformat(any_account))
    gmv = {
        c.id: c
        for account in world.accounts
        if (shop := world.shop(account))
        for c in shop.campaigns
    }
    assert gmv, "the sandbox's world has no GMV Max campaign at this scale"
    ids = ", ".join(f"'{campaign_id}'" for campaign_id in gmv)
    with duckdb.connect(str(meltano_project.duckdb_path), read_only=True) as db:
        rows = db.execute(
            "SELECT campaign_id, campaign_name, status, objective, count(*), sum(spend), "
            "count(impressions), count(clicks), sum(conversions) "
            f"FROM ads.unified_campaign_performance WHERE campaign_id IN ({ids}) GROUP BY ALL"
        ).fetchall()
        entities = db.execute(
            f"SELECT campaign_id, status FROM ads.unified_campaigns WHERE campaign_id IN ({ids})"
        ).fetchall()
    assert {row[0] for row in rows} == set(gmv)
    for campaign_id, name, status, objective, days, spend, imps, clicks, orders in rows:
        campaign = gmv[campaign_id]
        assert name == campaign.name and objective == "SALES"
        assert status == ("DELETED" if campaign.deleted else "ACTIVE")
        assert days > 0 and spend > 0 and orders > 0
        assert (imps, clicks) == (0, 0)  # null on every GMV Max row
    assert dict(entities) == {c.id: "DELETED" if c.deleted else "ACTIVE" for c in gmv.values()}


def test_without_the_gmv_max_stream_the_spend_falls_short_and_the_tap_says_so(
    sandbox_factory, meltano_project
):
    meltano_project.set_sandbox(sandbox_factory(seed=SEED, scale=SCALE))
    meltano_project.env["TAP_TIKTOK_ADS__SELECT"] = json.dumps(WITHOUT_GMV_MAX)
    truth = load_truth("tiktok", SEED, SCALE)
    run = meltano_project.run(*BLOCKS).check()

    assert "Select 'insights_gmv_max'" in run.output
    loaded = load_duckdb(meltano_project.duckdb_path)
    short = Decimal(0)
    for key, values in truth.values.items():
        got = loaded.values.get(key, {}).get("spend", Decimal(0))
        assert got <= values["spend"]
        short += values["spend"] - got
    assert short > 0
    assert not compare(truth, loaded, ("spend",), "tiktok").equal
