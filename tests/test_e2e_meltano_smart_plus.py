"""TikTok Upgraded Smart+ end to end: `meltano run tap-tiktok-ads transform-unified
target-duckdb` lists the Upgraded Smart+ campaigns through `smart_plus_campaigns`, so their
unified rows carry the real status, objective and budget (no unknown-campaign warning); the
ad-level rows are keyed by ad, never by creative; the warehouse equals `ads-sandbox truth`."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from ads_sandbox.world import World
from compare_truth import ALL_METRICS, compare, load_duckdb, load_truth, report_text

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]

SEED, SCALE = 11, "3x2x2x2x10"
BLOCKS = ("tap-tiktok-ads", "transform-unified", "target-duckdb")


def test_smart_plus_campaigns_are_known_and_the_warehouse_balances(
    sandbox_factory, meltano_project
):
    meltano_project.set_sandbox(sandbox_factory(seed=SEED, scale=SCALE))
    truth = load_truth("tiktok", SEED, SCALE)
    meltano_project.run(*BLOCKS).check()

    comparison = compare(truth, load_duckdb(meltano_project.duckdb_path), ALL_METRICS, "tiktok")
    assert comparison.equal, report_text(comparison)

    any_account = next(iter(truth.values))[2]
    world = World("tiktok", SEED, SCALE, dt.date.fromisoformat(any_account))
    smart, ads, creatives = {}, set(), set()
    for account in world.accounts:
        tree, plus = world.entities(account), world.smart_plus(account)
        smart |= {c.id: c for c in tree.campaigns if plus.is_smart_plus(c.index)}
        ads |= {tree.ads[ad].id for ad in plus.creatives}
        creatives |= {c.id for listed in plus.creatives.values() for c in listed}
    assert smart, "the sandbox's world has no Upgraded Smart+ campaign at this scale"
    ids = ", ".join(f"'{campaign_id}'" for campaign_id in smart)
    with duckdb.connect(str(meltano_project.duckdb_path), read_only=True) as db:
        rows = db.execute(
            "SELECT campaign_id, campaign_name, status, objective, count(budget), count(*), "
            "sum(spend) FROM ads.unified_campaign_performance "
            f"WHERE campaign_id IN ({ids}) GROUP BY ALL"
        ).fetchall()
        entities = db.execute(
            "SELECT campaign_id, status, budget FROM ads.unified_campaigns "
            f"WHERE campaign_id IN ({ids})"
        ).fetchall()
        ad_ids = {
            row[0]
            for row in db.execute(
                "SELECT DISTINCT ad_id FROM ads.unified_ad_performance "
                f"WHERE campaign_id IN ({ids})"
            ).fetchall()
        }
        (warnings,) = db.execute(
            "SELECT list(warnings) FROM ads.unified_run_summary WHERE platform = 'tiktok'"
        ).fetchone()
    assert {row[0] for row in rows} == set(smart)
    for campaign_id, name, status, objective, budgets, days, spend in rows:
        campaign = smart[campaign_id]
        assert name == campaign.name
        assert status == (
            "DELETED" if campaign.deleted_by else "PAUSED" if campaign.paused_by else "ACTIVE"
        )
        assert objective not in ("UNKNOWN", None)
        assert budgets == days and spend > 0  # the budget of every row, from the listing
    assert len(entities) == len(smart) and all(budget is not None for _, _, budget in entities)
    assert "unknown_campaign" not in str(warnings)
    assert ad_ids and ad_ids <= ads and not ad_ids & creatives  # by ad, never by creative
