"""The SDK's standard tap tests, run against the sandbox the conftest started."""

import os

from singer_sdk.testing import SuiteConfig, get_tap_test_class
from tap_tiktok_ads.tap import TapTikTokAds

TestTapTikTokAds = get_tap_test_class(
    TapTikTokAds,
    config={
        "api_url": os.environ["ADS_TEST_TIKTOK_URL"],
        "access_token": "sandbox-token",
        "app_id": "sandbox-app",
        "secret": "sandbox-secret",
        "start_date": "2026-11-19",
        "end_date": "2026-11-20",
    },
    suite_config=SuiteConfig(max_records_limit=50),
)
