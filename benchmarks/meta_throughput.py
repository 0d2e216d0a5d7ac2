"""Throughput of tap-meta-ads against the sandbox's Meta emulator, beside the SDK's ceiling.

Prints: records/s of the tap, records/s of a trivial SDK tap emitting the same records from
memory (measured in the same run, with the msgspec writer the taps use), HTTP requests made
versus the minimum (rows / page size, plus one job per window), the most report jobs running
at once, the run's wall time beside the emulator's total job time, and peak RSS.

    python benchmarks/meta_throughput.py --scale 4x25x5x10x134 --days 134   # ~500,000 rows
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

import requests
from ads_sandbox.testing import running_sandbox

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from tiktok_throughput import print_rates, run_tap, tap_command  # noqa: E402 - shared

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="4x25x5x10x134")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stream", default="insights")
    parser.add_argument("--days", type=int, default=134)
    parser.add_argument("--window-days", type=int, default=7)
    parser.add_argument("--jobs-in-flight", type=int, default=8)
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tap, stats = measure_tap(args, work)
        ceiling, rows = measure_ceiling(work, tap)

    report(args, tap, stats, ceiling, rows)


def measure_tap(args: argparse.Namespace, work: Path) -> tuple[dict, dict]:
    with running_sandbox(seed=args.seed, scale=args.scale) as urls:
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
                "requests_per_minute": 10**7,
                "requests_per_hour": 10**8,
            },
        }
        command = tap_command(work, config, args.stream, tap=TAP, parent="ad_accounts")
        requests.post(f"{urls['meta']}/_sandbox/reset-stats", timeout=10)
        tap = run_tap(command, keep=work / "records.jsonl", stream=args.stream)
        stats = requests.get(f"{urls['meta']}/_sandbox/stats", timeout=10).json()
    return tap, stats


def measure_ceiling(work: Path, tap: dict) -> tuple[dict, int]:
    """The same records, from memory, through a trivial SDK tap."""
    records_path = work / "records.jsonl"
    with records_path.open(encoding="utf-8") as handle:
        rows = sum(1 for _ in handle)
    (work / "schema.json").write_text(json.dumps(tap["schema_line"]))
    settings = {"records_path": str(records_path), "schema_path": str(work / "schema.json")}
    (work / "ceiling.json").write_text(json.dumps({**settings, "writer": "msgspec"}))
    ceiling = run_tap(
        [sys.executable, str(HERE / "sdk_ceiling_tap.py"), "--config", str(work / "ceiling.json")]
    )
    return ceiling, rows


def report(args: argparse.Namespace, tap: dict, stats: dict, ceiling: dict, rows: int) -> None:
    jobs = stats.get("report_jobs", {})
    started = jobs.get("started", 0)
    print(
        f"scale {args.scale}, stream {args.stream}, {rows:,} insight rows "
        f"({tap['records']:,} records in all)"
    )
    print_rates(tap, ceiling)
    print(
        f"HTTP requests: {sum(stats['requests'].values()):,}; minimum "
        f"{math.ceil(rows / args.page_size) + started:,} (rows / {args.page_size} "
        f"+ {started} job(s), one per window)"
    )
    print(f"report jobs: {started} started, at most {jobs.get('peak_running', 0)} running at once")
    print(
        f"wall {tap['wall_seconds']:.1f} s vs the emulator's job time "
        f"{jobs.get('job_seconds', 0):.1f} s (every job's run time added up)"
    )
    print(f"peak RSS: tap {tap['peak_rss_mib']:.0f} MiB, ceiling {ceiling['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
