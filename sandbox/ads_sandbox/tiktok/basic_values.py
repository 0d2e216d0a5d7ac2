"""The values of BASIC report dimensions (`report_dimensions.csv`) for one ad, with the share
of its delivery each gets: split exactly, so values that cover every ad (ad type, conversion
event, event source) add up to the unbroken report; image and video material rows exist for
ads of that format only."""

from __future__ import annotations

import zlib

from ads_sandbox.tiktok.creatives import numeric_id, pixels_of
from ads_sandbox.world.entities import AccountEntities
from ads_sandbox.world.model import Account

#: Optimization events (TikTok's `custom_event_type` values) per kind of promotion.
WEB_EVENTS = ("ON_WEB_CART", "SHOPPING")
APP_EVENTS = ("ACTIVE", "ACTIVE_PAY")
LEAD_EVENTS = ("FORM",)
#: `ad_type` is "Search" for delivery in search results, another value otherwise; TikTok does
#: not document that value [unverified].
SEARCH, NOT_SEARCH = "Search", "Non-Search"

Values = list[tuple[str, int]]


def _weight(*parts: str) -> int:
    return 50 + zlib.crc32("|".join(parts).encode()) % 101


def app_id(campaign_id: str) -> str:
    """The TikTok app id of an app-promotion campaign (`tt_app_id`)."""
    return f"72{campaign_id[-10:]}"


def ad_values(dimension: str, account: Account, tree: AccountEntities, ad_index: int) -> Values:
    """(value, weight) pairs of one ad for a BASIC dimension; empty: the ad has no rows."""
    ad = tree.ads[ad_index]
    campaign = tree.campaigns[ad.campaign_index]
    app = campaign.objective == "app_installs"
    if dimension == "ad_type":
        search = zlib.crc32(ad.id.encode()) % 16  # percent of delivery in search results
        return [(SEARCH, search), (NOT_SEARCH, 100 - search)]
    if dimension == "custom_event_type":
        events = (
            APP_EVENTS if app else LEAD_EVENTS if campaign.objective == "lead_generation" else None
        )
        return [(event, _weight(ad.id, event)) for event in events or WEB_EVENTS]
    if dimension == "event_source_id":
        if app:
            return [(app_id(campaign.id), 1)]
        return [(p["pixel_id"], _weight(ad.id, p["pixel_id"])) for p in pixels_of(account)]
    if dimension == "image_id":
        return [(ad.creative_id, 1)] if ad.format == "image" else []
    if dimension == "video_material_id":
        return [(numeric_id(ad.creative_id), 1)] if ad.format == "video" else []
    return []  # instant pages, live rooms, posts, minis, search terms, SKAN: none here
