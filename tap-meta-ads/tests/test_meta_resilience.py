"""Faults, async jobs and interruptions must not change what tap-meta-ads loads."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
import requests
from ads_sandbox.tap_runs import TapRunner
from ads_sandbox.truth import truth_rows
from meta_tap_runner import END_DATE, SCALE, SEED, TAP

STREAMS = ["ad_accounts", "campaigns", "insights_campaign", "insights", "insights_audience_age"]
KEYS = {
    "ad_accounts": ("id",),
    "campaigns": ("id",),
    "insights_campaign": ("account_id", "campaign_id", "date_start"),
    "insights": ("account_id", "ad_id", "date_start"),
    "insights_audience_age": ("account_id", "campaign_id", "date_start", "age"),
    "insights_account": ("account_id", "date_start"),
}
#: Asked for so the deprecated_field fault has a field to retire.
METRICS = ["impressions", "clicks", "spend", "actions", "action_values", "estimated_ad_recallers"]


def keyed(records: dict[str, list[dict]]) -> dict[tuple, dict]:
    """Records as a target would hold them after upserts on their primary keys."""
    table = {}
    for stream, rows in records.items():
        for row in rows:
            table[(stream, *(row[k] for k in KEYS[stream]))] = row
    return table


def config(make_config, **overrides):
    return make_config(metrics=METRICS, api_version_fallback=["v27.0"], **overrides)


@pytest.fixture
def clean_run(run_tap, make_config):
    run = run_tap(config(make_config, report_mode="async", insights_window_days=4), STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    return keyed(run.records)


@pytest.fixture
def faults(meta_url):
    def switch(**rates: float) -> None:
        requests.post(f"{meta_url}/_sandbox/faults", json=rates, timeout=10).raise_for_status()

    yield switch
    switch()


def test_faults_load_exactly_what_a_clean_run_loads(run_tap, make_config, clean_run, faults):
    faults(
        rate_limit=0.1,
        server_error=0.1,
        disconnect=0.05,
        timeout=0.02,
        job_failure=0.3,
        deprecated_field=1.0,
        sunset_version=1.0,
    )
    run = run_tap(config(make_config, report_mode="async", insights_window_days=4), STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    assert keyed(run.records) == clean_run
    assert "Retrying" in run.stderr
    assert "moving to v27.0" in run.stderr
    assert "no longer serves estimated_ad_recallers" in run.stderr
    assert "failed" in run.stderr and "starting it again" in run.stderr
    assert "sandbox-secret" not in run.stderr + run.stdout


def test_a_killed_run_resumes_without_loss(tmp_path, make_config, clean_run):
    settings = config(make_config, report_mode="async", insights_window_days=4)
    runner = TapRunner(TAP, tmp_path)
    killed = runner.run_killed(settings, STREAMS, after_states=8)
    assert killed.returncode == -9 and killed.state
    resumed = runner.run(settings, STREAMS, state=killed.state)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert keyed(killed.records) | keyed(resumed.records) == clean_run


def test_a_failing_job_is_split_until_it_succeeds(run_tap, make_config, clean_run, faults):
    # One-day windows make about a hundred jobs: some fail twice and are split (each has a
    # 9 % chance), while a chain of failures down to a slice that cannot be split, which
    # would rightly stop the run, stays far less likely than 1 in 1,000.
    faults(job_failure=0.3)
    settings = config(make_config, report_mode="async", insights_window_days=1)
    settings["rate_limiting"]["max_retries"] = 1  # one restart, then the job is split
    run = run_tap(settings, STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    assert keyed(run.records) == clean_run
    assert "splitting it into" in run.stderr


def test_jobs_asking_for_too_much_are_split_down_to_field_halves_and_joined(
    tmp_path, run_tap, make_config, meta_url
):
    """With a bound on rows x fields no ad-day or campaign-day row fits with every field,
    so jobs split by dates, campaign, ad set and ad, then their fields; the joined records
    are the clean run's, their totals the truth, and a run killed part-way resumes."""
    start = (dt.date.fromisoformat(END_DATE) - dt.timedelta(days=1)).isoformat()
    streams = ["insights", "insights_campaign", "insights_account"]
    settings = config(make_config, report_mode="async", insights_window_days=2, start_date=start)
    clean = run_tap(settings, streams)
    assert clean.returncode == 0, clean.stderr[-3000:]

    def bound(cells: int) -> None:
        url = f"{meta_url}/_sandbox/meta/limits"
        requests.post(url, json={"max_job_cells": cells}, timeout=10).raise_for_status()

    # Ad rows have 18 fields (4 ids), campaign rows 12 (2 ids), account rows 8: with 11,
    # an ad-day or a campaign-day is asked in two halves, an account-day whole.
    bound(11)
    requests.post(f"{meta_url}/_sandbox/reset-stats", timeout=10).raise_for_status()
    # A state saying one ad-day's field-split slice is finished (as a run interrupted after
    # it would have saved): that slice is skipped, nothing else.
    ad = next(r for r in clean.records["insights"] if r["date_start"] == END_DATE)
    done = f"job:{END_DATE}:{END_DATE}:ad={ad['ad_id']}"
    partial = {"context": {"account_id": ad["account_id"]}, "finished_slices": [done]}
    try:
        split = run_tap(settings, streams)
        stats = requests.get(f"{meta_url}/_sandbox/stats", timeout=10).json()
        runner = TapRunner(TAP, tmp_path / "killed")
        killed = runner.run_killed(settings, streams, after_states=4)
        resumed = runner.run(settings, streams, state=killed.state)
        state = {"bookmarks": {"insights": {"partitions": [partial]}}}
        skipping = runner.run(settings, ["insights"], state=state)
    finally:
        bound(0)
    assert split.returncode == 0, split.stderr[-3000:]
    assert keyed(split.records) == keyed(clean.records)
    # An ad's job (ad level) and a campaign's (campaign level) can only split their fields.
    assert re.search(r"job:[-:0-9]+:ad=\d+ failed .* splitting it into 2", split.stderr)
    assert re.search(
        r"insights_campaign, .* job:[-:0-9]+:campaign=\d+ failed .* into 2", split.stderr
    )
    assert "restart" not in split.stderr, "a job asking for too much is split, not restarted"
    assert stats["report_jobs"]["too_large"] > 0
    assert killed.returncode == -9 and resumed.returncode == 0, resumed.stderr[-3000:]
    assert keyed(killed.records) | keyed(resumed.records) == keyed(clean.records)
    assert skipping.returncode == 0, skipping.stderr[-3000:]
    assert "1 slice(s) finished by an earlier run are skipped" in skipping.stderr
    expected = keyed({"insights": clean.records["insights"]})
    del expected[("insights", ad["account_id"], ad["ad_id"], END_DATE)]
    assert keyed({"insights": skipping.records["insights"]}) == expected

    truth = Counter()
    for row in truth_rows("meta", SEED, SCALE, end_date=dt.date.fromisoformat(END_DATE)):
        if row["date"] >= start:
            truth[(row["account_id"], row["date"], "spend")] += row["spend"]
            truth[(row["account_id"], row["date"], "clicks")] += row["clicks"]
    for stream in streams:
        loaded = Counter()
        for record in split.records[stream]:
            loaded[(record["account_id"], record["date_start"], "spend")] += record["spend"]
            loaded[(record["account_id"], record["date_start"], "clicks")] += record["clicks"]
        assert loaded == truth, stream
