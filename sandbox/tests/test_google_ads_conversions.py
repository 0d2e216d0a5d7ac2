"""Conversions by conversion action in the Google Ads emulator, driven by the plain official
client (google-ads), no tap code: the actions split each row exactly, and a metric Google
does not report per action is refused as Google refuses it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

import pytest
from ads_sandbox.testing import running_sandbox
from google.ads.googleads.errors import GoogleAdsException

from tests.conftest import END, SCALE
from tests.test_google_ads_client import client, failure_of, manager_and_clients

DATES = "segments.date BETWEEN '2025-01-01' AND '2025-03-31'"
METRICS = (
    "conversions",
    "conversions_value",
    "all_conversions",
    "all_conversions_value",
    "view_through_conversions",
)


@pytest.fixture(scope="module")
def google() -> Iterator[dict[str, str]]:
    with running_sandbox(scale=SCALE, extra_args=("--end-date", END.isoformat())) as urls:
        yield urls


def _service(urls: dict[str, str]) -> tuple[object, list[str]]:
    manager, clients = manager_and_clients(urls)
    enabled = [str(c.id) for c in clients if c.status.name == "ENABLED"]
    return client(urls, login_customer_id=manager).get_service("GoogleAdsService"), enabled


def _sums(ga: object, customer: str, segments: str, group: int) -> dict[tuple, list[Decimal]]:
    """Metric sums per (campaign, date[, segment values][:group])."""
    metrics = [f"metrics.{m}" for m in METRICS]
    select = ", ".join(["campaign.id", "segments.date", *segments.split(), *metrics])
    out: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(METRICS))
    for batch in ga.search_stream(
        customer_id=customer, query=f"SELECT {select} FROM campaign WHERE {DATES}"
    ):
        for row in batch.results:
            raw = (getattr(row.segments, s.removeprefix("segments.")) for s in segments.split())
            values = [getattr(v, "name", v) for v in raw]  # enums by name
            key = (row.campaign.id, row.segments.date, *values)[: 2 + group]
            for i, metric in enumerate(METRICS):
                out[key][i] += Decimal(repr(getattr(row.metrics, metric)))
    return {k: v for k, v in out.items() if any(v)}


def test_conversion_actions_split_each_row_exactly(google: dict[str, str]) -> None:
    ga, customers = _service(google)
    every_action = (
        "segments.conversion_action segments.conversion_action_name "
        "segments.conversion_action_category"
    )
    seen_categories: set[str] = set()
    for customer in customers:
        actions = {
            row.conversion_action.resource_name: row.conversion_action
            for row in ga.search(
                customer_id=customer,
                query=(
                    "SELECT conversion_action.id, conversion_action.name, "
                    "conversion_action.category, conversion_action.status, "
                    "conversion_action.type, conversion_action.include_in_conversions_metric "
                    "FROM conversion_action"
                ),
            )
        }
        assert len(actions) >= 3
        assert len({a.name for a in actions.values()}) == len(actions)
        assert {a.include_in_conversions_metric for a in actions.values()} == {True, False}
        whole = _sums(ga, customer, "", 0)
        by_action = _sums(ga, customer, every_action, 3)
        assert whole and by_action
        # Each action row carries the action's own name and category.
        for _, _, resource, name, category in by_action:
            assert actions[resource].name == name
            assert actions[resource].category.name == category
            seen_categories.add(category)
        # The actions of a campaign-day sum exactly to that campaign-day.
        summed: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(METRICS))
        for key, values in by_action.items():
            for i, value in enumerate(values):
                summed[key[:2]][i] += value
        assert dict(summed) == whole
        # Secondary actions count in all_conversions only.
        for (_, _, resource, *_), values in by_action.items():
            if not actions[resource].include_in_conversions_metric:
                assert values[0] == values[1] == 0 and values[2] > 0
        # One segment alone (the category) sums the actions sharing it.
        by_category = _sums(ga, customer, "segments.conversion_action_category", 1)
        regrouped: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(METRICS))
        for (campaign, day, _, _, category), values in by_action.items():
            for i, value in enumerate(values):
                regrouped[(campaign, day, category)][i] += value
        assert by_category == dict(regrouped)
    assert {"PURCHASE"} < seen_categories


def test_a_filter_on_the_action_keeps_its_rows_only(google: dict[str, str]) -> None:
    ga, customers = _service(google)
    customer = customers[0]
    by_action = _sums(ga, customer, "segments.conversion_action_category", 1)
    purchases = {k[:2]: v for k, v in by_action.items() if k[2] == "PURCHASE"}
    rows = ga.search_stream(
        customer_id=customer,
        query=(
            "SELECT campaign.id, segments.date, metrics.conversions FROM campaign "
            f"WHERE {DATES} AND segments.conversion_action_category = 'PURCHASE'"
        ),
    )
    filtered = {
        (r.campaign.id, r.segments.date): Decimal(repr(r.metrics.conversions))
        for batch in rows
        for r in batch.results
    }
    assert {k: v for k, v in filtered.items() if v} == {
        k: v[0] for k, v in purchases.items() if v[0]
    }


def test_metrics_not_reported_per_action_are_refused(google: dict[str, str]) -> None:
    ga, customers = _service(google)
    refused = (
        "SELECT campaign.id, segments.conversion_action_name, metrics.conversions, "
        f"metrics.cost_micros FROM campaign WHERE {DATES}",
        "SELECT segments.conversion_action, metrics.impressions FROM customer",
        "SELECT campaign.id, segments.conversion_action_category, metrics.conversions "
        "FROM campaign WHERE metrics.clicks > 0",
        "SELECT ad_group.id, segments.conversion_lag_bucket, metrics.cost_per_conversion "
        "FROM ad_group",
    )
    for query in refused:
        with pytest.raises(GoogleAdsException) as caught:
            list(ga.search(customer_id=customers[0], query=query))
        assert failure_of(caught.value) == (
            "query_error",
            "PROHIBITED_SEGMENT_WITH_METRIC_IN_SELECT_OR_WHERE_CLAUSE",
        ), query
    message = caught.value.failure.errors[0].message
    assert "'segments.conversion_lag_bucket'" in message and "cost_per_conversion" in message


def test_the_field_service_lists_what_goes_with_conversion_segments(
    google: dict[str, str],
) -> None:
    fields = client(google).get_service("GoogleAdsFieldService")
    found = {
        f.name: set(f.selectable_with)
        for f in fields.search_google_ads_fields(
            query=(
                "SELECT name, selectable_with WHERE name IN ('segments.conversion_action_name', "
                "'segments.device', 'metrics.cost_micros', 'metrics.conversions')"
            )
        )
    }
    assert {"metrics.conversions", "metrics.all_conversions_value"} <= found[
        "segments.conversion_action_name"
    ]
    assert "metrics.cost_micros" not in found["segments.conversion_action_name"]
    assert {"metrics.cost_micros", "campaign"} <= found["segments.device"]
    assert "segments.conversion_action_name" in found["metrics.conversions"]
    assert "segments.conversion_action_name" not in found["metrics.cost_micros"]


def test_from_conversion_action_reports_each_actions_conversions(google: dict[str, str]) -> None:
    ga, customers = _service(google)
    customer = customers[-1]
    metrics = ", ".join(f"metrics.{m}" for m in METRICS)
    per_action: dict[tuple, list[Decimal]] = {}
    for batch in ga.search_stream(
        customer_id=customer,
        query=f"SELECT conversion_action.resource_name, segments.date, {metrics} "
        f"FROM conversion_action WHERE {DATES}",
    ):
        for row in batch.results:
            key = (row.conversion_action.resource_name, row.segments.date)
            per_action[key] = [Decimal(repr(getattr(row.metrics, m))) for m in METRICS]
    by_campaign = _sums(ga, customer, "segments.conversion_action", 1)
    summed: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(METRICS))
    for (_, day, action), values in by_campaign.items():
        for i, value in enumerate(values):
            summed[(action, day)][i] += value
    assert per_action and {k: v for k, v in per_action.items() if any(v)} == dict(summed)
    with pytest.raises(GoogleAdsException) as caught:
        list(
            ga.search(
                customer_id=customer,
                query=f"SELECT conversion_action.id, metrics.impressions FROM conversion_action "
                f"WHERE {DATES}",
            )
        )
    assert failure_of(caught.value) == (
        "query_error",
        "PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE",
    )
