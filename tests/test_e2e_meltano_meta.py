"""`meltano run tap-meta-ads target-postgres` and `meltano run tap-meta-ads transform-unified
target-postgres` in the sandbox environment: what loads equals `ads-sandbox truth --platform
meta` per account and account-local day, and a second run (late conversions arrived) upserts
without duplicates."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest
from ads_e2e.sandbox import DEFAULT_SCALE, DEFAULT_SEED, advance
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

UNIFIED_KEY = '"platform", "account_id", "campaign_id", "date"'


def _connect(meltano_project, sandbox, postgres_db) -> str:
    meltano_project.set_sandbox(sandbox)
    meltano_project.set_postgres(
        postgres_db.host, postgres_db.port, postgres_db.user, postgres_db.dbname
    )
    return postgres_db.conninfo()


def test_raw_streams_into_postgres_equal_the_truth(sandbox, meltano_project, postgres_db):
    conninfo = _connect(meltano_project, sandbox, postgres_db)
    truth = load_truth("meta", DEFAULT_SEED, DEFAULT_SCALE, revision=0)
    meltano_project.run("tap-meta-ads", "target-postgres").check()
    with psycopg.connect(conninfo) as connection:
        rows = connection.execute(
            "SELECT account_id, date_start::text, sum(spend), sum(impressions), sum(clicks), "
            "sum(event_conversions), sum(event_conversion_value) "
            "FROM tap_meta_ads.insights_campaign GROUP BY 1, 2"
        ).fetchall()
        count, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT (account_id, campaign_id, date_start)) "
            "FROM tap_meta_ads.insights_campaign"
        ).fetchone()
        accounts = connection.execute("SELECT currency FROM tap_meta_ads.ad_accounts")
        currencies = {r[0] for r in accounts}
    assert count == distinct > 0
    loaded = {
        ("meta", account, day): [Decimal(v) for v in values] for account, day, *values in rows
    }
    expected = {
        key: [Decimal(metrics[m]) for m in ALL_METRICS] for key, metrics in truth.values.items()
    }
    assert loaded == expected
    assert {"USD", "JPY", "NZD"} <= currencies


def test_unified_into_postgres_then_incremental(sandbox, meltano_project, postgres_db):
    conninfo = _connect(meltano_project, sandbox, postgres_db)
    blocks = ("tap-meta-ads", "transform-unified", "target-postgres")
    truth = load_truth("meta", DEFAULT_SEED, DEFAULT_SCALE, revision=0)
    late = load_truth("meta", DEFAULT_SEED, DEFAULT_SCALE, revision=1)
    assert late.values != truth.values
    with_reporting(truth, SANDBOX_RATES)  # and in USD at the sandbox's rates

    meltano_project.run(*blocks).check()
    comparison = compare(
        truth, load_postgres(conninfo), ALL_METRICS + REPORTING_METRICS, platform="meta"
    )
    assert comparison.equal, report_text(comparison)

    advance(sandbox["meta"])
    second = meltano_project.run(*blocks).check()
    assert "minus 28 lookback day(s)" in second.output or "the configured range" in second.output
    comparison = compare(late, load_postgres(conninfo), ALL_METRICS, platform="meta")
    assert comparison.equal, report_text(comparison)
    with psycopg.connect(conninfo) as connection:
        rows, distinct = connection.execute(
            f"SELECT count(*), count(DISTINCT ({UNIFIED_KEY})) "
            "FROM ads.unified_campaign_performance"
        ).fetchone()
        statuses = {
            r[0]
            for r in connection.execute(
                "SELECT DISTINCT status FROM ads.unified_campaign_performance"
            )
        }
    assert rows == distinct > 0
    assert statuses & {"DELETED", "ARCHIVED"}, "deleted campaigns' spend is loaded too"
