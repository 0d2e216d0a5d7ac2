"""Faults, report tasks and interruptions must not change what the tap loads."""

from __future__ import annotations

import datetime as dt
import signal

import pytest
import requests
from ads_sandbox.tap_runs import TapRunner
from tiktok_tap_runner import TAP

STREAMS = ["campaigns", "insights_campaign", "insights"]


def keyed(records: dict[str, list[dict]]) -> dict[tuple, dict]:
    """Records as a target would hold them after upserts on their primary keys."""
    keys = {
        "campaigns": ("campaign_id",),
        "insights_campaign": ("advertiser_id", "campaign_id", "stat_time_day"),
        "insights": ("advertiser_id", "ad_id", "stat_time_day"),
    }
    table = {}
    for stream, rows in records.items():
        for row in rows:
            table[(stream, *(row[k] for k in keys[stream]))] = row
    return table


@pytest.fixture
def clean_run(run_tap, make_config):
    run = run_tap(make_config(), STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    return keyed(run.records)


@pytest.fixture
def faults(tiktok_url):
    def switch(**rates: float) -> None:
        requests.post(f"{tiktok_url}/_sandbox/faults", json=rates, timeout=10).raise_for_status()

    yield switch
    switch()


def test_faults_load_exactly_what_a_clean_run_loads(run_tap, make_config, clean_run, faults):
    faults(rate_limit=0.15, server_error=0.15, disconnect=0.1, timeout=0.02)
    run = run_tap(make_config(), STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    assert keyed(run.records) == clean_run
    assert "Retrying" in run.stderr
    assert "rows were lost" not in run.stderr  # retried pages lose nothing


def test_report_tasks_load_what_the_synchronous_report_loads(
    run_tap, make_config, clean_run, faults
):
    faults(job_failure=0.3)
    run = run_tap(make_config(report_mode="async"), STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    assert keyed(run.records) == clean_run
    assert "with report tasks" in run.stderr


def test_auto_mode_explains_its_choice(run_tap, make_config):
    run = run_tap(make_config(async_report_min_rows=20), ["insights_campaign"])
    assert run.returncode == 0, run.stderr[-3000:]
    assert "with report tasks (up to" in run.stderr
    run = run_tap(make_config(advertisers_per_report=1), ["insights_campaign"])
    assert "with the synchronous report (up to" in run.stderr
    run = run_tap(make_config(), ["insights_campaign"])
    assert "read together" in run.stderr and "(108 rows)" in run.stderr


def test_a_killed_run_resumes_without_loss(tmp_path, make_config, run_tap, clean_run):
    killed = TapRunner(TAP, tmp_path).run_killed(make_config(), STREAMS, after_states=6)
    assert killed.returncode == -signal.SIGKILL, "the run ended before the kill"
    state, seen = killed.state, killed.records
    assert state
    resumed = run_tap(make_config(), STREAMS, state=state)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    merged = keyed(seen) | keyed(resumed.records)
    assert merged == clean_run
    # ... and re-reads only what it must: a report an advertiser had finished before the kill
    # is read again from its bookmark minus the lookback (7 days), not from the start.
    finished = {
        (stream, partition["context"]["account_id"]): partition["replication_key_value"]
        for stream, bookmark in state["bookmarks"].items()
        if stream.startswith("insights")
        for partition in bookmark.get("partitions", [])
        if "progress_markers" not in partition and partition.get("replication_key_value")
    }
    assert finished, "the kill came after an advertiser's report was done"
    for (stream, advertiser), bookmark in finished.items():
        days = {
            row["stat_time_day"]
            for row in resumed.records.get(stream, [])
            if row["advertiser_id"] == advertiser
        }
        earliest = dt.date.fromisoformat(bookmark[:10]) - dt.timedelta(days=7)
        assert days and min(days) >= earliest.isoformat(), (stream, advertiser, sorted(days))
    assert len(keyed(resumed.records)) < len(clean_run)


def test_a_metric_tiktok_stops_serving_is_dropped_remembered_and_the_run_goes_on(
    run_tap, make_config, clean_run, faults
):
    metrics = ["spend", "impressions", "clicks", "real_time_conversion"]
    faults(deprecated_field=1.0)
    run = run_tap(make_config(metrics=metrics), ["insights_campaign"])
    assert run.returncode == 0, run.stderr[-3000:]
    assert "no longer serves real_time_conversion" in run.stderr
    assert "setting 'metrics'" in run.stderr
    rows = run.records["insights_campaign"]
    assert rows and all(row.get("real_time_conversion") is None for row in rows)
    expected = {k: v for k, v in clean_run.items() if k[0] == "insights_campaign"}
    assert {k: v["spend"] for k, v in keyed({"insights_campaign": rows}).items()} == {
        k: v["spend"] for k, v in expected.items()
    }
    assert run.state["bookmarks"]["insights_campaign"]["refused_fields"] == ["real_time_conversion"]
    # A later run, from that state, does not ask for it again.
    again = run_tap(make_config(metrics=metrics), ["insights_campaign"], state=run.state)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "no longer serves" not in again.stderr
