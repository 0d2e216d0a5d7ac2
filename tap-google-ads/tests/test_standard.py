"""The SDK's standard tap tests, run against the sandbox the conftest started, with a
catalog selecting every stream (`click_view` is off by default)."""

from google_tap_runner import sandbox_config
from singer_sdk.testing import SuiteConfig, get_tap_test_class
from tap_google_ads.tap import TapGoogleAds

CONFIG = sandbox_config(start_date="2026-11-19", end_date="2026-11-20")


def every_stream_selected(config: dict) -> dict:
    catalog = TapGoogleAds(config=config).catalog_dict
    for entry in catalog["streams"]:
        for item in entry["metadata"]:
            if item["breadcrumb"] == []:
                item["metadata"]["selected"] = True
    return catalog


TestTapGoogleAds = get_tap_test_class(
    TapGoogleAds,
    config=CONFIG,
    suite_config=SuiteConfig(max_records_limit=50),
    catalog=every_stream_selected(CONFIG),
)
