"""How the tap's tests run it: the sandbox's world, the tap's command, its config."""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The tap's command, from the environment running the tests.
TAP = str(Path(sys.executable).parent / "tap-tiktok-ads")
SEED = 3
SCALE = "3x3x2x2x12"
#: A fixed window, so a run near any account's midnight sees the same days as the truth.
START_DATE = "2026-11-09"
END_DATE = "2026-11-20"


def sandbox_config(**overrides: object) -> dict:
    """A config pointing at the sandbox, with fast retries."""
    return {
        "api_url": os.environ["ADS_TEST_TIKTOK_URL"],
        "access_token": "sandbox-token",
        "app_id": "sandbox-app",
        "secret": "sandbox-secret",
        "start_date": START_DATE,
        "end_date": END_DATE,
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
