"""TikTok's whole BASIC/AUDIENCE catalog: the tap's table agrees with the emulator's reading of
TikTok's docs, and every metric and dimension is read through the tap where it is valid."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
import requests
from ads_sandbox.tiktok.catalog import BASIC_DIMENSIONS, CATALOG
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


def _dimensions(report_type: str, breakdown: bool) -> tuple[str | None, ...]:
    """The BASIC dimensions a shape is tried with (None: no BASIC dimension)."""
    return BASIC_BREAKDOWN_DIMENSIONS if breakdown and report_type == "BASIC" else (None,)


def test_the_tap_and_the_emulator_know_the_same_basic_dimensions():
    assert set(BASIC_BREAKDOWN_DIMENSIONS) == set(BASIC_DIMENSIONS)
    assert {"ad_type", "custom_event_type", "event_source_id", "image_id"} <= set(BASIC_DIMENSIONS)


@pytest.mark.parametrize("level", LEVELS)
def test_the_tap_refuses_exactly_what_the_emulator_refuses(level):
    depth = LEVELS.index(level)
    for (report_type, hourly, breakdown), name in itertools.product(SHAPES, METRICS):
        for asynchronous, dimension in itertools.product(
            (False, True), _dimensions(report_type, breakdown)
        ):
            tap_ok = METRICS[name].valid_in(
                level=level,
                audience=report_type == "AUDIENCE",
                hourly=hourly,
                breakdown=breakdown,
                dimension=dimension,
            ) and not (asynchronous and METRICS[name].sync_only)
            emulator_ok = (
                CATALOG[name].refusal(
                    report_type=report_type,
                    depth=depth,
                    hourly=hourly,
                    breakdown=breakdown,
                    asynchronous=asynchronous,
                    dimension=dimension,
                )
                is None
            )
            assert tap_ok == emulator_ok, (name, level, report_type, hourly, dimension)


def _report(level: str, report_type: str, hourly: bool, dim: str | None, metrics, tag) -> dict:
    return {
        "name": f"c_{level}_{report_type.lower()}_{'h' if hourly else 'd'}_{dim or 'plain'}_{tag}",
        "report_type": report_type,
        "data_level": level,
        "dimensions": [
            f"{level}_id",
            "stat_time_hour" if hourly else "stat_time_day",
            *([dim] if dim else []),
        ],
        "metrics": metrics,
    }


def _reports() -> list[dict]:
    """Custom reports covering every metric and dimension where TikTok accepts them."""
    reports = []
    for level, (report_type, hourly, breakdown) in itertools.product(LEVELS, SHAPES):
        for basic in _dimensions(report_type, breakdown):
            valid = [
                name
                for name, m in METRICS.items()
                if m.valid_in(
                    level=level,
                    audience=report_type == "AUDIENCE",
                    hourly=hourly,
                    breakdown=breakdown,
                    dimension=basic,
                )
            ]
            if basic not in (None, "country_code"):
                # One report each: the metrics only that dimension takes first.
                only = [name for name in valid if METRICS[name].image_id_only]
                reports.append(
                    _report(level, report_type, hourly, basic, [*only, *valid][:CHUNK], 0)
                )
                continue
            extra = NATIVE_AUDIENCE_DIMENSIONS if report_type == "AUDIENCE" else (basic,)
            chunks = [valid[i : i + CHUNK] for i in range(0, len(valid), CHUNK)]
            dimension_each = list(extra)
            for number, chunk in enumerate(chunks):
                # Every dimension meets every level; the metrics rotate over them.
                dims = [dimension_each[number % len(dimension_each)]]
                if number == len(chunks) - 1:
                    dims = dimension_each[number % len(dimension_each) :]
                for dim in dims:
                    reports.append(_report(level, report_type, hourly, dim, chunk, number))
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
    assert {
        *NATIVE_AUDIENCE_DIMENSIONS,
        *BASIC_BREAKDOWN_DIMENSIONS,
        "stat_time_hour",
    } <= dimensions

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
        unserved = {d for d, dim in BASIC_DIMENSIONS.items() if not dim.served}
        assert records or unserved & set(report["dimensions"]), report["name"]
        for record in records or []:
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


def test_a_basic_dimension_with_metrics_it_does_not_take_fails_at_start(run_tap, make_config):
    reports = [
        {
            "name": "spend_by_event",
            "data_level": "campaign",
            "dimensions": ["campaign_id", "stat_time_day", "custom_event_type"],
            "metrics": ["clicks", "complete_payment", "spend"],
        },
        {
            "name": "images_without_image_id",
            "data_level": "ad",
            "dimensions": ["ad_id", "stat_time_day"],
            "metrics": ["single_image_impressions"],
        },
    ]
    run = run_tap(make_config(custom_reports=reports), ["report_spend_by_event"])
    assert run.returncode != 0 and not run.records
    assert "'spend'" in run.stderr and "campaign-level report by custom_event_type" in run.stderr
    assert "'complete_payment'" not in run.stderr.split("refuses")[0]
    assert "'single_image_impressions'" in run.stderr


def test_two_basic_dimensions_together_fail_at_start(run_tap, make_config):
    report = {
        "name": "type_and_country",
        "dimensions": ["campaign_id", "stat_time_day", "ad_type", "country_code"],
        "metrics": ["spend"],
    }
    run = run_tap(make_config(custom_reports=[report]), ["report_type_and_country"])
    assert run.returncode != 0 and not run.records
    assert "combines ad_type, country_code" in run.stderr
