"""`meltano run tap-tiktok-ads transform-unified target-postgres` into a real PostgreSQL:
equal to the truth, then incremental: a second run re-reads only the lookback window,
upserts without duplicates, and picks up the conversions that arrived late."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from ads_e2e.sandbox import DEFAULT_SCALE, DEFAULT_SEED, advance, request_count, stats
from compare_truth import (
    ALL_METRICS,
    REPORTING_METRICS,
    SANDBOX_RATES,
    compare,
    load_postgres,
    load_truth,
    report_text,
    with_reporting,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.xdist_group("meltano")]

BLOCKS = ("tap-tiktok-ads", "transform-unified", "target-postgres")
KEY = '"platform", "account_id", "campaign_id", "date"'
#: tap-tiktok-ads' default `insights_lookback_days`.
LOOKBACK_DAYS = 7


def duplicates(conninfo: str) -> tuple[int, int]:
    with psycopg.connect(conninfo) as connection:
        return connection.execute(
            f"SELECT count(*), count(DISTINCT ({KEY})) FROM ads.unified_campaign_performance"
        ).fetchone()


def test_postgres_load_then_incremental_run(sandbox, meltano_project, postgres_db):
    tiktok = sandbox["tiktok"]
    meltano_project.set_sandbox(sandbox)
    meltano_project.set_postgres(
        postgres_db.host, postgres_db.port, postgres_db.user, postgres_db.dbname
    )
    conninfo = postgres_db.conninfo()
    # Taken at once: the sandbox's data ends on each account's local today at its start.
    truth = load_truth("tiktok", DEFAULT_SEED, DEFAULT_SCALE, revision=0)
    late = load_truth("tiktok", DEFAULT_SEED, DEFAULT_SCALE, revision=1)
    assert late.values != truth.values, "revision 1 of the truth changes nothing"
    with_reporting(truth, SANDBOX_RATES)  # and in USD at the sandbox's rates

    # First run: everything in the configured date range.
    before = stats(tiktok)
    first = meltano_project.run(*BLOCKS).check()
    after = stats(tiktok)
    first_requests = request_count(after) - request_count(before)
    first_rows = after["rows_served"] - before["rows_served"]
    comparison = compare(
        truth, load_postgres(conninfo), ALL_METRICS + REPORTING_METRICS, platform="tiktok"
    )
    assert comparison.equal, report_text(comparison)
    rows, distinct = duplicates(conninfo)
    assert rows == distinct > 0
    first_ranges = first.report_ranges()
    assert first_ranges, "the tap logged no report date range:\n" + first.output[-3000:]

    # Late conversions arrive; the second run starts from the first run's state.
    advance(tiktok)
    before = stats(tiktok)
    second = meltano_project.run(*BLOCKS).check()
    after = stats(tiktok)
    second_requests = request_count(after) - request_count(before)
    second_rows = after["rows_served"] - before["rows_served"]

    second_ranges = second.report_ranges()
    assert second_ranges, "the tap logged no report date range:\n" + second.output[-3000:]
    for stream, advertiser, start, end in second_ranges:
        days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1
        assert days <= LOOKBACK_DAYS + 1, (
            f"second run re-read {days} days of {stream} for advertiser {advertiser} "
            f"({start} to {end}); the lookback is {LOOKBACK_DAYS} days"
        )
    first_days = {
        (stream, advertiser): (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1
        for stream, advertiser, start, end in first_ranges
    }
    assert max(first_days.values()) > LOOKBACK_DAYS + 1, first_days
    # The sandbox's own counters: no more report requests, and fewer rows served.
    assert 0 < second_requests <= first_requests, (first_requests, second_requests)
    assert second_rows < first_rows, (first_rows, second_rows)

    rows, distinct = duplicates(conninfo)
    assert rows == distinct, f"{rows - distinct} duplicate row(s) by {KEY}"
    comparison = compare(late, load_postgres(conninfo), ALL_METRICS, platform="tiktok")
    assert comparison.equal, report_text(comparison)
