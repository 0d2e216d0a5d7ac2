"""The definitions as Dagster sees them, and the pieces each shard's run is made of."""

from __future__ import annotations

from pathlib import Path

import pytest
from ads_orchestrate.definitions import build
from ads_orchestrate.meltano_pipes import count_records
from ads_orchestrate.settings import OrchestrateSettings, SettingsError
from ads_orchestrate.shards import Shard, shard_sys_dir, shards_of

ROOT = Path(__file__).resolve().parents[2]


def settings(**env: str) -> OrchestrateSettings:
    return OrchestrateSettings.from_env({"ADS_MELTANO_PROJECT": str(ROOT), **env})


def test_one_asset_per_declared_tap_and_shard_in_its_platforms_pool():
    defs = build(settings(ADS_SHARDS="3", ADS_RETRIES="1"))
    graph = defs.resolve_asset_graph()
    keys = sorted(key.to_user_string() for key in graph.get_all_asset_keys())
    assert keys == [f"tiktok_ads_shard_{i}" for i in range(3)]
    node = graph.get(graph.get_all_asset_keys().__iter__().__next__())
    assert node.pools == {"tap_tiktok_ads"}
    job = defs.resolve_job_def("ads_daily")
    assert {n.name for n in job.nodes} == {f"tiktok_ads_shard_{i}" for i in range(3)}
    assert [s.cron_schedule for s in defs.schedules] == ["0 4 * * *"]


def test_a_shard_runs_with_its_own_state_id_settings_and_system_directory(tmp_path):
    (tmp_path / "meltano.yml").write_text("plugins: {extractors: [{name: tap-meta-ads}]}\n")
    (tmp_path / ".meltano" / "extractors").mkdir(parents=True)
    config = OrchestrateSettings.from_env({"ADS_MELTANO_PROJECT": str(tmp_path), "ADS_SHARDS": "2"})
    assert [s.name for s in shards_of(config)] == ["meta_ads_shard_0", "meta_ads_shard_1"]
    shard = Shard("tap-meta-ads", 1, 2)
    assert shard.command(config) == [
        "meltano",
        "run",
        "--state-id-suffix",
        "shard-1-of-2",
        "tap-meta-ads",
        "transform-unified",
        "target-postgres",
    ]
    env = shard.env(config, {"KEEP": "1"})
    assert env["TAP_META_ADS_SHARD_INDEX"] == "1" and env["TAP_META_ADS_SHARD_COUNT"] == "2"
    assert env["KEEP"] == "1"
    own = Path(env["MELTANO_SYS_DIR_ROOT"])
    assert own == shard_sys_dir(tmp_path, shard)
    # The plugins are the project's; the run folders are the shard's own.
    assert (own / "extractors").resolve() == (tmp_path / ".meltano" / "extractors").resolve()
    assert not (own / "run").is_symlink()


def test_record_counts_are_read_from_the_taps_metrics_as_meltano_prints_them():
    lines = [
        'METRIC: {"type":"counter","metric":"record_count","value":12,"tags":{"stream":"ads"}}',
        'cmd_type=elb name=tap message="METRIC: {\\"type\\":\\"counter\\",\\"metric\\":'
        '\\"record_count\\",\\"value\\":3,\\"tags\\":{\\"stream\\":\\"ads\\",\\"context\\":{}}}"',
        'METRIC: {"type":"timer","metric":"sync_duration","value":1.5,"tags":{"stream":"ads"}}',
        'METRIC: {"type": "counter", "metric": "record_count", "value": 5, '
        '"tags": {"stream": "campaigns"}}',
    ]
    assert count_records(lines) == {"ads": 15, "campaigns": 5}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ADS_SHARDS": "0"}, "ADS_SHARDS must be at least 1"),
        ({"ADS_SHARDS": "four"}, "ADS_SHARDS must be a whole number"),
        ({"ADS_TAPS": "tap-x"}, "ADS_TAPS lists ['tap-x']"),
        ({"ADS_MELTANO_PROJECT": "/nonexistent"}, "has no meltano.yml"),
    ],
)
def test_bad_settings_name_what_to_fix(env, message):
    with pytest.raises(SettingsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        OrchestrateSettings.from_env({"ADS_MELTANO_PROJECT": str(ROOT), **env})
