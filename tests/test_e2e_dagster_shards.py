"""Four shards of each platform under Dagster, in parallel, each platform's sharing one
request budget in Redis against a sandbox with tight limits, into one PostgreSQL with
Meltano's system database in it: the loaded totals equal the truth, the sandbox refused
hardly any request for going over its limit, and a second launch of a running shard is
refused."""

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
from ads_orchestrate.settings import OrchestrateSettings
from ads_orchestrate.shards import Shard
from ads_sandbox.testing import running_sandbox
from compare_truth import ALL_METRICS, compare, load_postgres, load_truth
from dagster import AssetKey, DagsterInstance

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.xdist_group("meltano")]

SEED, SCALE, SHARDS = 5, "8x3x2x2x10", 4
#: The sandbox's limits: far below the platforms', so four processes would overrun them
#: unpaced (TikTok per second and minute, Meta per app and 60-second window).
QPS, QPM = 6, 300
META_CALLS = 300
PLATFORMS = {"tap-tiktok-ads": "tiktok", "tap-meta-ads": "meta", "tap-google-ads": "google_ads"}
SANDBOX_LIMITS = (
    "--tiktok-qps", str(QPS), "--tiktok-qpm", str(QPM),
    "--meta-app-calls", str(META_CALLS), "--meta-rate-window-seconds", "60",
    "--meta-job-seconds", "0.2",
)  # fmt: skip
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
        ADS_TAPS=",".join(PLATFORMS),
        ADS_SHARDS=str(SHARDS),
        ADS_LOADER="target-postgres",
        MELTANO_ENVIRONMENT="sandbox",
        MELTANO_DATABASE_URI=(
            f"postgresql+psycopg://{postgres_db.user}:unused@{postgres_db.host}:"
            f"{postgres_db.port}/{system_db}"
        ),
        ADS_SANDBOX_TIKTOK_URL=urls["tiktok"],
        ADS_SANDBOX_META_URL=urls["meta"],
        ADS_SANDBOX_GOOGLE_ADS_URL=urls["google_ads"],
        ADS_SANDBOX_OAUTH_URL=urls["oauth"],
        ADS_SANDBOX_CA_CERT=urls["ca_cert"],
        TAP_TIKTOK_ADS_RATE_LIMITING=json.dumps(
            {"burst": QPS - 1, "requests_per_minute": QPM - 20, "redis_url": redis_url}
        ),
        TAP_META_ADS_RATE_LIMITING=json.dumps(
            {"requests_per_minute": META_CALLS - 30, "burst": 10, "redis_url": redis_url}
        ),
        TAP_GOOGLE_ADS_RATE_LIMITING=json.dumps({"redis_url": redis_url}),
        TARGET_POSTGRES_HOST=postgres_db.host,
        TARGET_POSTGRES_PORT=str(postgres_db.port),
        TARGET_POSTGRES_USER=postgres_db.user,
        TARGET_POSTGRES_DATABASE=postgres_db.dbname,
        TARGET_POSTGRES_PASSWORD="unused-with-trust-auth",
    )
    home = Path(env["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\nconcurrency:\n  pools:\n    default_limit: 2\n"
    )
    return env


def test_four_shards_in_parallel_share_the_budget_and_load_the_truth(
    tmp_path, postgres, postgres_db, redis_url
):
    system_db = postgres.create_database("t_dagster_meltano_system")
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=SANDBOX_LIMITS) as urls, meltano_lock():
        # Taken at once: the sandbox's data ends on each account's local today at its start.
        truths = {p: load_truth(p, SEED, SCALE, revision=0) for p in PLATFORMS.values()}
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
        served = {p: stats(urls[p]) for p in ("tiktok", "meta")}
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    # Every shard ran as its own asset and reported its record counts back through Pipes.
    instance = DagsterInstance.from_config(env["DAGSTER_HOME"])
    counts = {}
    for tap in PLATFORMS:
        for index in range(SHARDS):
            name = f"{tap.removeprefix('tap-').replace('-', '_')}_shard_{index}"
            event = instance.get_latest_materialization_event(AssetKey(name))
            assert event is not None, f"{name} was not materialized:\n{output[-4000:]}"
            counts[name] = event.asset_materialization.metadata["records"].value
    # The accounts are spread over the shards: each platform's load is shared out.
    for tap in PLATFORMS:
        prefix = tap.removeprefix("tap-").replace("-", "_")
        busy = [n for n, c in counts.items() if n.startswith(prefix) and c > 0]
        assert len(busy) >= 2, counts
    loaded = load_postgres(postgres_db.conninfo())
    for platform, truth in truths.items():
        comparison = compare(truth, loaded, ALL_METRICS, platform)
        assert comparison.equal, (platform, comparison)
    # One budget per app for its four shards: no retry storm against the limits.
    for platform, answered in served.items():
        refused = sum(answered.get("over_limit", {}).values())
        assert refused <= 5, (platform, answered.get("over_limit"), f"{seconds:.0f} s")
    # Four shards of each platform, each its own state id.
    with psycopg.connect(postgres_db.conninfo(system_db)) as connection:
        ids = {row[0] for row in connection.execute("SELECT state_id FROM state")}
    assert len({i for i in ids if "shard-" in i}) == SHARDS * len(PLATFORMS), ids


def test_a_second_launch_of_a_running_shard_is_refused(tmp_path, postgres, postgres_db, redis_url):
    system_db = postgres.create_database("t_dagster_second_launch")
    settings_env = {"ADS_MELTANO_PROJECT": str(ROOT), "ADS_SHARDS": str(SHARDS)}
    settings = OrchestrateSettings.from_env(settings_env)
    shard = Shard("tap-tiktok-ads", 0, SHARDS)
    # Slow answers keep the first run going while the second is launched.
    extra = ("--latency-ms", "400")
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=extra) as urls, meltano_lock():
        env = shard.env(settings, shard_env(tmp_path, urls, postgres_db, system_db, redis_url))
        command = [str(BIN / "meltano"), *shard.command(settings)[1:]]
        first = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        try:
            deadline = time.monotonic() + 300
            while not running_jobs(postgres_db.conninfo(system_db), shard.state_id_suffix):
                assert first.poll() is None, "the first run ended before it was seen running"
                assert time.monotonic() < deadline, "the first run never showed as running"
                time.sleep(0.5)
            second = subprocess.run(
                command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
            )
        finally:
            _, first_err = first.communicate(timeout=900)
    assert second.returncode != 0
    assert "already running" in second.stdout + second.stderr
    assert first.returncode == 0, first_err[-4000:]


def running_jobs(conninfo: str, suffix: str) -> int:
    with psycopg.connect(conninfo) as connection:
        try:
            row = connection.execute(
                "SELECT count(*) FROM runs WHERE state = 'RUNNING' AND job_name LIKE %s",
                (f"%{suffix}%",),
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            return 0  # Meltano has not created its tables yet
    return int(row[0])
