"""`enable_total_metrics`: `data.total_metrics` over every page, where TikTok serves it."""

from __future__ import annotations

from decimal import Decimal

from .conftest import TikTok
from .test_tiktok_reports import WINDOW

METRICS = ["spend", "impressions", "clicks", "conversion", "ctr", "cpc", "campaign_name"]


def _pages(api: TikTok, **params) -> tuple[list[dict], list[dict]]:
    """Every row, and the total_metrics of every page."""
    query = {
        "report_type": "BASIC",
        "data_level": "AUCTION_CAMPAIGN",
        "dimensions": ["campaign_id", "stat_time_day"],
        "metrics": METRICS,
        "enable_total_metrics": True,
        "page_size": 20,
        **WINDOW,
        **params,
    }
    rows, totals, page = [], [], 1
    while True:
        body = api.get("report/integrated/get/", page=page, **query)
        assert body["code"] == 0, body
        rows += body["data"]["list"]
        totals.append(body["data"].get("total_metrics"))
        if page >= body["data"]["page_info"]["total_page"]:
            return rows, totals
        page += 1


def _sum(rows: list[dict], name: str) -> Decimal:
    return sum((Decimal(r["metrics"][name]) for r in rows), Decimal(0))


def test_totals_are_the_sums_of_every_page(api: TikTok, advertisers: list[str]) -> None:
    for advertiser in advertisers:
        rows, totals = _pages(api, advertiser_id=advertiser)
        assert len(totals) > 1 and all(t == totals[0] for t in totals)
        total = totals[0]
        for name in ("spend", "impressions", "clicks", "conversion"):
            assert Decimal(total[name]) == _sum(rows, name), name
        clicks, impressions = _sum(rows, "clicks"), _sum(rows, "impressions")
        assert abs(Decimal(total["ctr"]) - 100 * clicks / impressions) < Decimal("0.006")
        half_minor = Decimal("0.006") if "." in total["spend"] else Decimal("0.5")  # JPY
        assert abs(Decimal(total["cpc"]) - _sum(rows, "spend") / clicks) <= half_minor
        assert total["campaign_name"] == "-"


def test_totals_only_where_tiktok_serves_them(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[0]
    for dims in (
        ["campaign_id", "stat_time_day", "country_code"],
        ["campaign_id", "stat_time_hour"],
    ):
        window = {"start_date": WINDOW["end_date"]} if "stat_time_hour" in dims else {}
        _, totals = _pages(api, advertiser_id=advertiser, dimensions=dims, **window)
        assert totals == [None] * len(totals)
    _, plain = _pages(api, advertiser_id=advertiser, enable_total_metrics=False)
    assert plain == [None] * len(plain)
    _, advertiser_level = _pages(
        api,
        advertiser_id=advertiser,
        data_level="AUCTION_ADVERTISER",
        dimensions=["stat_time_day"],
        metrics=["spend"],
    )
    assert advertiser_level[0] is not None


def test_totals_over_several_advertisers(api: TikTok, advertisers: list[str]) -> None:
    rows, totals = _pages(api, advertiser_ids=advertisers)
    total = totals[0]
    assert Decimal(total["spend"]) == _sum(rows, "spend")
    assert int(total["impressions"]) == _sum(rows, "impressions")
    assert {total[k] for k in ("advertiser_id", "currency", "timezone", "cpc")} == {"-"}
    assert not total["spend"].endswith("0") or "." not in total["spend"]
