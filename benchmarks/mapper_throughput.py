"""Throughput of transform-unified beside tap-tiktok-ads's, measured in one run.

The tap reads the sandbox (campaigns, campaign, ad group and ad reports) into a file; the
mapper then maps that file, with the sandbox's dated FX rates. Prints both rates in records
per second, by wall time of each process (start-up included) and by CPU time (what a
shared, busy machine cannot blur, and what latency does not change), their ratios, and
peak RSS. Then the tap runs again against a fresh sandbox with the same data, piped into the
mapper as `meltano run` pipes them, and the pipeline's wall time is printed beside the tap's
alone: what the mapper adds to a run (`--no-pipeline` skips it).

By default the tap runs as a user's does: the sandbox answers with the latency of
benchmarks/tiktok_throughput.py (600 ms a full page) and TikTok's basic-tier rate limits,
the tap with its default request budget. `--latency-ms 0 --no-limits` measures the tap
alone, as fast as this machine lets it read.

    python benchmarks/mapper_throughput.py --scale 3x100x2x5x30
    python benchmarks/mapper_throughput.py --scale 3x100x2x5x30 --latency-ms 0 --no-limits

`--save DIR` keeps the tap's and the mapper's output; `--replay DIR` then maps DIR's saved
tap output again (no tap, no sandbox), prints the mapper's figures and checks that its
output equals the saved one message by message, keys sorted (a run's id and times aside).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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


def timed_pipeline(tap: list[str], mapper: list[str], stdout: Path) -> tuple[float, float, float]:
    """Run `tap | mapper > stdout`; (wall seconds until both ended, tap CPU, mapper CPU)."""
    started = time.perf_counter()
    with stdout.open("wb") as out, open(os.devnull, "rb") as nothing:
        producer = subprocess.Popen(
            tap, stdin=nothing, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        consumer = subprocess.Popen(
            mapper, stdin=producer.stdout, stdout=out, stderr=subprocess.DEVNULL
        )
        assert producer.stdout is not None
        producer.stdout.close()  # the mapper holds the pipe's only reading end
        usage = {}
        for process in (producer, consumer):
            _, status, usage[process.pid] = os.wait4(process.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"{process.args[0]} failed in the pipeline")
    seconds = time.perf_counter() - started
    tap_cpu, mapper_cpu = (
        usage[p.pid].ru_utime + usage[p.pid].ru_stime for p in (producer, consumer)
    )
    return seconds, tap_cpu, mapper_cpu


def records(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.startswith(b'{"type":"RECORD"'))


#: Fields of `unified_run_summary` that differ between any two runs.
_PER_RUN = ("run_id", "started_at", "finished_at")


def comparable(path: Path) -> list[str]:
    """The messages of a mapper output, keys sorted, the run summary's per-run fields left
    out."""
    lines = []
    with path.open("rb") as handle:
        for line in handle:
            message = json.loads(line, parse_float=str, parse_int=str)
            if message.get("stream") == "unified_run_summary" and "record" in message:
                for name in _PER_RUN:
                    message["record"].pop(name, None)
            lines.append(json.dumps(message, sort_keys=True))
    return lines


def mapper_command(work: Path, cache: str) -> list[str]:
    """The mapper's command, with the sandbox's rates and a fresh entity cache `cache` in
    `work`."""
    mapper_config = {"entity_cache_path": str(work / cache), "fx_rates_path": str(RATES)}
    (work / f"{cache}.config.json").write_text(json.dumps(mapper_config))
    return [str(BIN / "transform-unified"), "--config", str(work / f"{cache}.config.json")]


def map_file(tap_out: Path, work: Path, mapped: Path) -> tuple[float, float, float]:
    """Run the mapper over `tap_out` into `mapped`, with a fresh entity cache."""
    return timed(mapper_command(work, "e.json"), tap_out, mapped)


def replay(saved: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        seconds, cpu, rss = map_file(saved / "tap.jsonl", work, work / "mapped.jsonl")
        count = records(saved / "tap.jsonl")
        new, old = comparable(work / "mapped.jsonl"), comparable(saved / "mapped.jsonl")
    print(
        f"mapper: {count / seconds:8,.0f} records/s by wall time ({seconds:.2f} s), "
        f"{count / cpu:8,.0f} by CPU time ({cpu:.2f} s), peak RSS {rss:.0f} MiB"
    )
    differing = [n for n, (a, b) in enumerate(zip(new, old, strict=False)) if a != b]
    if differing or len(new) != len(old):
        first = differing[0] if differing else min(len(new), len(old))
        raise SystemExit(
            f"output differs from {saved / 'mapped.jsonl'}: {len(differing)} message(s), "
            f"{len(new)} against {len(old)} lines; first at line {first + 1}"
        )
    print(f"output equal to {saved / 'mapped.jsonl'}: {len(new):,} messages")


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
    parser.add_argument(
        "--save", type=Path, help="keep the tap's and the mapper's output in this folder"
    )
    parser.add_argument(
        "--replay", type=Path, help="map the tap output saved by --save in this folder again"
    )
    parser.add_argument(
        "--no-pipeline", action="store_true", help="skip the run of the tap piped into the mapper"
    )
    args = parser.parse_args()
    if args.replay:
        replay(args.replay)
        return
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
        mapper_seconds, mapper_cpu, mapper_rss = map_file(tap_out, work, mapped)
        count, written = records(tap_out), records(mapped)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            shutil.copy(tap_out, args.save / "tap.jsonl")
            shutil.copy(mapped, args.save / "mapped.jsonl")
    pipeline = None
    if not args.no_pipeline:
        # A fresh sandbox: the same data, and none of the first run's request budget spent.
        with (
            tempfile.TemporaryDirectory() as tmp,
            running_sandbox(seed=args.seed, scale=args.scale, extra_args=sandbox_args) as urls,
        ):
            work = Path(tmp)
            tap_args = write_tap_files(work, urls, 30, STREAMS, limits=not args.no_limits)
            piped = work / "piped.jsonl"
            pipeline = timed_pipeline([TAP, *tap_args], mapper_command(work, "p.json"), piped)
            if (piped_count := records(piped)) != written:
                raise SystemExit(f"the pipeline wrote {piped_count:,} records, not {written:,}")
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
    if pipeline:
        seconds, piped_tap_cpu, piped_mapper_cpu = pipeline
        print(
            f"pipeline tap | mapper: {seconds:.1f} s wall against {tap_seconds:.1f} s for the "
            f"tap alone ({(seconds / tap_seconds - 1) * 100:+.0f} %); CPU tap "
            f"{piped_tap_cpu:.1f} s, mapper {piped_mapper_cpu:.1f} s"
        )


if __name__ == "__main__":
    main()
