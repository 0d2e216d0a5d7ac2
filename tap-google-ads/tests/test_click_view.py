"""The `click_view` stream: a record per click, as many per customer and day as the campaign
report's clicks, incremental per customer, never asking Google for a day past the 90 it
keeps, and off unless the catalog selects it."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from ads_sandbox.testing import running_sandbox
from google_tap_runner import SEED, TAP

#: A world whose last day is today (click_view reaches back from today), 100 days long,
#: with a Performance Max campaign and an App campaign.
SCALE = "3x4x2x2x100"
SKIPPED = re.compile(r"click_view, customer (\d+), (\S+): (\d+) click\(s\) without a GCLID")
KEYS = ("account_id", "click_view__gclid", "segments__date")


@pytest.fixture(scope="module")
def urls() -> Iterator[dict[str, str]]:
    with running_sandbox(seed=SEED, scale=SCALE) as found:
        yield found


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def clicks_per_day(records: list[dict], count: str | None = None) -> Counter:
    out: Counter = Counter()
    for r in records:
        out[(r["account_id"], r["segments__date"])] += r[count] if count else 1
    return +out


def test_a_record_per_click_and_the_bookmark_per_customer(run_tap, make_config, urls):
    end = utc_today() - dt.timedelta(days=1)
    config = make_config(
        urls,
        start_date=(end - dt.timedelta(days=2)).isoformat(),
        end_date=end.isoformat(),
        insights_lookback_days=1,
    )
    first = run_tap(config, ["customers", "campaign_performance", "click_view"])
    assert first.returncode == 0, first.stderr[-3000:]
    clicks = first.records["click_view"]
    assert first.keys["click_view"] == KEYS
    assert len({r["click_view__gclid"] for r in clicks}) == len(clicks)
    # Every click of the campaign report, Performance Max included, is one record, but those
    # of App campaigns, which have no GCLID: they are counted in a warning.
    campaigns = first.records["campaign_performance"]
    report = clicks_per_day(campaigns, "metrics__clicks")
    apps = [r for r in campaigns if r["campaign__advertising_channel_type"] == "MULTI_CHANNEL"]
    skipped = Counter({(a, d): int(n) for a, d, n in SKIPPED.findall(first.stderr)})
    assert skipped and skipped == clicks_per_day(apps, "metrics__clicks")
    assert clicks_per_day(clicks) == report - skipped
    assert {d for _, d in report} == {str(end - dt.timedelta(days=n)) for n in range(3)}
    assert any(r["campaign__advertising_channel_type"] == "PERFORMANCE_MAX" for r in campaigns)
    assert all(r["metrics__clicks"] == 1 and r["account_currency"] for r in clicks)
    assert any(r["click_view__keyword"] for r in clicks)
    partitions = {
        p["context"]["account_id"]: p["replication_key_value"]
        for p in first.state["bookmarks"]["click_view"]["partitions"]
    }
    assert set(partitions) == {r["account_id"] for r in clicks}
    assert set(partitions.values()) == {end.isoformat()}
    # The next run reads from the bookmark minus the lookback (1 day) only.
    second = run_tap(config, ["customers", "click_view"], state=first.state)
    assert second.returncode == 0, second.stderr[-3000:]
    again = second.records["click_view"]
    assert {r["segments__date"] for r in again} == {str(end - dt.timedelta(days=1)), str(end)}
    by_key = {tuple(r[k] for k in KEYS): r for r in clicks}
    assert all(by_key[tuple(r[k] for k in KEYS)] == r for r in again)


def test_a_start_older_than_90_days_is_clamped_with_a_warning(run_tap, make_config, urls):
    today = utc_today()
    config = make_config(
        urls,
        start_date=(today - dt.timedelta(days=95)).isoformat(),
        end_date=(today - dt.timedelta(days=88)).isoformat(),
    )
    run = run_tap(config, ["customers", "click_view"])
    # Google refuses a click_view day older than 90: a run that asked would fail.
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Google keeps clicks for 90 days; setting 'start_date' asks for" in run.stderr
    oldest = {}
    zones = {r["account_id"]: r["account_timezone"] for r in run.records["customers"]}
    for r in run.records["click_view"]:
        oldest[r["account_id"]] = min(oldest.get(r["account_id"], "9"), r["segments__date"])
    assert oldest
    for account, day in oldest.items():
        local_today = dt.datetime.now(ZoneInfo(zones[account])).date()
        assert day == str(local_today - dt.timedelta(days=90))


def test_off_unless_the_catalog_selects_it(tmp_path, make_config, urls):
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(make_config(urls)))
    found = subprocess.run(
        [TAP, "--config", str(config_path), "--discover"],
        check=True,
        capture_output=True,
        text=True,
    )
    defaults = {
        entry["tap_stream_id"]: item["metadata"].get("selected-by-default")
        for entry in json.loads(found.stdout)["streams"]
        for item in entry["metadata"]
        if item["breadcrumb"] == []
    }
    assert defaults["click_view"] is False
    assert defaults["campaign_performance"] is True
