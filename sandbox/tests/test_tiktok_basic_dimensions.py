"""BASIC report dimensions beyond the ID and time ones (report_dimensions.csv), driven with
plain HTTP as any client would: values, totals, the metrics each takes, combinations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from ads_sandbox.tiktok.catalog import BASIC_DIMENSIONS

from .conftest import TikTok
from .test_tiktok_catalog import DAY, report
from .test_tiktok_reports import CONFLICT

CORE = ["spend", "impressions", "clicks", "conversion", "total_purchase_value"]
ID_DAY = ["campaign_id", "stat_time_day"]


def _sums(rows: list[dict], metrics: list[str]) -> dict[str, Decimal]:
    return {m: sum((Decimal(r["metrics"][m]) for r in rows), Decimal(0)) for m in metrics}


def _get(api: TikTok, advertiser: str, dims: list[str], metrics: list[str], **extra) -> dict:
    return api.get(
        "report/integrated/get/",
        advertiser_id=advertiser,
        report_type=extra.pop("report_type", "BASIC"),
        data_level=extra.pop("data_level", "AUCTION_CAMPAIGN"),
        dimensions=dims,
        metrics=metrics,
        page_size=1000,
        **DAY,
        **extra,
    )


#: Metrics each dimension takes (ad_type: all; the event ones: in-app and page events), of
#: those the world counts itself (the emulator derives the other events' counts per row).
EVENTS = ["total_purchase_value", "complete_payment"]
TAKES = {"ad_type": CORE, "custom_event_type": ["clicks", *EVENTS], "event_source_id": EVENTS}


@pytest.mark.parametrize("dimension", sorted(TAKES))
def test_dimensions_covering_every_ad_split_the_totals(
    api: TikTok, advertisers: list[str], dimension: str
) -> None:
    metrics = TAKES[dimension]
    for advertiser in advertisers:
        plain = report(api, advertiser, "AUCTION_CAMPAIGN", ID_DAY, metrics=metrics)
        split = report(api, advertiser, "AUCTION_CAMPAIGN", [*ID_DAY, dimension], metrics=metrics)
        assert split and all(r["dimensions"][dimension] for r in split)
        assert _sums(split, metrics) == _sums(plain, metrics)
        keys = [tuple(r["dimensions"].values()) for r in split]
        assert len(keys) == len(set(keys))


def test_ad_types_and_events_have_realistic_values(api: TikTok, advertisers: list[str]) -> None:
    values = {
        dim: {
            r["dimensions"][dim]
            for a in advertisers
            for r in report(api, a, "AUCTION_AD", ["ad_id", dim], metrics=TAKES[dim][-1:])
        }
        for dim in ("ad_type", "custom_event_type", "event_source_id")
    }
    assert values["ad_type"] == {"Search", "Non-Search"}
    assert {"SHOPPING", "ON_WEB_CART"} <= values["custom_event_type"]
    pixels = {
        p["pixel_id"] for a in advertisers for p in api.ok("pixel/list/", advertiser_id=a)["pixels"]
    }
    assert pixels <= values["event_source_id"]


def test_image_and_video_material_rows_are_those_of_their_ads(
    api: TikTok, advertisers: list[str]
) -> None:
    advertiser = advertisers[0]
    images = {
        i["image_id"]
        for i in api.all_pages("file/image/ad/search/", advertiser_id=advertiser, page_size=100)
    }
    videos = {
        v["material_id"]
        for v in api.all_pages("file/video/ad/search/", advertiser_id=advertiser, page_size=100)
    }
    image_metrics = ["single_image_impressions", "single_image_impression_rate", "single_image_ctr"]
    by_image = report(api, advertiser, "AUCTION_AD", ["ad_id", "image_id"], metrics=image_metrics)
    assert by_image and {r["dimensions"]["image_id"] for r in by_image} <= images
    for row in by_image:
        assert int(row["metrics"]["single_image_impressions"]) > 0
        assert Decimal(row["metrics"]["single_image_ctr"]) <= 100
    by_video = report(api, advertiser, "AUCTION_AD", ["ad_id", "video_material_id"], metrics=CORE)
    assert by_video and {r["dimensions"]["video_material_id"] for r in by_video} <= videos


def test_what_tiktok_refuses_and_what_it_accepts(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[0]
    # Each dimension takes the metrics the docs list for it.
    assert _get(api, advertiser, [*ID_DAY, "custom_event_type"], ["spend"])["message"] == CONFLICT
    assert _get(api, advertiser, [*ID_DAY, "event_source_id"], ["clicks"])["message"] == CONFLICT
    assert _get(api, advertiser, [*ID_DAY, "video_material_id"], ["reach"])["message"] == CONFLICT
    # The image metrics need image_id, which takes the other metrics too.
    image = ["single_image_impressions"]
    assert _get(api, advertiser, ID_DAY, image)["message"] == CONFLICT
    assert _get(api, advertiser, [*ID_DAY, "image_id"], [*image, "spend"])["code"] == 0
    # One of them per report; an AUDIENCE report does not know them.
    two = _get(api, advertiser, [*ID_DAY, "ad_type", "country_code"], ["spend"])
    assert two["message"] == CONFLICT
    audience = _get(api, advertiser, [*ID_DAY, "ad_type"], ["spend"], report_type="AUDIENCE")
    assert audience["code"] == 40002 and "['ad_type']" in audience["message"]
    # Documented dimensions the world has nothing for answer an empty list, as TikTok does.
    unserved = [d for d, dim in BASIC_DIMENSIONS.items() if not dim.served]
    assert "room_id" in unserved
    for dimension in unserved:
        body = _get(api, advertiser, [*ID_DAY, dimension], ["spend"])
        assert body["code"] == 0 and body["data"]["list"] == [], dimension
    # Hourly rows take a BASIC dimension too, and still add up.
    hour = {"start_date": DAY["end_date"], "end_date": DAY["end_date"]}
    hourly = api.all_pages(
        "report/integrated/get/",
        advertiser_id=advertiser,
        report_type="BASIC",
        data_level="AUCTION_CAMPAIGN",
        dimensions=["campaign_id", "stat_time_hour", "ad_type"],
        metrics=CORE,
        **hour,
    )
    daily = api.all_pages(
        "report/integrated/get/",
        advertiser_id=advertiser,
        report_type="BASIC",
        data_level="AUCTION_CAMPAIGN",
        dimensions=ID_DAY,
        metrics=CORE,
        **hour,
    )
    assert _sums(hourly, CORE) == _sums(daily, CORE)
