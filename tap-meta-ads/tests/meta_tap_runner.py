"""How the tap's tests run it: the sandbox's world, the tap's command, its config."""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The tap's command, from the environment running the tests.
TAP = str(Path(sys.executable).parent / "tap-meta-ads")
SEED = 5
SCALE = "3x3x2x2x12"
#: A fixed window, so a run near any account's midnight sees the same days as the truth.
START_DATE = "2026-11-09"
END_DATE = "2026-11-20"
SANDBOX_ARGS = (
    "--end-date", END_DATE,
    "--meta-job-seconds", "0.2",
    "--meta-job-seconds-per-1000-rows", "0.05",
    "--fault-timeout-seconds", "2",
)  # fmt: skip


def sandbox_config(**overrides: object) -> dict:
    """A config pointing at the sandbox: only credentials, the URL and dates (every account
    the token reaches), with fast retries and polls."""
    return {
        "api_url": os.environ["ADS_TEST_META_URL"],
        "access_token": "sandbox-token",
        "app_id": "sandbox-app",
        "app_secret": "sandbox-secret",
        "start_date": START_DATE,
        "end_date": END_DATE,
        "insights_poll_seconds": 0.05,
        "rate_limiting": {"backoff_multiplier": 0.05, "max_wait_seconds": 1, "burst": 50},
        "request_timeout": 1,
        **overrides,
    }
