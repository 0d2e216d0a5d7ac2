"""`smart_plus/campaign/get/`, `smart_plus/adgroup/get/`, `smart_plus/ad/get/`: the
Upgraded Smart+ listings, in the shapes of the official SDK's `yml_files/smart_plus_*_get.yml`
(their `response_rule`s name the fields; `page_size` up to 1,000, which bububa/tiktok-business
documents for all three although the SDK's ad listing says 100: the wider limit is served)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from ads_sandbox.tiktok.entities import (
    ADGROUPS,
    ADS,
    CAMPAIGNS,
    _adgroup,
    _campaign,
    _View,
    ad_secondary,
    edited_text,
    list_entities,
    operation_status,
)
from ads_sandbox.tiktok.timefmt import utc_text
from ads_sandbox.tiktok.vocab import AD_FORMAT
from ads_sandbox.world.model import Ad, AdSet, Campaign

CAMPAIGN_FIELDS = (
    "advertiser_id",  # not in the SDK's rule; served, as every other listing has it
    "app_id",
    "app_promotion_type",
    "bid_align_type",
    "budget",
    "budget_mode",
    "budget_optimize_on",
    "campaign_app_profile_page_state",
    "campaign_id",
    "campaign_name",
    "campaign_type",
    "catalog_enabled",
    "catalog_type",
    "create_time",
    "disable_skan_campaign",
    "is_advanced_dedicated_campaign",
    "is_promotional_campaign",
    "modify_time",
    "objective_type",
    "operation_status",
    "po_number",
    "postback_window_mode",
    "sales_destination",
    "secondary_status",
    "smart_plus_adgroup_mode",
    "special_industries",
)
ADGROUP_FIELDS = (
    "actions",
    "adgroup_id",
    "adgroup_name",
    "advertiser_id",
    "app_id",
    "attribution_event_count",
    "bid_price",
    "bid_type",
    "billing_event",
    "budget",
    "budget_mode",
    "campaign_id",
    "campaign_name",
    "catalog_authorized_bc_id",
    "catalog_id",
    "click_attribution_window",
    "comment_disabled",
    "conversion_bid_price",
    "create_time",
    "custom_conversion_id",
    "dayparting",
    "deep_bid_type",
    "deep_cpabid",
    "deep_funnel_event_source",
    "deep_funnel_event_source_id",
    "deep_funnel_optimization_event",
    "deep_funnel_toggle",
    "engaged_view_attribution_window",
    "identity_authorized_bc_id",
    "identity_id",
    "identity_type",
    "incentive_offer_type",
    "message_event_set_id",
    "messaging_app_account_id",
    "messaging_app_type",
    "min_budget",
    "modify_time",
    "movie_premiere_date",
    "operation_status",
    "optimization_event",
    "optimization_goal",
    "pacing",
    "phone_info",
    "pixel_id",
    "placement_type",
    "placements",
    "product_set_id",
    "product_source",
    "promotion_target_type",
    "promotion_type",
    "promotion_website_type",
    "roas_bid",
    "schedule_end_time",
    "schedule_start_time",
    "schedule_type",
    "scheduled_budget",
    "search_result_enabled",
    "secondary_optimization_event",
    "secondary_status",
    "share_disabled",
    "skip_learning_phase",
    "suggestion_audience_enabled",
    "targeting_optimization_mode",
    "targeting_spec",
    "vbo_window",
    "video_download_disabled",
    "view_attribution_window",
    "zalo_id_type",
)
AD_FIELDS = (
    "ad_configuration",
    "ad_name",
    "ad_text_list",
    "adgroup_id",
    "adgroup_name",
    "advertiser_id",
    "auto_message_list",
    "call_to_action_list",
    "campaign_id",
    "campaign_name",
    "create_time",
    "creative_list",
    "deeplink_list",
    "interactive_add_on_list",
    "landing_page_url_list",
    "modify_time",
    "operation_status",
    "page_list",
    "secondary_status",
    "smart_plus_ad_id",
)


def _campaign_row(v: _View, c: Campaign) -> dict[str, Any]:
    row = _campaign(v, c)
    return {name: row.get(name) for name in CAMPAIGN_FIELDS}


def _adgroup_row(v: _View, s: AdSet) -> dict[str, Any]:
    row = _adgroup(v, s)
    row["targeting_optimization_mode"] = "AUTOMATIC"
    row["targeting_spec"] = {
        "age_groups": row.pop("age_groups"),
        "gender": row.pop("gender"),
        "location_ids": row.pop("location_ids"),
        "audience_ids": row.pop("audience_ids"),
    }
    return {name: row.get(name) for name in ADGROUP_FIELDS}


def _ad_row(v: _View, a: Ad) -> dict[str, Any]:
    adset = v.tree.adsets[a.adset_index]
    camp = v.tree.campaigns[a.campaign_index]
    creatives = [
        {
            "ad_material_id": creative.id,
            "material_operation_status": "ENABLE",
            "creative_info": {
                "ad_format": AD_FORMAT[creative.format],
                "material_name": f"{a.name} #{number}",
                "identity_type": "CUSTOMIZED_USER",
                "identity_id": None,
                "video_info": {"video_id": f"v{creative.id}", "file_name": f"{creative.id}.mp4"}
                if creative.format == "video"
                else None,
                "image_info": [{"web_uri": f"ad-site-i18n-sg/{creative.id}"}],
            },
        }
        for number, creative in enumerate(v.smart.creatives.get(a.index, ()), 1)
    ]
    return {
        "advertiser_id": v.account.id,
        "campaign_id": camp.id,
        "campaign_name": camp.name,
        "adgroup_id": adset.id,
        "adgroup_name": adset.name,
        "smart_plus_ad_id": a.id,
        "ad_name": a.name,
        "ad_text_list": [{"ad_text": edited_text(a.text, v.touches.get(a.id))}],
        "call_to_action_list": [{"call_to_action": a.call_to_action}],
        "landing_page_url_list": [{"landing_page_url": a.landing_page_url}],
        "creative_list": creatives,
        "ad_configuration": {"identity_type": "CUSTOMIZED_USER", "identity_id": None},
        "deeplink_list": [],
        "page_list": [],
        "auto_message_list": [],
        "interactive_add_on_list": [],
        "operation_status": operation_status(a),
        "secondary_status": ad_secondary(a),
        "create_time": utc_text(a.create_time),
        "modify_time": v.modified(a),
    }


SMART_CAMPAIGNS = replace(
    CAMPAIGNS, smart_plus=True, serialize=_campaign_row, fields=CAMPAIGN_FIELDS
)
SMART_ADGROUPS = replace(ADGROUPS, smart_plus=True, serialize=_adgroup_row, fields=ADGROUP_FIELDS)
SMART_ADS = replace(
    ADS,
    smart_plus=True,
    serialize=_ad_row,
    fields=AD_FIELDS,
    id_filters=("campaign_ids", "adgroup_ids", "smart_plus_ad_ids"),
    name_filter=None,
)


campaign_get = partial(list_entities, kind=SMART_CAMPAIGNS)
adgroup_get = partial(list_entities, kind=SMART_ADGROUPS)
ad_get = partial(list_entities, kind=SMART_ADS)
