"""GMV Max campaigns: `gmv_max_campaigns` and `insights_gmv_max` against the sandbox's world,
their spend plus the integrated report's equal to the whole truth, the lookback on a second
run, and the warning when their report is not selected."""

from __future__ import annotations

import datetime as dt
import signal
from collections import defaultdict
from decimal import Decimal

import requests
from ads_sandbox.tap_runs import TapRunner, upserted
from ads_sandbox.truth import truth_rows
from ads_sandbox.world import World
from test_sync import loaded_totals
from tiktok_tap_runner import END_DATE, SCALE, SEED, START_DATE, TAP

END = dt.date.fromisoformat(END_DATE)
STREAMS = ["advertisers", "gmv_max_campaigns", "insights_gmv_max"]


def _world() -> World:
    return World("tiktok", SEED, SCALE, END)


def test_gmv_max_rows_equal_the_world_and_complete_the_truth(run_tap, make_config):
    run = run_tap(make_config(), [*STREAMS, "insights_advertiser"])
    assert run.returncode == 0, run.stderr
    world = _world()
    rows = run.records["insights_gmv_max"]
    assert run.keys["insights_gmv_max"] == (
        "advertiser_id",
        "store_id",
        "campaign_id",
        "stat_time_day",
    )
    expected = defaultdict(lambda: [Decimal(0), 0, Decimal(0)])
    for account in world.accounts:
        first = account.day_of(dt.date.fromisoformat(START_DATE))
        for r in world.gmv_max_rows(account, first):
            acc = expected[(account.id, world.shop(account).campaigns[r.campaign_index].id)]
            acc[0] += Decimal(r.cost).scaleb(-account.digits)
            acc[1] += r.orders
            acc[2] += Decimal(r.gross_revenue).scaleb(-account.digits)
    got = defaultdict(lambda: [Decimal(0), 0, Decimal(0)])
    for row in rows:
        assert isinstance(row["cost"], Decimal | int) and isinstance(row["orders"], int)
        assert row["account_currency"] and row["account_timezone"]
        acc = got[(row["advertiser_id"], row["campaign_id"])]
        acc[0] += row["cost"]
        acc[1] += row["orders"]
        acc[2] += row["gross_revenue"]
    assert got == expected and expected
    # Deleted campaigns are read, and listed, with their store.
    campaigns = {c["campaign_id"]: c for c in run.records["gmv_max_campaigns"]}
    shops = [world.shop(a) for a in world.accounts if world.shop(a)]
    assert set(campaigns) == {c.id for shop in shops for c in shop.campaigns}
    assert any(c["secondary_status"] == "CAMPAIGN_STATUS_DELETE" for c in campaigns.values())
    assert {r["store_id"] for r in rows} == {shop.store.id for shop in shops}
    # The integrated report and GMV Max together are the whole truth, per account and day.
    totals = loaded_totals(run.records["insights_advertiser"])
    for row in rows:
        total = totals[(row["advertiser_id"], row["stat_time_day"])]
        total["spend"] += row["cost"]
        total["conversion"] += row["orders"]
    truth = {
        (r["account_id"], r["date"]): (r["spend"], r["conversions"])
        for r in truth_rows("tiktok", SEED, SCALE, end_date=END)
        if r["date"] >= START_DATE
    }
    assert {k: (v["spend"], v["conversion"]) for k, v in totals.items()} == truth


def test_a_second_run_rereads_the_lookback(run_tap, make_config):
    first = run_tap(make_config(), STREAMS)
    assert first.returncode == 0, first.stderr
    second = run_tap(make_config(insights_lookback_days=3), STREAMS, first.state)
    assert second.returncode == 0, second.stderr
    days = {r["stat_time_day"] for r in second.records.get("insights_gmv_max", [])}
    # The last day read, and the 3 before it (END_DATE bounds the plan).
    assert days == {(END - dt.timedelta(days=n)).isoformat() for n in range(4)}


def test_advertisers_with_gmv_max_are_named_when_its_stream_is_not_selected(run_tap, make_config):
    run = run_tap(make_config(), ["advertisers", "insights_campaign"])
    assert run.returncode == 0, run.stderr
    world = _world()
    for account in world.accounts:
        named = f"Advertiser {account.id} has" in run.stderr
        assert named == (world.shop(account) is not None), account.id
    assert "Select 'insights_gmv_max'" in run.stderr
    quiet = run_tap(make_config(), ["advertisers", "insights_campaign", "insights_gmv_max"])
    assert quiet.returncode == 0 and "which is not selected" not in quiet.stderr


def test_faults_and_a_kill_load_exactly_what_a_clean_run_loads(
    tmp_path, run_tap, make_config, tiktok_url
):
    def faults(**rates: float) -> None:
        requests.post(f"{tiktok_url}/_sandbox/faults", json=rates, timeout=10).raise_for_status()

    clean = run_tap(make_config(), STREAMS)
    assert clean.returncode == 0, clean.stderr[-3000:]
    expected = clean.upserted()
    assert any(key[0] == "insights_gmv_max" for key in expected)
    faults(rate_limit=0.2, server_error=0.2, disconnect=0.1)
    try:
        faulted = run_tap(make_config(), STREAMS)
    finally:
        faults()
    assert faulted.returncode == 0, faulted.stderr[-3000:]
    assert faulted.upserted() == expected
    assert "Retrying" in faulted.stderr

    runner = TapRunner(TAP, tmp_path / "killed")
    killed = runner.run_killed(make_config(), STREAMS, after_states=4)
    assert killed.returncode == -signal.SIGKILL, "the run ended before the kill"
    resumed = run_tap(make_config(), STREAMS, state=killed.state)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    keys = {**killed.keys, **resumed.keys}
    assert upserted(killed.records, keys) | upserted(resumed.records, keys) == expected
