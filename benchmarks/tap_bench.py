"""What the throughput benchmarks share: running a tap and timing its records, selecting
streams in its catalog, and the SDK's ceiling over the same records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def run_tap(
    command: list[str], keep: Path | None = None, stream: str = "", stderr: Path | None = None
) -> dict:
    """Run a tap, count its RECORD messages as they arrive; return timings and peak RSS.

    With `keep`, the records of `stream` are written there and its SCHEMA message returned;
    with `stderr`, the tap's log is written there."""
    started = time.perf_counter()
    first = last = None
    records = 0
    schema_line = None
    tag = f'"stream":"{stream}"'.encode()
    sink = keep.open("w", encoding="utf-8") if keep else None
    log = stderr.open("wb") if stderr else subprocess.DEVNULL
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log)
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
    if stderr:
        log.close()  # type: ignore[union-attr]
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


def prepared_command(tap: str, work: Path, config: dict, streams: tuple[str, ...]) -> list[str]:
    """Write config.json and a catalog selecting `streams` into work; the tap's command."""
    (work / "config.json").write_text(json.dumps(config))
    catalog = json.loads(
        subprocess.run(
            [tap, "--config", str(work / "config.json"), "--discover"],
            check=True,
            capture_output=True,
        ).stdout
    )
    for entry in catalog["streams"]:
        selected = entry["tap_stream_id"] in streams
        for item in entry["metadata"]:
            if item["breadcrumb"] == []:
                item["metadata"]["selected"] = selected
    (work / "catalog.json").write_text(json.dumps(catalog))
    return [tap, "--config", str(work / "config.json"), "--catalog", str(work / "catalog.json")]


def sdk_ceiling(work: Path, tap: dict) -> tuple[int, dict]:
    """(rows kept by `run_tap`, the trivial SDK tap's run over those same records)."""
    records_path = work / "records.jsonl"
    with records_path.open(encoding="utf-8") as handle:
        rows = sum(1 for _ in handle)
    (work / "schema.json").write_text(json.dumps(tap["schema_line"]))
    (work / "ceiling.json").write_text(
        json.dumps({"records_path": str(records_path), "schema_path": str(work / "schema.json")})
    )
    ceiling = run_tap(
        [sys.executable, str(HERE / "sdk_ceiling_tap.py"), "--config", str(work / "ceiling.json")]
    )
    return rows, ceiling
