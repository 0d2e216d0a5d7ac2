"""Runs of the tap against the sandbox, checked against the sandbox's truth."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal

import requests
from ads_sandbox.testing import running_sandbox
from ads_sandbox.truth import truth_rows
from google_tap_runner import END_DATE, SCALE, SEED, START_DATE

FIELDS = ("spend", "impressions", "clicks", "conversions", "conversion_value")
REPORTS = ["customers", "campaign_performance", "ad_group_performance", "ad_group_performance_age"]


def truth_totals() -> dict[tuple[str, str], dict]:
    return {
        (row["account_id"], row["date"]): {field: Decimal(row[field]) for field in FIELDS}
        for row in truth_rows("google_ads", SEED, SCALE, end_date=dt.date.fromisoformat(END_DATE))
        if row["date"] >= START_DATE
    }


def loaded_totals(records: list[dict]) -> dict[tuple[str, str], dict]:
    """Per customer and day, cost converted from micros here (the tap keeps micros)."""
    totals: dict = defaultdict(lambda: dict.fromkeys(FIELDS, Decimal(0)))
    for record in records:
        total = totals[(record["account_id"], record["segments__date"])]
        total["spend"] += Decimal(record["metrics__cost_micros"]) / 1_000_000
        total["impressions"] += record["metrics__impressions"]
        total["clicks"] += record["metrics__clicks"]
        total["conversions"] += Decimal(record["metrics__conversions"])
        total["conversion_value"] += Decimal(record["metrics__conversions_value"])
    return dict(totals)


def test_campaign_report_equals_truth_for_every_customer_found(run_tap, make_config):
    # One client sits under a sub-manager (level 2 of the top manager's tree): a walk of
    # `customer_client.level <= 1` would miss its spend.
    run = run_tap(make_config(), REPORTS)
    assert run.returncode == 0, run.stderr[-3000:]
    assert loaded_totals(run.records["campaign_performance"]) == truth_totals()
    customers = run.records["customers"]
    managers = [c for c in customers if c["customer__manager"]]
    clients = [c for c in customers if not c["customer__manager"]]
    assert len(managers) == 1 and len(clients) == 3
    assert len({c["customer__currency_code"] for c in clients}) == 3
    assert "CANCELED" in run.stderr and "not enabled" in run.stderr
    # Breakdowns add up to their report (Performance Max has no ad groups: both omit it).
    assert loaded_totals(run.records["ad_group_performance_age"]) == loaded_totals(
        run.records["ad_group_performance"]
    )
    row = run.records["campaign_performance"][0]
    assert isinstance(row["metrics__cost_micros"], int) and row["account_currency"]


def key_of(stream: str, record: dict, keys: dict[str, list[str]]) -> str:
    return json.dumps([record.get(k) for k in keys[stream]], default=str)


def by_key(records: dict[str, list[dict]], keys: dict[str, list[str]]) -> dict[str, dict]:
    return {stream: {key_of(stream, r, keys): r for r in rows} for stream, rows in records.items()}


PRIMARY_KEYS = {
    "customers": ["customer__id"],
    "campaigns": ["account_id", "campaign__id"],
    "ads": ["account_id", "ad_group__id", "ad_group_ad__ad__id"],
    "campaign_performance": ["account_id", "campaign__id", "segments__date"],
    "ad_performance_device": [
        "account_id", "ad_group__id", "ad_group_ad__ad__id", "segments__date", "segments__device",
    ],
}  # fmt: skip


def test_fault_run_loads_what_the_clean_run_loads(run_tap, make_config):
    streams = list(PRIMARY_KEYS)
    clean = run_tap(make_config(), streams)
    assert clean.returncode == 0, clean.stderr[-3000:]
    faults = "rate_limit,server_error,disconnect,sunset_version,timeout,token_expiry"
    args = (
        "--end-date", END_DATE, "--google-page-token-expiry", "0.3",
        "--fault-timeout-seconds", "0.2",
    )  # fmt: skip
    with running_sandbox(seed=SEED, scale=SCALE, faults=faults, extra_args=args) as urls:
        config = make_config(urls, api_version="v23", api_version_fallback=["v26"])
        faulty = run_tap(config, streams)
        injected = requests.get(f"{urls['oauth']}/_sandbox/stats", timeout=10).json()
    assert faulty.returncode == 0, faulty.stderr[-3000:]
    for fault in ("rate_limit", "server_error", "disconnect", "sunset_version"):
        assert injected["faults_injected"].get(fault), (fault, injected)
    assert "moving to v26" in faulty.stderr
    assert "Retrying" in faulty.stderr
    for stream in streams:
        assert len(faulty.records[stream]) == len(clean.records[stream]), stream
    assert by_key(faulty.records, PRIMARY_KEYS) == by_key(clean.records, PRIMARY_KEYS)
