"""How the tap's tests run it: the sandbox's world, the tap's command, its config."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ads_sandbox.tap_runs import sandbox_credentials

#: The tap's command, from the environment running the tests.
TAP = str(Path(sys.executable).parent / "tap-google-ads")
SEED = 3
SCALE = "3x3x2x2x20"
#: A fixed window, so a run near any account's midnight sees the same days as the truth.
START_DATE = "2026-11-01"
END_DATE = "2026-11-20"


def sandbox_config(urls: dict[str, str] | None = None, **overrides: object) -> dict:
    """Only what a user must give: OAuth client, refresh token, developer token, endpoints
    and dates (no customer list, no login customer id), with fast retries."""
    urls = urls or json.loads(os.environ["ADS_TEST_GOOGLE_ADS_URLS"])
    return {
        **sandbox_credentials("google_ads", urls),
        "start_date": START_DATE,
        "end_date": END_DATE,
        "rate_limiting": {"backoff_multiplier": 0.05, "max_wait_seconds": 3, "burst": 100},
        **overrides,
    }
