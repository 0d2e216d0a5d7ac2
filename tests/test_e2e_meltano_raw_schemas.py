"""Raw loads land per tap, unified ones in `ads`: `meltano run tap-tiktok-ads target-duckdb`
and `meltano run tap-google-ads target-duckdb` each load their own `campaigns` (different
keys and columns) into the tap's schema (its `load_schema`), intact, while the same taps
through the mapper still load `ads.unified_*`."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]

SMALL = "2x3x1x1x5"
#: The raw campaigns table of each tap, its id column, and its platform in the unified tables.
TAPS = {
    "tap-tiktok-ads": ("tap_tiktok_ads", "campaign_id", "tiktok"),
    "tap-google-ads": ("tap_google_ads", "campaign__id", "google_ads"),
}


def test_two_taps_raw_campaigns_land_intact_beside_the_unified_tables(
    sandbox_factory, meltano_project
):
    meltano_project.set_sandbox(sandbox_factory(seed=3, scale=SMALL))
    for tap in TAPS:
        meltano_project.run(tap, "target-duckdb").check()
        # The mapper is not part of Meltano's state ID: a run of its own reads everything.
        unified = ("transform-unified", "target-duckdb")
        meltano_project.run(tap, *unified, extra=["--full-refresh"]).check()
    with duckdb.connect(str(meltano_project.duckdb_path), read_only=True) as connection:
        tables = set(
            connection.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
        )
        assert ("ads", "campaigns") not in tables  # nothing raw in the unified schema
        assert ("ads", "unified_campaign_performance") in tables
        for schema, key, platform in TAPS.values():
            assert (schema, "campaigns") in tables
            columns = {
                name
                for (name,) in connection.execute(
                    "SELECT column_name FROM duckdb_columns() "
                    "WHERE schema_name = ? AND table_name = 'campaigns'",
                    [schema],
                ).fetchall()
            }
            others = {k for _, k, _ in TAPS.values()} - {key}
            assert key in columns and not columns & others, (schema, columns)
            raw = {
                (str(account), str(campaign))
                for account, campaign in connection.execute(
                    f'SELECT account_id, "{key}" FROM "{schema}".campaigns'
                ).fetchall()
            }
            if (schema, "gmv_max_campaigns") in tables:  # TikTok Shop's, listed apart
                raw |= {
                    (str(account), str(campaign))
                    for account, campaign in connection.execute(
                        f'SELECT account_id, campaign_id FROM "{schema}".gmv_max_campaigns'
                    ).fetchall()
                }
            unified = set(
                connection.execute(
                    "SELECT account_id, campaign_id FROM ads.unified_campaigns WHERE platform = ?",
                    [platform],
                ).fetchall()
            )
            assert raw and raw == unified, platform
