import logging

from ads_kit.errors import VersionRefusedError
from ads_kit.pacing import RateLimits
from ads_kit.stream import at_version
from ads_kit.tap import AdsTap
from ads_kit.versions import ApiVersions
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


def moved(versions: ApiVersions, url: str) -> str | None:
    """What the REST adapter sends after `url` was refused: None when no version is left."""
    used = next(v for v in versions.used if f"/{v}/" in url)
    if not versions.refused(used, REFUSED):
        return None
    return at_version(url, versions.used, versions.current)


def test_the_current_version_moves_on_and_stale_requests_follow():
    tap = VersionedTap(config={"start_date": "2026-01-01", "api_version_fallback": ["v2", "v3"]})
    versions = tap.api_versions
    assert tap.api_version == "v1"
    assert moved(versions, "https://x/api/v1/items?page=2") == "https://x/api/v2/items?page=2"
    assert tap.api_version == "v2"
    # A page read ahead on v1 before the move follows to v2 without skipping v2.
    assert moved(versions, "https://x/api/v1/items?page=3") == "https://x/api/v2/items?page=3"
    assert tap.api_version == "v2"
    assert moved(versions, "https://x/api/v2/items") == "https://x/api/v3/items"
    assert moved(versions, "https://x/api/v3/items") is None


def test_without_fallbacks_a_refusal_stands():
    tap = VersionedTap(config={"start_date": "2026-01-01", "api_version": "v9"})
    assert tap.api_version == "v9"
    assert moved(tap.api_versions, "https://x/api/v9/items") is None


def test_listeners_hear_of_each_move_once():
    heard = []
    versions = ApiVersions("v1", ["v2"], logging.getLogger("test"))
    versions.on_change(heard.append)
    assert versions.refused("v1", REFUSED) and versions.refused("v1", REFUSED)
    assert heard == ["v2"]
