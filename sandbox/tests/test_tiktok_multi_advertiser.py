"""`advertiser_ids`: one report over several advertisers, shaped as TikTok documents it."""

from __future__ import annotations

from decimal import Decimal

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
