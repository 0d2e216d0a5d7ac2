"""How other Google Ads taps lose or misreport data (/work/shared/api/peers-google-ads.md),
each proved absent here against the emulator."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from decimal import Decimal

import requests
from ads_sandbox.tap_runs import upserted
from ads_sandbox.testing import running_sandbox
from ads_sandbox.truth import truth_rows
from google_tap_runner import END_DATE, SCALE, SEED, START_DATE, TAP

REPORT = "campaign_performance"


def conversions(records: list[dict]) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = {}
    for r in records:
        key = (r["account_id"], r["segments__date"])
        totals[key] = totals.get(key, Decimal(0)) + Decimal(r["metrics__conversions"])
    return totals


def test_late_conversions_are_read_again_on_the_next_run(run_tap, make_config):
    """MeltanoLabs (no lookback) and PostHog #66449: conversions of recent days keep
    arriving, a run after them loads the grown values."""
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=("--end-date", END_DATE)) as urls:
        first = run_tap(make_config(urls), ["customers", REPORT])
        assert first.returncode == 0, first.stderr[-3000:]
        advanced = requests.post(f"{urls['oauth']}/_sandbox/advance", timeout=10)
        assert advanced.status_code == 200, advanced.text
        second = run_tap(make_config(urls), ["customers", REPORT], state=first.state)
    assert second.returncode == 0, second.stderr[-3000:]
    end = dt.date.fromisoformat(END_DATE)
    grown = {
        (r["account_id"], r["date"]): Decimal(r["conversions"])
        for r in truth_rows("google_ads", SEED, SCALE, end_date=end, revision=1)
        if r["date"] >= START_DATE
    }
    rows = upserted({REPORT: first.records[REPORT] + second.records[REPORT]}, first.keys)
    assert conversions(first.records[REPORT]) != grown  # they did grow
    assert conversions(list(rows.values())) == grown


def test_each_customer_resumes_from_its_own_bookmark(run_tap, make_config):
    """MeltanoLabs (b): the second customer must not reuse the first one's start."""
    config = make_config(insights_lookback_days=2)
    first = run_tap(config, ["customers", REPORT])
    assert first.returncode == 0, first.stderr[-3000:]
    state = json.loads(json.dumps(first.state))
    partitions = state["bookmarks"][REPORT]["partitions"]
    assert len(partitions) == 3
    bookmarks = dict(zip((p["context"]["account_id"] for p in partitions),
                         ("2026-11-05", "2026-11-12", "2026-11-18"), strict=True))  # fmt: skip
    for partition in partitions:
        partition["replication_key_value"] = bookmarks[partition["context"]["account_id"]]
    second = run_tap(config, ["customers", REPORT], state=state)
    assert second.returncode == 0, second.stderr[-3000:]
    starts: dict[str, str] = {}
    for record in second.records[REPORT]:
        account = record["account_id"]
        starts[account] = min(starts.get(account, "9999"), record["segments__date"])
    expected = {
        account: (dt.date.fromisoformat(day) - dt.timedelta(days=2)).isoformat()
        for account, day in bookmarks.items()
    }
    assert starts == expected
    saved = {
        p["context"]["account_id"]: p["replication_key_value"]
        for p in second.state["bookmarks"][REPORT]["partitions"]
    }
    assert saved == dict.fromkeys(bookmarks, END_DATE)


def discovered(config: dict, tmp_path) -> dict[str, list[str]]:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    out = subprocess.run(
        [TAP, "--config", str(path), "--discover"], check=True, capture_output=True, text=True
    )
    return {s["tap_stream_id"]: s["key_properties"] for s in json.loads(out.stdout)["streams"]}


def test_report_keys_are_ids_and_every_segment_never_names(make_config, tmp_path):
    """Singer's hash-of-values key, MeltanoLabs' (campaign name, status, date, device) key
    and Airbyte #48071 (a segment left out of the key collapses rows)."""
    custom = [
        {
            "name": "conversions_by_action",
            "query": "SELECT campaign.id, segments.date, segments.conversion_action_name, "
            "metrics.conversions FROM campaign",
        }
    ]
    breakdowns = ["device", "network", "age", "gender", "placement"]
    keys = discovered(make_config(custom_reports=custom, breakdowns=breakdowns), tmp_path)
    reports = {
        name: key for name, key in keys.items() if "performance" in name or "report_" in name
    }
    assert len(reports) >= 13
    for name, key in reports.items():
        assert key[0] == "account_id" and "segments__date" in key, name
        assert not [k for k in key if k.endswith(("__name", "__status"))], (name, key)
        assert any(k.endswith(("__id", "__criterion_id", "__search_term", "__placement"))
                   for k in key), (name, key)  # fmt: skip
        if name.endswith("_device"):
            assert "segments__device" in key, name
        if name.endswith("_network"):
            assert "segments__ad_network_type" in key, name
    assert "segments__conversion_action_name" in reports["report_conversions_by_action"]


def test_a_custom_report_without_dates_gets_no_date_filter(run_tap, make_config):
    """Airbyte #14446: a custom query FROM a resource without segments.date must not have
    one added (the real API refuses it there); it is read whole, full table."""
    custom = [
        {"name": "campaign_names", "query": "SELECT campaign.id, campaign.name FROM campaign"}
    ]
    run = run_tap(
        make_config(custom_reports=custom), ["customers", "report_campaign_names", "campaigns"]
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "segments.date" not in run.stderr
    names = {(r["account_id"], r["campaign__id"]) for r in run.records["report_campaign_names"]}
    assert names == {(r["account_id"], r["campaign__id"]) for r in run.records["campaigns"]}
    assert "report_campaign_names" not in run.state.get("bookmarks", {}) or not any(
        p.get("replication_key_value")
        for p in run.state["bookmarks"]["report_campaign_names"].get("partitions", [])
    )


def test_date_ranges_are_read_in_windows_not_one_day_per_call(run_tap, make_config):
    """Singer reads one day per request (365 operations a year a report a customer against
    Basic access' 15,000 a day): here 14 days per SearchStream."""
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=("--end-date", END_DATE)) as urls:
        run = run_tap(make_config(urls), ["customers", REPORT])
        stats = requests.get(f"{urls['oauth']}/_sandbox/stats", timeout=10).json()
    assert run.returncode == 0, run.stderr[-3000:]
    streams = sum(n for path, n in stats["requests"].items() if path.endswith("/SearchStream"))
    days = (dt.date.fromisoformat(END_DATE) - dt.date.fromisoformat(START_DATE)).days + 1
    customers = len({r["account_id"] for r in run.records[REPORT]})
    assert customers == 3 and days == 20
    assert streams == customers * 2  # 20 days: two windows of at most 14 days each
    assert stats["over_limit"] == {}


def test_per_second_limits_are_waited_out_and_lose_nothing(run_tap, make_config):
    """Short-term limits (per customer and per developer token) answer
    RESOURCE_TEMPORARILY_EXHAUSTED with a retry_delay of a second: waited, not fatal."""
    streams = ["customers", "campaigns", REPORT]
    clean = run_tap(make_config(), streams)
    assert clean.returncode == 0, clean.stderr[-3000:]
    args = ("--end-date", END_DATE, "--google-customer-qps", "1", "--google-developer-qps", "2")
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=args) as urls:
        limited = run_tap(make_config(urls), streams)
        stats = requests.get(f"{urls['oauth']}/_sandbox/stats", timeout=10).json()
    assert limited.returncode == 0, limited.stderr[-3000:]
    assert sum(stats["over_limit"].values()) > 0, stats
    assert limited.upserted() == clean.upserted()
    for stream in streams:
        assert len(limited.records[stream]) == len(clean.records[stream]), stream


def test_entity_listings_cost_one_operation_per_stream_and_customer(run_tap, make_config):
    """What full-table entity streams cost: one Search per stream and customer (pages
    cost no operation), whatever the size of the listing."""
    entities = ["campaigns", "ad_groups", "ads", "keywords", "campaign_budgets"]
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=("--end-date", END_DATE)) as urls:

        def searches(streams: list[str]) -> int:
            requests.post(f"{urls['oauth']}/_sandbox/reset-stats", timeout=10).raise_for_status()
            run = run_tap(make_config(urls), streams)
            assert run.returncode == 0, run.stderr[-3000:]
            stats = requests.get(f"{urls['oauth']}/_sandbox/stats", timeout=10).json()
            return sum(n for path, n in stats["requests"].items() if path.endswith("/Search"))

        assert searches(["customers", *entities]) - searches(["customers"]) == len(entities) * 3
