"""Every test of this tap talks to the sandbox emulator, started once per test process."""

from __future__ import annotations

import contextlib
import json
import os

import pytest
from ads_sandbox.google_ads.tls import ca_cert_path
from ads_sandbox.tap_runs import TapRun, TapRunner
from ads_sandbox.testing import running_sandbox
from google_tap_runner import END_DATE, SCALE, SEED, TAP, sandbox_config

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
    runner = TapRunner(TAP, tmp_path)

    def run(config: dict, streams: list[str], state: dict | None = None) -> TapRun:
        return runner.run(config, streams, state, timeout=900)

    return run
