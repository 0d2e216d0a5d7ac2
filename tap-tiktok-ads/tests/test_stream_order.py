"""What a run says about its streams' order and its accounts matches what it does."""

from __future__ import annotations

import datetime as dt
import json

from ads_sandbox.truth import truth_rows
from tiktok_tap_runner import END_DATE, SCALE, SEED

STREAMS = ["advertisers", "campaigns", "insights_campaign"]


def advertiser_ids() -> list[str]:
    rows = truth_rows("tiktok", SEED, SCALE, end_date=dt.date.fromisoformat(END_DATE))
    return sorted({row["account_id"] for row in rows})


def test_each_incremental_stream_says_once_how_it_resumes(run_tap, make_config):
    run = run_tap(make_config(), STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "assumed to be unsorted" not in run.stderr
    for stream, key in (("campaigns", "modify_time"), ("insights_campaign", "stat_time_day")):
        lines = [
            line
            for line in run.stderr.splitlines()
            if f"{stream}: rows are not in {key} order" in line
        ]
        assert len(lines) == 1, run.stderr[-3000:]
        assert "resumes after the accounts" in lines[0]
    partitions = run.state["bookmarks"]["insights_campaign"]["partitions"]
    assert len(partitions) == len(advertiser_ids())
    assert all("progress_markers" not in p and p["replication_key_value"] for p in partitions)


def test_an_advertiser_listed_twice_is_read_once_and_named(run_tap, make_config):
    ids = advertiser_ids()
    once = run_tap(make_config(advertiser_ids=ids), STREAMS)
    twice = run_tap(make_config(advertiser_ids=[*ids, ids[0], ids[0]]), STREAMS)
    assert once.returncode == 0 and twice.returncode == 0, twice.stderr[-3000:]
    assert twice.records == once.records
    assert sorted(a["advertiser_id"] for a in twice.records["advertisers"]) == ids
    (warning,) = [line for line in twice.stderr.splitlines() if "more than once" in line]
    assert "'advertiser_ids'" in warning and ids[0] in warning
    assert json.dumps(twice.state, sort_keys=True) == json.dumps(once.state, sort_keys=True)
