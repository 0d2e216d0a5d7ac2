"""Values of the breakdowns the synthetic world has no dimension for, and how an ad's
metrics spread over them.

Every name of the SDK's `AdsInsights.Breakdowns` that `insights._WORLD_BREAKDOWNS` does not
map to a world dimension has an entry: its values with base weights. Where the SDK has an
enumeration of the values it is used (`Campaign.Objective`, `AdCreative.CallToActionType`);
asset breakdowns come back as objects with an `id`, as Meta sends them; the other values
follow Meta's documentation and what connectors report seeing (DMA names, SKAN buckets,
destinations), and ids are ids of this world's own objects or derived from the ad. Entries
marked `per_ad` are properties of the ad (its objective, app, page, seller): each ad has
one value and all its metrics go there. Otherwise an ad's row is split over the values with
per-ad weights, exactly (largest remainder), so breakdown rows still sum to the totals.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

from ads_sandbox.meta import catalog


@dataclass(frozen=True)
class Values:
    labels: tuple[str, ...]  # as they go into a row (objects as JSON text)
    weights: tuple[int, ...]
    per_ad: bool = False
    objects: bool = False


def _values(*pairs: tuple[Any, int], per_ad: bool = False) -> Values:
    objects = any(isinstance(value, dict) for value, _ in pairs)
    labels = tuple(orjson.dumps(v).decode() if objects else str(v) for v, _ in pairs)
    return Values(labels, tuple(w for _, w in pairs), per_ad, objects)


def _even(*labels: Any, per_ad: bool = False) -> Values:
    return _values(*((label, 1) for label in labels), per_ad=per_ad)


def _ids(prefix: int, count: int = 3) -> Values:
    """Ids of objects an ad points at (an app, a page, a seller): one per ad."""
    return _even(*(str(prefix * 10**9 + 7919 * (i + 1)) for i in range(count)), per_ad=True)


def _asset(number: int, make: Any) -> Values:
    """Three assets of one kind (Dynamic Creative), as objects with an id."""
    base = 23850000000000000 + 1000 * number
    return _values(*((make(i) | {"id": str(base + i)}, 3 - i) for i in range(3)))


_YES_NO = _values(("false", 9), ("true", 1))
_OBJECTIVES = tuple(sorted(v for v in catalog.OBJECTIVES if v.startswith("OUTCOME_")))
_CALLS_TO_ACTION = ("SHOP_NOW", "LEARN_MORE", "SIGN_UP")
assert set(_CALLS_TO_ACTION) <= catalog.CALL_TO_ACTION_TYPES

VALUES: dict[str, Values] = {
    # geography and reach
    "comscore_market": _values(("New York", 20), ("Los Angeles", 15), ("Chicago", 9),
                               ("Philadelphia", 7), ("Dallas-Fort Worth", 7)),
    "zip": _values(("10001", 5), ("94103", 4), ("60601", 3), ("77002", 3), ("33101", 2)),
    "affiliate_click_region": _values(("US", 6), ("GB", 2), ("DE", 2)),
    # Marketing mix modelling rows are geographic (the shape of Meta's MMM export is not
    # documented in the sources at hand: market names, like `comscore_market`)
    "mmm": _values(("New York", 5), ("Los Angeles", 4), ("Chicago", 3)),
    "frequency_value": _values(("1", 50), ("2", 22), ("3", 11), ("4", 6), ("5", 4),
                               ("6-10", 5), ("11+", 2)),
    "impression_view_time_advertiser_hour_v2": _values(
        *((f"{h:02d}:00:00 - {h:02d}:59:59", 1 + (h >= 8) + (h >= 18)) for h in range(24))),
    # the ad's own properties
    "breakdown_ad_objective": _even(*_OBJECTIVES, per_ad=True),
    "breakdown_reporting_ad_id": _ids(238, 4),
    "app_id": _ids(1),
    "place_page_id": _ids(100),
    "existing_post_id": _even("100000000007919_1200000000001", "100000000015838_1200000000002",
                              per_ad=True),
    "internal_campaign_id": _ids(239),
    "crm_advertiser_l12_territory_ids": _even("[1001]", "[1002, 1003]", per_ad=True),
    "crm_advertiser_subvertical_id": _ids(3, 4),
    "crm_advertiser_vertical_id": _ids(2, 4),
    "crm_ult_advertiser_id": _ids(4),
    "msa_seller_name": _even("Acme Outfitters", "Northwind Goods", per_ad=True),
    "pa_creator_ig_handle": _even("@studio.lumen", "@kai.makes", per_ad=True),
    "media_creator": _even("studio.lumen", "kai.makes", per_ad=True),
    "rule_set_id": _ids(5),
    "rule_set_name": _even("Default rules", "Placement rules", per_ad=True),
    "ad_extension_domain": _even("shop.example.com", "example.com", per_ad=True),
    "ad_extension_url": _even("https://shop.example.com/sale", "https://example.com/", per_ad=True),
    "affiliate_link_url": _even("https://shop.example.com/p/1", "https://shop.example.com/p/2"),
    "marketing_messages_btn_name": _even("Shop now", "Learn more"),
    # creative and media
    "ad_format_asset": _asset(1, lambda i: {
        "ad_format": ("SINGLE_IMAGE", "SINGLE_VIDEO", "CAROUSEL_IMAGE")[i]}),
    "body_asset": _asset(2, lambda i: {"text": f"Spring collection, take {i + 1}"}),
    "title_asset": _asset(3, lambda i: {"text": f"New in: look {i + 1}"}),
    "description_asset": _asset(4, lambda i: {"text": f"Free returns ({i + 1})"}),
    "call_to_action_asset": _asset(5, lambda i: {"name": _CALLS_TO_ACTION[i]}),
    "image_asset": _asset(6, lambda i: {
        "hash": hashlib.md5(b"image%d" % i).hexdigest(),  # noqa: S324 - an image hash's shape
        "url": f"https://scontent.example/i{i}.jpg", "image_name": f"spring_{i + 1}.jpg"}),
    "video_asset": _asset(7, lambda i: {
        "video_id": str(1200000000000 + i), "thumbnail_url": f"https://scontent.example/v{i}.jpg",
        "video_name": f"spring_{i + 1}.mp4"}),
    "link_url_asset": _asset(8, lambda i: {
        "website_url": f"https://shop.example.com/spring?v={i + 1}"}),
    "creative_automation_asset_id": _ids(6),
    "creative_fingerprint_details": _even("original", "variation"),
    "creative_format_classification": _even("image", "video", "carousel", per_ad=True),
    "creative_media_type_breakdown": _values(("image", 5), ("video", 4), ("carousel", 1)),
    "creative_relaxation_asset_type": _values(("original", 8), ("relaxed", 2)),
    "flexible_format_asset_type": _values(("single_image", 5), ("carousel", 3), ("video", 2)),
    "gen_ai_asset_type": _values(("none", 8), ("text_generation", 1), ("image_expansion", 1)),
    "media_asset_url": _even("https://scontent.example/m1.jpg", "https://scontent.example/m2.mp4"),
    "media_destination_url": _even("https://shop.example.com/", "https://shop.example.com/sale"),
    "media_format": _values(("image", 6), ("video", 4)),
    "media_id": _ids(7),
    "media_origin_url": _even("https://www.instagram.com/p/C1a/", "https://www.instagram.com/p/C2b/"),
    "media_text_content": _even("Spring is here", "Last days of the sale"),
    "media_type": _values(("image", 6), ("video", 4)),
    "is_auto_advance": _YES_NO,
    "is_rendered_as_delayed_skip_ad": _YES_NO,
    # Instagram and reels
    "instagram_ads_follow_type": _values(("non_follower", 8), ("follower", 2)),
    "instagram_ads_instagram_media_product_type": _values(("feed", 5), ("reels", 3), ("story", 2)),
    "instagram_ads_time_since_creation_bucket": _values(("0-7 days", 4), ("8-30 days", 3),
                                                        ("31+ days", 3)),
    "reels_trending_topic": _values(("none", 8), ("fashion", 1), ("travel", 1)),
    "rta_ugc_topic": _values(("none", 8), ("fashion", 1), ("food", 1)),
    "placement_path": _values(("facebook/feed", 6), ("instagram/stream", 3),
                              ("instagram/reels", 1)),
    # destinations, signals and attribution
    "landing_destination": _values(("website", 7), ("app", 2), ("messenger", 1)),
    "mdsa_landing_destination": _values(("website", 7), ("app", 2), ("messenger", 1)),
    "conversion_destination": _values(("website", 7), ("app", 2), ("messenger", 1)),
    "signal_source": _values(("pixel", 6), ("conversions_api", 3), ("app_sdk", 1)),
    "signal_source_bucket": _values(("pixel", 6), ("server", 3), ("app", 1)),
    "standard_event_content_type": _values(("product", 8), ("product_group", 2)),
    "is_conversion_id_modeled": _YES_NO,
    "redownload": _YES_NO,
    "coarse_conversion_value": _values(("low", 6), ("medium", 3), ("high", 1)),
    "fidelity_type": _values(("1", 7), ("0", 3)),
    "hsid": _even("0", "1"),
    "postback_sequence_index": _values(("0", 7), ("1", 2), ("2", 1)),
    "skan_campaign_id": _even("0", "1", "2", "3", per_ad=True),
    "skan_conversion_id": _values(("0", 4), ("12", 3), ("24", 2), ("63", 1)),
    "skan_version": _values(("4.0", 8), ("3.0", 2)),
    "sot_attribution_model_type": _values(("last_touch", 7), ("data_driven", 3)),
    "sot_attribution_window": _values(("7d_click", 7), ("1d_view", 3)),
    "sot_channel": _values(("paid_social", 10),),
    "sot_event_type": _values(("purchase", 6), ("add_to_cart", 4)),
    "sot_source": _values(("meta", 7), ("third_party", 3)),
    "overlap_segment": _values(("meta_only", 7), ("overlap", 3)),
    "user_persona_id": _ids(8),
    "user_persona_name": _even("Deal seekers", "Trend followers", per_ad=True),
    # catalog products
    "product_id": _values(("1001", 5), ("1002", 3), ("1003", 2)),
    "product_group_content_id_breakdown": _values(("pg-1", 6), ("pg-2", 4)),
    "product_brand_breakdown": _values(("Acme", 6), ("Northwind", 4)),
    "product_category_breakdown": _values(("Apparel & Accessories", 7), ("Home & Garden", 3)),
    **{f"product_custom_label_{n}_breakdown": _values(("sale", 4), ("new", 3), ("core", 3))
       for n in range(5)},
}  # fmt: skip


def ad_weights(values: Values, name: str, ad_id: str) -> tuple[int, ...]:
    """Deterministic per-ad weights over a breakdown's values (one-hot for `per_ad` ones)."""
    h = int.from_bytes(hashlib.blake2b(f"{name}|{ad_id}".encode(), digest_size=16).digest())
    if values.per_ad:
        chosen = h % len(values.labels)
        return tuple(int(i == chosen) for i in range(len(values.labels)))
    return tuple(w * (50 + (h >> (7 * i)) % 101) for i, w in enumerate(values.weights))
