"""Meta's data limits: heavy pages, every SDK field, the 37-month retention, the 13-month
reach rule."""

from __future__ import annotations

from ads_sandbox.testing import running_sandbox
from facebook_business.adobjects.adsinsights import AdsInsights
from meta_tap_runner import SANDBOX_ARGS, SCALE, SEED

EVERY_FIELD = sorted(v for k, v in vars(AdsInsights.Field).items() if not k.startswith("_"))


def test_every_sdk_field_can_be_asked_and_heavy_pages_are_halved(run_tap, make_config):
    # 500 rows x 250 fields is past the emulator's 100,000 cells: Meta's code 1.
    run = run_tap(make_config(metrics=EVERY_FIELD, page_size=500, report_mode="sync"),
                  ["ad_accounts", "insights_campaign"])  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert "page size 500 -> 250" in run.stderr
    # The fields Meta retired in v19 are never asked for: named at start, not refused later.
    retired = [line for line in run.stderr.splitlines() if "Meta stopped serving in v19" in line]
    assert retired and "Setting 'metrics' lists age_targeting, estimated_ad_recall" in retired[0]
    assert all(name in retired[0] for name in ("gender_targeting", "labels, location"))
    assert "no longer serves" not in run.stderr
    baseline = run_tap(make_config(report_mode="sync"), ["ad_accounts", "insights_campaign"])
    keys = lambda rows: sorted((r["account_id"], r["campaign_id"], r["date_start"]) for r in rows)  # noqa: E731
    assert keys(run.records["insights_campaign"]) == keys(baseline.records["insights_campaign"])


def test_a_small_page_limit_still_loads_every_row(run_tap, make_config):
    args = (*SANDBOX_ARGS, "--meta-max-page-cells", "400")
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=args) as urls:
        run = run_tap(make_config(api_url=urls["meta"], report_mode="sync", page_size=100),
                      ["ad_accounts", "insights"])  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert "page size 100 -> 50" in run.stderr and "page size 50 -> 25" in run.stderr
    pairs = {(r["ad_id"], r["date_start"]) for r in run.records["insights"]}
    assert len(pairs) == len(run.records["insights"]) > 100


def test_a_synchronous_timeout_moves_the_rest_to_async_jobs(run_tap, make_config):
    args = (*SANDBOX_ARGS, "--meta-sync-row-limit", "20")
    with running_sandbox(seed=SEED, scale=SCALE, extra_args=args) as urls:
        run = run_tap(make_config(api_url=urls["meta"], report_mode="sync", insights_window_days=4),
                      ["ad_accounts", "insights"])  # fmt: skip
        baseline = run_tap(make_config(api_url=urls["meta"], report_mode="async"),
                           ["ad_accounts", "insights"])  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert "the synchronous insights edge timed out" in run.stderr
    assert "Request Timed Out" in run.stderr and "go through async report jobs" in run.stderr
    keyed = lambda rows: {(r["ad_id"], r["date_start"]): r["spend"] for r in rows}  # noqa: E731
    assert keyed(run.records["insights"]) == keyed(baseline.records["insights"])


def test_old_start_dates_are_clamped_to_37_months_and_reach_is_warned(run_tap, make_config):
    run = run_tap(make_config(start_date="2021-01-01"), ["ad_accounts", "insights_audience_age"])
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Meta keeps insights for 37 months" in run.stderr
    assert "leaves reach, frequency out of breakdown reports" in run.stderr
    assert run.records["insights_audience_age"]
