"""Throughput of tap-tiktok-ads against the sandbox, beside the SDK's own ceiling.

Prints: records/s of the tap, records/s of a trivial SDK tap emitting the same records from
memory (measured in the same run), their ratio, HTTP requests made versus the minimum
(rows / largest page size), and the tap's peak RSS.

    python benchmarks/tiktok_throughput.py --scale 4x2000x1x1x30 --stream insights_campaign
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from ads_sandbox.testing import running_sandbox

HERE = Path(__file__).parent
PAGE_SIZE = 1000
TAP = str(Path(sys.executable).parent / "tap-tiktok-ads")


def run_tap(command: list[str], keep: Path | None = None, stream: str = "") -> dict:
    """Run a tap, count its RECORD messages as they arrive; return timings and peak RSS.

    With `keep`, the records of `stream` are written there and its SCHEMA message returned."""
    started = time.perf_counter()
    first = last = None
    records = 0
    schema_line = None
    tag = f'"stream":"{stream}"'.encode()
    sink = keep.open("w", encoding="utf-8") if keep else None
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(b'{"type":"RECORD"'):
            records += 1
            last = time.perf_counter()
            first = first or last
            if sink and tag in line:
                sink.write(json.dumps(json.loads(line)["record"]) + "\n")
        elif schema_line is None and line.startswith(b'{"type":"SCHEMA"') and tag in line:
            schema_line = json.loads(line)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if sink:
        sink.close()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed with exit code {process.returncode}")
    wall = time.perf_counter() - started
    return {
        "records": records,
        "wall_seconds": wall,
        "stream_seconds": (last - first) if first and last else 0.0,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "schema_line": schema_line,
    }


def print_rates(tap: dict, ceiling: dict) -> None:
    """The tap's and the SDK ceiling's records per second, and their ratio."""
    tap_rate = tap["records"] / tap["wall_seconds"]
    ceiling_rate = ceiling["records"] / ceiling["wall_seconds"]
    print(
        f"tap:          {tap_rate:10,.0f} records/s  ({tap['wall_seconds']:.1f} s wall, "
        f"{tap['records'] / max(tap['stream_seconds'], 1e-9):,.0f}/s while streaming)"
    )
    print(
        f"SDK ceiling:  {ceiling_rate:10,.0f} records/s  ({ceiling['wall_seconds']:.1f} s wall, "
        f"{ceiling['records'] / max(ceiling['stream_seconds'], 1e-9):,.0f}/s while streaming)"
    )
    print(f"ratio tap / ceiling: {tap_rate / ceiling_rate:.2f}")


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
        (work / "config.json").write_text(json.dumps(config))
        catalog = json.loads(
            subprocess.run(
                [TAP, "--config", str(work / "config.json"), "--discover"],
                check=True,
                capture_output=True,
            ).stdout
        )
        for entry in catalog["streams"]:
            selected = entry["tap_stream_id"] in (args.stream, "advertisers")
            for item in entry["metadata"]:
                if item["breadcrumb"] == []:
                    item["metadata"]["selected"] = selected
        (work / "catalog.json").write_text(json.dumps(catalog))

        requests.post(f"{urls['tiktok']}/_sandbox/reset-stats", timeout=10)
        tap = run_tap(
            [
                TAP,
                "--config",
                str(work / "config.json"),
                "--catalog",
                str(work / "catalog.json"),
            ],
            keep=work / "records.jsonl",
            stream=args.stream,
        )
        stats = requests.get(f"{urls['tiktok']}/_sandbox/stats", timeout=10).json()

        # The ceiling: the same records, from memory, through a trivial SDK tap.
        records_path = work / "records.jsonl"
        with records_path.open(encoding="utf-8") as handle:
            report_rows = sum(1 for _ in handle)
        (work / "schema.json").write_text(json.dumps(tap["schema_line"]))
        (work / "ceiling.json").write_text(
            json.dumps(
                {"records_path": str(records_path), "schema_path": str(work / "schema.json")}
            )
        )
        ceiling = run_tap(
            [
                sys.executable,
                str(HERE / "sdk_ceiling_tap.py"),
                "--config",
                str(work / "ceiling.json"),
            ]
        )

    report_requests = stats["requests"].get("/open_api/v1.3/report/integrated/get/", 0)
    all_requests = sum(stats["requests"].values())
    minimum = math.ceil(report_rows / PAGE_SIZE)
    print(
        f"scale {args.scale}, stream {args.stream}, {report_rows:,} report rows "
        f"({tap['records']:,} records in all)"
    )
    print_rates(tap, ceiling)
    print(
        f"HTTP requests: {all_requests:,} in all, {report_requests:,} report pages; "
        f"minimum {minimum:,} (rows / {PAGE_SIZE})"
    )
    print(f"peak RSS: tap {tap['peak_rss_mib']:.0f} MiB, ceiling {ceiling['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
