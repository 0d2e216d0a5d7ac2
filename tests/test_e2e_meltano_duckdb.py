"""`meltano run tap-tiktok-ads transform-unified target-duckdb` against the sandbox loads
exactly what `ads-sandbox truth` says, per account and account-local date: money compared
as exact decimals, no rounding (target-duckdb-exact stores DECIMAL)."""

from __future__ import annotations

import duckdb
import pytest
from ads_e2e.meltano import entity_cache_isolated
from compare_truth import (
    ALL_METRICS,
    REPORTING_METRICS,
    SANDBOX_RATES,
    compare,
    load_duckdb,
    load_truth,
    report_text,
    with_reporting,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]

BLOCKS = ("tap-tiktok-ads", "transform-unified", "target-duckdb")
KEY = '"platform", "account_id", "campaign_id", "date"'


@pytest.mark.parametrize(
    ("seed", "scale"),
    [(1, "3x4x3x3x30"), (7, "2x3x2x2x12")],
    ids=["seed1-default-scale", "seed7-2x3x2x2x12"],
)
def test_duckdb_load_equals_truth(sandbox_factory, meltano_project, seed, scale):
    meltano_project.set_sandbox(sandbox_factory(seed=seed, scale=scale))
    # Taken at once: the sandbox's data ends on each account's local today at its start.
    truth = load_truth("tiktok", seed, scale)
    # The sandbox environment gives the mapper the sandbox's rates file.
    with_reporting(truth, SANDBOX_RATES)

    meltano_project.run(*BLOCKS).check()
    if entity_cache_isolated():
        assert meltano_project.entity_cache.exists(), "the mapper's cache is not this test's"

    assert truth.values, "ads-sandbox truth printed no rows"
    loaded = load_duckdb(meltano_project.duckdb_path)
    comparison = compare(truth, loaded, ALL_METRICS + REPORTING_METRICS, platform="tiktok")
    assert comparison.equal, report_text(comparison)
    assert {key[:2] for key in loaded.values} == {key[:2] for key in truth.values}

    with duckdb.connect(str(meltano_project.duckdb_path), read_only=True) as connection:
        rows, distinct = connection.execute(
            f"SELECT count(*), count(DISTINCT ({KEY})) FROM ads.unified_campaign_performance"
        ).fetchone()
        types = dict(
            connection.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'ads' AND table_name = 'unified_campaign_performance'"
            ).fetchall()
        )
    assert rows == distinct, f"{rows - distinct} duplicate row(s) by {KEY}"
    for money in ("spend", "conversion_value", "spend_reporting", "fx_rate", "budget"):
        assert types[money].startswith("DECIMAL"), (money, types[money])
