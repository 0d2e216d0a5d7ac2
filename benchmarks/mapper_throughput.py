"""Throughput of transform-unified beside tap-tiktok-ads's, measured in one run.

The tap reads the sandbox (campaigns, campaign, ad group and ad reports) into a file; the
mapper then maps that file, with the sandbox's dated FX rates. Prints both rates in records
per second, by wall time of each process (start-up included) and by CPU time (what a
shared, busy machine cannot blur, and what latency does not change), their ratios, and
peak RSS.

By default the tap runs as a user's does: the sandbox answers with the latency of
benchmarks/tiktok_throughput.py (600 ms a full page) and TikTok's basic-tier rate limits,
the tap with its default request budget. `--latency-ms 0 --no-limits` measures the tap
alone, as fast as this machine lets it read.

    python benchmarks/mapper_throughput.py --scale 3x100x2x5x30
    python benchmarks/mapper_throughput.py --scale 3x100x2x5x30 --latency-ms 0 --no-limits
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
from sandbox_tap import TAP, UNLIMITED, write_tap_files
from tiktok_throughput import LATENCY_MS

BIN = Path(sys.executable).parent
#: The sandbox's dated rates, as the sandbox environment of meltano.yml gives the mapper.
RATES = Path(__file__).parents[1] / "sandbox" / "ads_sandbox" / "fx_rates.csv"
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
    parser.add_argument("--scale", default="3x100x2x5x30")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--latency-ms", type=float, default=LATENCY_MS, help="median time of a full page"
    )
    parser.add_argument(
        "--no-limits", action="store_true", help="lift TikTok's rate limits (sandbox and tap)"
    )
    args = parser.parse_args()
    sandbox_args = ["--latency-ms", str(args.latency_ms), *(UNLIMITED if args.no_limits else [])]
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_sandbox(seed=args.seed, scale=args.scale, extra_args=sandbox_args) as urls,
    ):
        work = Path(tmp)
        tap_args = write_tap_files(work, urls, 30, STREAMS, limits=not args.no_limits)
        tap_out, mapped = work / "tap.jsonl", work / "mapped.jsonl"
        tap = [TAP, *tap_args]
        tap_seconds, tap_cpu, tap_rss = timed(tap, None, tap_out)
        mapper_config = {"entity_cache_path": str(work / "e.json"), "fx_rates_path": str(RATES)}
        (work / "mapper.json").write_text(json.dumps(mapper_config))
        mapper = [str(BIN / "transform-unified"), "--config", str(work / "mapper.json")]
        mapper_seconds, mapper_cpu, mapper_rss = timed(mapper, tap_out, mapped)
        count, written = records(tap_out), records(mapped)
    limits = "lifted" if args.no_limits else "TikTok's basic tier"
    print(
        f"scale {args.scale}: {count:,} records from the tap, {written:,} from the mapper; "
        f"sandbox latency {args.latency_ms:g} ms a full page, rate limits {limits}"
    )
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
