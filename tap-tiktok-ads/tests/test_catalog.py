"""TikTok's whole BASIC/AUDIENCE catalog: the tap's table agrees with the emulator's reading of
TikTok's docs, and every metric and dimension is read through the tap where it is valid."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
import requests
from ads_sandbox.tiktok.catalog import CATALOG
from tap_tiktok_ads.report_catalog import (
    BASIC_BREAKDOWN_DIMENSIONS,
    LEVELS,
    METRICS,
    NATIVE_AUDIENCE_DIMENSIONS,
)

#: report type, hourly, breakdown: the kinds of report a metric may be valid in.
SHAPES = (("BASIC", False, False), ("BASIC", True, False), ("BASIC", False, True))
SHAPES += (("AUDIENCE", False, True),)
#: Metrics per request: TikTok takes lists in the query string, so URLs stay a few KB.
CHUNK = 100
#: Metrics TikTok reports as not available ("-") for this world's accounts: no secondary
#: goals, no app promotions, no DPA ads, no bids on a secondary goal or in-app event.
NOT_AVAILABLE = {
    "secondary_goal_result",
    "cost_per_secondary_goal_result",
    "secondary_goal_result_rate",
    "bid_secondary_goal",
}


def test_the_tap_and_the_emulator_know_the_same_metrics_with_the_same_kinds():
    assert set(METRICS) == set(CATALOG)
    assert {name: m.kind for name, m in METRICS.items()} == {
        name: doc.value for name, doc in CATALOG.items()
    }
    assert len(METRICS) > 750
    groups = {m.group for m in METRICS.values()}
    assert {"attribution", "in_app_event", "page_event", "onsite_event", "live"} <= groups
    for name in ("vta_purchase", "cta_conversion", "skan_conversion", "placement_type"):
        assert name in METRICS


@pytest.mark.parametrize("level", LEVELS)
def test_the_tap_refuses_exactly_what_the_emulator_refuses(level):
    depth = LEVELS.index(level)
    for (report_type, hourly, breakdown), name in itertools.product(SHAPES, METRICS):
        for asynchronous in (False, True):
            tap_ok = METRICS[name].valid_in(
                level=level, audience=report_type == "AUDIENCE", hourly=hourly, breakdown=breakdown
            ) and not (asynchronous and METRICS[name].sync_only)
            emulator_ok = (
                CATALOG[name].refusal(
                    report_type=report_type,
                    depth=depth,
                    hourly=hourly,
                    breakdown=breakdown,
                    asynchronous=asynchronous,
                )
                is None
            )
            assert tap_ok == emulator_ok, (name, level, report_type, hourly, breakdown)


def _reports() -> list[dict]:
    """Custom reports covering every metric and dimension where TikTok accepts them."""
    reports = []
    for level, (report_type, hourly, breakdown) in itertools.product(LEVELS, SHAPES):
        valid = [
            name
            for name, m in METRICS.items()
            if m.valid_in(
                level=level, audience=report_type == "AUDIENCE", hourly=hourly, breakdown=breakdown
            )
        ]
        extra = NATIVE_AUDIENCE_DIMENSIONS if report_type == "AUDIENCE" else ()
        if breakdown and report_type == "BASIC":
            extra = BASIC_BREAKDOWN_DIMENSIONS
        chunks = [valid[i : i + CHUNK] for i in range(0, len(valid), CHUNK)]
        dimension_each = list(extra) or [None]
        for number, chunk in enumerate(chunks):
            # Every dimension meets every level; the metrics rotate over them.
            dims = [dimension_each[number % len(dimension_each)]]
            if number == len(chunks) - 1:
                dims = dimension_each[number % len(dimension_each) :] if extra else [None]
            for dim in dims:
                reports.append(
                    {
                        "name": f"c_{level}_{report_type.lower()}_{'h' if hourly else 'd'}"
                        f"_{dim or 'plain'}_{number}",
                        "report_type": report_type,
                        "data_level": level,
                        "dimensions": [
                            f"{level}_id",
                            "stat_time_hour" if hourly else "stat_time_day",
                            *([dim] if dim else []),
                        ],
                        "metrics": chunk,
                    }
                )
    return reports


def _has_kind(value: object, kind: str) -> bool:
    if value is None:
        return True
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "text":
        return isinstance(value, str)
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def test_every_metric_and_dimension_arrives_with_its_kind(run_tap, make_config, tiktok_url):
    reports = _reports()
    covered = {(r["data_level"], m) for r in reports for m in r["metrics"]}
    assert {m for _, m in covered} == set(METRICS)
    dimensions = {d for r in reports for d in r["dimensions"]}
    assert {*NATIVE_AUDIENCE_DIMENSIONS, "stat_time_hour"} <= dimensions

    advertiser = requests.get(
        f"{tiktok_url}/open_api/v1.3/oauth2/advertiser/get/",
        params={"app_id": "a", "secret": "s"},
        headers={"Access-Token": "sandbox-token"},
        timeout=30,
    ).json()["data"]["list"][0]["advertiser_id"]
    config = make_config(
        advertiser_ids=[advertiser],
        start_date="2026-11-19",
        end_date="2026-11-20",
        custom_reports=reports,
        report_mode="sync",
    )
    run = run_tap(config, [f"report_{r['name']}" for r in reports])
    assert run.returncode == 0, run.stderr[-2000:]
    seen: dict[str, int] = dict.fromkeys(METRICS, 0)
    for report in reports:
        records = run.records.get(f"report_{report['name']}")
        assert records, report["name"]
        for record in records:
            for dim in report["dimensions"]:
                assert isinstance(record[dim], str) and record[dim], (report["name"], dim)
            for name in report["metrics"]:
                assert name in record, (report["name"], name)
                assert _has_kind(record[name], METRICS[name].kind), (name, record[name])
                seen[name] += record[name] is not None
    missing = {
        name
        for name, count in seen.items()
        if not count and METRICS[name].kind != "text" and name not in NOT_AVAILABLE
    }
    assert not missing


def test_a_combination_tiktok_refuses_fails_at_start_naming_it(run_tap, make_config):
    report = {
        "name": "hourly_reach_by_age",
        "report_type": "AUDIENCE",
        "data_level": "adgroup",
        "dimensions": ["adgroup_id", "stat_time_day", "age"],
        "metrics": ["spend", "reach", "vta_purchase"],
    }
    run = run_tap(make_config(custom_reports=[report]), ["report_hourly_reach_by_age"])
    assert run.returncode != 0 and not run.records
    assert "'reach'" in run.stderr and "AUDIENCE adgroup-level" in run.stderr
    assert "'vta_purchase'" not in run.stderr.split("refuses")[0]
