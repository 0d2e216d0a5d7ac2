"""Every test of this tap talks to the sandbox's Meta emulator, started once per test process."""

from __future__ import annotations

import contextlib
import os

import pytest
from ads_sandbox.tap_runs import TapRun, TapRunner
from ads_sandbox.testing import running_sandbox
from meta_tap_runner import SANDBOX_ARGS, SCALE, SEED, TAP, sandbox_config

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
        return TapRunner(TAP, tmp_path).run(config, streams, state)

    return run
