"""Faults of the Google Ads emulator as the plain official client sees them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from ads_sandbox.testing import running_sandbox
from google.ads.googleads.errors import GoogleAdsException
from google.api_core import exceptions as core

from tests.conftest import END, SCALE
from tests.test_google_ads_client import accessible, client, failure_of

REPORT = (
    "SELECT campaign.id, segments.date, metrics.cost_micros, metrics.average_cpm "
    "FROM campaign WHERE segments.date BETWEEN '2025-03-01' AND '2025-03-31'"
)


@pytest.fixture(scope="module")
def google() -> Iterator[dict[str, str]]:
    args = ("--end-date", END.isoformat(), "--fault-timeout-seconds", "0.2")
    with running_sandbox(scale=SCALE, extra_args=args) as urls:
        yield urls


def set_faults(urls: dict[str, str], faults: dict[str, float]) -> None:
    response = requests.post(f"{urls['oauth']}/_sandbox/faults", json=faults, timeout=10)
    assert response.status_code == 200, response.text


def first_error(call: Callable[[], Any]) -> Exception:
    with pytest.raises(Exception) as caught:
        call()
    return caught.value


def stream_rows(
    urls: dict[str, str], customer: str, version: str = "v26", variant: int = 0
) -> list[Any]:
    """The report's rows; each variant is a distinct request (faults count per request)."""
    ga = client(urls, version=version).get_service("GoogleAdsService")
    query = f"{REPORT} LIMIT {1_000_000 + variant}"
    return [
        row
        for batch in ga.search_stream(customer_id=customer, query=query)
        for row in batch.results
    ]


def quota_details(exc: core.GoogleAPICallError, version: str = "v26") -> Any:
    from google.ads.googleads.v26.errors.types.errors import GoogleAdsFailure

    key = f"google.ads.googleads.{version}.errors.googleadsfailure-bin"
    trailers = dict(exc.response.trailing_metadata())
    failure = GoogleAdsFailure.deserialize(trailers[key])
    return failure.errors[0]


@pytest.fixture()
def customer(google: dict[str, str]) -> Iterator[str]:
    yield accessible(google)[-1]
    set_faults(google, {})


def test_rate_limit_is_resource_exhausted_with_a_retry_delay(
    google: dict[str, str], customer: str
) -> None:
    clean = stream_rows(google, customer)
    set_faults(google, {"rate_limit": 1.0})
    error = first_error(lambda: stream_rows(google, customer))
    assert isinstance(error, core.ResourceExhausted) and not isinstance(error, GoogleAdsException)
    detail = quota_details(error)
    assert detail.error_code.quota_error.name == "RESOURCE_TEMPORARILY_EXHAUSTED"
    assert detail.details.quota_error_details.retry_delay.seconds == 1
    assert dict(error.response.trailing_metadata())["request-id"]
    # A request is faulted at most twice in a row: the third attempt gets through.
    first_error(lambda: stream_rows(google, customer))
    assert len(stream_rows(google, customer)) == len(clean)


def test_server_errors_timeouts_and_disconnects(google: dict[str, str], customer: str) -> None:
    seen: set[type] = set()
    set_faults(google, {"server_error": 1.0})
    for _ in range(2):
        seen.add(type(first_error(lambda: stream_rows(google, customer))))
    assert seen <= {core.InternalServerError, core.ServiceUnavailable} and seen
    set_faults(google, {"timeout": 1.0})
    error = first_error(lambda: stream_rows(google, customer, variant=1))
    assert isinstance(error, GoogleAdsException)
    assert error.error.code().name == "DEADLINE_EXCEEDED"
    assert failure_of(error) == ("internal_error", "DEADLINE_EXCEEDED")
    set_faults(google, {"disconnect": 1.0})
    ga = client(google).get_service("GoogleAdsService")
    received = []
    with pytest.raises(core.ServiceUnavailable):
        for batch in ga.search_stream(customer_id=customer, query=f"{REPORT} LIMIT 1000002"):
            received.extend(batch.results)
    set_faults(google, {})
    assert 0 < len(received) < len(stream_rows(google, customer))


def test_token_expiry_and_deprecated_field(google: dict[str, str], customer: str) -> None:
    set_faults(google, {"token_expiry": 1.0})
    error = first_error(lambda: stream_rows(google, customer))
    assert isinstance(error, GoogleAdsException)
    assert failure_of(error) == ("authentication_error", "OAUTH_TOKEN_EXPIRED")
    set_faults(google, {"deprecated_field": 1.0})
    error = first_error(lambda: stream_rows(google, customer, variant=3))
    assert failure_of(error) == ("query_error", "UNRECOGNIZED_FIELD")
    assert error.failure.errors[0].trigger.string_value == "metrics.average_cpm"


def test_sunset_version_refuses_the_oldest_version_only(
    google: dict[str, str], customer: str
) -> None:
    set_faults(google, {"sunset_version": 1.0})
    for _ in range(3):  # a sunset version stays refused
        error = first_error(lambda: stream_rows(google, customer, version="v23"))
        assert failure_of(error) == ("request_error", "UNSUPPORTED_VERSION")
    assert stream_rows(google, customer, version="v26")


def test_expired_page_tokens() -> None:
    args = ("--end-date", END.isoformat(), "--google-page-token-expiry", "1")
    with running_sandbox(scale="1x40x4x3x60", extra_args=args) as urls:
        customer = accessible(urls)[-1]
        ga = client(urls).get_service("GoogleAdsService")
        query = (
            "SELECT ad_group_ad.ad.id, segments.date, metrics.clicks FROM ad_group_ad "
            "WHERE segments.date DURING LAST_30_DAYS"
        )
        query = query.replace("DURING LAST_30_DAYS", "BETWEEN '2025-02-01' AND '2025-03-31'")
        pages = ga.search(customer_id=customer, query=query).pages
        first = next(pages)
        assert len(first.results) == 10_000 and first.next_page_token
        with pytest.raises(GoogleAdsException) as caught:
            next(pages)
        assert failure_of(caught.value) == ("request_error", "EXPIRED_PAGE_TOKEN")
