"""Every count and summed money metric of the catalog adds up across reports, as TikTok's do,
driven with plain HTTP: each dimension's rows sum to the unbroken report, hours to days, ads to
ad groups to campaigns to the advertiser, and an async task's CSV and a five-advertiser report
hold the same numbers as the single advertiser's sync report. Unique-user metrics (`reach`,
`frequency`, `cost_per_1000_reached`) are not additive and are left out, as are ratios."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from ads_sandbox.tiktok.catalog import BASIC_DIMENSIONS, CATALOG, LEVEL_NAMES
from ads_sandbox.tiktok.report_query import STATUS_FIELDS
from ads_sandbox.tiktok.vocab import AUDIENCE_DIMENSIONS

from .conftest import END, TikTok, status_all
from .test_tiktok_reports import report
from .test_tiktok_tasks import _post_create, _wait

LEVELS = [f"AUCTION_{name.upper()}" for name in LEVEL_NAMES]
ID_DIMENSIONS = ("advertiser_id", "campaign_id", "adgroup_id", "ad_id")
WINDOW = {"start_date": (END - timedelta(days=1)).isoformat(), "end_date": END.isoformat()}
ONE_DAY = {"start_date": END.isoformat(), "end_date": END.isoformat()}
#: BASIC dimensions whose rows cover every ad (image_id, video_material_id: ads of one format).
FORMAT_DIMENSIONS = ["image_id", "video_material_id"]
COVERING = [d for d, v in BASIC_DIMENSIONS.items() if v.served and d not in FORMAT_DIMENSIONS]
Sums = dict[tuple[str, ...], dict[str, Decimal | str]]


def _summed(name: str) -> bool:
    """Counts and money totals: what adds up. Not unique users, ratios or attributes."""
    doc = CATALOG[name]
    if doc.section == "attribute" or name == "reach":
        return False
    if doc.value == "integer":
        return True
    cost = "cost" in name.replace("billed_cost", "") or name in ("cpc", "cpm")
    return doc.value == "money" and not cost and not name.startswith("value_per_")


SUMMED = [name for name in CATALOG if _summed(name)]


def _valid(depth: int, report_type: str = "BASIC", **how: Any) -> list[str]:
    """The summed metrics the docs allow at this level, and unbroken at that level too."""
    plain = {"report_type": "BASIC", "depth": depth, "hourly": False, "breakdown": False}
    rules = {**plain, "report_type": report_type, **how}
    return [
        m
        for m in SUMMED
        if CATALOG[m].refusal(**rules, asynchronous=False) is None
        and CATALOG[m].refusal(**plain, asynchronous=False) is None
    ]


def _add(sums: Sums, key: tuple[str, ...], metrics: dict[str, str]) -> None:
    """Sum a row's metrics into sums[key]; "-" stays "-" only where every row says "-"."""
    acc = sums[key]
    for name, value in metrics.items():
        if value == "-":
            assert acc.setdefault(name, "-") == "-", (key, name)
        else:
            acc[name] = acc.get(name, Decimal(0)) + Decimal(value)


def _sums(
    api: TikTok, advertiser: str, depth: int, dims: list[str], metrics: list[str], **params: Any
) -> Sums:
    """The report's rows summed by the ID and time dimensions (the first two of `dims`)."""
    sums: Sums = defaultdict(dict)
    for start in range(0, len(metrics), 100):
        chunk = metrics[start : start + 100]
        rows = report(api, advertiser, LEVELS[depth], dims, metrics=chunk, **params)
        for row in rows:
            _add(sums, tuple(row["dimensions"][d] for d in dims[:2]), row["metrics"])
    return dict(sums)


def _nonzero(sums: Sums) -> set[str]:
    return {m for acc in sums.values() for m, v in acc.items() if v not in ("-", 0)}


@pytest.mark.parametrize("depth", range(4))
def test_every_dimension_sums_to_the_unbroken_report(
    api: TikTok, advertisers: list[str], depth: int
) -> None:
    advertiser = advertisers[depth % len(advertisers)]
    dims = [ID_DIMENSIONS[depth], "stat_time_day"]
    metrics = _valid(depth)
    plain = _sums(api, advertiser, depth, dims, metrics, **WINDOW)
    assert len(plain) > 1
    # The made-up event counts are there, not zeros summing to zeros.
    assert len(_nonzero(plain)) > len(metrics) // 2
    cases = [([d], "AUDIENCE", None) for d in AUDIENCE_DIMENSIONS]
    cases += [(["age", "gender"], "AUDIENCE", None)]
    cases += [([d], "BASIC", d) for d in COVERING + FORMAT_DIMENSIONS]
    for breakdown, report_type, basic in cases:
        valid = _valid(depth, report_type, breakdown=True, dimension=basic)
        if basic in FORMAT_DIMENSIONS and depth < 3:
            continue  # their rows are the ads of one format: compared ad by ad below
        split = _sums(
            api, advertiser, depth, [*dims, *breakdown], valid, report_type=report_type, **WINDOW
        )
        expected = {key: {m: acc[m] for m in valid} for key, acc in plain.items()}
        if basic in FORMAT_DIMENSIONS:
            assert split, basic
            expected = {key: expected[key] for key in split}
        assert split == expected, breakdown


@pytest.mark.parametrize("depth", range(4))
def test_hours_sum_to_days(api: TikTok, advertisers: list[str], depth: int) -> None:
    advertiser = advertisers[(depth + 1) % len(advertisers)]
    id_dim = ID_DIMENSIONS[depth]
    metrics = _valid(depth, hourly=True)
    daily = _sums(api, advertiser, depth, [id_dim, "stat_time_day"], metrics, **ONE_DAY)
    hourly = _sums(api, advertiser, depth, [id_dim, "stat_time_hour"], metrics, **ONE_DAY)
    by_day: Sums = defaultdict(dict)
    for (entity, hour), acc in hourly.items():
        assert hour.startswith(ONE_DAY["end_date"])
        _add(by_day, (entity, f"{hour[:10]} 00:00:00"), {m: str(v) for m, v in acc.items()})
    assert len({hour for _, hour in hourly}) > 12
    assert dict(by_day) == daily
    # An hour's rows by a BASIC dimension sum to that hour.
    for dimension in COVERING:
        valid = _valid(depth, hourly=True, breakdown=True, dimension=dimension)
        dims = [id_dim, "stat_time_hour", dimension]
        split = _sums(api, advertiser, depth, dims, valid, **ONE_DAY)
        assert split == {key: {m: acc[m] for m in valid} for key, acc in hourly.items()}


def test_levels_sum_to_the_advertiser(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[0]
    for depth in (1, 2, 3):
        metrics = _valid(depth)
        top = _sums(api, advertiser, 0, ["advertiser_id", "stat_time_day"], metrics, **WINDOW)
        dims = [ID_DIMENSIONS[depth], "stat_time_day"]
        deleted_too = status_all(*STATUS_FIELDS[:depth])
        rows = _sums(api, advertiser, depth, dims, metrics, filtering=deleted_too, **WINDOW)
        by_day: Sums = defaultdict(dict)
        for (_, day), acc in rows.items():
            _add(by_day, (advertiser, day), {m: str(v) for m, v in acc.items()})
        assert dict(by_day) == {key: {m: acc[m] for m in metrics} for key, acc in top.items()}


def test_tasks_and_five_advertisers_hold_the_sync_numbers(
    api: TikTok, advertisers: list[str]
) -> None:
    depth, dims = 3, ["ad_id", "stat_time_day", "custom_event_type"]
    metrics = _valid(3, breakdown=True, dimension="custom_event_type")[:100]
    keyed = lambda rows: {  # noqa: E731
        tuple(r["dimensions"][d] for d in dims): {m: r["metrics"][m] for m in metrics} for r in rows
    }
    for advertiser in advertisers:
        sync = keyed(report(api, advertiser, LEVELS[depth], dims, metrics=metrics, **WINDOW))
        body = {
            "advertiser_id": advertiser,
            "report_type": "BASIC",
            "data_level": LEVELS[depth],
            "dimensions": dims,
            "metrics": metrics,
            "enable_report_title_translation": False,
            **WINDOW,
        }
        created = _post_create(api, body)
        assert created["code"] == 0, created
        task_id = created["data"]["task_id"]
        assert _wait(api, advertiser, task_id)[-1] == "SUCCESS"
        text = api.raw("report/task/download/", advertiser_id=advertiser, task_id=task_id).text
        rows = [{"dimensions": r, "metrics": r} for r in csv.DictReader(io.StringIO(text))]
        assert sync and keyed(rows) == sync
    # Several advertisers in one report: the same rows, money written without padding.
    many = api.all_pages(
        "report/integrated/get/",
        advertiser_ids=advertisers,
        report_type="BASIC",
        data_level=LEVELS[depth],
        dimensions=dims,
        metrics=metrics,
        **WINDOW,
    )
    single = {}
    for advertiser in advertisers:
        rows = report(api, advertiser, LEVELS[depth], dims, metrics=metrics, **WINDOW)
        single.update(keyed(rows))
    numbers = lambda rows: {  # noqa: E731
        key: {m: v if v == "-" else Decimal(v) for m, v in values.items()}
        for key, values in rows.items()
    }
    assert numbers(keyed(many)) == numbers(single)


def test_costs_per_result_are_spend_over_their_count(api: TikTok, advertisers: list[str]) -> None:
    pairs = {"real_time_cost_per_conversion": "real_time_conversion", "cpc": "clicks"}
    metrics = ["spend", *pairs, *pairs.values()]
    rows = report(api, advertisers[0], LEVELS[3], ["ad_id", "stat_time_day"], metrics=metrics)
    counted = 0
    for row in rows:
        m = row["metrics"]
        for cost, count in pairs.items():
            if int(m[count]):
                counted += 1
                spend = Decimal(m["spend"])  # quantized to its own decimals below
                quotient = (spend / int(m[count])).quantize(spend, ROUND_HALF_UP)
                assert Decimal(m[cost]) == quotient, (cost, m)
            else:
                assert Decimal(m[cost]) == 0
    assert counted > len(rows)
