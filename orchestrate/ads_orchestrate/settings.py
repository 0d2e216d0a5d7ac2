"""What the orchestration runs, from the environment (the same definitions serve `dagster dev`
on one machine and a cluster deployment; only the environment differs)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

#: The taps of this repository and the name their settings take in the environment.
TAPS = {
    "tap-tiktok-ads": "tiktok",
    "tap-meta-ads": "meta",
    "tap-google-ads": "google_ads",
}


class SettingsError(ValueError):
    """An orchestration setting is unusable; the message names it."""


@dataclass(frozen=True)
class OrchestrateSettings:
    project_root: Path
    #: The taps to run: those of TAPS that the Meltano project declares.
    taps: tuple[str, ...]
    shards: int
    mapper: str
    loader: str
    cron: str
    retries: int
    #: Shards of one platform running at once (a Dagster pool per platform).
    concurrency_per_platform: int

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OrchestrateSettings:
        env = os.environ if env is None else env
        root = Path(env.get("ADS_MELTANO_PROJECT", Path(__file__).resolve().parents[2]))
        project_file = root / "meltano.yml"
        if not project_file.is_file():
            raise SettingsError(
                f"ADS_MELTANO_PROJECT={root} has no meltano.yml: point it at the Meltano project."
            )
        declared = {
            plugin["name"]
            for plugin in yaml.safe_load(project_file.read_text())["plugins"].get("extractors", [])
        }
        wanted = [t.strip() for t in env.get("ADS_TAPS", ",".join(TAPS)).split(",") if t.strip()]
        if unknown := [t for t in wanted if t not in TAPS]:
            raise SettingsError(f"ADS_TAPS lists {unknown}; known taps: {', '.join(TAPS)}.")
        return cls(
            project_root=root,
            taps=tuple(t for t in wanted if t in declared),
            shards=_positive(env, "ADS_SHARDS", 4),
            mapper=env.get("ADS_MAPPER", "transform-unified"),
            loader=env.get("ADS_LOADER", "target-postgres"),
            cron=env.get("ADS_SCHEDULE_CRON", "0 4 * * *"),
            retries=_positive(env, "ADS_RETRIES", 2, minimum=0),
            concurrency_per_platform=_positive(env, "ADS_CONCURRENCY_PER_PLATFORM", 2),
        )


def _positive(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number; got {raw!r}.") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}; got {value}.")
    return value
