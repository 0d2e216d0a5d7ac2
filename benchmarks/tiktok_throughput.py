"""Throughput of tap-tiktok-ads against the sandbox, beside the SDK's own ceiling.

Prints: records/s of the tap, records/s of a trivial SDK tap emitting the same records from
memory (measured in the same run), their ratio, HTTP requests made versus the minimum
(rows / largest page size), and the tap's peak RSS; then, on a world of many small
advertisers (`--small-scale`), the requests with and without multi-advertiser reports.

The sandbox answers with realistic latency (`--latency-ms`, the median time of a full page of
1,000 rows; smaller answers are faster) and TikTok's basic-tier rate limits (10 requests a
second, 600 a minute), so the rate limits bite where they would in production;
`--latency-ms 0 --no-limits` measures the tap alone.

    python benchmarks/tiktok_throughput.py              # about 500,000 rows, then small ones
    python benchmarks/tiktok_throughput.py --scale 2x500x1x1x30 --latency-ms 0 --no-limits
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
#: A full page of report rows from TikTok takes about this long (median, ms).
LATENCY_MS = 600.0
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


def sandbox_args(args: argparse.Namespace) -> list[str]:
    extra = ["--latency-ms", str(args.latency_ms)]
    if args.no_limits:
        extra += ["--tiktok-qps", "100000", "--tiktok-qpm", "10000000", "--tiktok-qpd", "100000000"]
    return extra


def tap_config(args: argparse.Namespace, url: str, **overrides: object) -> dict:
    rate_limiting: dict = {"concurrent_requests": args.concurrency}
    if args.no_limits:
        rate_limiting |= {"burst": 100000, "requests_per_minute": 10**7, "requests_per_hour": 10**8}
    return {
        "api_url": url,
        "access_token": "sandbox-token",
        "app_id": "bench",
        "secret": "bench",
        "date_range": {"type": "last_n_days", "days": args.days},
        "report_mode": "sync",
        "rate_limiting": rate_limiting,
        **overrides,
    }


def tap_command(work: Path, config: dict, stream: str) -> list[str]:
    """Write the config and a catalog selecting `stream`; the command running the tap."""
    (work / "config.json").write_text(json.dumps(config))
    catalog = json.loads(
        subprocess.run(
            [TAP, "--config", str(work / "config.json"), "--discover"],
            check=True,
            capture_output=True,
        ).stdout
    )
    for entry in catalog["streams"]:
        selected = entry["tap_stream_id"] in (stream, "advertisers")
        for item in entry["metadata"]:
            if item["breadcrumb"] == []:
                item["metadata"]["selected"] = selected
    (work / "catalog.json").write_text(json.dumps(catalog))
    return [TAP, "--config", str(work / "config.json"), "--catalog", str(work / "catalog.json")]


def sandbox_requests(url: str) -> tuple[int, int]:
    """(all requests, report pages) since the last reset."""
    stats = requests.get(f"{url}/_sandbox/stats", timeout=10).json()["requests"]
    return sum(stats.values()), stats.get("/open_api/v1.3/report/integrated/get/", 0)


def throughput(args: argparse.Namespace, work: Path) -> None:
    """The tap beside the SDK's ceiling (both writers) on one large report."""
    with running_sandbox(seed=args.seed, scale=args.scale, extra_args=sandbox_args(args)) as urls:
        command = tap_command(work, tap_config(args, urls["tiktok"]), args.stream)
        requests.post(f"{urls['tiktok']}/_sandbox/reset-stats", timeout=10)
        tap = run_tap(command, keep=work / "records.jsonl", stream=args.stream)
        all_requests, report_requests = sandbox_requests(urls["tiktok"])

    # The ceiling: the same records, from memory, through a trivial SDK tap.
    records_path = work / "records.jsonl"
    with records_path.open(encoding="utf-8") as handle:
        report_rows = sum(1 for _ in handle)
    (work / "schema.json").write_text(json.dumps(tap["schema_line"]))
    ceilings = {}
    for writer in ("simple", "msgspec"):
        settings = {
            "records_path": str(records_path),
            "schema_path": str(work / "schema.json"),
            "writer": writer,
        }
        (work / "ceiling.json").write_text(json.dumps(settings))
        ceiling_tap = [sys.executable, str(HERE / "sdk_ceiling_tap.py")]
        ceilings[writer] = run_tap([*ceiling_tap, "--config", str(work / "ceiling.json")])

    minimum = math.ceil(report_rows / PAGE_SIZE)
    rates = {w: c["records"] / c["wall_seconds"] for w, c in ceilings.items()}
    fastest = max(rates, key=rates.__getitem__)
    print(
        f"scale {args.scale}, stream {args.stream}, {report_rows:,} report rows "
        f"({tap['records']:,} records in all); latency {args.latency_ms:.0f} ms a full page, "
        f"{'no rate limits' if args.no_limits else 'TikTok basic-tier rate limits'}, "
        f"concurrent_requests {args.concurrency}"
    )
    for writer, run in ceilings.items():
        print(
            f"(SDK ceiling with the {writer} writer: {rates[writer]:,.0f} records/s, "
            f"{run['records'] / max(run['stream_seconds'], 1e-9):,.0f}/s while streaming)"
        )
    print(f"tap and ceiling, both with the {fastest} writer (the faster):")
    print_rates(tap, ceilings[fastest])
    print(
        f"HTTP requests: {all_requests:,} in all, {report_requests:,} report pages; "
        f"minimum {minimum:,} (rows / {PAGE_SIZE})"
    )
    print(
        f"peak RSS: tap {tap['peak_rss_mib']:.0f} MiB, ceiling "
        f"{ceilings[fastest]['peak_rss_mib']:.0f} MiB"
    )


def multi_advertiser(args: argparse.Namespace, work: Path) -> None:
    """Requests for many small advertisers, one report each and five per report."""
    scale = args.small_scale
    print(f"many small advertisers: scale {scale}, stream {args.stream}")
    with running_sandbox(seed=args.seed, scale=scale, extra_args=sandbox_args(args)) as urls:
        for per_report in (1, 5):
            config = tap_config(args, urls["tiktok"], advertisers_per_report=per_report)
            command = tap_command(work, config, args.stream)
            requests.post(f"{urls['tiktok']}/_sandbox/reset-stats", timeout=10)
            run = run_tap(command)
            all_requests, report_requests = sandbox_requests(urls["tiktok"])
            rows = run["records"] - int(scale.split("x")[0])  # less the advertisers' records
            print(
                f"  advertisers_per_report {per_report}: {report_requests:,} report pages "
                f"({all_requests:,} requests in all) for {rows:,} rows, minimum "
                f"{math.ceil(rows / PAGE_SIZE):,}; {run['wall_seconds']:.1f} s wall"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="5x3400x1x1x30", help="about 500,000 report rows")
    parser.add_argument("--small-scale", default="40x5x1x1x30")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stream", default="insights_campaign")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument(
        "--latency-ms", type=float, default=LATENCY_MS, help="median time of a full page"
    )
    parser.add_argument(
        "--no-limits", action="store_true", help="lift TikTok's rate limits in the sandbox"
    )
    parser.add_argument("--concurrency", type=int, default=4, help="the tap's concurrent_requests")
    parser.add_argument("--skip-multi-advertiser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        throughput(args, Path(tmp))
        if not args.skip_multi_advertiser:
            multi_advertiser(args, Path(tmp))


if __name__ == "__main__":
    main()
