from ads_kit.errors import VersionRefusedError
from ads_kit.pacing import RateLimits
from ads_kit.tap import AdsTap
from singer_sdk import typing as th


class VersionedTap(AdsTap):
    name = "tap-versioned"
    rate_limit_defaults = RateLimits(3600, 60, 5, 1, 1.0, 3, 60.0)
    default_api_version = "v1"
    config_jsonschema = th.PropertiesList(
        th.Property("start_date", th.DateType),
        th.Property("api_version", th.StringType),
        th.Property("api_version_fallback", th.ArrayType(th.StringType)),
    ).to_dict()

    def discover_streams(self) -> list:
        return []


REFUSED = VersionRefusedError("sunset")


def test_the_current_version_moves_on_and_stale_requests_follow():
    tap = VersionedTap(config={"start_date": "2026-01-01", "api_version_fallback": ["v2", "v3"]})
    assert tap.api_version == "v1"
    assert (
        tap.fallback_url("https://x/api/v1/items?page=2", REFUSED)
        == "https://x/api/v2/items?page=2"
    )
    assert tap.api_version == "v2"
    # A page read ahead on v1 before the move follows to v2 without skipping v2.
    assert (
        tap.fallback_url("https://x/api/v1/items?page=3", REFUSED)
        == "https://x/api/v2/items?page=3"
    )
    assert tap.api_version == "v2"
    assert tap.fallback_url("https://x/api/v2/items", REFUSED) == "https://x/api/v3/items"
    assert tap.fallback_url("https://x/api/v3/items", REFUSED) is None


def test_without_fallbacks_a_refusal_stands():
    tap = VersionedTap(config={"start_date": "2026-01-01", "api_version": "v9"})
    assert tap.api_version == "v9"
    assert tap.fallback_url("https://x/api/v9/items", REFUSED) is None
