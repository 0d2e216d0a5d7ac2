"""Four shards of each platform under Dagster, in parallel, sharing one request budget in
Redis against a sandbox with tight limits, into one PostgreSQL with Meltano's system
database in it: the loaded totals equal the truth, the sandbox refused hardly any request
for going over its limit, and a second launch of a running shard is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from ads_e2e.meltano import ROOT, meltano_lock
from ads_e2e.sandbox import stats
from ads_sandbox.testing import running_sandbox
from compare_truth import ALL_METRICS, compare, load_postgres, load_truth
from dagster import AssetKey, DagsterInstance

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.xdist_group("meltano")]

SEED, SCALE, SHARDS = 5, "8x3x2x2x10", 4
#: The sandbox's limits: far below TikTok's, so four processes would overrun them unpaced.
QPS, QPM = 6, 300
BIN = Path(sys.executable).parent


def shard_env(tmp_path: Path, urls: dict, postgres_db, system_db: str, redis_url: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MELTANO_", "TAP_", "TARGET_", "UNIFIED_", "DAGSTER_", "ADS_"))
    }
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        DAGSTER_HOME=str(tmp_path / "dagster"),
        ADS_MELTANO_PROJECT=str(ROOT),
        ADS_TAPS="tap-tiktok-ads",
        ADS_SHARDS=str(SHARDS),
        ADS_LOADER="target-postgres",
        MELTANO_ENVIRONMENT="sandbox",
        MELTANO_DATABASE_URI=(
            f"postgresql+psycopg://{postgres_db.user}:unused@{postgres_db.host}:"
            f"{postgres_db.port}/{system_db}"
        ),
        ADS_SANDBOX_TIKTOK_URL=urls["tiktok"],
        TAP_TIKTOK_ADS_RATE_LIMITING=json.dumps(
            {"burst": QPS - 1, "requests_per_minute": QPM - 20, "redis_url": redis_url}
        ),
        TARGET_POSTGRES_HOST=postgres_db.host,
        TARGET_POSTGRES_PORT=str(postgres_db.port),
        TARGET_POSTGRES_USER=postgres_db.user,
        TARGET_POSTGRES_DATABASE=postgres_db.dbname,
        TARGET_POSTGRES_PASSWORD="unused-with-trust-auth",
    )
    home = Path(env["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\nconcurrency:\n  pools:\n    default_limit: 4\n"
    )
    return env


def test_four_shards_in_parallel_share_the_budget_and_load_the_truth(
    tmp_path, postgres, postgres_db, redis_url
):
    system_db = postgres.create_database("t_dagster_meltano_system")
    extra = ("--tiktok-qps", str(QPS), "--tiktok-qpm", str(QPM))
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=extra) as urls, meltano_lock():
        # Taken at once: the sandbox's data ends on each account's local today at its start.
        truth = load_truth("tiktok", SEED, SCALE, revision=0)
        env = shard_env(tmp_path, urls, postgres_db, system_db, redis_url)
        started = time.monotonic()
        run = subprocess.run(
            [
                str(BIN / "dagster"),
                "job",
                "execute",
                "-m",
                "ads_orchestrate.definitions",
                "-j",
                "ads_daily",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
        seconds = time.monotonic() - started
        served = stats(urls["tiktok"])
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    # Every shard ran as its own asset and reported its record counts back through Pipes.
    instance = DagsterInstance.from_config(env["DAGSTER_HOME"])
    counts = {}
    for index in range(SHARDS):
        event = instance.get_latest_materialization_event(AssetKey(f"tiktok_ads_shard_{index}"))
        assert event is not None, f"shard {index} was not materialized:\n{output[-4000:]}"
        counts[index] = event.asset_materialization.metadata["records"].value
    assert all(count > 0 for count in counts.values()), counts
    comparison = compare(truth, load_postgres(postgres_db.conninfo()), ALL_METRICS, "tiktok")
    assert comparison.equal, comparison
    # One budget for all four: no retry storm against the limits.
    refused = sum(served.get("over_limit", {}).values())
    assert refused <= 5, (refused, served.get("over_limit"), f"{seconds:.0f} s")
    # Four shards, four state ids.
    with psycopg.connect(postgres_db.conninfo(system_db)) as connection:
        ids = {row[0] for row in connection.execute("SELECT state_id FROM state")}
    assert {i for i in ids if "shard-" in i} and len({i for i in ids if "shard-" in i}) == SHARDS
