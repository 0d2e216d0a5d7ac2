"""Every test of this tap talks to the sandbox emulator, started once per test process."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess

import pytest
from ads_sandbox.google_ads.tls import ca_cert_path
from ads_sandbox.testing import running_sandbox
from google_tap_runner import END_DATE, SCALE, SEED, TAP, TapRun, catalog_selecting, sandbox_config

# gRPC reads its trusted roots once per process, before the first secure channel: the tap
# processes started here and the in-process SDK tests trust the sandboxes' shared CA.
os.environ["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"] = str(ca_cert_path())
_stack = contextlib.ExitStack()


def pytest_configure(config: pytest.Config) -> None:
    urls = _stack.enter_context(
        running_sandbox(seed=SEED, scale=SCALE, extra_args=("--end-date", END_DATE))
    )
    os.environ["ADS_TEST_GOOGLE_ADS_URLS"] = json.dumps(urls)


def pytest_unconfigure(config: pytest.Config) -> None:
    _stack.close()


@pytest.fixture
def google_urls() -> dict[str, str]:
    return json.loads(os.environ["ADS_TEST_GOOGLE_ADS_URLS"])


@pytest.fixture
def make_config():
    """Build a config pointing at the sandbox (keyword arguments override settings)."""
    return sandbox_config


@pytest.fixture
def run_tap(tmp_path):
    """Run `tap-google-ads` as a user would: config, a catalog selecting `streams`, state."""

    def run(config: dict, streams: list[str], state: dict | None = None) -> TapRun:
        config_path = tmp_path / "config.json"
        config_path.write_text(json.dumps(config))
        catalog_path = tmp_path / "catalog.json"
        catalog_path.write_text(json.dumps(catalog_selecting(config_path, streams)))
        command = [TAP, "--config", str(config_path), "--catalog", str(catalog_path)]
        if state is not None:
            state_path = tmp_path / "state.json"
            state_path.write_text(json.dumps(state))
            command += ["--state", str(state_path)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
        return TapRun(done.stdout, done.stderr, done.returncode)

    return run
