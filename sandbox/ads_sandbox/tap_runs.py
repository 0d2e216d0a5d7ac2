"""Running a tap against the sandbox as a user would, for tests and benchmark scripts:
config and catalog files, a catalog selecting some streams, state; a run killed with
SIGKILL part-way; records as a target holds them after upserts on their keys."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path


@dataclass
class TapRun:
    """The outcome of one tap process: its records by stream, last state, logs, exit code."""

    stdout: str
    stderr: str
    returncode: int
    seconds: float = 0.0
    records: dict[str, list[dict]] = field(default_factory=dict)
    state: dict = field(default_factory=dict)
    #: Each stream's primary key, from its SCHEMA message.
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for line in self.stdout.splitlines():
            self.take(json.loads(line, parse_float=Decimal))

    def take(self, message: dict) -> None:
        if message["type"] == "RECORD":
            self.records.setdefault(message["stream"], []).append(message["record"])
        elif message["type"] == "STATE":
            self.state = message["value"]
        elif message["type"] == "SCHEMA":
            self.keys[message["stream"]] = tuple(message.get("key_properties") or ())

    def upserted(self) -> dict[tuple, dict]:
        """The records as a target holds them after upserts on each stream's primary key."""
        return upserted(self.records, self.keys)


def upserted(records: Mapping[str, Iterable[dict]], keys: Mapping[str, tuple[str, ...]]):
    table: dict[tuple, dict] = {}
    for stream, rows in records.items():
        for row in rows:
            table[(stream, *(str(row.get(k)) for k in keys[stream]))] = row
    return table


class TapRunner:
    """Runs `tap` (a command) in `workdir` with a catalog selecting the given streams."""

    def __init__(self, tap: str, workdir: Path) -> None:
        self.tap = tap
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)

    def prepare(self, config: dict, streams: Iterable[str], state: dict | None) -> list[str]:
        """Write the config, a discovered catalog selecting `streams`, and the state; the
        command that runs the tap on them."""
        wanted = set(streams)
        config_path = self.workdir / "config.json"
        config_path.write_text(json.dumps(config))
        discovered = subprocess.run(
            [self.tap, "--config", str(config_path), "--discover"],
            check=True,
            capture_output=True,
            text=True,
        )
        catalog = json.loads(discovered.stdout)
        for entry in catalog["streams"]:
            for item in entry["metadata"]:
                if item["breadcrumb"] == []:
                    item["metadata"]["selected"] = entry["tap_stream_id"] in wanted
        catalog_path = self.workdir / "catalog.json"
        catalog_path.write_text(json.dumps(catalog))
        command = [self.tap, "--config", str(config_path), "--catalog", str(catalog_path)]
        if state is not None:
            state_path = self.workdir / "state.json"
            state_path.write_text(json.dumps(state))
            command += ["--state", str(state_path)]
        return command

    def run(
        self,
        config: dict,
        streams: Iterable[str],
        state: dict | None = None,
        timeout: float = 600,
        env: Mapping[str, str] | None = None,
    ) -> TapRun:
        command = self.prepare(config, streams, state)
        started = time.monotonic()
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            check=False,
        )
        return TapRun(done.stdout, done.stderr, done.returncode, time.monotonic() - started)

    def run_killed(
        self, config: dict, streams: Iterable[str], after_states: int, state: dict | None = None
    ) -> TapRun:
        """A run killed with SIGKILL right after its `after_states`-th STATE message: what it
        emitted by then, and that last state (returncode -9; 0 if it finished first)."""
        command = self.prepare(config, streams, state)
        started = time.monotonic()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        run = TapRun("", "", 0)
        states = 0
        assert process.stdout is not None
        for line in process.stdout:
            message = json.loads(line, parse_float=Decimal)
            run.take(message)
            if message["type"] == "STATE":
                states += 1
                if states == after_states:
                    os.kill(process.pid, signal.SIGKILL)
                    break
        run.returncode = process.wait()
        run.seconds = time.monotonic() - started
        return run


def sandbox_credentials(platform: str, urls: Mapping[str, str]) -> dict:
    """The settings pointing `platform`'s tap at a running sandbox (`urls`: its ready line)
    with the credentials its default mode accepts."""
    if platform == "tiktok":
        return {
            "api_url": urls["tiktok"],
            "access_token": "sandbox-token",
            "app_id": "sandbox-app",
            "secret": "sandbox-secret",
        }
    if platform == "meta":
        return {
            "api_url": urls["meta"],
            "access_token": "sandbox-token",
            "app_id": "sandbox-app",
            "app_secret": "sandbox-secret",
        }
    if platform == "google_ads":
        return {
            "api_url": urls["google_ads"],
            "oauth_url": urls["oauth"],
            "ca_cert_path": urls["ca_cert"],
            "client_id": "sandbox-client",
            "client_secret": "sandbox-secret",
            "refresh_token": "sandbox-refresh",
            "developer_token": "sandbox-dev",
        }
    raise ValueError(f"unknown platform {platform!r}")


def control_url(platform: str, urls: Mapping[str, str]) -> str:
    """Where `platform`'s emulator has its /_sandbox/ control endpoints."""
    return urls["oauth"] if platform == "google_ads" else urls[platform]
