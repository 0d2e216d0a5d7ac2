"""The `ads-sandbox` command: `serve` the emulators or print the `truth`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from datetime import date

from ads_sandbox.faults import FaultSpecError, parse_faults
from ads_sandbox.google_ads.server import GoogleAdsSettings
from ads_sandbox.meta.app import MetaSettings
from ads_sandbox.meta.jobs import JobSettings
from ads_sandbox.meta.usage import UsageLimits
from ads_sandbox.oauth.consent import answer_and_follow as answer_consent
from ads_sandbox.server import ServeConfig, serve
from ads_sandbox.tiktok.context import TikTokSettings
from ads_sandbox.truth import truth_lines
from ads_sandbox.world import DEFAULT_SCALE, PLATFORMS, Scale, ScaleError


def _scale(text: str) -> Scale:
    try:
        return Scale.parse(text)
    except ScaleError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def _faults(text: str) -> dict[str, float]:
    try:
        return parse_faults(text)
    except FaultSpecError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(kind: type) -> object:
    def parse(text: str) -> object:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
        return value

    return parse


def _world_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=1, help="world seed (default 1)")
    parser.add_argument(
        "--scale",
        type=_scale,
        default=Scale.parse(DEFAULT_SCALE),
        help=f"accounts x campaigns x ad sets x ads x days (default {DEFAULT_SCALE})",
    )
    parser.add_argument(
        "--end-date",
        type=_date,
        default=None,
        help="last day of data, YYYY-MM-DD in each account's timezone (default: its today)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ads-sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    truth = commands.add_parser("truth", help="print what a correct extraction must load")
    truth.add_argument("--platform", required=True, choices=PLATFORMS)
    _world_options(truth)
    truth.add_argument("--revision", type=int, default=0, help="late-conversion revision")

    srv = commands.add_parser("serve", help="serve the emulators until SIGTERM/SIGINT")
    _world_options(srv)
    srv.add_argument(
        "--faults", type=_faults, default={}, help="NAME[=RATE],... (rate 0.1 if omitted)"
    )
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--tiktok-port", type=int, default=0, help="default: a free port")
    srv.add_argument(
        "--token-lifetime",
        type=_positive(float),
        default=3599.0,
        help="seconds the sign-in emulator's access tokens last (default 3599, as Google's)",
    )
    srv.add_argument(
        "--google-testing-app",
        action="store_true",
        help="the OAuth app is in testing mode: Google's refresh tokens expire after 7 days",
    )
    srv.add_argument("--tiktok-qps", type=_positive(int), default=10)
    srv.add_argument("--tiktok-qpm", type=_positive(int), default=600)
    srv.add_argument("--tiktok-qpd", type=_positive(int), default=864_000)
    srv.add_argument("--qpm-penalty-seconds", type=_positive(float), default=300.0)
    srv.add_argument(
        "--tiktok-advertiser-qps",
        type=int,
        default=0,
        help="per-advertiser requests per second on one path (code 40133); 0: off",
    )
    srv.add_argument("--sync-ad-limit", type=_positive(int), default=20_000)
    srv.add_argument("--task-seconds", type=_positive(float), default=1.0)
    srv.add_argument("--meta-port", type=int, default=0, help="default: a free port")
    srv.add_argument(
        "--meta-account-calls",
        type=_positive(int),
        default=100_000,
        help="Meta calls per ad account and use case in each rate window",
    )
    srv.add_argument("--meta-app-calls", type=_positive(int), default=1_000_000)
    srv.add_argument("--meta-rate-window-seconds", type=_positive(float), default=300.0)
    srv.add_argument(
        "--meta-job-seconds", type=_positive(float), default=1.0, help="run time of an empty job"
    )
    srv.add_argument("--meta-job-seconds-per-1000-rows", type=_positive(float), default=0.2)
    srv.add_argument("--meta-jobs-per-account", type=_positive(int), default=10)
    srv.add_argument("--meta-jobs-per-app", type=_positive(int), default=50)
    srv.add_argument(
        "--meta-max-job-cells",
        type=_positive(int),
        default=0,
        help="rows x fields of an async job past which it fails with code 1 (default 0: none)",
    )
    srv.add_argument(
        "--meta-max-page-cells",
        type=_positive(int),
        default=100_000,
        help="rows x fields of one page past which Meta answers code 1 (reduce the data)",
    )
    srv.add_argument("--meta-sync-row-limit", type=_positive(int), default=50_000)
    srv.add_argument("--fault-timeout-seconds", type=_positive(float), default=5.0)
    srv.add_argument(
        "--latency-ms",
        type=_positive(float),
        default=0.0,
        help="median answer time of a full report page, smaller answers faster (default 0: off)",
    )
    srv.add_argument("--google-ads-port", type=int, default=0, help="default: a free port")
    srv.add_argument("--oauth-port", type=int, default=0, help="default: a free port")
    srv.add_argument(
        "--google-sunset-version",
        default=None,
        help="API version refused under the sunset_version fault (default: the oldest shipped)",
    )
    srv.add_argument("--google-retry-delay-seconds", type=_positive(int), default=1)
    srv.add_argument(
        "--google-daily-operations",
        type=_positive(int),
        default=15_000,
        help="operations per developer token per 24 hours (Basic access: 15000)",
    )
    srv.add_argument(
        "--google-page-token-expiry",
        type=_positive(float),
        default=0.0,
        help="share of Search page tokens answered EXPIRED_PAGE_TOKEN (0..1)",
    )
    srv.add_argument("--google-latency-ms", type=_positive(float), default=0.0)
    for scope in ("customer", "developer"):
        srv.add_argument(
            f"--google-{scope}-qps",
            type=_positive(int),
            default=0,
            help=f"requests per second per {scope} (token) before RESOURCE_TEMPORARILY_EXHAUSTED"
            " (default 0: off; Google publishes no figure)",
        )
    srv.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))

    consent = commands.add_parser(
        "consent", help="answer a sign-in consent page headlessly (a browser for tests)"
    )
    consent.add_argument("url")
    consent.add_argument("--deny", action="store_true", help="deny the access asked for")
    consent.add_argument("--grant", help="comma-separated scopes to approve (default: all)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "truth":
        if args.revision < 0:
            print("ads-sandbox truth: --revision must be >= 0", file=sys.stderr)
            return 2
        out = sys.stdout
        for line in truth_lines(args.platform, args.seed, args.scale, args.end_date, args.revision):
            out.write(line + "\n")
        return 0

    if args.command == "consent":
        return answer_consent(args.url, args.deny, args.grant.split(",") if args.grant else None)

    logging.basicConfig(
        level=args.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    config = ServeConfig(
        seed=args.seed,
        scale=args.scale,
        end_date=args.end_date,
        faults=args.faults,
        host=args.host,
        tiktok_port=args.tiktok_port,
        token_lifetime=args.token_lifetime,
        google_testing_app=args.google_testing_app,
        tiktok=TikTokSettings(
            qps=args.tiktok_qps,
            qpm=args.tiktok_qpm,
            qpd=args.tiktok_qpd,
            qpm_penalty_seconds=args.qpm_penalty_seconds,
            advertiser_qps=args.tiktok_advertiser_qps,
            sync_ad_limit=args.sync_ad_limit,
            task_seconds=args.task_seconds,
            fault_timeout_seconds=args.fault_timeout_seconds,
            latency_ms=args.latency_ms,
            seed=args.seed,
        ),
        meta_port=args.meta_port,
        meta=MetaSettings(
            usage=UsageLimits(
                account_calls=args.meta_account_calls,
                app_calls=args.meta_app_calls,
                window_seconds=args.meta_rate_window_seconds,
            ),
            jobs=JobSettings(
                base_seconds=args.meta_job_seconds,
                seconds_per_1000_rows=args.meta_job_seconds_per_1000_rows,
                per_account=args.meta_jobs_per_account,
                per_app=args.meta_jobs_per_app,
                max_cells=args.meta_max_job_cells,
            ),
            max_page_cells=args.meta_max_page_cells,
            sync_row_limit=args.meta_sync_row_limit,
            fault_timeout_seconds=args.fault_timeout_seconds,
        ),
        google_ads_port=args.google_ads_port,
        oauth_port=args.oauth_port,
        google_ads=GoogleAdsSettings(
            sunset_version=args.google_sunset_version,
            retry_delay_seconds=args.google_retry_delay_seconds,
            daily_operations=args.google_daily_operations,
            page_token_expiry_rate=min(1.0, args.google_page_token_expiry),
            fault_timeout_seconds=min(args.fault_timeout_seconds, 2.0),
            latency_ms=args.google_latency_ms,
            customer_qps=args.google_customer_qps,
            developer_qps=args.google_developer_qps,
        ),
    )
    asyncio.run(serve(config))
    return 0
