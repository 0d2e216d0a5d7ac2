"""Multi-advertiser reports load exactly what one report per advertiser loads, with fewer
requests, with faults as without."""

from __future__ import annotations

import pytest
import requests
from ads_sandbox.testing import running_sandbox
from test_sync import loaded_totals, truth_totals
from tiktok_tap_runner import END_DATE, SCALE, SEED

STREAMS = ["insights_campaign", "insights", "insights_adgroup_hourly", "insights_audience_age"]
KEYS = {
    "insights_campaign": ("campaign_id", "stat_time_day"),
    "insights": ("ad_id", "stat_time_day"),
    "insights_adgroup_hourly": ("adgroup_id", "stat_time_hour"),
    "insights_audience_age": ("campaign_id", "stat_time_day", "age"),
}


def keyed(records: dict[str, list[dict]]) -> dict[tuple, dict]:
    table = {}
    for stream, rows in records.items():
        if stream not in KEYS:
            continue
        for row in rows:
            key = (stream, row["advertiser_id"], *(row[k] for k in KEYS[stream]))
            assert key not in table, key  # every row once
            table[key] = row
    return table


def report_requests(url: str) -> int:
    stats = requests.get(f"{url}/_sandbox/stats", timeout=10).json()["requests"]
    return stats.get("/open_api/v1.3/report/integrated/get/", 0)


@pytest.fixture
def faults(tiktok_url):
    def switch(**rates: float) -> None:
        requests.post(f"{tiktok_url}/_sandbox/faults", json=rates, timeout=10).raise_for_status()

    yield switch
    switch()


def test_reports_read_together_load_what_separate_ones_load(
    run_tap, make_config, tiktok_url, faults
):
    before = report_requests(tiktok_url)
    alone = run_tap(make_config(advertisers_per_report=1, report_mode="sync"), STREAMS)
    separate = report_requests(tiktok_url) - before
    assert alone.returncode == 0, alone.stderr[-3000:]
    assert "read together" not in alone.stderr

    before = report_requests(tiktok_url)
    together = run_tap(make_config(report_mode="sync"), STREAMS)
    grouped = report_requests(tiktok_url) - before
    assert together.returncode == 0, together.stderr[-3000:]
    assert "read together" in together.stderr
    assert keyed(together.records) == keyed(alone.records)
    assert loaded_totals(together.records["insights_campaign"]) == truth_totals()
    assert grouped * 2 < separate  # three small advertisers: about a third of the requests

    faults(rate_limit=0.15, server_error=0.15, disconnect=0.1, timeout=0.02)
    faulty = run_tap(make_config(report_mode="sync"), STREAMS)
    assert faulty.returncode == 0, faulty.stderr[-3000:]
    assert keyed(faulty.records) == keyed(alone.records)
    assert "Retrying" in faulty.stderr


def test_a_truncated_group_is_read_one_advertiser_at_a_time(run_tap, make_config):
    """With 20,000 ads together (here: 6, on an emulator of its own) TikTok truncates a group;
    the tap reads those advertisers one at a time and loads every row."""
    extra = ("--end-date", END_DATE, "--sync-ad-limit", "6", "--task-seconds", "0.2")
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=extra) as urls:
        config = make_config(api_url=urls["tiktok"], report_mode="sync")
        run = run_tap(config, ["insights", "insights_campaign"])
    assert run.returncode == 0, run.stderr[-3000:]
    assert "are read one at a time: the group has 20,000 ads or more" in run.stderr
    assert "read together" in run.stderr  # the campaign level still goes together
    assert loaded_totals(run.records["insights"]) == truth_totals()
    assert loaded_totals(run.records["insights_campaign"]) == truth_totals()
