"""What the benchmarks share: tap-tiktok-ads's config for a sandbox with its limits lifted,
and a catalog selecting some streams."""

from __future__ import annotations

import sys
from collections.abc import Collection, Mapping
from pathlib import Path

from ads_sandbox.tap_runs import TapRunner

TAP = str(Path(sys.executable).parent / "tap-tiktok-ads")
#: `ads-sandbox serve` arguments lifting TikTok's request limits.
UNLIMITED = ["--tiktok-qps", "100000", "--tiktok-qpm", "10000000", "--tiktok-qpd", "100000000"]


def write_tap_files(
    work: Path,
    urls: Mapping[str, str],
    days: int,
    streams: Collection[str],
    *,
    limits: bool = False,
):
    """config.json and catalog.json in `work` for the sandbox at `urls`; returns the tap's
    arguments. With `limits`, the tap keeps its default request budget (TikTok's own
    limits), as a user's run does; otherwise the budget is lifted."""
    config: dict = {
        "api_url": urls["tiktok"],
        "access_token": "sandbox-token",
        "app_id": "bench",
        "secret": "bench",
        "date_range": {"type": "last_n_days", "days": days},
        "report_mode": "sync",
    }
    if not limits:
        config["rate_limiting"] = {
            "burst": 100000,
            "requests_per_minute": 10000000,
            "requests_per_hour": 100000000,
        }
    return TapRunner(TAP, work).prepare(config, streams, None)[1:]
