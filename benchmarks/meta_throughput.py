"""Throughput of tap-meta-ads against the sandbox's Meta emulator, beside the SDK's ceiling.

Prints: records/s of the tap, records/s of a trivial SDK tap emitting the same records from
memory (measured in the same run), HTTP requests made versus the minimum (rows / page size,
plus one job per window), the most report jobs running at once, the run's wall time beside
the emulator's total job time, and peak RSS.

    python benchmarks/meta_throughput.py --scale 4x25x5x10x130 --days 130
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
from pathlib import Path

import requests
from ads_sandbox.testing import running_sandbox
from tap_bench import prepared_command, run_tap, sdk_ceiling

HERE = Path(__file__).parent
TAP = str(Path(sys.executable).parent / "tap-meta-ads")
METRICS = [
    "impressions",
    "clicks",
    "spend",
    "reach",
    "ctr",
    "cpc",
    "cpm",
    "actions",
    "action_values",
]
_PEAK = re.compile(r"at most (\d+) report job\(s\) ran at once")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="4x25x5x10x130")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stream", default="insights")
    parser.add_argument("--days", type=int, default=130)
    parser.add_argument("--window-days", type=int, default=7)
    parser.add_argument("--jobs-in-flight", type=int, default=8)
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory() as tmp,
        running_sandbox(seed=args.seed, scale=args.scale) as urls,
    ):
        work = Path(tmp)
        config = {
            "api_url": urls["meta"],
            "access_token": "sandbox-token",
            "date_range": {"type": "last_n_days", "days": args.days - 1},
            "report_mode": "async",
            "metrics": METRICS,
            "insights_window_days": args.window_days,
            "insights_jobs_in_flight": args.jobs_in_flight,
            "insights_poll_seconds": 0.5,
            "page_size": args.page_size,
            "rate_limiting": {
                "burst": 100000,
                "requests_per_minute": 10000000,
                "requests_per_hour": 100000000,
            },
        }
        command = prepared_command(TAP, work, config, (args.stream, "ad_accounts"))
        requests.post(f"{urls['meta']}/_sandbox/reset-stats", timeout=10)
        log = work / "tap.log"
        tap = run_tap(
            command,
            keep=work / "records.jsonl",
            stream=args.stream,
            stderr=log,
        )
        stats = requests.get(f"{urls['meta']}/_sandbox/stats", timeout=10).json()

        report_rows, ceiling = sdk_ceiling(work, tap)
        peaks = [int(m) for m in _PEAK.findall(log.read_text(errors="replace"))]

    jobs = stats.get("report_jobs", {})
    all_requests = sum(stats["requests"].values())
    minimum = math.ceil(report_rows / args.page_size) + jobs.get("started", 0)
    tap_rate = tap["records"] / tap["wall_seconds"]
    ceiling_rate = ceiling["records"] / ceiling["wall_seconds"]
    print(
        f"scale {args.scale}, stream {args.stream}, {report_rows:,} insight rows "
        f"({tap['records']:,} records in all)"
    )
    print(f"tap:          {tap_rate:10,.0f} records/s  ({tap['wall_seconds']:.1f} s wall)")
    print(f"SDK ceiling:  {ceiling_rate:10,.0f} records/s  ({ceiling['wall_seconds']:.1f} s wall)")
    print(f"ratio tap / ceiling: {tap_rate / ceiling_rate:.2f}")
    print(
        f"HTTP requests: {all_requests:,}; minimum {minimum:,} "
        f"(rows / {args.page_size} + {jobs.get('started', 0)} job(s), one per window)"
    )
    print(
        f"report jobs: {jobs.get('started', 0)} started, at most {max(peaks, default=0)} "
        f"running at once (emulator saw {jobs.get('peak_running', 0)})"
    )
    print(
        f"wall {tap['wall_seconds']:.1f} s vs emulator job time {jobs.get('job_seconds', 0):.1f} s "
        "(the sum of every job's run time)"
    )
    print(f"peak RSS: tap {tap['peak_rss_mib']:.0f} MiB, ceiling {ceiling['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
