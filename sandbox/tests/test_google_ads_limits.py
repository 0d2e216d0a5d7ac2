"""The Google Ads emulator's real limits as the plain official client sees them: requests
per second per customer and per developer token, the daily operations of Basic access,
each refusal counted in the stats' `over_limit`."""

from __future__ import annotations

import pytest
import requests
from ads_sandbox.testing import running_sandbox
from google.api_core import exceptions as core

from tests.conftest import END, SCALE
from tests.test_google_ads_client import accessible, client
from tests.test_google_ads_faults import quota_details

QUERY = "SELECT customer.id FROM customer"


def stats(urls: dict[str, str]) -> dict:
    return requests.get(f"{urls['oauth']}/_sandbox/stats", timeout=10).json()


def first_refusal(call, attempts: int = 200) -> core.ResourceExhausted:
    """Calls as fast as the client goes until one is refused (a 1-per-second limit)."""
    for _ in range(attempts):
        try:
            call()
        except core.ResourceExhausted as error:
            return error
    raise AssertionError(f"{attempts} calls, none refused")


@pytest.mark.parametrize(
    ("flag", "scope", "limit"),
    [
        ("--google-customer-qps", "ACCOUNT", "customer QPS"),
        ("--google-developer-qps", "DEVELOPER", "developer token QPS"),
    ],
)
def test_requests_per_second_are_refused_with_a_short_retry_delay(
    flag: str, scope: str, limit: str
) -> None:
    args = ("--end-date", END.isoformat(), flag, "1")
    with running_sandbox(scale=SCALE, extra_args=args) as urls:
        customers = accessible(urls)
        ga = client(urls).get_service("GoogleAdsService")
        error = first_refusal(lambda: list(ga.search(customer_id=customers[-1], query=QUERY)))
        detail = quota_details(error)
        assert detail.error_code.quota_error.name == "RESOURCE_TEMPORARILY_EXHAUSTED"
        assert detail.details.quota_error_details.rate_scope.name == scope
        assert detail.details.quota_error_details.retry_delay.seconds == 1
        counted = stats(urls)["over_limit"]
        assert counted.get(limit, 0) >= 1
        if scope == "ACCOUNT":
            # The limit is per customer: another customer is not refused for the first's calls.
            for other in customers[:-1]:
                try:
                    list(ga.search(customer_id=other, query=QUERY))
                except core.ResourceExhausted as other_error:
                    raise AssertionError(f"customer {other} refused for another's calls") from (
                        other_error
                    )


def test_the_daily_operations_cap_answers_in_hours_and_paging_is_free() -> None:
    args = ("--end-date", END.isoformat(), "--google-daily-operations", "3")
    with running_sandbox(scale="1x40x4x3x60", extra_args=args) as urls:
        customer = accessible(urls)[-1]  # ListAccessibleCustomers costs no operation
        ga = client(urls).get_service("GoogleAdsService")
        query = (
            "SELECT ad_group_ad.ad.id, segments.date, metrics.clicks FROM ad_group_ad "
            "WHERE segments.date BETWEEN '2025-02-01' AND '2025-03-31'"
        )
        pages = list(ga.search(customer_id=customer, query=query).pages)
        assert len(pages) > 1  # one operation, however many pages
        list(ga.search(customer_id=customer, query=QUERY))
        list(ga.search(customer_id=customer, query=QUERY))
        with pytest.raises(core.ResourceExhausted) as caught:
            list(ga.search(customer_id=customer, query=QUERY))
        detail = quota_details(caught.value)
        assert detail.error_code.quota_error.name == "RESOURCE_EXHAUSTED"
        details = detail.details.quota_error_details
        assert details.rate_scope.name == "DEVELOPER"
        assert details.retry_delay.seconds > 3600
        assert stats(urls)["over_limit"] == {"daily operations": 1}
