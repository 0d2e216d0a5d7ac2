"""The SDK's standard tap tests, run against the sandbox the conftest started."""

from google_tap_runner import sandbox_config
from singer_sdk.testing import SuiteConfig, get_tap_test_class
from tap_google_ads.tap import TapGoogleAds

TestTapGoogleAds = get_tap_test_class(
    TapGoogleAds,
    config=sandbox_config(start_date="2026-11-19", end_date="2026-11-20"),
    suite_config=SuiteConfig(max_records_limit=50),
)
