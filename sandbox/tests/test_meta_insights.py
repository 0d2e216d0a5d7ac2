"""Meta insights arithmetic: breakdowns, attribution windows and time increments add up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import orjson
import pytest
from ads_sandbox.meta import catalog
from ads_sandbox.meta.breakdown_values import VALUES
from ads_sandbox.testing import running_sandbox
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.user import User

from .meta_sdk import FAST, SCALE, purchases, sdk_api, wait_for

WINDOWS = ["1d_click", "7d_click", "28d_click", "1d_view", "7d_view", "28d_view"]
#: What Meta still returns of them: 7d_view and 28d_view are accepted but left out since
#: 2026-01-12 (Meta's "Ads Insights API Metric Availability Updates").
SERVED_WINDOWS = WINDOWS[:4]
RANGE = {"since": "2025-03-10", "until": "2025-03-31"}
BREAKDOWNS = [
    ["age"],
    ["gender"],
    ["age", "gender"],
    ["country"],
    ["region"],
    ["device_platform"],
    ["impression_device"],
    ["publisher_platform", "platform_position"],
    ["hourly_stats_aggregated_by_advertiser_time_zone"],
    ["product_id"],  # not modelled by the world: the emulator's own values
    ["comscore_market"],
    ["image_asset", "age"],
]
#: Meta's "Type 1" breakdowns: no off-Meta actions (pixel purchases) in their rows.
TYPE_1 = {"region", "hourly_stats_aggregated_by_advertiser_time_zone",
          "hourly_stats_aggregated_by_audience_time_zone"}  # fmt: skip
#: Every breakdown the SDK knows that Meta answers alone (not those it removed, such as dma).
SINGLE = sorted(catalog.SERVED_BREAKDOWNS - {"platform_position"})


@pytest.fixture(scope="module")
def accounts() -> Iterator[list[AdAccount]]:
    with running_sandbox(scale=SCALE, extra_args=FAST) as urls:
        api = sdk_api(urls["meta"])
        found = User(fbid="me", api=api).get_ad_accounts(fields=["id"])
        yield [AdAccount(a["id"], api=api) for a in found]


def _totals(rows: list[Any]) -> Counter[str]:
    totals: Counter[str] = Counter()
    for row in rows:
        totals["spend"] += Decimal(row["spend"])
        totals["impressions"] += int(row["impressions"])
        totals["clicks"] += int(row["clicks"])
        for field in ("actions", "action_values"):
            for stat in row.get(field, ()):
                if stat["action_type"] != "offsite_conversion.fb_pixel_purchase":
                    continue
                for key in ("value", *SERVED_WINDOWS):
                    totals[f"{field}:{key}"] += Decimal(stat[key])
                assert not {"7d_view", "28d_view"} & stat.keys(), "no longer returned"
    return totals


def _sums_match(broken: list[Any], plain: list[Any], breakdowns: list[str]) -> bool:
    """A breakdown's rows sum to the unbroken totals: for on-Meta metrics only under Meta's
    off-Meta restrictions (Type 1 leaves pixel purchases out, product_id repeats them)."""
    got, want = _totals(broken), _totals(plain)
    if (TYPE_1 | {"product_id"}) & set(breakdowns):
        return {k: v for k, v in got.items() if ":" not in k} == {
            k: v for k, v in want.items() if ":" not in k
        }
    return got == want


def _rows(account: AdAccount, **params: Any) -> list[dict[str, Any]]:
    base = {
        "level": "campaign",
        "time_range": RANGE,
        "action_attribution_windows": WINDOWS,
        "filtering": [
            {
                "field": "campaign.effective_status",
                "operator": "IN",
                "value": ["ACTIVE", "PAUSED", "DELETED", "ARCHIVED"],
            }
        ],
        "limit": 1000,
    }
    fields = ["campaign_id", "spend", "impressions", "clicks", "actions", "action_values"]
    return [dict(r) for r in account.get_insights(fields=fields, params={**base, **params})]


@pytest.mark.parametrize("breakdowns", BREAKDOWNS, ids="+".join)
def test_breakdown_rows_sum_to_the_unbroken_totals(
    accounts: list[AdAccount], breakdowns: list[str]
) -> None:
    for account in accounts:
        plain = _rows(account, time_increment=1)
        broken = _rows(account, time_increment=1, breakdowns=breakdowns)
        assert _sums_match(broken, plain, breakdowns)
        assert _totals(plain)["actions:value"] > 0
        keys = [
            (r["campaign_id"], r["date_start"], *(str(r[b]) for b in breakdowns)) for r in broken
        ]
        assert len(keys) == len(set(keys)), "two rows share a primary key"


def test_windows_nest_and_default_is_7d_click_plus_1d_view(accounts: list[AdAccount]) -> None:
    totals = _totals(_rows(accounts[0], time_increment=1))
    for field in ("actions", "action_values"):
        t = {w: totals[f"{field}:{w}"] for w in ("value", *SERVED_WINDOWS)}
        assert t["1d_click"] <= t["7d_click"] <= t["28d_click"]
        assert t["value"] == t["7d_click"] + t["1d_view"] and t["1d_view"] > 0


@pytest.mark.parametrize("increment", ["all_days", "monthly", "7"])
def test_time_increments_keep_the_totals(accounts: list[AdAccount], increment: str) -> None:
    account = accounts[1]
    daily = _rows(account, time_increment=1)
    other = _rows(account, time_increment=increment)
    assert _totals(other) == _totals(daily)
    assert all(RANGE["since"] <= r["date_start"] <= r["date_stop"] <= RANGE["until"] for r in other)


def test_hourly_values_are_meta_shaped(accounts: list[AdAccount]) -> None:
    rows = _rows(accounts[0], time_range={"since": "2025-03-30", "until": "2025-03-30"},
                 breakdowns=["hourly_stats_aggregated_by_advertiser_time_zone"])  # fmt: skip
    hours = {r["hourly_stats_aggregated_by_advertiser_time_zone"] for r in rows}
    assert "00:00:00 - 00:59:59" in hours and all(len(h) == 19 for h in hours)


@pytest.mark.parametrize("name", sorted(TYPE_1))
def test_type_1_breakdowns_leave_off_meta_actions_out(accounts: list[AdAccount], name: str) -> None:
    """Breakdowns page, 'Restrictions for off-Meta action metrics': on-Meta actions stay."""
    plain = _rows(accounts[0], time_increment=1)
    broken = _rows(accounts[0], time_increment=1, breakdowns=[name])
    assert broken and not any(r.get("action_values") for r in broken)
    types = {s["action_type"] for r in broken for s in r.get("actions", ())}
    assert "link_click" in types and not any(t.startswith("offsite_conversion") for t in types)
    assert "omni_purchase" not in types

    def clicks(rows: list[dict[str, Any]]) -> int:
        return sum(
            int(s["value"]) for r in rows for s in r.get("actions", ())
            if s["action_type"] == "link_click"
        )  # fmt: skip

    assert clicks(broken) == clicks(plain) > 0


def test_product_id_rows_each_carry_the_whole_off_meta_actions(accounts: list[AdAccount]) -> None:
    """Type 2: off-Meta web actions are not split by product: a sum over products multiplies."""
    plain = {(r["campaign_id"], r["date_start"]): r for r in _rows(accounts[0], time_increment=1)}
    broken = _rows(accounts[0], time_increment=1, breakdowns=["product_id"])
    repeated = 0
    for row in broken:
        whole = plain[(row["campaign_id"], row["date_start"])]
        bought = int(purchases(row) or 0)
        assert bought <= int(purchases(whole) or 0)
        repeated += bought == int(purchases(whole) or 0) > 0
    assert repeated > 0
    assert _totals(broken)["actions:value"] > _totals(list(plain.values()))["actions:value"]


def test_type_2_action_breakdowns_leave_their_keys_out_of_off_meta_actions(
    accounts: list[AdAccount],
) -> None:
    rows = _rows(accounts[0], time_increment=1, action_breakdowns=["action_type", "action_device"])
    stats = [s for r in rows for s in r.get("actions", ())]
    assert any(s["action_type"] == "link_click" and "action_device" in s for s in stats)
    offsite = [s for s in stats if s["action_type"].startswith("offsite_conversion")]
    assert offsite and not any("action_device" in s for s in offsite)


def test_reach_past_13_months_with_breakdowns_only_for_10_async_jobs_a_day() -> None:
    """Meta's rule since 2025-06-10 (Insights best practices): left out of such queries, but
    up to 10 async ones per ad account a day keep it; the reach throttle header counts them."""
    fields = ["campaign_id", "impressions", "reach", "frequency"]
    params = {"level": "campaign", "breakdowns": ["age"], "time_range": {"since": "2024-01-01",
              "until": "2025-03-31"}, "time_increment": "all_days"}  # fmt: skip
    with running_sandbox(scale="1x2x1x1x10", extra_args=FAST) as urls:
        account = AdAccount(
            User(fbid="me", api=sdk_api(urls["meta"])).get_ad_accounts(fields=["id"])[0]["id"],
            api=sdk_api(urls["meta"]),
        )
        sync = account.get_insights(fields=fields, params=params)
        assert sync and not any("reach" in r for r in sync), "sync: left out"
        assert sync.headers()["x-fb-ads-insights-reach-throttle"]
        kept = []
        for _ in range(11):
            job = account.get_insights(fields=fields, params=params, is_async=True)
            assert wait_for(job)[-1][0] == "Job Completed"
            rows = list(job.get_result())
            assert rows
            kept.append(all("reach" in r and "frequency" in r for r in rows))
        assert kept == [True] * 10 + [False]
        recent = {**params, "time_range": {"since": "2025-03-01", "until": "2025-03-31"}}
        assert all("reach" in r for r in account.get_insights(fields=fields, params=recent))


def test_an_hourly_range_of_several_days_sums_each_hour_over_the_days(
    accounts: list[AdAccount],
) -> None:
    """Meta's way (singer-io/tap-facebook#151): one row per hour for the whole range, whatever
    time_increment says; only one day per request gives day-hours."""
    hour = "hourly_stats_aggregated_by_advertiser_time_zone"
    days = ["2025-03-28", "2025-03-29", "2025-03-30"]
    span = _rows(accounts[0], time_range={"since": days[0], "until": days[-1]},
                 time_increment=1, breakdowns=[hour])  # fmt: skip
    assert {(r["date_start"], r["date_stop"]) for r in span} == {(days[0], days[-1])}
    keys = [(r["campaign_id"], r[hour]) for r in span]
    assert len(keys) == len(set(keys))
    by_day = [
        _rows(accounts[0], time_range={"since": d, "until": d}, time_increment=1, breakdowns=[hour])
        for d in days
    ]
    assert all({r["date_start"] for r in rows} == {d} for d, rows in zip(days, by_day, strict=True))
    assert len(span) < sum(len(rows) for rows in by_day)
    summed = _totals([row for rows in by_day for row in rows])
    assert _totals(span) == summed and summed["impressions"] > 0
    assert not any(r.get("action_values") for r in span), "Type 1: no off-Meta actions"
    one_hour = next(r for r in span if r[hour] == "12:00:00 - 12:59:59")
    same_hour = [
        r for rows in by_day for r in rows
        if r[hour] == one_hour[hour] and r["campaign_id"] == one_hour["campaign_id"]
    ]  # fmt: skip
    assert int(one_hour["impressions"]) == sum(int(r["impressions"]) for r in same_hour)


@pytest.mark.parametrize("name", SINGLE)
def test_every_breakdown_has_realistic_values_that_sum_to_the_totals(
    accounts: list[AdAccount], name: str
) -> None:
    account = accounts[2]
    plain = _rows(account, time_increment=1)
    broken = _rows(account, time_increment=1, breakdowns=[name])
    assert _sums_match(broken, plain, [name])
    seen = {r[name] if isinstance(r[name], str) else orjson.dumps(r[name]).decode() for r in broken}
    if name in VALUES:
        labels = VALUES[name].labels
        assert seen <= set(labels)
        assert len(seen) > 1 or len(labels) == 1, "an ad's metrics spread over the values"
        if VALUES[name].objects:
            assert all(isinstance(r[name], dict) and r[name]["id"].isdigit() for r in broken)
    assert "unknown" not in seen or name == "gender"
