"""Faults, async jobs and interruptions must not change what tap-meta-ads loads."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from decimal import Decimal

import pytest
import requests
from meta_tap_runner import TAP

STREAMS = ["ad_accounts", "campaigns", "insights_campaign", "insights", "insights_audience_age"]
KEYS = {
    "ad_accounts": ("id",),
    "campaigns": ("id",),
    "insights_campaign": ("account_id", "campaign_id", "date_start"),
    "insights": ("account_id", "ad_id", "date_start"),
    "insights_audience_age": ("account_id", "campaign_id", "date_start", "age"),
}
#: Asked for so the deprecated_field fault has a retired field to refuse.
METRICS = ["impressions", "clicks", "spend", "actions", "action_values", "age_targeting"]


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
    assert "no longer serves age_targeting" in run.stderr
    assert "failed" in run.stderr and "starting it again" in run.stderr


def test_a_killed_run_resumes_without_loss(tmp_path, make_config, run_tap, clean_run):
    settings = config(make_config, report_mode="async", insights_window_days=4)
    run_tap(settings, STREAMS)  # writes config.json and catalog.json into tmp_path
    process = subprocess.Popen(
        [
            TAP,
            "--config",
            str(tmp_path / "config.json"),
            "--catalog",
            str(tmp_path / "catalog.json"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    seen: dict[str, list[dict]] = {}
    state = None
    states = 0
    assert process.stdout is not None
    for line in process.stdout:
        message = json.loads(line, parse_float=Decimal)
        if message["type"] == "RECORD":
            seen.setdefault(message["stream"], []).append(message["record"])
        elif message["type"] == "STATE":
            state, states = message["value"], states + 1
            if states == 8:
                os.kill(process.pid, signal.SIGKILL)
                break
    process.wait()
    assert state is not None
    resumed = run_tap(settings, STREAMS, state=state)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert keyed(seen) | keyed(resumed.records) == clean_run


def test_a_failing_job_is_split_until_it_succeeds(run_tap, make_config, clean_run, faults):
    faults(job_failure=0.5)
    settings = config(make_config, report_mode="async", insights_window_days=4)
    settings["rate_limiting"]["max_retries"] = 1  # one restart, then the job is split
    run = run_tap(settings, STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    assert keyed(run.records) == clean_run
    assert "splitting it into" in run.stderr
