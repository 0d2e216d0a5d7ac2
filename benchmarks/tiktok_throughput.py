"""Throughput of tap-tiktok-ads against the sandbox, beside the SDK's own ceiling.

Prints: records/s of the tap, records/s of a trivial SDK tap emitting the same records from
memory (measured in the same run), their ratio, HTTP requests made versus the minimum
(rows / largest page size), and the tap's peak RSS.

    python benchmarks/tiktok_throughput.py --scale 4x2000x1x1x30 --stream insights_campaign
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

import requests
from ads_sandbox.testing import running_sandbox
from tap_bench import prepared_command, run_tap, sdk_ceiling

HERE = Path(__file__).parent
PAGE_SIZE = 1000
TAP = str(Path(sys.executable).parent / "tap-tiktok-ads")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="4x2000x1x1x30")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stream", default="insights_campaign")
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()

    limits = ["--tiktok-qps", "100000", "--tiktok-qpm", "10000000", "--tiktok-qpd", "100000000"]
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_sandbox(seed=args.seed, scale=args.scale, extra_args=limits) as urls,
    ):
        work = Path(tmp)
        config = {
            "api_url": urls["tiktok"],
            "access_token": "sandbox-token",
            "app_id": "bench",
            "secret": "bench",
            "date_range": {"type": "last_n_days", "days": args.days},
            "report_mode": "sync",
            "rate_limiting": {
                "burst": 100000,
                "requests_per_minute": 10000000,
                "requests_per_hour": 100000000,
            },
        }
        command = prepared_command(TAP, work, config, (args.stream, "advertisers"))
        requests.post(f"{urls['tiktok']}/_sandbox/reset-stats", timeout=10)
        tap = run_tap(command, keep=work / "records.jsonl", stream=args.stream)
        stats = requests.get(f"{urls['tiktok']}/_sandbox/stats", timeout=10).json()

        # The ceiling: the same records, from memory, through a trivial SDK tap.
        report_rows, ceiling = sdk_ceiling(work, tap)

    report_requests = stats["requests"].get("/open_api/v1.3/report/integrated/get/", 0)
    all_requests = sum(stats["requests"].values())
    minimum = math.ceil(report_rows / PAGE_SIZE)
    tap_rate = tap["records"] / tap["wall_seconds"]
    ceiling_rate = ceiling["records"] / ceiling["wall_seconds"]
    print(
        f"scale {args.scale}, stream {args.stream}, {report_rows:,} report rows "
        f"({tap['records']:,} records in all)"
    )
    print(
        f"tap:          {tap_rate:10,.0f} records/s  ({tap['wall_seconds']:.1f} s wall, "
        f"{tap['records'] / max(tap['stream_seconds'], 1e-9):,.0f}/s while streaming)"
    )
    print(
        f"SDK ceiling:  {ceiling_rate:10,.0f} records/s  ({ceiling['wall_seconds']:.1f} s wall, "
        f"{ceiling['records'] / max(ceiling['stream_seconds'], 1e-9):,.0f}/s while streaming)"
    )
    print(f"ratio tap / ceiling: {tap_rate / ceiling_rate:.2f}")
    print(
        f"HTTP requests: {all_requests:,} in all, {report_requests:,} report pages; "
        f"minimum {minimum:,} (rows / {PAGE_SIZE})"
    )
    print(f"peak RSS: tap {tap['peak_rss_mib']:.0f} MiB, ceiling {ceiling['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
