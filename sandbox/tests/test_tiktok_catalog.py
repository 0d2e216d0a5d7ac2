"""The emulator's report catalog through a plain HTTP client: every documented metric is
served where the docs allow it, formatted as TikTok formats it, and audience dimensions split
the totals exactly."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from ads_sandbox.tiktok.catalog import CATALOG, LEVEL_NAMES
from ads_sandbox.world import Scale, World

from .conftest import END, SCALE, TikTok
from .test_tiktok_reports import _sum, report

DAY = {"start_date": END.isoformat(), "end_date": END.isoformat()}
FORMATS = {
    "integer": re.compile(r"^\d+$"),
    "percent": re.compile(r"^\d+\.\d\d$"),
    "decimal": re.compile(r"^\d+\.\d\d$"),
}


def _money(digits: int) -> re.Pattern[str]:
    return re.compile(r"^\d+$" if digits == 0 else rf"^\d+\.\d{{{digits}}}$")


@pytest.mark.parametrize("depth", range(4))
def test_every_metric_is_served_in_its_format(api: TikTok, advertisers: list[str], depth: int):
    world = World("tiktok", 1, Scale.parse(SCALE), END)
    level = f"AUCTION_{LEVEL_NAMES[depth].upper()}"
    id_dim = ("advertiser_id", "campaign_id", "adgroup_id", "ad_id")[depth]
    valid = [
        name
        for name, doc in CATALOG.items()
        if doc.refusal(
            report_type="BASIC", depth=depth, hourly=False, breakdown=False, asynchronous=False
        )
        is None
    ]
    for advertiser in advertisers:
        digits = world.account(advertiser).digits
        for start in range(0, len(valid), 100):
            chunk = valid[start : start + 100]
            rows = report(api, advertiser, level, [id_dim, "stat_time_day"], metrics=chunk, **DAY)
            assert rows
            for row in rows:
                assert list(row["metrics"]) == chunk
                for name, value in row["metrics"].items():
                    kind = CATALOG[name].value
                    if value == "-" or kind == "text":
                        continue
                    pattern = _money(digits) if kind == "money" else FORMATS[kind]
                    assert pattern.match(value), (name, value)


def test_refused_metrics_name_themselves(api: TikTok, advertisers: list[str]) -> None:
    body = api.get(
        "report/integrated/get/",
        advertiser_id=advertisers[0],
        report_type="BASIC",
        data_level="AUCTION_CAMPAIGN",
        dimensions=["campaign_id", "stat_time_day"],
        metrics=["spend", "vta_purchase", "adgroup_name", "no_such_metric"],
        **DAY,
    )
    assert body["code"] == 40002
    assert "['adgroup_name', 'no_such_metric']" in body["message"]


@pytest.mark.parametrize(
    "dimension",
    ["province_id", "dma_id", "language", "interest_category", "ac", "device_brand_id"],
)
def test_audience_dimensions_split_the_totals(
    api: TikTok, advertisers: list[str], dimension: str
) -> None:
    advertiser = advertisers[1]
    dims = ["campaign_id", "stat_time_day"]
    basic = report(api, advertiser, "AUCTION_CAMPAIGN", dims)
    split = report(api, advertiser, "AUCTION_CAMPAIGN", [*dims, dimension], report_type="AUDIENCE")
    assert len({row["dimensions"][dimension] for row in split}) > 2
    assert _sum(split) == _sum(basic)
    # country_code is a BASIC dimension too, with the same split.
    by_country = report(api, advertiser, "AUCTION_CAMPAIGN", [*dims, "country_code"])
    assert _sum(by_country) == _sum(basic)
    assert all(Decimal(row["metrics"]["spend"]) >= 0 for row in split)
