"""The fault matrix: each tap against the sandbox under every fault of DESIGN.md, one at a
time and all together, plus a run killed with SIGKILL and resumed, beside a clean run.

    .venv/bin/python benchmarks/fault_matrix.py [--platforms tiktok,meta,google_ads]

Prints platform x fault -> rows expected, rows loaded, lost (missing, or different from the
clean run's, but for a field the platform refused, which the tap drops with a warning and
leaves null by design), duplicated (keys a clean run does not have) after upsert on the streams'
primary keys, retries, wall time beside the clean run's. A fault that stops a run (a token
the platform refuses is not retried) is followed by a run resumed from its last state with
the fault gone, as a user would re-run after fixing the cause; the row then says "stopped,
resumed". Exits non-zero when any row lost or duplicated anything.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

import requests
from ads_kit.refused_fields import STATE_KEY as REFUSED_KEY
from ads_sandbox.faults import FAULT_NAMES as FAULTS
from ads_sandbox.tap_runs import TapRun, TapRunner, control_url, sandbox_credentials, upserted
from ads_sandbox.testing import running_sandbox

BIN = Path(sys.executable).parent
SEED, SCALE, START, END = 7, "3x3x2x2x10", "2026-11-11", "2026-11-20"
#: The streams read, and what each platform needs to exercise every fault.
PLATFORMS = {
    "tiktok": {
        "tap": "tap-tiktok-ads",
        "streams": [
            "advertisers",
            "campaigns",
            "ads",
            "insights",
            "insights_campaign",
            "smart_plus_campaigns",
            "insights_gmv_max",
        ],
        "config": {
            "metrics": ["spend", "impressions", "clicks", "conversion", "real_time_conversion"],
            "api_version_fallback": ["v1.4"],
            "report_mode": "async",
        },
    },
    "meta": {
        "tap": "tap-meta-ads",
        "streams": ["ad_accounts", "campaigns", "ads", "insights", "insights_campaign"],
        "config": {
            "metrics": ["impressions", "clicks", "spend", "actions", "estimated_ad_recallers"],
            "api_version_fallback": ["v27.0"],
            "report_mode": "async",
            "insights_poll_seconds": 0.05,
        },
    },
    "google_ads": {
        "tap": "tap-google-ads",
        "streams": [
            "customers",
            "campaigns",
            "ad_groups",
            "campaign_performance",
            "campaign_conversions",
        ],
        "config": {"api_version": "v23", "api_version_fallback": ["v26"]},
    },
}
RATE = 0.15


def platform_config(platform: str, urls: dict) -> dict:
    return {
        **sandbox_credentials(platform, urls),
        "start_date": START,
        "end_date": END,
        "rate_limiting": {
            "backoff_multiplier": 0.05,
            "max_wait_seconds": 2,
            "burst": 50,
            "max_retries": 8,
        },
        "request_timeout": 3,
        **PLATFORMS[platform]["config"],
    }


def without(row: dict, fields: set[str]) -> dict:
    return {k: v for k, v in row.items() if k not in fields}


def refused_columns(*states: dict) -> set[str]:
    """The record columns of the fields a tap dropped as refused: every `refused_fields`
    list in its states, platform names flattened as in the records (`metrics.x` ->
    `metrics__x`)."""
    found: set[str] = set()
    pending: list = list(states)
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == REFUSED_KEY and isinstance(value, list):
                    found.update(str(name).replace(".", "__") for name in value)
                else:
                    pending.append(value)
        elif isinstance(node, list):
            pending.extend(node)
    return found


def set_faults(url: str, rates: dict[str, float]) -> None:
    requests.post(f"{url}/_sandbox/faults", json=rates, timeout=10).raise_for_status()


def measure(runner: TapRunner, config: dict, streams: list[str], control: str, rates: dict):
    """A faulted run, resumed with the faults gone if it stopped: (upserted rows, retries,
    seconds, how it ended, the columns of refused fields)."""
    set_faults(control, rates)
    try:
        run = runner.run(config, streams)
    finally:
        set_faults(control, {})
    rows, retries, seconds, outcome = (
        run.upserted(),
        run.stderr.count("Retrying"),
        run.seconds,
        "ok",
    )
    refused = refused_columns(run.state)
    if run.returncode != 0:
        resumed = runner.run(config, streams, state=run.state or None)
        rows |= resumed.upserted()
        seconds += resumed.seconds
        refused |= refused_columns(resumed.state)
        outcome = "stopped, resumed" if resumed.returncode == 0 else "FAILED"
    return rows, retries, seconds, outcome, refused


def killed(runner: TapRunner, config: dict, streams: list[str], clean: TapRun):
    states = sum(
        1 for line in clean.stdout.splitlines() if '"type":"STATE"' in line.replace(" ", "")
    )
    after = random.Random(SEED).randint(2, max(2, states - 1))
    first = runner.run_killed(config, streams, after_states=after)
    resumed = runner.run(config, streams, state=first.state or None)
    rows = upserted(first.records, {**clean.keys, **first.keys}) | resumed.upserted()
    outcome = "ok" if resumed.returncode == 0 else "FAILED"
    return (
        rows,
        resumed.stderr.count("Retrying"),
        first.seconds + resumed.seconds,
        (f"killed after STATE {after}, resumed" if outcome == "ok" else outcome),
        refused_columns(first.state, resumed.state),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platforms", default=",".join(PLATFORMS))
    args = parser.parse_args()
    rows = []
    extra = ("--end-date", END, "--fault-timeout-seconds", "2", "--meta-job-seconds", "0.2")
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_sandbox(seed=SEED, scale=SCALE, extra_args=extra) as urls,
    ):
        for platform in args.platforms.split(","):
            spec = PLATFORMS[platform]
            runner = TapRunner(str(BIN / spec["tap"]), Path(tmp) / platform)
            config = platform_config(platform, urls)
            control = control_url(platform, urls)
            clean = runner.run(config, spec["streams"])
            if clean.returncode != 0:
                print(f"{platform}: the clean run failed:\n{clean.stderr[-2000:]}", file=sys.stderr)
                return 1
            expected = clean.upserted()
            cases = [(fault, {fault: RATE}) for fault in FAULTS]
            cases.append(("all together", {fault: RATE / 2 for fault in FAULTS}))
            for name, rates in cases:
                measured = measure(runner, config, spec["streams"], control, rates)
                rows.append((platform, name, expected, *measured, clean.seconds))
            measured = killed(runner, config, spec["streams"], clean)
            rows.append((platform, "kill -9", expected, *measured, clean.seconds))
    print(
        "| platform | fault | rows expected | loaded | lost | duplicated | retries | "
        "wall s (clean s) | outcome |"
    )
    print("|---|---|--:|--:|--:|--:|--:|--:|---|")
    failed = False
    for platform, name, expected, loaded, retries, seconds, outcome, refused, clean_seconds in rows:
        lost = len(expected.keys() - loaded.keys()) + sum(
            1
            for key in expected.keys() & loaded.keys()
            if without(loaded[key], refused) != without(expected[key], refused)
        )
        duplicated = len(loaded.keys() - expected.keys())
        failed |= bool(lost or duplicated) or outcome == "FAILED"
        if refused:
            outcome += f"; refused, left null: {', '.join(sorted(refused))}"
        print(
            f"| {platform} | {name} | {len(expected)} | {len(loaded)} | {lost} | {duplicated} | "
            f"{retries} | {seconds:.1f} ({clean_seconds:.1f}) | {outcome} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
