"""The Dagster definitions: one asset per platform and shard, a daily job and schedule.

Each asset runs its shard's `meltano run` through Dagster Pipes (logs and record counts come
back to Dagster), retries by `ADS_RETRIES`, and belongs to its platform's pool, which caps
how many shards of one platform run at once (`dagster instance concurrency set <pool> N`,
or `concurrency.pools.default_limit` in dagster.yaml).
"""

# No `from __future__ import annotations`: Dagster reads the context annotation at run time.
import os
import shutil
import sys

from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    Backoff,
    Definitions,
    PipesSubprocessClient,
    RetryPolicy,
    ScheduleDefinition,
    asset,
    define_asset_job,
)

from ads_orchestrate.settings import OrchestrateSettings
from ads_orchestrate.shards import Shard, shards_of


def pool_of(tap: str) -> str:
    return tap.replace("-", "_")


def shard_asset(shard: Shard, settings: OrchestrateSettings) -> AssetsDefinition:
    @asset(
        name=shard.name,
        group_name=pool_of(shard.tap),
        pool=pool_of(shard.tap),
        kinds={"meltano"},
        retry_policy=RetryPolicy(
            max_retries=settings.retries, delay=60, backoff=Backoff.EXPONENTIAL
        ),
        description=f"`meltano run {shard.tap} {settings.mapper} {settings.loader}` for shard "
        f"{shard.index} of {shard.count} of its accounts.",
    )
    def run_shard(context: AssetExecutionContext, pipes: PipesSubprocessClient):
        meltano = shutil.which("meltano") or os.path.join(
            os.path.dirname(sys.executable), "meltano"
        )
        command = [
            sys.executable,
            "-m",
            "ads_orchestrate.meltano_pipes",
            "--",
            meltano,
            *shard.command(settings)[1:],
        ]
        return pipes.run(
            context=context,
            command=command,
            cwd=str(settings.project_root),
            env=shard.env(settings, os.environ),
        ).get_materialize_result()

    return run_shard


def build(settings: OrchestrateSettings) -> Definitions:
    assets = [shard_asset(shard, settings) for shard in shards_of(settings)]
    # Every shard may start at once; each platform's pool holds it to its own limit.
    daily = define_asset_job(
        "ads_daily",
        selection=[a.key for a in assets],
        config={"execution": {"config": {"multiprocess": {"max_concurrent": len(assets)}}}},
    )
    return Definitions(
        assets=assets,
        jobs=[daily],
        schedules=[ScheduleDefinition(job=daily, cron_schedule=settings.cron)],
        resources={"pipes": PipesSubprocessClient()},
    )


defs = build(OrchestrateSettings.from_env())
