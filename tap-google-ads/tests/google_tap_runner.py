"""How the tap's tests run it: the sandbox's world, the tap's command, its config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

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
        "client_id": "sandbox-client",
        "client_secret": "sandbox-secret",
        "refresh_token": "sandbox-refresh",
        "developer_token": "sandbox-dev",
        "api_url": urls["google_ads"],
        "oauth_url": urls["oauth"],
        "start_date": START_DATE,
        "end_date": END_DATE,
        "rate_limiting": {"backoff_multiplier": 0.05, "max_wait_seconds": 3, "burst": 100},
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


def catalog_selecting(config_path: Path, streams: list[str]) -> dict:
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
    return catalog
