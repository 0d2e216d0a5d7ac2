"""DESIGN.md's report settings, the same in every tap: report_type, attribution_windows,
and the spec's blocks merged into one config."""

from __future__ import annotations

import logging

import pytest
from ads_kit.errors import QuotaExhaustedError
from singer_sdk.exceptions import ConfigValidationError
from tap_tiktok_ads.errors import AppThrottle, classify
from tap_tiktok_ads.tap import TapTikTokAds

BASE = {"access_token": "x-token", "advertiser_ids": ["7000001"], "start_date": "2026-01-01"}


def selected(config: dict) -> set[str]:
    tap = TapTikTokAds(config={**BASE, **config}, setup_mapper=False)
    return {name for name, stream in tap.streams.items() if stream.selected}


def test_report_type_chooses_the_report_streams_read_without_a_catalog():
    custom = {"name": "by_hour", "dimensions": ["campaign_id", "stat_time_hour"]}
    everything = selected({"custom_reports": [custom]})
    assert {
        "insights",
        "insights_campaign",
        "insights_audience_age",
        "report_by_hour",
    } <= everything
    audience = selected({"report_type": "audience_insights", "custom_reports": [custom]})
    assert "insights_audience_age" in audience and "insights_campaign" not in audience
    assert "report_by_hour" not in audience
    assert {"advertisers", "campaigns"} <= audience  # entities are always read
    both = selected({"report_type": ["campaign_performance", "custom"], "custom_reports": [custom]})
    assert {"insights_campaign", "report_by_hour"} <= both
    assert "insights_audience_age" not in both


def test_an_unknown_report_type_fails_at_start_naming_the_setting():
    with pytest.raises(ConfigValidationError, match="report_type"):
        TapTikTokAds(config={**BASE, "report_type": "everything"}, setup_mapper=False)


def test_attribution_windows_are_validated_and_tiktok_says_it_has_none(caplog):
    with pytest.raises(ConfigValidationError, match="attribution_windows"):
        TapTikTokAds(config={**BASE, "attribution_windows": ["2d_click"]}, setup_mapper=False)
    with caplog.at_level(logging.WARNING):
        TapTikTokAds(config={**BASE, "attribution_windows": ["7d_click"]}, setup_mapper=False)
    assert "'attribution_windows' is ignored" in caplog.text


def test_the_spec_blocks_merged_run_as_written():
    platform = {"app_id": "123", "secret": "s3cr3t-value", "access_token": "tok-value"}
    extraction = {
        "date_range": {"type": "last_n_days", "days": 30},
        "metrics": ["spend", "impressions", "clicks", "conversion"],
        "breakdowns": ["age", "gender", "device"],
        "attribution_windows": ["7d_click", "1d_view"],
        "report_type": "campaign_performance",
    }
    limits = {"requests_per_minute": 600, "burst": 10, "max_retries": 5}
    tap = TapTikTokAds(
        config={**platform, **extraction, "rate_limiting": limits}, setup_mapper=False
    )
    assert tap.rate_limits.requests_per_minute == 600
    assert tap.config["insights_lookback_days"] == 7


def test_the_qpm_wait_is_the_one_tiktok_states():
    error = classify(40100, "QPM limit: suspended for 5 seconds", None)
    assert error.retry_after == 5
    error = classify(40100, "Too many requests in this minute (QPM).", None)
    assert error.retry_after == 300


def test_unnamed_app_limits_climb_from_a_second_to_minutes_to_the_daily_quota():
    message = "Due to too many requests, requests from App [1] are temporarily restricted."
    throttle = AppThrottle(longest=330)
    waits = [classify(40100, message, "7", throttle) for _ in range(4)]
    assert [w.retry_after for w in waits] == [1.0, 1.0, 300.0, 300.0]
    stop = classify(40100, message, "7", throttle)
    assert isinstance(stop, QuotaExhaustedError) and "00:00 UTC" in str(stop)
    # An accepted answer starts again from a second; a shorter longest wait caps the climb.
    assert classify(0, "OK", "7", throttle) is None
    assert classify(40016, message, "7", throttle).retry_after == 1.0
    capped = AppThrottle(longest=8)
    assert [classify(40100, message, None, capped).retry_after for _ in range(3)][-1] == 8
    # 40133 is one advertiser's per-second limit: always a second, that advertiser only.
    per_advertiser = classify(40133, "Advertiser (7)'s QPS (5) reaches QPS limit", "7", capped)
    assert per_advertiser.retry_after == 1.0 and per_advertiser.per_account


def test_tiktoks_own_sandbox_is_paced_to_its_limits():
    sandbox = {**BASE, "api_url": "https://sandbox-ads.tiktok.com"}
    limits = TapTikTokAds(config=sandbox, setup_mapper=False).rate_limits
    assert (limits.burst, limits.requests_per_minute) == (1, 30)
    assert TapTikTokAds(config=BASE, setup_mapper=False).rate_limits.burst == 10
    chosen = {**sandbox, "rate_limiting": {"burst": 2}}
    assert TapTikTokAds(config=chosen, setup_mapper=False).rate_limits.burst == 2


def test_timeouts_are_those_a_real_api_needs_and_configurable():
    tap = TapTikTokAds(config=BASE, setup_mapper=False)
    assert tap.streams["campaigns"].timeout == (10.0, 60.0)
    tap = TapTikTokAds(
        config={**BASE, "request_timeout": 5, "connect_timeout": 2}, setup_mapper=False
    )
    assert tap.streams["campaigns"].timeout == (2.0, 5.0)
