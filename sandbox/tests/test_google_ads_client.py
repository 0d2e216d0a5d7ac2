"""The Google Ads emulator driven by the plain official client (google-ads), no tap code."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import requests
from ads_sandbox.testing import running_sandbox
from ads_sandbox.truth import truth_rows
from google.ads.googleads.client import GoogleAdsClient
from google.ads.googleads.errors import GoogleAdsException
from google.api_core import exceptions as core
from google.oauth2.credentials import Credentials

from tests.conftest import END, SCALE

VERSIONS = ("v26", "v25", "v24", "v23")


@pytest.fixture(scope="module")
def google() -> Iterator[dict[str, str]]:
    with running_sandbox(scale=SCALE, extra_args=("--end-date", END.isoformat())) as urls:
        yield urls


def client(
    urls: dict[str, str],
    version: str = "v26",
    login_customer_id: str | None = None,
    developer_token: str = "sandbox-dev",
    refresh_token: str = "sandbox-refresh",
) -> GoogleAdsClient:
    credentials = Credentials(
        None,
        refresh_token=refresh_token,
        client_id="any-client",
        client_secret="any-secret",
        token_uri=f"{urls['oauth']}/token",
    )
    return GoogleAdsClient(
        credentials=credentials,
        developer_token=developer_token,
        login_customer_id=login_customer_id,
        endpoint=urls["google_ads"],
        use_proto_plus=True,
        version=version,
    )


def accessible(urls: dict[str, str]) -> list[str]:
    service = client(urls).get_service("CustomerService")
    return [name.split("/")[1] for name in service.list_accessible_customers().resource_names]


def manager_and_clients(urls: dict[str, str]) -> tuple[str, list[Any]]:
    ga = client(urls).get_service("GoogleAdsService")
    for customer_id in accessible(urls):
        rows = list(
            ga.search(
                customer_id=customer_id,
                query="SELECT customer.id, customer.manager FROM customer",
            )
        )
        if rows[0].customer.manager:
            children = ga.search(
                customer_id=customer_id,
                query=(
                    "SELECT customer_client.id, customer_client.status, "
                    "customer_client.currency_code, customer_client.time_zone, "
                    "customer_client.manager FROM customer_client"
                ),
            )
            return customer_id, [
                r.customer_client for r in children if not r.customer_client.manager
            ]
    raise AssertionError("no manager among the accessible customers")


def test_search_stream_reports_the_truth_per_customer_and_day(google: dict[str, str]) -> None:
    manager, clients = manager_and_clients(google)
    enabled = [c for c in clients if c.status.name == "ENABLED"]
    assert len(enabled) == 3 and len(clients) == 4
    assert {c.status.name for c in clients} == {"ENABLED", "CANCELED"}
    assert len({c.currency_code for c in enabled}) == 3
    assert len({c.time_zone for c in enabled}) == 3
    ga = client(google, login_customer_id=manager).get_service("GoogleAdsService")
    loaded: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 5)
    for customer in enabled:
        stream = ga.search_stream(
            customer_id=str(customer.id),
            query=(
                "SELECT campaign.id, segments.date, metrics.impressions, metrics.clicks, "
                "metrics.cost_micros, metrics.conversions, metrics.conversions_value "
                "FROM campaign WHERE segments.date BETWEEN '2025-01-01' AND '2025-03-31'"
            ),
        )
        for batch in stream:
            assert list(batch.field_mask.paths)[:2] == ["campaign.id", "segments.date"]
            for row in batch.results:
                acc = loaded[(str(customer.id), row.segments.date)]
                acc[0] += row.metrics.impressions
                acc[1] += row.metrics.clicks
                acc[2] += Decimal(row.metrics.cost_micros) / 1_000_000
                acc[3] += Decimal(repr(row.metrics.conversions))
                acc[4] += Decimal(repr(row.metrics.conversions_value))
    truth = {
        (t["account_id"], t["date"]): [
            t["impressions"],
            t["clicks"],
            t["spend"],
            t["conversions"],
            t["conversion_value"],
        ]
        for t in truth_rows("google_ads", 1, SCALE, END)
    }
    assert {k: [Decimal(v) for v in vs] for k, vs in truth.items()} == dict(loaded)


def test_every_shipped_version_answers_with_its_own_types(google: dict[str, str]) -> None:
    customer = accessible(google)[-1]
    for version in VERSIONS:
        ga = client(google, version=version).get_service("GoogleAdsService")
        rows = list(
            ga.search(
                customer_id=customer,
                query="SELECT campaign.id, campaign.name, campaign.status FROM campaign",
            )
        )
        assert rows and all(r.campaign.id and r.campaign.name for r in rows)
        assert type(rows[0]).__module__.startswith(f"google.ads.googleads.{version}.")


def failure_of(exc: GoogleAdsException) -> tuple[str, str]:
    error = exc.failure.errors[0]
    family = error.error_code._pb.WhichOneof("error_code")
    return family, getattr(error.error_code, family).name


def test_query_errors_reach_the_client_as_google_ads_failures(google: dict[str, str]) -> None:
    customer = accessible(google)[-1]
    ga = client(google).get_service("GoogleAdsService")
    cases = {
        "SELECT campaign.start_date FROM campaign": ("query_error", "UNRECOGNIZED_FIELD"),
        "SELECT campaign.id FROM campaigns": ("query_error", "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE"),
        "SELECT campaign.id, segments.date FROM campaign": (
            "query_error",
            "EXPECTED_FILTERS_ON_DATE_RANGE",
        ),
        "SELECT campaign.id FROM campaign WHERE campaign.status = 'LIVE'": (
            "query_error",
            "BAD_ENUM_CONSTANT",
        ),
        "SELECT ad_group.id FROM campaign": (
            "query_error",
            "PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE",
        ),
        "SELECT campaign.id FROM campaign WHERE campaign.id = 1 OR campaign.id = 2": (
            "query_error",
            "UNEXPECTED_INPUT",
        ),
        "campaign.id FROM campaign": ("query_error", "EXPECTED_SELECT"),
        "SELECT change_status.resource_name FROM change_status": (
            "change_status_error",
            "LIMIT_NOT_SPECIFIED",
        ),
    }
    for query, expected in cases.items():
        with pytest.raises(GoogleAdsException) as caught:
            list(ga.search(customer_id=customer, query=query))
        assert failure_of(caught.value) == expected, query
        assert caught.value.request_id
    with pytest.raises(GoogleAdsException) as caught:
        list(
            ga.search(
                request={
                    "customer_id": customer,
                    "query": "SELECT campaign.id FROM campaign",
                    "page_size": 1000,
                }
            )
        )
    assert failure_of(caught.value) == ("request_error", "PAGE_SIZE_NOT_SUPPORTED")


def test_access_rules_of_managers_clients_and_cancelled_accounts(google: dict[str, str]) -> None:
    manager, clients = manager_and_clients(google)
    direct = set(accessible(google))
    indirect = next(c for c in clients if str(c.id) not in direct and c.status.name == "ENABLED")
    cancelled = next(c for c in clients if c.status.name == "CANCELED")
    query = "SELECT customer.id FROM customer"
    plain = client(google).get_service("GoogleAdsService")
    with pytest.raises(GoogleAdsException) as caught:
        list(plain.search(customer_id=str(indirect.id), query=query))
    assert failure_of(caught.value) == ("authorization_error", "USER_PERMISSION_DENIED")
    assert "login-customer-id" in caught.value.failure.errors[0].message
    via_manager = client(google, login_customer_id=manager).get_service("GoogleAdsService")
    assert [
        r.customer.id for r in via_manager.search(customer_id=str(indirect.id), query=query)
    ] == [indirect.id]
    with pytest.raises(GoogleAdsException) as caught:
        list(via_manager.search(customer_id=str(cancelled.id), query=query))
    assert failure_of(caught.value) == ("authorization_error", "CUSTOMER_NOT_ENABLED")
    with pytest.raises(GoogleAdsException) as caught:
        list(via_manager.search(customer_id=manager, query="SELECT metrics.clicks FROM customer"))
    assert failure_of(caught.value) == ("query_error", "REQUESTED_METRICS_FOR_MANAGER")
    wrong_token = client(google, developer_token="nope").get_service("GoogleAdsService")
    with pytest.raises(GoogleAdsException) as caught:
        list(wrong_token.search(customer_id=manager, query=query))
    assert failure_of(caught.value) == ("authentication_error", "DEVELOPER_TOKEN_INVALID")
    # A token with Test Account Access lists the accounts but reads no production one.
    test_level = client(google, developer_token="sandbox-test-dev")
    assert test_level.get_service("CustomerService").list_accessible_customers().resource_names
    with pytest.raises(GoogleAdsException) as caught:
        list(test_level.get_service("GoogleAdsService").search(customer_id=manager, query=query))
    assert failure_of(caught.value) == ("authorization_error", "DEVELOPER_TOKEN_NOT_APPROVED")
    assert caught.value.error.code().name == "PERMISSION_DENIED"
    # A refused refresh happens inside gRPC's metadata plugin: the call fails as
    # UNAVAILABLE with the OAuth error in its message.
    revoked = client(google, refresh_token="revoked").get_service("GoogleAdsService")
    with pytest.raises(core.ServiceUnavailable, match="invalid_grant"):
        list(revoked.search(customer_id=manager, query=query))


def test_field_service_serves_the_library_catalog(google: dict[str, str]) -> None:
    from google.ads.googleads.v26.services.types.google_ads_service import GoogleAdsRow

    fields = client(google).get_service("GoogleAdsFieldService")
    found = {
        f.name: f
        for f in fields.search_google_ads_fields(
            query=(
                "SELECT name, category, data_type, selectable, filterable, is_repeated, "
                "enum_values WHERE name IN ('campaign.start_date_time', 'segments.date', "
                "'ad_group_criterion.keyword.match_type', 'metrics.cost_micros', 'campaign')"
            )
        )
    }
    assert found["segments.date"].data_type.name == "DATE"
    assert found["segments.date"].category.name == "SEGMENT"
    assert found["metrics.cost_micros"].data_type.name == "INT64"
    assert found["campaign"].category.name == "RESOURCE"
    assert "BROAD" in found["ad_group_criterion.keyword.match_type"].enum_values
    metrics = list(fields.search_google_ads_fields(query="SELECT name WHERE name LIKE 'metrics.%'"))
    row = type(GoogleAdsRow.pb(GoogleAdsRow())).DESCRIPTOR
    names = {m.name for m in metrics}
    for fd in row.fields_by_name["metrics"].message_type.fields:  # every metric, flattened
        name = f"metrics.{fd.name}"
        assert name in names or any(n.startswith(name + ".") for n in names), name
    one = fields.get_google_ads_field(resource_name="googleAdsFields/campaign.name")
    assert one.name == "campaign.name" and one.data_type.name == "STRING" and one.sortable


def test_a_client_under_a_sub_manager_is_reached_through_either_manager(
    google: dict[str, str],
) -> None:
    manager = manager_and_clients(google)[0]
    ga = client(google).get_service("GoogleAdsService")
    tree = [
        r.customer_client
        for r in ga.search(
            customer_id=manager,
            query="SELECT customer_client.id, customer_client.level, customer_client.manager "
            "FROM customer_client",
        )
    ]
    assert [c.level for c in tree if str(c.id) == manager] == [0]
    sub = next(c for c in tree if c.manager and str(c.id) != manager)
    nested = [c for c in tree if c.level == 2]
    assert sub.level == 1 and len(nested) == 1 and not nested[0].manager
    # `WHERE customer_client.level <= 1` (the common hierarchy walk) misses it.
    shallow = ga.search(
        customer_id=manager,
        query="SELECT customer_client.id FROM customer_client WHERE customer_client.level <= 1",
    )
    assert nested[0].id not in {r.customer_client.id for r in shallow}
    query = "SELECT customer.id, customer.currency_code FROM customer"
    for login in (manager, str(sub.id)):
        via = client(google, login_customer_id=login).get_service("GoogleAdsService")
        assert [r.customer.id for r in via.search(customer_id=str(nested[0].id), query=query)] == [
            nested[0].id
        ]
    with pytest.raises(GoogleAdsException) as caught:
        list(ga.search(customer_id=str(nested[0].id), query=query))
    assert failure_of(caught.value) == ("authorization_error", "USER_PERMISSION_DENIED")
    # The sub-manager's own tree starts at its clients (read through the top manager).
    below = (
        client(google, login_customer_id=manager)
        .get_service("GoogleAdsService")
        .search(
            customer_id=str(sub.id),
            query="SELECT customer_client.id, customer_client.level FROM customer_client",
        )
    )
    assert {(r.customer_client.id, r.customer_client.level) for r in below} == {
        (sub.id, 0),
        (nested[0].id, 1),
    }


def test_week_month_and_year_filters(google: dict[str, str]) -> None:
    """Filters on a period take its first day (else MISALIGNED_DATE_FOR_FILTER) and reach
    its last one; a year filter bounds the dates like any other."""
    customer = accessible(google)[-1]
    ga = client(google).get_service("GoogleAdsService")

    def clicks(query: str) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for row in ga.search(customer_id=customer, query=query):
            out[row.segments.week or row.segments.month or str(row.segments.year)] += (
                row.metrics.clicks
            )
        return dict(out)

    daily = clicks(
        "SELECT segments.date, segments.week, metrics.clicks FROM customer "
        "WHERE segments.date BETWEEN '2025-03-03' AND '2025-03-16'"
    )
    weekly = clicks(
        "SELECT segments.week, metrics.clicks FROM customer "
        "WHERE segments.week BETWEEN '2025-03-03' AND '2025-03-10'"
    )
    assert weekly == daily and set(weekly) == {"2025-03-03", "2025-03-10"}
    monthly = clicks(
        "SELECT segments.month, metrics.clicks FROM customer WHERE segments.month = '2025-03-01'"
    )
    whole = clicks(
        "SELECT segments.year, metrics.clicks FROM customer "
        "WHERE segments.date BETWEEN '2025-03-01' AND '2025-03-31'"
    )
    assert list(monthly.values()) == list(whole.values()) and monthly["2025-03-01"] > 0
    assert clicks(
        "SELECT segments.year, metrics.clicks FROM customer WHERE segments.year = 2025"
    ) == {"2025": sum(clicks(
        "SELECT segments.month, metrics.clicks FROM customer "
        "WHERE segments.month BETWEEN '2025-01-01' AND '2025-03-01'"
    ).values())}  # fmt: skip
    for query in (
        "SELECT segments.week, metrics.clicks FROM customer WHERE segments.week = '2025-03-04'",
        "SELECT segments.month, metrics.clicks FROM customer WHERE segments.month = '2025-03-02'",
        "SELECT segments.quarter, metrics.clicks FROM customer "
        "WHERE segments.quarter = '2025-02-01'",
    ):
        with pytest.raises(GoogleAdsException) as caught:
            list(ga.search(customer_id=customer, query=query))
        assert failure_of(caught.value) == ("query_error", "MISALIGNED_DATE_FOR_FILTER"), query


def test_change_status_lists_what_each_revision_edited() -> None:
    """change_status with its rules: a finite range on last_change_date_time, a LIMIT of at
    most 10,000, 90 days back; edits appear as late conversions arrive (a revision)."""
    today = datetime.now(UTC).date()
    args = ("--end-date", today.isoformat())
    with running_sandbox(scale=SCALE, extra_args=args) as urls:
        customer = accessible(urls)[-1]
        ga = client(urls).get_service("GoogleAdsService")
        low = (today - timedelta(days=7)).isoformat()
        high = (today + timedelta(days=1)).isoformat()
        query = (
            "SELECT change_status.resource_name, change_status.last_change_date_time, "
            "change_status.resource_type, change_status.resource_status, "
            "change_status.campaign, change_status.ad_group, campaign.id "
            f"FROM change_status WHERE change_status.last_change_date_time BETWEEN '{low}' "
            f"AND '{high}' ORDER BY change_status.last_change_date_time LIMIT 10000"
        )

        def changes() -> list[Any]:
            return [r for r in ga.search(customer_id=customer, query=query)]

        assert changes() == []
        requests.post(f"{urls['oauth']}/_sandbox/advance", timeout=10).raise_for_status()
        first = changes()
        requests.post(f"{urls['oauth']}/_sandbox/advance", timeout=10).raise_for_status()
        second = changes()
        assert first and len(second) >= len(first)
        kinds = {r.change_status.resource_type.name for r in second}
        assert kinds == {"CAMPAIGN", "AD_GROUP", "AD_GROUP_AD"}
        stamps = [r.change_status.last_change_date_time for r in second]
        assert stamps == sorted(stamps) and all(low <= s[:10] <= high for s in stamps)
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", s) for s in stamps)
        for row in second:
            assert row.change_status.campaign.endswith(f"/campaigns/{row.campaign.id}")
            assert row.change_status.resource_status.name == "CHANGED"
        only_campaigns = ga.search(
            customer_id=customer,
            query=query.replace(
                " ORDER BY", " AND change_status.resource_type = 'CAMPAIGN' ORDER BY"
            ),
        )
        assert {r.change_status.resource_type.name for r in only_campaigns} == {"CAMPAIGN"}
        too_old = (today - timedelta(days=91)).isoformat()
        for bad, code in (
            (query.replace("LIMIT 10000", "LIMIT 10001"), "INVALID_LIMIT_CLAUSE"),
            (query.replace(f"'{low}'", f"'{too_old}'"), "START_DATE_TOO_OLD"),
            (
                query.split(" WHERE ")[0] + " LIMIT 100",
                "CHANGE_DATE_RANGE_INFINITE",
            ),
        ):
            with pytest.raises(GoogleAdsException) as caught:
                list(ga.search(customer_id=customer, query=bad))
            assert failure_of(caught.value) == ("change_status_error", code), bad
