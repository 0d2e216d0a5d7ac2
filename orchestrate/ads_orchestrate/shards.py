"""One shard's `meltano run`: its command, environment and Meltano system directory.

Each shard is its own `meltano run` with its own state ID (`--state-id-suffix`), so shards
never share a bookmark, and Meltano's job lock (in its system database, shared Postgres on a
cluster) refuses a second run of the same shard. Shards run in system directories of their
own, sharing the installed plugins through links: Meltano writes each run's catalog and
config under `.meltano/run/<plugin>/`, which parallel runs of one plugin would overwrite
under each other.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ads_orchestrate.settings import OrchestrateSettings

PLUGIN_KINDS = ("extractors", "mappers", "loaders", "utilities")


@dataclass(frozen=True)
class Shard:
    tap: str
    index: int
    count: int

    @property
    def name(self) -> str:
        return f"{self.tap.removeprefix('tap-').replace('-', '_')}_shard_{self.index}"

    @property
    def state_id_suffix(self) -> str:
        return f"shard-{self.index}-of-{self.count}"

    def env_prefix(self) -> str:
        return self.tap.upper().replace("-", "_")

    def command(self, settings: OrchestrateSettings) -> list[str]:
        return [
            "meltano",
            "run",
            "--state-id-suffix",
            self.state_id_suffix,
            self.tap,
            settings.mapper,
            settings.loader,
        ]

    def env(self, settings: OrchestrateSettings, base: Mapping[str, str]) -> dict[str, str]:
        """The shard's environment: the orchestrator's, the shard's settings and its own
        Meltano system directory (and mapper cache) beside the project's."""
        prefix = self.env_prefix()
        sys_dir = shard_sys_dir(settings.project_root, self)
        return {
            **base,
            f"{prefix}_SHARD_COUNT": str(self.count),
            f"{prefix}_SHARD_INDEX": str(self.index),
            "MELTANO_SYS_DIR_ROOT": str(sys_dir),
            "UNIFIED_ENTITY_CACHE_PATH": str(sys_dir / "entities.json"),
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        }


def shards_of(settings: OrchestrateSettings) -> list[Shard]:
    return [
        Shard(tap, index, settings.shards)
        for tap in settings.taps
        for index in range(settings.shards)
    ]


def shard_sys_dir(project_root: Path, shard: Shard) -> Path:
    """`.meltano/shards/<name>`: its own run and log folders, the project's plugins linked."""
    shared = project_root / ".meltano"
    own = shared / "shards" / shard.name
    own.mkdir(parents=True, exist_ok=True)
    for kind in PLUGIN_KINDS:
        link = own / kind
        target = shared / kind
        if target.exists() and not link.exists():
            os.symlink(target, link, target_is_directory=True)
    return own
