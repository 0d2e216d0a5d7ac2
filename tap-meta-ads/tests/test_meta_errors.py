"""What stops tap-meta-ads, and how it says so: one line naming what to fix."""

from __future__ import annotations

import json

import requests
from ads_kit.errors import (
    AccountAccessError,
    AuthenticationError,
    InvalidRequestError,
    RateLimitedError,
    RetryableError,
    VersionRefusedError,
)
from ads_sandbox.testing import running_sandbox
from facebook_business.exceptions import FacebookRequestError
from meta_tap_runner import SANDBOX_ARGS, SCALE, SEED
from tap_meta_ads.errors import SyncTimeoutError, classify


def _last_line(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def _refused_at_start(run_tap, config: dict) -> str:
    """What the tap says when it refuses `config` (at discovery or at the run's start)."""
    try:
        run = run_tap(config, ["insights"])
    except Exception as error:  # discovery itself refuses the config
        return str(getattr(error, "stderr", error))
    assert run.returncode != 0
    return run.stderr


def test_an_unknown_metric_stops_at_start_naming_it(run_tap, make_config):
    message = _refused_at_start(run_tap, make_config(metrics=["spend", "spend_per_unicorn"]))
    assert "spend_per_unicorn" in message and "AdsInsights.Field" in message


def test_breakdowns_meta_refuses_together_stop_at_start_naming_the_setting(
    run_tap, make_config, meta_url
):
    config = make_config(
        breakdowns=["age", "platform_position"],
        custom_reports=[{"name": "assets", "breakdowns": ["image_asset", "country"]}],
    )
    requests.post(f"{meta_url}/_sandbox/reset-stats", timeout=10).raise_for_status()
    message = _refused_at_start(run_tap, config)
    assert (
        "Setting 'breakdowns' asks for platform_position, which Meta refuses: "
        "platform_position needs publisher_platform" in message
    )
    assert "Setting 'custom_reports[0]' asks for image_asset, country" in message
    assert "Setting 'breakdowns' asks for age" not in message
    stats = requests.get(f"{meta_url}/_sandbox/stats", timeout=10).json()
    assert not stats["requests"], "refused before the first request"


def test_a_breakdown_meta_removed_stops_at_start_naming_the_replacement(run_tap, make_config):
    config = make_config(
        breakdowns=["age", "dma"], custom_reports=[{"name": "markets", "breakdowns": ["dma"]}]
    )
    message = _refused_at_start(run_tap, config)
    assert (
        "Setting 'breakdowns' asks for the breakdown dma, which Meta removed on 2026-06-22: "
        "use comscore_market instead." in message
    )
    assert "Setting 'custom_reports[0].breakdowns' asks for the breakdown dma" in message


def test_an_invalid_token_stops_saying_how_to_renew_it(run_tap, make_config):
    run = run_tap(make_config(access_token="EAAB-not-valid-123"), ["ad_accounts", "campaigns"])
    assert run.returncode != 0
    line = _last_line(run.stderr)
    assert "code 190" in line and "Renew the token" in line
    assert "EAAB-not-valid-123" not in run.stderr + run.stdout


def test_an_account_without_access_is_named_while_the_others_finish(run_tap, make_config):
    reachable = run_tap(make_config(), ["ad_accounts"]).records["ad_accounts"][0]["id"]
    run = run_tap(make_config(ad_accounts=[reachable, "act_1"]), ["ad_accounts", "campaigns"])
    assert run.returncode != 0
    assert {r["account_id"] for r in run.records["campaigns"]} == {reachable}
    line = _last_line(run.stderr)
    assert "act_1" in line and "ads_read" in line


def test_a_retired_version_without_fallback_names_a_live_one(run_tap, make_config):
    run = run_tap(make_config(api_version="v22.0"), ["ad_accounts"])
    assert run.returncode != 0
    line = _last_line(run.stderr)
    assert "2635" in line and "v26.0" in line and "api_version_fallback" in line


def test_usage_headers_slow_the_tap_before_the_limit(run_tap, make_config):
    # About 11 pages per account (~110 ad-days, 10 a page) against a limit of 12 calls in 3 s.
    args = (*SANDBOX_ARGS, "--meta-account-calls", "12", "--meta-rate-window-seconds", "3")
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=args) as urls:
        config = make_config(
            api_url=urls["meta"], page_size=10, report_mode="sync", insights_window_days=12
        )
        config["rate_limiting"]["max_wait_seconds"] = 5
        run = run_tap(config, ["ad_accounts", "insights"])
    assert run.returncode == 0, run.stderr[-3000:]
    assert "near its limit: waiting" in run.stderr
    assert "80004" not in run.stderr and "80000" not in run.stderr, "slowed down before, not after"


def test_a_limit_that_resets_later_than_max_wait_stops_resumably(run_tap, make_config):
    args = (*SANDBOX_ARGS, "--meta-account-calls", "2", "--meta-rate-window-seconds", "600")
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=args) as urls:
        run = run_tap(
            make_config(api_url=urls["meta"], page_size=10), ["ad_accounts", "campaigns", "ads"]
        )
    assert run.returncode != 0
    line = _last_line(run.stderr)
    assert "80004" in line and "max_wait_seconds" in line and "resumable" in line


def _graph_error(code: int, subcode: int | None = None, transient: bool = False):
    error = {"message": "m", "type": "OAuthException", "code": code, "is_transient": transient}
    if subcode:
        error["error_subcode"] = subcode
    return FacebookRequestError("m", {"method": "GET"}, 400, {}, json.dumps({"error": error}))


def test_every_code_of_the_fact_sheet_gets_its_retry_rule():
    expected = {
        (1, 99): RetryableError, (2, None): RetryableError, (2, 1504043): RetryableError,
        (2, 1504038): SyncTimeoutError, (100, 1504018): SyncTimeoutError,
        (2, 1504041): InvalidRequestError, (4, None): RateLimitedError,
        (4, 1504022): RateLimitedError, (4, 1504039): RateLimitedError,
        (17, 2446079): RateLimitedError, (32, None): RateLimitedError,
        (613, 1487742): RateLimitedError, (80000, None): RateLimitedError,
        (80004, None): RateLimitedError, (80014, None): RateLimitedError,
        (10, None): AccountAccessError, (200, None): AccountAccessError,
        (100, 33): AccountAccessError, (190, 463): AuthenticationError,
        (102, None): AuthenticationError, (2635, None): VersionRefusedError,
        (960, None): RetryableError, (104, None): RetryableError,
        (100, None): InvalidRequestError,
    }  # fmt: skip
    for (code, subcode), kind in expected.items():
        got = classify(_graph_error(code, subcode), "act_1")
        assert type(got) is kind, (code, subcode, got)
    assert isinstance(classify(_graph_error(12345, transient=True), None), RetryableError)
    assert not isinstance(classify(_graph_error(2, 1504041), None), RetryableError)
