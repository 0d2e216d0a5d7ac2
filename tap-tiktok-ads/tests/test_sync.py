"""Runs of the tap against the sandbox, checked against the sandbox's truth."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal

import requests
from ads_sandbox.truth import truth_rows
from tiktok_tap_runner import END_DATE, SCALE, SEED

FIELDS = ("spend", "impressions", "clicks", "conversion")


def truth_totals(revision: int = 0) -> dict[tuple[str, str], dict]:
    return {
        (row["account_id"], row["date"]): {
            "spend": Decimal(row["spend"]),
            "impressions": row["impressions"],
            "clicks": row["clicks"],
            "conversion": row["conversions"],
        }
        for row in truth_rows(
            "tiktok",
            SEED,
            SCALE,
            end_date=dt.date.fromisoformat(END_DATE),
            revision=revision,
            gmv_max=False,  # report/integrated/get leaves GMV Max campaigns out
        )
    }


def loaded_totals(records: list[dict]) -> dict[tuple[str, str], dict]:
    totals: dict = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for record in records:
        key = (record["advertiser_id"], record["stat_time_day"])
        for field in FIELDS:
            totals[key][field] += record[field] or 0
    return dict(totals)


def sandbox_revision(url: str) -> int:
    return requests.get(f"{url}/_sandbox/stats", timeout=10).json()["revision"]


def test_report_totals_equal_truth_for_every_advertiser_and_day(run_tap, make_config, tiktok_url):
    run = run_tap(
        make_config(),
        ["advertisers", "insights_campaign", "insights_advertiser", "insights_audience_age"],
    )
    assert run.returncode == 0, run.stderr[-3000:]
    truth = truth_totals(sandbox_revision(tiktok_url))
    assert loaded_totals(run.records["insights_campaign"]) == truth
    assert loaded_totals(run.records["insights_advertiser"]) == truth
    assert loaded_totals(run.records["insights_audience_age"]) == truth
    advertisers = run.records["advertisers"]
    assert len({a["currency"] for a in advertisers}) == 3
    assert "Pacific/Auckland" in {a["timezone"] for a in advertisers}
    row = run.records["insights_campaign"][0]
    assert isinstance(row["campaign_id"], str) and row["account_currency"]
    assert len(row["stat_time_day"]) == 10


def test_without_deleted_objects_spend_falls_short(run_tap, make_config):
    run = run_tap(make_config(include_deleted=False), ["insights_campaign"])
    assert run.returncode == 0, run.stderr[-3000:]
    loaded = sum(r["spend"] for r in run.records["insights_campaign"])
    assert loaded < sum(t["spend"] for t in truth_totals().values())  # spend never changes


def test_second_run_rereads_only_the_lookback_window(run_tap, make_config, tiktok_url):
    config = make_config()  # lookback: TikTok's default 7 days, the sandbox's settling window
    first = run_tap(config, ["insights_campaign", "campaigns"])
    assert first.returncode == 0, first.stderr[-3000:]
    first_days = {r["stat_time_day"] for r in first.records["insights_campaign"]}
    requests.post(f"{tiktok_url}/_sandbox/advance", timeout=10).raise_for_status()
    second = run_tap(config, ["insights_campaign", "campaigns"], state=first.state)
    assert second.returncode == 0, second.stderr[-3000:]
    second_days = {r["stat_time_day"] for r in second.records["insights_campaign"]}
    # Per advertiser: from its bookmark minus seven days, in its own timezone.
    assert 8 <= len(second_days) <= 9 < len(first_days)
    assert max(second_days) == max(first_days)
    # Late conversions: after upserting the second run, every day matches the new truth.
    table = {}
    for run in (first, second):
        for row in run.records["insights_campaign"]:
            table[(row["campaign_id"], row["stat_time_day"])] = row
    assert loaded_totals(list(table.values())) == truth_totals(sandbox_revision(tiktok_url))
    assert loaded_totals(first.records["insights_campaign"]) != truth_totals(
        sandbox_revision(tiktok_url)
    )
    # Only campaigns modified since the bookmark come again.
    assert 0 < len(second.records.get("campaigns", [])) < len(first.records["campaigns"])


def test_hourly_rows_sum_to_the_daily_ones(run_tap, make_config):
    config = make_config(start_date=END_DATE)
    run = run_tap(config, ["insights_campaign", "insights_campaign_hourly"])
    assert run.returncode == 0, run.stderr[-3000:]
    daily = {
        (r["campaign_id"], r["stat_time_day"]): r["spend"] for r in run.records["insights_campaign"]
    }
    hourly: dict = defaultdict(Decimal)
    for row in run.records["insights_campaign_hourly"]:
        hourly[(row["campaign_id"], row["stat_time_hour"][:10])] += row["spend"]
        assert row["stat_time_hour"][19:] in ("-08:00", "+09:00", "+13:00", "-07:00", "+12:00")
    assert dict(hourly) == daily


def test_an_invalid_token_stops_with_the_fix_and_never_prints_the_token(run_tap, make_config):
    run = run_tap(make_config(access_token="not-the-token-1234"), ["insights_campaign"])
    assert run.returncode != 0
    assert "new token" in run.stderr
    assert "not-the-token-1234" not in run.stderr + run.stdout


def test_an_unknown_advertiser_is_named_while_the_others_finish(run_tap, make_config):
    ids = sorted(
        {
            row["account_id"]
            for row in truth_rows("tiktok", SEED, SCALE, end_date=dt.date.fromisoformat(END_DATE))
        }
    )
    run = run_tap(
        make_config(advertiser_ids=[*ids, "7999999999999999999"]),
        ["advertisers", "insights_campaign"],
    )
    assert run.returncode != 0
    assert "7999999999999999999" in run.stderr
    assert {r["advertiser_id"] for r in run.records["insights_campaign"]} == set(ids)


def test_dead_letters_are_written_redacted(run_tap, make_config, tmp_path):
    path = tmp_path / "dead.jsonl"
    run = run_tap(
        make_config(access_token="wrong-token-5678", dead_letter_path=str(path)),
        ["insights_campaign"],
    )
    assert run.returncode != 0
    (entry, *_) = [json.loads(line) for line in path.read_text().splitlines()]
    assert entry["error"] == "AuthenticationError" and "wrong-token-5678" not in path.read_text()


def test_metrics_a_report_refuses_fail_before_any_request(run_tap, make_config, tiktok_url):
    before = requests.get(f"{tiktok_url}/_sandbox/stats", timeout=10).json()["requests"]
    run = run_tap(make_config(metrics=["spend", "cash_spend"]), ["insights_campaign_hourly"])
    after = requests.get(f"{tiktok_url}/_sandbox/stats", timeout=10).json()["requests"]
    assert run.returncode != 0
    assert "'cash_spend'" in run.stderr and "BASIC hourly campaign-level" in run.stderr
    assert "report_metrics.csv" in run.stderr
    assert after == before


def test_shards_split_the_advertisers_and_together_load_the_truth(run_tap, make_config, tiktok_url):
    runs = [
        run_tap(
            make_config(advertiser_ids=[], shard_count=2, shard_index=index),
            ["advertisers", "insights_advertiser"],
        )
        for index in range(2)
    ]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr[-2000:]
    per_shard = [{r["advertiser_id"] for r in run.records.get("advertisers", [])} for run in runs]
    assert all(per_shard) and per_shard[0].isdisjoint(per_shard[1])
    records = [r for run in runs for r in run.records.get("insights_advertiser", [])]
    truth = truth_totals(sandbox_revision(tiktok_url))
    assert loaded_totals(records) == {k: v for k, v in truth.items() if v["impressions"]}


def test_a_resumed_hourly_run_rereads_every_hour_of_its_lookback(run_tap, make_config, tiktok_url):
    """Airbyte's hourly streams once kept only the hours after the resumed cursor: ours re-read
    whole days, and the upserted hours add up to the new truth."""
    config = make_config()
    first = run_tap(config, ["insights_campaign_hourly"])
    assert first.returncode == 0, first.stderr[-3000:]
    requests.post(f"{tiktok_url}/_sandbox/advance", timeout=10).raise_for_status()
    second = run_tap(config, ["insights_campaign_hourly"], state=first.state)
    assert second.returncode == 0, second.stderr[-3000:]

    def hours(run) -> dict:
        seen: dict = defaultdict(set)
        for row in run.records["insights_campaign_hourly"]:
            seen[(row["campaign_id"], row["stat_time_hour"][:10])].add(row["stat_time_hour"])
        return seen

    again = hours(second)
    assert 0 < len({day for _, day in again}) < len({day for _, day in hours(first)})
    assert all(got == hours(first)[key] for key, got in again.items())
    table = {}
    for run in (first, second):
        for row in run.records["insights_campaign_hourly"]:
            table[(row["campaign_id"], row["stat_time_hour"])] = row
    daily: dict = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for row in table.values():
        for field in FIELDS:
            daily[(row["advertiser_id"], row["stat_time_hour"][:10])][field] += row[field] or 0
    assert dict(daily) == truth_totals(sandbox_revision(tiktok_url))
