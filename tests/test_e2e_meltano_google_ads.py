"""`meltano run tap-google-ads ...` against the sandbox's Google Ads emulator: through the
mapper into DuckDB and PostgreSQL equal to `ads-sandbox truth --platform google_ads` (cost
converted from micros by the mapper), and the tap's own streams straight into PostgreSQL."""

from __future__ import annotations

import duckdb
import psycopg
import pytest
from ads_e2e.sandbox import DEFAULT_SCALE, DEFAULT_SEED
from compare_truth import (
    ALL_METRICS,
    REPORTING_METRICS,
    SANDBOX_RATES,
    compare,
    load_duckdb,
    load_postgres,
    load_truth,
    report_text,
    with_reporting,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]
KEY = '"platform", "account_id", "campaign_id", "date"'


def truth_impressions(truth) -> dict:
    return {key: values["impressions"] for key, values in truth.values.items()}


def test_google_ads_through_the_mapper_into_duckdb_equals_truth(sandbox, meltano_project):
    meltano_project.set_sandbox(sandbox)
    truth = with_reporting(load_truth("google_ads", DEFAULT_SEED, DEFAULT_SCALE), SANDBOX_RATES)
    meltano_project.run("tap-google-ads", "transform-unified", "target-duckdb").check()
    loaded = load_duckdb(meltano_project.duckdb_path)
    comparison = compare(truth, loaded, ALL_METRICS + REPORTING_METRICS, platform="google_ads")
    assert comparison.equal, report_text(comparison)
    assert {key[:2] for key in loaded.values} == {key[:2] for key in truth.values}
    with duckdb.connect(str(meltano_project.duckdb_path), read_only=True) as connection:
        rows, distinct, currencies = connection.execute(
            f"SELECT count(*), count(DISTINCT ({KEY})), count(DISTINCT currency) "
            "FROM ads.unified_campaign_performance WHERE platform = 'google_ads'"
        ).fetchone()
        levels = dict(
            connection.execute(
                "SELECT 'adset', count(*) FROM ads.unified_adset_performance "
                "WHERE platform = 'google_ads' UNION ALL "
                "SELECT 'ad', count(*) FROM ads.unified_ad_performance "
                "WHERE platform = 'google_ads'"
            ).fetchall()
        )
        by_breakdown = connection.execute(
            "SELECT breakdown, account_id, date, sum(impressions) "
            "FROM ads.unified_breakdown_performance WHERE platform = 'google_ads' "
            "GROUP BY ALL"
        ).fetchall()
        per_campaign = {
            tuple(row[:4]): tuple(row[4:])
            for row in connection.execute(
                "SELECT native_objective, account_id, campaign_id, date, spend, impressions, "
                "clicks FROM ads.unified_campaign_performance WHERE platform = 'google_ads'"
            ).fetchall()
        }
        breakdown_per_campaign: dict = {}
        for breakdown, *key, spend, impressions, clicks in connection.execute(
            "SELECT breakdown, account_id, campaign_id, date, sum(spend), sum(impressions), "
            "sum(clicks) FROM ads.unified_breakdown_performance WHERE platform = 'google_ads' "
            "GROUP BY ALL"
        ).fetchall():
            breakdown_per_campaign.setdefault(breakdown, {})[tuple(key)] = (
                spend,
                impressions,
                clicks,
            )
    assert rows == distinct > 0 and currencies == 3
    assert levels["adset"] > 0 and levels["ad"] > 0
    # Each campaign-level breakdown (device, placement from the network segment, country
    # from the geographic view) adds up to the truth.
    impressions = {(k[1], str(k[2])): int(n) for k, n in truth_impressions(truth).items()}
    for breakdown in ("device", "placement", "country"):
        sums = {(a, str(d)): int(n) for b, a, d, n in by_breakdown if b == breakdown}
        assert sums == impressions, breakdown
    # Age and gender are ad-group views, summed per campaign: they add up to the campaign
    # rows of every campaign with ad groups (Performance Max has none, so no such rows).
    with_ad_groups = {
        key[1:]: sums for key, sums in per_campaign.items() if key[0] != "PERFORMANCE_MAX"
    }
    assert with_ad_groups and len(with_ad_groups) < len(per_campaign)
    for breakdown in ("age", "gender"):
        assert breakdown_per_campaign[breakdown] == with_ad_groups, breakdown


@pytest.mark.postgres
def test_google_ads_into_postgres_raw_and_unified(sandbox, meltano_project, postgres_db):
    meltano_project.set_sandbox(sandbox)
    meltano_project.set_postgres(
        postgres_db.host, postgres_db.port, postgres_db.user, postgres_db.dbname
    )
    truth = with_reporting(load_truth("google_ads", DEFAULT_SEED, DEFAULT_SCALE), SANDBOX_RATES)
    meltano_project.run("tap-google-ads", "target-postgres").check()
    with psycopg.connect(postgres_db.conninfo()) as connection:
        micros = connection.execute(
            "SELECT account_currency, sum(metrics__cost_micros) "
            "FROM tap_google_ads.campaign_performance GROUP BY account_currency"
        ).fetchall()
        customers = connection.execute("SELECT count(*) FROM tap_google_ads.customers")
        customers = customers.fetchone()[0]
    assert len(micros) == 3 and all(total > 0 for _, total in micros)
    assert customers == 4  # the manager and its three enabled clients
    meltano_project.run(
        "tap-google-ads", "transform-unified", "target-postgres", extra=("--full-refresh",)
    ).check()
    comparison = compare(
        truth,
        load_postgres(postgres_db.conninfo()),
        ALL_METRICS + REPORTING_METRICS,
        platform="google_ads",
    )
    assert comparison.equal, report_text(comparison)
