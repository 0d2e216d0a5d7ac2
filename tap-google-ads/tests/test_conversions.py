"""Conversions by conversion action: the `campaign_conversions` stream, custom reports with
the conversion-action segments, and the metrics Google does not report per action."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import requests
from ads_sandbox.tap_runs import upserted
from ads_sandbox.testing import running_sandbox
from ads_sandbox.truth import truth_rows
from google_tap_runner import END_DATE, SCALE, SEED, START_DATE

METRICS = ("conversions", "conversions_value", "all_conversions", "all_conversions_value",
           "view_through_conversions")  # fmt: skip
STREAMS = ["customers", "campaign_performance", "campaign_conversions", "conversion_actions"]


def per_campaign_day(records: list[dict], metrics: tuple[str, ...] = METRICS) -> dict:
    totals: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(metrics))
    for r in records:
        total = totals[(r["account_id"], r["campaign__id"], r["segments__date"])]
        for i, metric in enumerate(metrics):
            total[i] += r[f"metrics__{metric}"]
    return {k: v for k, v in totals.items() if any(v)}


def per_customer_day(records: list[dict]) -> dict[tuple[str, str], Decimal]:
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in records:
        totals[(r["account_id"], r["segments__date"])] += r["metrics__conversions"]
    return {k: v for k, v in totals.items() if v}


def test_campaign_conversions_split_the_campaign_report_by_action(run_tap, make_config):
    by_name = {
        "name": "by_action_name",
        "query": "SELECT campaign.id, segments.date, segments.conversion_action_name, "
        "metrics.conversions FROM campaign",
    }
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=("--end-date", END_DATE)) as urls:
        config = make_config(urls, custom_reports=[by_name])
        first = run_tap(config, [*STREAMS, "report_by_action_name"])
        assert first.returncode == 0, first.stderr[-3000:]
        advanced = requests.post(f"{urls['oauth']}/_sandbox/advance", timeout=10)
        assert advanced.status_code == 200, advanced.text
        second = run_tap(config, ["customers", "campaign_conversions"], state=first.state)
    assert second.returncode == 0, second.stderr[-3000:]
    rows = first.records["campaign_conversions"]
    assert first.keys["campaign_conversions"] == (
        "account_id", "campaign__id", "segments__date", "segments__conversion_action",
        "segments__conversion_action_name", "segments__conversion_action_category",
    )  # fmt: skip
    assert len({tuple(r[k] for k in first.keys["campaign_conversions"]) for r in rows}) == len(rows)
    # The actions of a campaign-day sum exactly to that campaign-day's report row.
    assert per_campaign_day(rows) == per_campaign_day(first.records["campaign_performance"])
    # Every action is one of the customer's conversion actions, by resource name.
    actions = {
        f"customers/{a['account_id']}/conversionActions/{a['conversion_action__id']}": a
        for a in first.records["conversion_actions"]
    }
    assert {r["segments__conversion_action"] for r in rows} <= actions.keys()
    for r in rows:
        action = actions[r["segments__conversion_action"]]
        assert r["segments__conversion_action_name"] == action["conversion_action__name"]
        assert r["segments__conversion_action_category"] == action["conversion_action__category"]
        assert action["account_id"] == r["account_id"]
    assert len({r["segments__conversion_action_category"] for r in rows}) >= 3
    # A custom report with the action's name alone: one row per campaign, day and name.
    custom = first.records["report_by_action_name"]
    names = {r["segments__conversion_action_name"] for r in custom}
    assert {"Purchase"} < names
    assert per_campaign_day(custom, ("conversions",)) == per_campaign_day(rows, ("conversions",))
    # Incremental with the lookback: late conversions are read again on the next run.
    grown = {
        (r["account_id"], r["date"]): Decimal(r["conversions"])
        for r in truth_rows(
            "google_ads", SEED, SCALE, end_date=dt.date.fromisoformat(END_DATE), revision=1
        )
        if r["date"] >= START_DATE and Decimal(r["conversions"])
    }
    assert per_customer_day(rows) != grown  # they did grow
    latest = upserted({"campaign_conversions": rows + second.records["campaign_conversions"]},
                      first.keys)  # fmt: skip
    assert per_customer_day(list(latest.values())) == grown
    assert len(second.state["bookmarks"]["campaign_conversions"]["partitions"]) == 3


def test_a_metric_google_refuses_per_action_stops_the_custom_report_at_start(
    run_tap, make_config, tmp_path
):
    select = "SELECT campaign.id, segments.date, segments.conversion_action, metrics.conversions"
    cases = {
        f"{select}, metrics.cost_micros FROM campaign": "metrics.cost_micros",
        f"{select} FROM campaign WHERE metrics.clicks > 0": "metrics.clicks",
    }
    for query, metric in cases.items():
        config = make_config(
            field_cache_dir=str(tmp_path / "fields"),
            custom_reports=[{"name": "actions", "query": query}],
        )
        run = run_tap(config, ["customers", "report_actions"])
        assert run.returncode != 0
        last = run.stderr.strip().splitlines()[-1]
        assert "custom_reports[actions].query" in last, last
        assert f"'{metric}'" in last and "'segments.conversion_action'" in last, last
        assert "RECORD" not in run.stdout
