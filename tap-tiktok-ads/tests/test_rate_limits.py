"""TikTok's limits, enforced by emulators started with tight budgets, and version sunsets."""

from __future__ import annotations

import pytest
from ads_sandbox.testing import running_sandbox
from tiktok_tap_runner import END_DATE, SCALE, SEED

STREAMS = ["insights_campaign"]


@pytest.fixture
def tight_sandbox(monkeypatch):
    def start(*args: str, faults: str | None = None):
        extra = ("--end-date", END_DATE, *args)
        return running_sandbox(seed=SEED, scale=SCALE, faults=faults, extra_args=extra)

    return start


def _point_at(monkeypatch, urls):
    monkeypatch.setenv("ADS_TEST_TIKTOK_URL", urls["tiktok"])


def test_per_second_limits_are_waited_out(tight_sandbox, run_tap, make_config, monkeypatch):
    with tight_sandbox("--tiktok-qps", "2") as urls:
        _point_at(monkeypatch, urls)
        paced = run_tap(make_config(rate_limiting={"burst": 1}), STREAMS)
    with tight_sandbox("--tiktok-qps", "2") as urls:
        _point_at(monkeypatch, urls)
        limited = run_tap(
            make_config(rate_limiting={"burst": 20, "backoff_multiplier": 0.05}), STREAMS
        )
    assert paced.returncode == 0 and "40100" not in paced.stderr, paced.stderr[-2000:]
    assert limited.returncode == 0, limited.stderr[-2000:]
    assert "40100" in limited.stderr and "Retrying" in limited.stderr
    assert limited.records == paced.records


def test_a_per_minute_limit_pauses_then_resumes(tight_sandbox, run_tap, make_config, monkeypatch):
    # TikTok's 40100 does not say it is a per-minute suspension, nor for how long: the tap's
    # waits climb past the per-second ones (five retries of about a second would give up
    # before these 6 s are over).
    with tight_sandbox("--tiktok-qpm", "6", "--qpm-penalty-seconds", "6") as urls:
        _point_at(monkeypatch, urls)
        config = make_config(rate_limiting={"max_wait_seconds": 8}, advertisers_per_report=1)
        run = run_tap(config, STREAMS)
    with tight_sandbox() as urls:
        _point_at(monkeypatch, urls)
        clean = run_tap(make_config(advertisers_per_report=1), STREAMS)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "40100" in run.stderr and "in 8.0 s after try 3" in run.stderr
    # Waiting the limit out loses nothing: the rows are a clean run's.
    assert clean.records["insights_campaign"]
    assert run.records == clean.records


def test_the_daily_limit_stops_with_resumable_state(
    tight_sandbox, run_tap, make_config, monkeypatch
):
    with tight_sandbox("--tiktok-qpd", "5") as urls:
        _point_at(monkeypatch, urls)
        config = make_config(rate_limiting={"max_wait_seconds": 0.5}, advertisers_per_report=1)
        run = run_tap(config, STREAMS)
    assert run.returncode != 0
    assert "daily request quota" in run.stderr and "00:00 UTC" in run.stderr
    assert run.state["bookmarks"]["insights_campaign"]["partitions"]


def test_a_sunset_version_moves_to_the_fallback(tight_sandbox, run_tap, make_config, monkeypatch):
    with tight_sandbox(faults="sunset_version") as urls:
        _point_at(monkeypatch, urls)
        refused = run_tap(make_config(), STREAMS)
        moved = run_tap(make_config(api_version_fallback=["v1.4"]), STREAMS)
    assert refused.returncode != 0 and "api_version_fallback" in refused.stderr
    assert moved.returncode == 0, moved.stderr[-2000:]
    assert "moving to v1.4" in moved.stderr
    assert len(moved.records["insights_campaign"]) == 3 * 3 * 12


def test_a_truncated_synchronous_report_is_read_with_tasks(
    tight_sandbox, run_tap, make_config, monkeypatch
):
    with tight_sandbox() as urls:
        _point_at(monkeypatch, urls)
        clean = run_tap(make_config(), ["insights"])
    with tight_sandbox("--sync-ad-limit", "5") as urls:
        _point_at(monkeypatch, urls)
        truncated = run_tap(make_config(), ["insights"])
    assert truncated.returncode == 0, truncated.stderr[-2000:]
    assert "reading it with report tasks instead" in truncated.stderr
    key = lambda r: (r["ad_id"], r["stat_time_day"])  # noqa: E731
    assert sorted(truncated.records["insights"], key=key) == sorted(
        clean.records["insights"], key=key
    )


def test_a_per_advertiser_limit_is_waited_out(tight_sandbox, run_tap, make_config, monkeypatch):
    with tight_sandbox("--tiktok-advertiser-qps", "1") as urls:
        _point_at(monkeypatch, urls)
        config = make_config(rate_limiting={"burst": 20}, advertisers_per_report=1)
        run = run_tap(config, ["campaigns", *STREAMS])
    with tight_sandbox() as urls:
        _point_at(monkeypatch, urls)
        clean = run_tap(make_config(), ["campaigns", *STREAMS])
    assert run.returncode == 0, run.stderr[-2000:]
    assert "40133" in run.stderr and "Retrying" in run.stderr
    assert run.records == clean.records
