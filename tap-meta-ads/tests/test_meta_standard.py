"""The SDK's standard tap tests, run against the sandbox the conftest started."""

import os

from singer_sdk.testing import SuiteConfig, get_tap_test_class
from tap_meta_ads.tap import TapMetaAds

TestTapMetaAds = get_tap_test_class(
    TapMetaAds,
    config={
        "api_url": os.environ["ADS_TEST_META_URL"],
        "access_token": "sandbox-token",
        "app_id": "sandbox-app",
        "app_secret": "sandbox-secret",
        "start_date": "2026-11-19",
        "end_date": "2026-11-20",
        "report_mode": "sync",
    },
    suite_config=SuiteConfig(max_records_limit=50),
)
