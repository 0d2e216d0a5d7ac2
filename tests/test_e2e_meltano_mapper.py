"""The mapper under `meltano run` (issue 8, items 5-7): its warnings are warnings in
Meltano's log, a lost entity cache does not degrade loaded rows, and a selection that
leaves nothing to unify is a counted warning in `unified_run_summary`, not a silent exit 0.
"""

from __future__ import annotations

import json

import duckdb
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]

BLOCKS = ("tap-tiktok-ads", "transform-unified", "target-duckdb")
SMALL = "2x3x1x1x5"


def log_events(stderr: str) -> list[dict]:
    """Meltano's JSON log lines (`--log-format=json`)."""
    events = []
    for line in stderr.splitlines():
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return events


def query(path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_mapper_warnings_are_logged_as_warnings(sandbox_factory, meltano_project):
    # The sandbox's data reaches today: its recent days are estimated, a warning.
    meltano_project.set_sandbox(sandbox_factory(seed=3, scale=SMALL))
    result = meltano_project.meltano("--log-format=json", "run", *BLOCKS).check()
    mapper_lines = [
        event
        for event in log_events(result.stderr)
        if "are estimated (recent days" in json.dumps(event)
    ]
    assert mapper_lines, "the mapper's estimated-data warning is not in Meltano's log"
    assert {event.get("level") for event in mapper_lines} == {"warning"}, mapper_lines[:2]


def test_lost_entity_cache_keeps_loaded_status_and_budget(sandbox_factory, meltano_project):
    meltano_project.set_sandbox(sandbox_factory(seed=3, scale=SMALL))
    meltano_project.run(*BLOCKS).check()
    columns = "platform, account_id, campaign_id, date, status, native_status, budget"
    table = "ads.unified_campaign_performance"
    before = query(meltano_project.duckdb_path, f"SELECT {columns} FROM {table} ORDER BY 1,2,3,4")
    assert before and {row[4] for row in before} != {"UNKNOWN"}

    meltano_project.entity_cache.unlink()  # a new machine, or a cleaned directory
    meltano_project.run(*BLOCKS).check()  # incremental: no campaign changed
    after = query(meltano_project.duckdb_path, f"SELECT {columns} FROM {table} ORDER BY 1,2,3,4")
    assert after == before
    (warnings,) = query(
        meltano_project.duckdb_path,
        "SELECT list(warnings) FROM ads.unified_run_summary WHERE platform = '*'",
    )[0]
    assert "entity_cache_restored" in str(warnings)


def test_selection_without_reports_is_a_counted_warning(sandbox_factory, meltano_project):
    meltano_project.set_sandbox(sandbox_factory(seed=3, scale=SMALL))
    meltano_project.env["TAP_TIKTOK_ADS__SELECT"] = '["advertisers.*", "adgroups.*"]'
    result = meltano_project.run(*BLOCKS).check()
    assert "No report stream to unify" in result.output
    rows = query(
        meltano_project.duckdb_path,
        "SELECT records_in, records_not_unified, warnings FROM ads.unified_run_summary "
        "WHERE platform = '*'",
    )
    ((records_in, not_unified, warnings),) = rows
    assert records_in == not_unified > 0
    assert "nothing_to_unify" in str(warnings)
