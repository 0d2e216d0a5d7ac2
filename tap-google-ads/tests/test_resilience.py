"""Interrupted runs, expired page tokens, accounts that cannot be read, exhausted quotas."""

from __future__ import annotations

import json
import signal
import subprocess
from decimal import Decimal

import requests
from ads_sandbox.tap_runs import TapRun, TapRunner
from ads_sandbox.testing import running_sandbox
from google_tap_runner import END_DATE, SCALE, SEED, TAP

REPORT = "campaign_performance"
KEY = ("account_id", "campaign__id", "segments__date")


def keyed(records: list[dict]) -> dict[tuple, dict]:
    return {tuple(r[k] for k in KEY): r for r in records}


def test_a_killed_run_resumed_from_its_state_loses_and_duplicates_nothing(
    run_tap, make_config, tmp_path
):
    config = make_config(insights_lookback_days=1)
    clean = run_tap(config, ["customers", REPORT])
    assert clean.returncode == 0, clean.stderr[-3000:]
    command = TapRunner(TAP, tmp_path / "killed").prepare(config, ["customers", REPORT], None)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    first = TapRun("", "", 0)
    for line in proc.stdout:
        message = json.loads(line, parse_float=Decimal)
        first.take(message)
        partitions = (
            message["value"].get("bookmarks", {}).get(REPORT, {}).get("partitions", [])
            if message["type"] == "STATE"
            else []
        )
        if any(p.get("replication_key_value") for p in partitions):
            proc.send_signal(signal.SIGKILL)  # one customer done, the others not yet
            break
    first.returncode = proc.wait()
    assert first.records.get(REPORT) and len(first.records[REPORT]) < len(clean.records[REPORT])
    resumed = run_tap(config, ["customers", REPORT], state=first.state)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    loaded = {**keyed(first.records[REPORT]), **keyed(resumed.records[REPORT])}
    assert loaded == keyed(clean.records[REPORT])  # nothing lost, every row as a clean run
    # The customer finished before the kill is read again from its bookmark minus the
    # one lookback day only, not from the start.
    done = next(
        p for p in first.state["bookmarks"][REPORT]["partitions"] if p.get("replication_key_value")
    )
    again = [r for r in resumed.records[REPORT] if r["account_id"] == done["context"]["account_id"]]
    assert again and min(r["segments__date"] for r in again) >= "2026-11-19"


def test_expired_page_tokens_restart_the_listing(run_tap, make_config):
    args = ("--end-date", END_DATE, "--google-page-token-expiry", "1")
    with running_sandbox(seed=SEED, scale="1x60x20x10x3", extra_args=args) as urls:
        run = run_tap(make_config(urls), ["customers", "ads"])
        stats = requests.get(f"{urls['oauth']}/_sandbox/stats", timeout=10).json()
    assert run.returncode == 0, run.stderr[-3000:]
    assert "EXPIRED_PAGE_TOKEN" in run.stderr
    ads = run.records["ads"]
    assert len(ads) > 10_000  # more than one page
    assert len({(a["ad_group__id"], a["ad_group_ad__ad__id"]) for a in ads}) == len(ads)
    assert stats["requests"]


def test_an_unreadable_customer_is_named_while_the_others_finish(run_tap, make_config, google_urls):
    everyone = run_tap(make_config(), ["customers"])
    clients = [c for c in everyone.records["customers"] if not c["customer__manager"]]
    cancelled = next(
        line.split(": ")[-1].split(" ")[0]
        for line in everyone.stderr.splitlines()
        if "not enabled" in line
    )
    ids = [str(clients[0]["customer__id"]), cancelled]
    run = run_tap(make_config(customer_ids=ids), ["customers", REPORT])
    assert run.returncode != 0
    assert {r["account_id"] for r in run.records[REPORT]} == {ids[0]}
    last = run.stderr.strip().splitlines()[-1]
    assert cancelled in last and "CUSTOMER_NOT_ENABLED" in last and "customer_ids" in last


def test_the_daily_quota_stops_the_run_at_once_with_resumable_state(run_tap, make_config):
    args = ("--end-date", END_DATE, "--google-daily-operations", "6")
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=args) as urls:
        run = run_tap(make_config(urls), ["customers", REPORT])
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert "RESOURCE_EXHAUSTED" in last and "max_wait_seconds" in last and "resumable" in last
    assert "Retrying" not in run.stderr


def test_a_refused_refresh_token_names_the_setting(run_tap, make_config):
    run = run_tap(make_config(refresh_token="revoked"), ["customers"])
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert "refresh_token" in last and "invalid_grant" in last
    assert "revoked" not in last.replace("expired or revoked", "")


def test_a_field_google_no_longer_serves_is_dropped_and_remembered(run_tap, make_config):
    args = ("--end-date", END_DATE)
    with running_sandbox(
        seed=SEED, scale=SCALE, faults="deprecated_field=1", extra_args=args
    ) as urls:
        run = run_tap(make_config(urls), ["customers", REPORT])
    assert run.returncode == 0, run.stderr[-3000:]
    assert "no longer serves metrics.average_cpm" in run.stderr
    rows = run.records[REPORT]
    assert rows and all(r.get("metrics__average_cpm") is None for r in rows)
    assert all(r["metrics__cost_micros"] is not None for r in rows)
    # Remembered in the stream's state: later runs do not ask for it again.
    assert run.state["bookmarks"][REPORT]["refused_fields"] == ["metrics.average_cpm"]


def test_a_configured_login_customer_id_wins_and_ids_take_dashes(run_tap, make_config):
    found = run_tap(make_config(), ["customers"])
    manager = next(c for c in found.records["customers"] if c["customer__manager"])
    client, *others = [c for c in found.records["customers"] if not c["customer__manager"]]

    def dashed(number: int) -> str:
        text = str(number)
        return f"{text[:3]}-{text[3:6]}-{text[6:]}"

    config = make_config(
        login_customer_id=dashed(manager["customer__id"]),
        customer_ids=[dashed(client["customer__id"])],
    )
    run = run_tap(config, ["customers", REPORT])
    assert run.returncode == 0, run.stderr[-3000:]
    assert {r["account_id"] for r in run.records[REPORT]} == {str(client["customer__id"])}
    # A login customer id that is not a manager of the client: the client is named.
    wrong = make_config(
        login_customer_id=str(client["customer__id"]),
        customer_ids=[str(c["customer__id"]) for c in others],
    )
    refused = run_tap(wrong, ["customers", REPORT])
    assert refused.returncode != 0
    assert "USER_PERMISSION_DENIED" in refused.stderr.strip().splitlines()[-1]


def test_a_developer_token_for_test_accounts_only_names_the_setting(run_tap, make_config):
    run = run_tap(make_config(developer_token="sandbox-test-dev"), ["customers", REPORT])
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert "DEVELOPER_TOKEN_NOT_APPROVED" in last and "developer_token" in last
    assert "Basic" in last and "sandbox-test-dev" not in run.stderr
    assert not run.records.get(REPORT)
