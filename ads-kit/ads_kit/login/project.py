"""Writing what sign-in decided (the `token_store` entry and the accounts) where the taps
read their settings: the Meltano project (`meltano config set`) or a JSON config file.
Credentials set there before are removed: the store holds them now."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import typing as t
from collections.abc import Mapping, Sequence
from pathlib import Path

from ads_kit.login.authorize import LoginError


def _meltano() -> str:
    beside = Path(sys.executable).parent / "meltano"
    found = str(beside) if beside.exists() else shutil.which("meltano")
    if not found:
        raise LoginError("meltano is not installed here: use --config-file instead.")
    return found


def write_meltano(
    project: Path,
    environment: str | None,
    extractor: str,
    settings: Mapping[str, t.Any],
    unset: Sequence[str],
) -> None:
    """`meltano config set` each setting (JSON values) and unset the replaced credentials."""
    if not (project / "meltano.yml").exists():
        raise LoginError(f"{project} holds no meltano.yml: fix --meltano-project.")
    base = [_meltano(), *([f"--environment={environment}"] if environment else []), "config"]
    commands = [
        [*base, "set", extractor, name, json.dumps(value)] for name, value in settings.items()
    ]
    commands += [[*base, "unset", extractor, name] for name in unset]
    for command in commands:
        done = subprocess.run(
            command,
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false"},
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
            raise LoginError(
                f"`meltano config {' '.join(command[len(base) :][:3])}` failed in {project}: {last}"
            )


def write_config_file(path: Path, settings: Mapping[str, t.Any], unset: Sequence[str]) -> None:
    """Merge the settings into a JSON config file (created if missing)."""
    config: dict[str, t.Any] = {}
    if path.exists():
        try:
            config = json.loads(path.read_text() or "{}")
        except ValueError:
            raise LoginError(
                f"{path} is not valid JSON: fix it or name another --config-file."
            ) from None
    for name in unset:
        config.pop(name, None)
    config.update(settings)
    path.write_text(json.dumps(config, indent=2) + "\n")
