"""Throughput of tap-google-ads against the sandbox's gRPC emulator, beside the SDK's ceiling.

Prints: records/s of the tap, records/s of a trivial SDK tap emitting the same records from
memory (measured in the same run), their ratio, gRPC calls made versus the minimum (one
SearchStream per customer could carry every day), and the tap's peak RSS.

    python benchmarks/google_ads_throughput.py --scale 4x6000x1x1x30 --stream campaign_performance
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import requests
from ads_sandbox.google_ads.tls import ca_cert_path
from ads_sandbox.tap_runs import TapRunner
from ads_sandbox.testing import running_sandbox

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from tiktok_throughput import print_rates, run_tap  # noqa: E402 - the shared measuring

TAP = str(Path(sys.executable).parent / "tap-google-ads")
STREAM_PATH = "GoogleAdsService/SearchStream"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="4x6000x1x1x30")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stream", default="campaign_performance")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()

    extra = ["--google-latency-ms", str(args.latency_ms), "--google-daily-operations", "1000000"]
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_sandbox(seed=args.seed, scale=args.scale, extra_args=extra) as urls,
    ):
        work = Path(tmp)
        config = {
            "client_id": "bench",
            "client_secret": "bench",
            "refresh_token": "sandbox-refresh",
            "developer_token": "sandbox-dev",
            "api_url": urls["google_ads"],
            "oauth_url": urls["oauth"],
            "ca_cert_path": str(ca_cert_path()),
            "date_range": {"type": "last_n_days", "days": args.days},
            "rate_limiting": {"burst": 100000, "requests_per_minute": 10000000},
        }
        command = TapRunner(TAP, work).prepare(config, [args.stream, "customers"], None)

        requests.post(f"{urls['oauth']}/_sandbox/reset-stats", timeout=10)
        tap = run_tap(command, keep=work / "records.jsonl", stream=args.stream)
        stats = requests.get(f"{urls['oauth']}/_sandbox/stats", timeout=10).json()

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

    calls = stats["requests"]
    stream_calls = sum(n for path, n in calls.items() if path.endswith(STREAM_PATH))
    customers = int(args.scale.split("x")[0])
    print(
        f"scale {args.scale}, stream {args.stream}, {report_rows:,} report rows "
        f"({tap['records']:,} records in all), latency {args.latency_ms:g} ms"
    )
    print_rates(tap, ceiling)
    print(
        f"gRPC calls: {sum(calls.values()):,} in all, {stream_calls:,} SearchStream; "
        f"minimum {customers} SearchStream (one per customer), "
        f"{sum(calls.values()) - stream_calls} for discovery"
    )
    print(f"peak RSS: tap {tap['peak_rss_mib']:.0f} MiB, ceiling {ceiling['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
