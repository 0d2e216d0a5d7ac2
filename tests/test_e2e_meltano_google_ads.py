"""`meltano run tap-google-ads ...` against the sandbox's Google Ads emulator: through the
mapper into DuckDB and PostgreSQL equal to `ads-sandbox truth --platform google_ads` (cost
converted from micros by the mapper), and the tap's own streams straight into PostgreSQL."""

from __future__ import annotations

import io

import duckdb
import psycopg
import pytest
from ads_e2e.sandbox import DEFAULT_SCALE, DEFAULT_SEED
from compare_truth import ALL_METRICS, compare, load_duckdb, load_postgres, load_truth, report

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]
KEY = '"platform", "account_id", "campaign_id", "date"'


def comparison_text(comparison) -> str:
    out = io.StringIO()
    report(comparison, out)
    return out.getvalue()


def test_google_ads_through_the_mapper_into_duckdb_equals_truth(sandbox, meltano_project):
    meltano_project.set_sandbox(sandbox)
    truth = load_truth("google_ads", DEFAULT_SEED, DEFAULT_SCALE)
    meltano_project.run("tap-google-ads", "transform-unified", "target-duckdb").check()
    loaded = load_duckdb(meltano_project.duckdb_path)
    comparison = compare(truth, loaded, ALL_METRICS, platform="google_ads")
    assert comparison.equal, comparison_text(comparison)
    assert {key[:2] for key in loaded.values} == {key[:2] for key in truth.values}
    with duckdb.connect(str(meltano_project.duckdb_path), read_only=True) as connection:
        rows, distinct, currencies = connection.execute(
            f"SELECT count(*), count(DISTINCT ({KEY})), count(DISTINCT currency) "
            "FROM ads.unified_campaign_performance WHERE platform = 'google_ads'"
        ).fetchone()
    assert rows == distinct > 0 and currencies == 3


@pytest.mark.postgres
def test_google_ads_into_postgres_raw_and_unified(sandbox, meltano_project, postgres_db):
    meltano_project.set_sandbox(sandbox)
    meltano_project.set_postgres(
        postgres_db.host, postgres_db.port, postgres_db.user, postgres_db.dbname
    )
    truth = load_truth("google_ads", DEFAULT_SEED, DEFAULT_SCALE)
    meltano_project.run("tap-google-ads", "target-postgres").check()
    with psycopg.connect(postgres_db.conninfo()) as connection:
        micros = connection.execute(
            "SELECT account_currency, sum(metrics__cost_micros) FROM ads.campaign_performance "
            "GROUP BY account_currency"
        ).fetchall()
        customers = connection.execute("SELECT count(*) FROM ads.customers").fetchone()[0]
    assert len(micros) == 3 and all(total > 0 for _, total in micros)
    assert customers == 4  # the manager and its three enabled clients
    meltano_project.run(
        "tap-google-ads", "transform-unified", "target-postgres", extra=("--full-refresh",)
    ).check()
    comparison = compare(
        truth, load_postgres(postgres_db.conninfo()), ALL_METRICS, platform="google_ads"
    )
    assert comparison.equal, comparison_text(comparison)
