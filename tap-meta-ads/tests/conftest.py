"""Every test of this tap talks to the sandbox's Meta emulator, started once per test process."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess

import pytest
from ads_sandbox.testing import running_sandbox
from meta_tap_runner import SANDBOX_ARGS, SCALE, SEED, TAP, TapRun, sandbox_config

_stack = contextlib.ExitStack()


def pytest_configure(config: pytest.Config) -> None:
    urls = _stack.enter_context(running_sandbox(seed=SEED, scale=SCALE, extra_args=SANDBOX_ARGS))
    os.environ["ADS_TEST_META_URL"] = urls["meta"]


def pytest_unconfigure(config: pytest.Config) -> None:
    _stack.close()


@pytest.fixture
def meta_url() -> str:
    return os.environ["ADS_TEST_META_URL"]


@pytest.fixture
def make_config():
    """Build a config pointing at the sandbox (keyword arguments override settings)."""
    return sandbox_config


@pytest.fixture
def run_tap(tmp_path):
    """Run `tap-meta-ads` as a user would: config, a catalog selecting `streams`, state."""

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
