"""`advertiser_ids`: one report over several advertisers, shaped as TikTok documents it."""

from __future__ import annotations

import csv
import io
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from .conftest import TikTok
from .test_tiktok_reports import WINDOW

METRICS = ["spend", "impressions", "clicks", "cpc", "conversion"]


def _get(api: TikTok, **params) -> dict:
    defaults = {
        "report_type": "BASIC",
        "data_level": "AUCTION_CAMPAIGN",
        "dimensions": ["campaign_id", "stat_time_day"],
        "metrics": METRICS,
        "page_size": 1000,
        **WINDOW,
    }
    return api.get("report/integrated/get/", **{**defaults, **params})


def _numbers(metrics: dict) -> dict:
    return {m: Decimal(metrics[m]) for m in METRICS}


def test_rows_of_several_advertisers_equal_their_own_reports(api: TikTok, advertisers: list[str]):
    together = _get(api, advertiser_ids=advertisers)
    assert together["code"] == 0
    rows = together["data"]["list"]
    assert together["data"]["page_info"]["total_number"] == len(rows)
    expected = {}
    for advertiser in advertisers:
        own = _get(api, advertiser_id=advertiser)["data"]["list"]
        for row in own:
            key = (advertiser, row["dimensions"]["campaign_id"], row["dimensions"]["stat_time_day"])
            expected[key] = _numbers(row["metrics"])
    got = {
        (
            r["metrics"]["advertiser_id"],
            r["dimensions"]["campaign_id"],
            r["dimensions"]["stat_time_day"],
        ): _numbers(r["metrics"])
        for r in rows
    }
    assert got == expected
    currencies = {r["metrics"]["advertiser_id"]: r["metrics"]["currency"] for r in rows}
    assert len(set(currencies.values())) == len(advertisers)  # several currencies, each named
    assert all(r["metrics"]["timezone"] for r in rows)
    # Money without padding decimals: "12.5", "100", never "100.00".
    assert all(
        not r["metrics"]["spend"].endswith(("0", ".")) or "." not in r["metrics"]["spend"]
        for r in rows
    )


def test_paging_crosses_advertisers(api: TikTok, advertisers: list[str]) -> None:
    whole = _get(api, advertiser_ids=advertisers)["data"]["list"]
    paged, page = [], 1
    while True:
        data = _get(api, advertiser_ids=advertisers, page=page, page_size=7)["data"]
        paged += data["list"]
        if page >= data["page_info"]["total_page"]:
            break
        page += 1
    assert paged == whole


def test_limits_and_rows_without_an_id_dimension(api: TikTok, advertisers: list[str]) -> None:
    six = [*advertisers, *advertisers][:6]
    assert len(six) == 6 and _get(api, advertiser_ids=six)["code"] == 40002
    assert _get(api, advertiser_ids=[advertisers[0], "7999999999999999999"])["code"] == 40001
    plain = _get(api, advertiser_ids=advertisers, dimensions=["stat_time_day"])["data"]["list"]
    assert {r["metrics"]["advertiser_id"] for r in plain} == {"0"}
    assert {r["metrics"]["spend"] for r in plain} == {"-"}


def test_report_tasks_take_several_advertisers(api: TikTok, advertisers: list[str]) -> None:
    body = {
        "advertiser_ids": advertisers,
        "report_type": "BASIC",
        "data_level": "AUCTION_CAMPAIGN",
        "dimensions": ["campaign_id", "stat_time_day"],
        "metrics": METRICS,
        "enable_report_title_translation": False,
        **WINDOW,
    }
    created = api.post("report/task/create/", body)
    assert created["code"] == 0, created
    task_id = created["data"]["task_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = api.ok("report/task/check/", advertiser_id=advertisers[1], task_id=task_id)
        if status["status"] == "SUCCESS":
            break
        time.sleep(0.1)
    text = api.raw("report/task/download/", advertiser_id=advertisers[0], task_id=task_id).text
    rows = list(csv.DictReader(io.StringIO(text)))
    together = _get(api, advertiser_ids=advertisers)["data"]["list"]
    assert len(rows) == len(together)
    assert {r["advertiser_id"] for r in rows} == set(advertisers)
    assert sum(Decimal(r["spend"]) for r in rows) == sum(
        Decimal(r["metrics"]["spend"]) for r in together
    )

    # Money as the synchronous report writes it for several advertisers: no padding.
    def served(r: dict) -> tuple:
        return (r["advertiser_id"], r["campaign_id"], r["stat_time_day"], r["spend"], r["cpc"])

    assert {served(r) for r in rows} == {
        served({**r["dimensions"], **r["metrics"]}) for r in together
    }
    assert any("." in r["spend"] for r in rows)
    assert not [r["spend"] for r in rows if "." in r["spend"] and r["spend"].endswith("0")]


ADDITIVE = ["spend", "impressions", "clicks"]


def _by_hour(api: TikTok, day: str, **params) -> list[dict]:
    dims = ["campaign_id", "stat_time_hour"]
    body = _get(api, dimensions=dims, metrics=ADDITIVE, start_date=day, end_date=day, **params)
    assert body["code"] == 0, body
    return body["data"]["list"]


def test_utc_time_buckets_every_advertisers_delivery_by_utc_hours(
    api: TikTok, advertisers: list[str]
) -> None:
    day = date(2025, 3, 20)
    utc = _by_hour(
        api, day.isoformat(), advertiser_ids=advertisers, multi_adv_report_in_utc_time=True
    )
    got: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    for row in utc:
        key = (
            row["metrics"]["advertiser_id"],
            row["dimensions"]["campaign_id"],
            row["dimensions"]["stat_time_hour"],
        )
        got[key] = [Decimal(row["metrics"][m]) for m in ADDITIVE]
    expected: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    zones = {r["metrics"]["advertiser_id"]: r["metrics"]["timezone"] for r in utc}
    for advertiser in advertisers:
        tz = ZoneInfo(zones[advertiser])
        for local_day in (day - timedelta(days=1), day, day + timedelta(days=1)):
            for row in _by_hour(api, local_day.isoformat(), advertiser_id=advertiser):
                local = datetime.fromisoformat(row["dimensions"]["stat_time_hour"])
                moment = local.replace(tzinfo=tz).astimezone(UTC)
                if moment.date() == day:
                    key = (
                        advertiser,
                        row["dimensions"]["campaign_id"],
                        f"{moment:%Y-%m-%d %H}:00:00",
                    )
                    expected[key] = [
                        a + Decimal(row["metrics"][m])
                        for a, m in zip(expected[key], ADDITIVE, strict=True)
                    ]
    assert got == expected
    assert len({zones[a] for a in advertisers}) > 1
    # Days are UTC days too: each one the sum of its UTC hours, unlike the local day's numbers.
    daily = _get(
        api,
        advertiser_ids=advertisers,
        metrics=ADDITIVE,
        start_date=day.isoformat(),
        end_date=day.isoformat(),
        multi_adv_report_in_utc_time=True,
    )["data"]["list"]
    per_campaign: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    for (advertiser, campaign, _), values in expected.items():
        per_campaign[(advertiser, campaign)] = [
            a + v for a, v in zip(per_campaign[(advertiser, campaign)], values, strict=True)
        ]
    assert {
        (r["metrics"]["advertiser_id"], r["dimensions"]["campaign_id"]): [
            Decimal(r["metrics"][m]) for m in ADDITIVE
        ]
        for r in daily
    } == dict(per_campaign)
    local = _get(
        api,
        advertiser_ids=advertisers,
        metrics=ADDITIVE,
        start_date=day.isoformat(),
        end_date=day.isoformat(),
    )
    assert local["data"]["list"] != daily
