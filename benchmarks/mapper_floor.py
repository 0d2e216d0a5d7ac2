"""What a mapper built on the SDK's msgspec codec costs before it computes anything.

Over a tap output saved by `mapper_throughput.py --save DIR`, times in this process, by CPU:
decoding every line as the SDK's reader does; then decoding, copying each report record into
a dict of the unified performance row's columns (values taken from the record as they are,
nothing converted, checked or derived) and encoding it into one buffer as the mapper's
writer does. Prints microseconds a record for both, and what the second, plus the SDK's
import, would make of the tap's CPU time given with `--tap-cpu` (from the same
`mapper_throughput.py` run): the ceiling of any mapper's ratio against the tap.

    python benchmarks/mapper_throughput.py --latency-ms 0 --no-limits --save /tmp/bench
    python benchmarks/mapper_floor.py /tmp/bench --tap-cpu 6.4
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

from singer_sdk.contrib.msgspec import decoder, encoder
from transform_unified.adapters.base import Role
from transform_unified.unified_schema import performance_schema


def child_cpu(code: str) -> float:
    """CPU seconds of a fresh interpreter running `code`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("saved", type=Path, help="a folder written by mapper_throughput --save")
    parser.add_argument("--tap-cpu", type=float, help="the tap's CPU seconds in that run")
    args = parser.parse_args()
    lines = (args.saved / "tap.jsonl").read_bytes().splitlines(keepends=True)
    columns = list(performance_schema(Role.AD_PERFORMANCE)["properties"])

    started = time.process_time()
    for line in lines:
        decoder.decode(line)
    decoding = time.process_time() - started

    buffer = bytearray()
    records = 0
    started = time.process_time()
    for line in lines:
        message = decoder.decode(line)
        if message.get("type") != "RECORD":
            continue
        records += 1
        get = message["record"].get
        buffer += b'{"type":"RECORD","stream":"unified_ad_performance","record":'
        encoder.encode_into({name: get(name) for name in columns}, buffer, -1)
        buffer += b"}\n"
        if len(buffer) >= 1 << 16:
            buffer.clear()
    copying = time.process_time() - started

    # The SDK's import, which every mapper built on it pays once, beyond a bare interpreter.
    start_up = child_cpu("import singer_sdk.mapper_base") - child_cpu("pass")
    print(
        f"{records:,} records, {len(columns)} columns a row: decoding alone "
        f"{decoding / records * 1e6:.2f} µs a record; decoding, copying and encoding "
        f"{copying / records * 1e6:.2f} µs; the SDK's import {start_up:.2f} s"
    )
    if args.tap_cpu:
        floor = copying + start_up
        print(
            f"a mapper doing only that: {floor:.2f} s of CPU, {args.tap_cpu / floor:.1f} times "
            f"the tap's {args.tap_cpu:.1f} s; five times the tap leaves "
            f"{(args.tap_cpu / 5 - floor) / records * 1e6:.1f} µs a record for everything else"
        )


if __name__ == "__main__":
    main()
