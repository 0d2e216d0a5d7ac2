"""Throughput of transform-unified beside tap-tiktok-ads's, measured in one run.

The tap reads the sandbox (campaigns, campaign, ad group and ad reports) into a file; the
mapper then maps that file. Prints both rates in records per second, by wall time of each
process (start-up included) and by CPU time (what a shared, busy machine cannot blur),
their ratios, and peak RSS.

    python benchmarks/mapper_throughput.py --scale 3x40x2x4x30
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ads_sandbox.testing import running_sandbox

BIN = Path(sys.executable).parent
STREAMS = ("advertisers", "campaigns", "insights_campaign", "insights_adgroup", "insights")


def timed(command: list[str], stdin: Path | None, stdout: Path) -> tuple[float, float, float]:
    """Run `command`; (wall seconds, CPU seconds, peak RSS MiB)."""
    started = time.perf_counter()
    with stdout.open("wb") as out, stdin.open("rb") if stdin else open(os.devnull, "rb") as inp:
        process = subprocess.Popen(command, stdin=inp, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[0]} failed")
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - started, cpu, usage.ru_maxrss / 1024


def records(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.startswith(b'{"type":"RECORD"'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="3x40x2x4x30")
    parser.add_argument("--seed", type=int, default=1)
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
            "date_range": {"type": "last_n_days", "days": 30},
            "report_mode": "sync",
            "rate_limiting": {"burst": 100000, "requests_per_minute": 10000000},
        }
        (work / "config.json").write_text(json.dumps(config))
        catalog = json.loads(
            subprocess.run(
                [str(BIN / "tap-tiktok-ads"), "--config", str(work / "config.json"), "--discover"],
                check=True,
                capture_output=True,
            ).stdout
        )
        for entry in catalog["streams"]:
            for item in entry["metadata"]:
                if item["breadcrumb"] == []:
                    item["metadata"]["selected"] = entry["tap_stream_id"] in STREAMS
        (work / "catalog.json").write_text(json.dumps(catalog))
        tap_out, mapped = work / "tap.jsonl", work / "mapped.jsonl"
        tap_args = ["--config", str(work / "config.json"), "--catalog", str(work / "catalog.json")]
        tap = [str(BIN / "tap-tiktok-ads"), *tap_args]
        tap_seconds, tap_cpu, tap_rss = timed(tap, None, tap_out)
        (work / "mapper.json").write_text(json.dumps({"entity_cache_path": str(work / "e.json")}))
        mapper = [str(BIN / "transform-unified"), "--config", str(work / "mapper.json")]
        mapper_seconds, mapper_cpu, mapper_rss = timed(mapper, tap_out, mapped)
        count, written = records(tap_out), records(mapped)
    print(f"scale {args.scale}: {count:,} records from the tap, {written:,} from the mapper")
    for name, wall, cpu, rss in (
        ("tap", tap_seconds, tap_cpu, tap_rss),
        ("mapper", mapper_seconds, mapper_cpu, mapper_rss),
    ):
        print(
            f"{name + ':':8} {count / wall:8,.0f} records/s by wall time ({wall:.1f} s), "
            f"{count / cpu:8,.0f} by CPU time ({cpu:.1f} s), peak RSS {rss:.0f} MiB"
        )
    print(
        f"ratio mapper / tap: {tap_seconds / mapper_seconds:.1f} by wall time, "
        f"{tap_cpu / mapper_cpu:.1f} by CPU time"
    )


if __name__ == "__main__":
    main()
