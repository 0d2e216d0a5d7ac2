"""Every test of this tap talks to the sandbox emulator, started once per test process."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from ads_sandbox.testing import running_sandbox

_stack = contextlib.ExitStack()
#: The tap's command, from the environment running the tests.
TAP = str(Path(sys.executable).parent / "tap-tiktok-ads")
SEED = 3
SCALE = "3x3x2x2x12"


def pytest_configure(config: pytest.Config) -> None:
    urls = _stack.enter_context(running_sandbox(seed=SEED, scale=SCALE))
    os.environ["ADS_TEST_TIKTOK_URL"] = urls["tiktok"]


def pytest_unconfigure(config: pytest.Config) -> None:
    _stack.close()


@pytest.fixture
def tiktok_url() -> str:
    return os.environ["ADS_TEST_TIKTOK_URL"]


@pytest.fixture
def make_config():
    """Build a config pointing at the sandbox, with fast retries."""
    return sandbox_config


def sandbox_config(**overrides: object) -> dict:
    return {
        "api_url": os.environ["ADS_TEST_TIKTOK_URL"],
        "access_token": "sandbox-token",
        "app_id": "sandbox-app",
        "secret": "sandbox-secret",
        "date_range": {"type": "last_n_days", "days": 11},
        "rate_limiting": {
            "backoff_multiplier": 0.05,
            "max_wait_seconds": 1,
            "burst": 50,
            "requests_per_minute": 100000,
            "requests_per_hour": 1000000,
        },
        "request_timeout": 3,
        **overrides,
    }


class TapRun:
    """The outcome of one tap process: its records by stream, last state, logs, exit code."""

    def __init__(self, stdout: str, stderr: str, returncode: int) -> None:
        self.stdout, self.stderr, self.returncode = stdout, stderr, returncode
        self.records: dict[str, list[dict]] = {}
        self.state: dict = {}
        for line in stdout.splitlines():
            message = json.loads(line, parse_float=Decimal)
            if message["type"] == "RECORD":
                self.records.setdefault(message["stream"], []).append(message["record"])
            elif message["type"] == "STATE":
                self.state = message["value"]


@pytest.fixture
def run_tap(tmp_path):
    """Run `tap-tiktok-ads` as a user would: config, a catalog selecting `streams`, state."""

    def run(config: dict, streams: list[str], state: dict | None = None) -> TapRun:
        config_path = tmp_path / "config.json"
        config_path.write_text(json.dumps(config))
        discovered = subprocess.run(
            [TAP, "--config", str(config_path), "--discover"],
            check=True,
            capture_output=True,
            text=True,
        )
        catalog = json.loads(discovered.stdout)
        for entry in catalog["streams"]:
            for item in entry["metadata"]:
                if item["breadcrumb"] == []:
                    item["metadata"]["selected"] = entry["tap_stream_id"] in streams
        catalog_path = tmp_path / "catalog.json"
        catalog_path.write_text(json.dumps(catalog))
        command = [TAP, "--config", str(config_path), "--catalog", str(catalog_path)]
        if state is not None:
            state_path = tmp_path / "state.json"
            state_path.write_text(json.dumps(state))
            command += ["--state", str(state_path)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        return TapRun(done.stdout, done.stderr, done.returncode)

    return run
