"""`click_view` in the Google Ads emulator, driven by the plain official client (google-ads),
no tap code: one row per click, as many per ad, device and day as the ad report's clicks,
unique GCLIDs, and Google's refusals (no single day, older than 90 days, other metrics or
segments)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from ads_sandbox.testing import running_sandbox
from google.ads.googleads.errors import GoogleAdsException

from tests.test_google_ads_client import client, failure_of, manager_and_clients

# 100 days up to today (some of them older than click_view's 90); a Performance Max and an
# App campaign in the third account.
SCALE = "3x4x2x2x100"
GCLID = re.compile(r"[A-Za-z0-9_-]{40,120}")


@pytest.fixture(scope="module")
def google() -> Iterator[dict[str, str]]:
    with running_sandbox(scale=SCALE) as urls:
        yield urls


@pytest.fixture(scope="module")
def service(google: dict[str, str]) -> tuple[object, list[tuple[str, date]]]:
    """The GoogleAdsService and each enabled client with its own today."""
    manager, clients = manager_and_clients(google)
    ga = client(google, login_customer_id=manager).get_service("GoogleAdsService")
    out = []
    for c in clients:
        if c.status.name == "ENABLED":
            tz = next(
                iter(
                    ga.search(
                        customer_id=str(c.id), query="SELECT customer.time_zone FROM customer"
                    )
                )
            )
            out.append((str(c.id), datetime.now(ZoneInfo(tz.customer.time_zone)).date()))
    return ga, out


def _rows(ga: object, customer: str, query: str) -> list:
    return [
        row
        for batch in ga.search_stream(customer_id=customer, query=query)
        for row in batch.results
    ]


def test_one_row_per_click_of_each_ad_and_device(service: tuple) -> None:
    ga, customers = service
    gclids: set[str] = set()
    channels: set[str] = set()
    clicks_seen = without_gclid = 0
    for customer, today in customers:
        for back in (1, 7, 90):
            day = (today - timedelta(days=back)).isoformat()
            where = f"WHERE segments.date = '{day}'"
            rows = _rows(
                ga,
                customer,
                "SELECT click_view.gclid, click_view.resource_name, click_view.ad_group_ad, "
                "click_view.keyword, click_view.location_of_presence.country, "
                "click_view.page_number, campaign.id, campaign.advertising_channel_type, "
                "segments.device, segments.slot, "
                f"segments.ad_network_type, segments.date, metrics.clicks FROM click_view {where}",
            )
            assert rows, f"no clicks on {day} for {customer}"
            by_ad_device: Counter = Counter()
            by_campaign: Counter = Counter()
            for row in rows:
                view = row.click_view
                channels.add(row.campaign.advertising_channel_type.name)
                if row.campaign.advertising_channel_type.name == "MULTI_CHANNEL":
                    # App campaigns for installs: Google gives no GCLID
                    assert not view.gclid and not view.resource_name
                    without_gclid += 1
                else:
                    assert GCLID.fullmatch(view.gclid)
                    assert (
                        view.resource_name == f"customers/{customer}/clickViews/{day}~{view.gclid}"
                    )
                    gclids.add(view.gclid)
                assert row.metrics.clicks == 1
                assert row.segments.date == day
                assert view.location_of_presence.country.startswith("geoTargetConstants/")
                if row.segments.ad_network_type.name == "SEARCH":
                    assert row.segments.slot.name.startswith("SEARCH_")
                    assert view.page_number >= 1
                by_campaign[row.campaign.id] += 1
                if view.ad_group_ad:
                    by_ad_device[(view.ad_group_ad, row.segments.device.name)] += 1
            clicks_seen += len(rows)
            ads = Counter()
            for row in _rows(
                ga,
                customer,
                "SELECT ad_group_ad.resource_name, segments.device, metrics.clicks "
                f"FROM ad_group_ad {where}",
            ):
                if row.metrics.clicks:
                    ads[(row.ad_group_ad.resource_name, row.segments.device.name)] += (
                        row.metrics.clicks
                    )
            assert by_ad_device == ads
            campaigns = Counter(
                {
                    row.campaign.id: row.metrics.clicks
                    for row in _rows(
                        ga, customer, f"SELECT campaign.id, metrics.clicks FROM campaign {where}"
                    )
                    if row.metrics.clicks
                }
            )
            assert by_campaign == campaigns  # Performance Max clicks too, without an ad
    assert without_gclid and len(gclids) == clicks_seen - without_gclid
    assert {"PERFORMANCE_MAX", "MULTI_CHANNEL", "SEARCH"} <= channels


def test_keywords_of_search_clicks_add_up_to_the_keyword_report(service: tuple) -> None:
    ga, customers = service
    customer, today = customers[0]
    where = f"WHERE segments.date = '{today - timedelta(days=2)}'"
    clicks = Counter(
        row.click_view.keyword
        for row in _rows(ga, customer, f"SELECT click_view.keyword FROM click_view {where}")
        if row.click_view.keyword
    )
    report = Counter(
        {
            row.ad_group_criterion.resource_name: row.metrics.clicks
            for row in _rows(
                ga,
                customer,
                "SELECT ad_group_criterion.resource_name, metrics.clicks "
                f"FROM keyword_view {where}",
            )
            if row.metrics.clicks
        }
    )
    assert clicks and clicks == report


def test_the_same_day_gives_the_same_gclids(service: tuple) -> None:
    ga, customers = service
    customer, today = customers[-1]
    query = "SELECT click_view.gclid FROM click_view WHERE segments.date DURING YESTERDAY"
    first = [row.click_view.gclid for row in _rows(ga, customer, query)]
    day = today - timedelta(days=1)
    second = [
        row.click_view.gclid
        for row in _rows(
            ga,
            customer,
            "SELECT click_view.gclid FROM click_view "
            f"WHERE segments.date BETWEEN '{day}' AND '{day}'",
        )
    ]
    assert first and sorted(first) == sorted(second)


def test_google_refusals(service: tuple) -> None:
    ga, customers = service
    customer, today = customers[0]
    day = today - timedelta(days=3)
    cases = {
        "SELECT click_view.gclid FROM click_view": (
            "query_error",
            "EXPECTED_FILTERS_ON_DATE_RANGE",
        ),
        f"SELECT click_view.gclid FROM click_view WHERE segments.date >= '{day}'": (
            "query_error",
            "EXPECTED_FILTERS_ON_DATE_RANGE",
        ),
        "SELECT click_view.gclid, segments.date FROM click_view "
        f"WHERE segments.date BETWEEN '{day - timedelta(days=1)}' AND '{day}'": (
            "query_error",
            "DATE_RANGE_TOO_WIDE",
        ),
        "SELECT click_view.gclid FROM click_view WHERE segments.date DURING LAST_7_DAYS": (
            "query_error",
            "DATE_RANGE_TOO_WIDE",
        ),
        "SELECT click_view.gclid FROM click_view "
        f"WHERE segments.date = '{today - timedelta(days=91)}'": (
            "date_error",
            "EARLIER_THAN_MINIMUM_DATE",
        ),
        "SELECT click_view.gclid, metrics.impressions FROM click_view "
        f"WHERE segments.date = '{day}'": (
            "query_error",
            "PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE",
        ),
        f"SELECT click_view.gclid, segments.hour FROM click_view WHERE segments.date = '{day}'": (
            "query_error",
            "PROHIBITED_SEGMENT_IN_SELECT_OR_WHERE_CLAUSE",
        ),
    }
    for query, expected in cases.items():
        with pytest.raises(GoogleAdsException) as caught:
            _rows(ga, customer, query)
        assert failure_of(caught.value) == expected, query
