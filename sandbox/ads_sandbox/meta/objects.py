"""Graph API nodes of the world's objects: ad accounts, campaigns, ad sets, ads, audiences,
creatives, custom conversions, images, videos and the change history.

Each builder returns every field the emulator models; `fields=` projects them (fields the SDK
knows but the world does not model are left out, as Meta leaves out empty fields).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ads_sandbox.meta import catalog
from ads_sandbox.meta.timefmt import graph_time
from ads_sandbox.world import World
from ads_sandbox.world.entities import AccountEntities
from ads_sandbox.world.model import Account, Ad, AdSet, Audience, Campaign, Touch

OBJECTIVE = {
    "conversions": "OUTCOME_SALES",
    "sales": "OUTCOME_SALES",
    "traffic": "OUTCOME_TRAFFIC",
    "app_installs": "OUTCOME_APP_PROMOTION",
    "reach": "OUTCOME_AWARENESS",
    "video_views": "OUTCOME_ENGAGEMENT",
    "engagement": "OUTCOME_ENGAGEMENT",
    "lead_generation": "OUTCOME_LEADS",
}
OPTIMIZATION_GOAL = {
    "conversions": "OFFSITE_CONVERSIONS",
    "sales": "OFFSITE_CONVERSIONS",
    "traffic": "LINK_CLICKS",
    "app_installs": "APP_INSTALLS",
    "reach": "REACH",
    "video_views": "THRUPLAY",
    "engagement": "POST_ENGAGEMENT",
    "lead_generation": "LEAD_GENERATION",
}
AUDIENCE_SUBTYPE = {
    "customer_file": "CUSTOM",
    "engagement": "ENGAGEMENT",
    "lookalike": "LOOKALIKE",
    "website": "WEBSITE",
    "app_activity": "APP",
}
AGE_RANGES = {"13-17": (13, 17), "18-24": (18, 24), "25-34": (25, 34), "35-44": (35, 44),
              "45-54": (45, 54), "55+": (55, 65)}  # fmt: skip
GENDERS = {"all": [1, 2], "male": [1], "female": [2]}
PLACEMENT_PLATFORMS = {"main": "facebook", "network": "audience_network", "app_bundle": "instagram"}
ATTRIBUTION_SPEC = [
    {"event_type": "CLICK_THROUGH", "window_days": 7},
    {"event_type": "VIEW_THROUGH", "window_days": 1},
]
CUSTOM_CONVERSIONS = (
    ("Purchase over 50", "PURCHASE", '{"and":[{"event":{"eq":"Purchase"}},{"value":{"gt":50}}]}'),
    ("Newsletter signup", "COMPLETE_REGISTRATION", '{"url":{"i_contains":"/thanks"}}'),
    ("Lead form sent", "LEAD", '{"url":{"i_contains":"/lead/done"}}'),
)
for _known, _values in (
    (catalog.OBJECTIVES, OBJECTIVE.values()),
    (catalog.OPTIMIZATION_GOALS, OPTIMIZATION_GOAL.values()),
    (catalog.AUDIENCE_SUBTYPES, AUDIENCE_SUBTYPE.values()),
    (catalog.CUSTOM_EVENT_TYPES, [c[1] for c in CUSTOM_CONVERSIONS]),
):
    assert set(_values) <= _known, set(_values) - _known

Node = dict[str, Any]


def bare(account: Account) -> str:
    """The account id without `act_`, as in `account_id` fields and usage headers."""
    return account.id.removeprefix("act_")


def derived_id(*parts: object) -> str:
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return f"120{int.from_bytes(digest, 'big') % 10**15:015d}"


def _archived(object_id: str) -> bool:
    """A deleted object is ARCHIVED rather than DELETED for a third of the ids."""
    return int(object_id[-4:]) % 3 == 0


def own_status(obj: Campaign | AdSet | Ad) -> str:
    if obj.deleted_by == "self":
        return "ARCHIVED" if _archived(obj.id) else "DELETED"
    return "PAUSED" if obj.paused_by == "self" else "ACTIVE"


@dataclass(frozen=True, slots=True)
class View:
    """One account's objects at one revision."""

    account: Account
    tree: AccountEntities
    touches: dict[str, Touch]

    def time(self, epoch: int) -> str:
        return graph_time(epoch, self.account.timezone)

    def updated(self, obj: Campaign | AdSet | Ad | Audience) -> int:
        touch = self.touches.get(obj.id)
        return max(obj.modify_time, touch.time) if touch else obj.modify_time

    def name(self, obj: Campaign | AdSet | Ad) -> str:
        touch = self.touches.get(obj.id)
        return obj.name if touch is None else f"{obj.name} (v{touch.count + 1})"

    def money(self, minor: int) -> str:
        return str(minor)

    def effective_status(self, obj: Campaign | AdSet | Ad) -> str:
        tree = self.tree
        if isinstance(obj, Campaign):
            return own_status(obj)
        camp = tree.campaigns[obj.campaign_index]
        parent: Campaign | AdSet = camp
        if isinstance(obj, Ad):
            parent = tree.adsets[obj.adset_index]
        if obj.deleted_by == "self":
            return own_status(obj)
        if obj.deleted_by:
            return own_status(camp) if obj.deleted_by == "campaign" else own_status(parent)
        if obj.paused_by == "campaign":
            return "CAMPAIGN_PAUSED"
        if obj.paused_by == "adset":
            return "ADSET_PAUSED"
        return own_status(obj)


def account_node(world: World, account: Account) -> Node:
    tz = ZoneInfo(account.timezone)
    offset = datetime.now(tz).utcoffset()
    spent = sum(world.facts(account).columns["spend"])
    return {
        "id": account.id,
        "account_id": bare(account),
        "name": account.name,
        "currency": account.currency,
        "timezone_name": account.timezone,
        "timezone_offset_hours_utc": offset.total_seconds() / 3600 if offset else 0.0,
        "account_status": 1,
        "disable_reason": 0,
        "amount_spent": str(spent),
        "balance": "0",
        "spend_cap": "0",
        "min_daily_budget": 100 * 10 ** (2 - account.digits) if account.digits < 2 else 100,
        "created_time": graph_time(account.create_time, account.timezone),
        "age": round((account.window_end - account.create_time) / 86_400, 6),
        "is_personal": 0,
        "business_name": account.company,
        "business": {"id": derived_id("business", account.id), "name": account.company},
        "attribution_spec": ATTRIBUTION_SPEC,
    }


def _budget(node: Node, mode: str, minor: int) -> None:
    node["daily_budget" if mode == "daily" else "lifetime_budget"] = str(minor)
    node["budget_remaining"] = str(minor // 3)


def campaign_node(view: View, c: Campaign) -> Node:
    account = view.account
    node: Node = {
        "id": c.id,
        "account_id": bare(account),
        "name": view.name(c),
        "objective": OBJECTIVE[c.objective],
        "status": own_status(c),
        "configured_status": own_status(c),
        "effective_status": view.effective_status(c),
        "buying_type": "AUCTION",
        "bid_strategy": "LOWEST_COST_WITHOUT_CAP",
        "special_ad_categories": [],
        "start_time": view.time(c.create_time),
        "created_time": view.time(c.create_time),
        "updated_time": view.time(view.updated(c)),
        "pacing_type": ["standard"],
        "primary_attribution": "7d_click_1d_view",
    }
    _budget(node, c.budget_mode, c.budget)
    return node


def adset_node(view: View, s: AdSet) -> Node:
    account = view.account
    camp = view.tree.campaigns[s.campaign_index]
    ages = [AGE_RANGES[a] for a in s.age_groups]
    targeting: Node = {
        "age_min": min(a for a, _ in ages),
        "age_max": max(b for _, b in ages),
        "genders": GENDERS[s.gender],
        "geo_locations": {"countries": list(s.countries), "location_types": ["home", "recent"]},
        "publisher_platforms": sorted({PLACEMENT_PLATFORMS[p] for p in s.placements}),
    }
    if s.audience_ids:
        targeting["custom_audiences"] = [
            {"id": a.id, "name": a.name} for a in view.tree.audiences if a.id in s.audience_ids
        ]
    if s.automatic_placement:
        targeting["targeting_automation"] = {"advantage_audience": 1}
    node: Node = {
        "id": s.id,
        "account_id": bare(account),
        "campaign_id": camp.id,
        "campaign": {"id": camp.id},
        "name": view.name(s),
        "status": own_status(s),
        "configured_status": own_status(s),
        "effective_status": view.effective_status(s),
        "optimization_goal": OPTIMIZATION_GOAL[camp.objective],
        "billing_event": "IMPRESSIONS",
        "bid_strategy": "LOWEST_COST_WITH_BID_CAP"
        if s.bid_strategy == "manual"
        else "LOWEST_COST_WITHOUT_CAP",
        "targeting": targeting,
        "attribution_spec": ATTRIBUTION_SPEC,
        "destination_type": "WEBSITE",
        "start_time": view.time(s.create_time),
        "end_time": view.time(s.schedule_end),
        "created_time": view.time(s.create_time),
        "updated_time": view.time(view.updated(s)),
        "promoted_object": {
            "pixel_id": derived_id("pixel", account.id),
            "custom_event_type": "PURCHASE",
        },
        "learning_stage_info": {"status": "SUCCESS"},
    }
    if s.bid_strategy == "manual":
        node["bid_amount"] = s.bid_amount
    _budget(node, s.budget_mode, s.budget)
    return node


def creative_id(ad: Ad) -> str:
    return derived_id("creative", ad.id)


def image_hash(ad: Ad) -> str:
    return hashlib.md5(ad.creative_id.encode(), usedforsecurity=False).hexdigest()


def video_id(ad: Ad) -> str:
    return derived_id("video", ad.creative_id)


def ad_node(view: View, ad: Ad) -> Node:
    account = view.account
    return {
        "id": ad.id,
        "account_id": bare(account),
        "campaign_id": view.tree.campaigns[ad.campaign_index].id,
        "adset_id": view.tree.adsets[ad.adset_index].id,
        "name": view.name(ad),
        "status": own_status(ad),
        "configured_status": own_status(ad),
        "effective_status": view.effective_status(ad),
        "creative": {"id": creative_id(ad)},
        "tracking_specs": [
            {"action.type": ["offsite_conversion"], "fb_pixel": [derived_id("pixel", account.id)]}
        ],
        "conversion_specs": [
            {
                "action.type": ["offsite_conversion"],
                "conversion_id": [derived_id("pixel", account.id)],
            }
        ],
        "created_time": view.time(ad.create_time),
        "updated_time": view.time(view.updated(ad)),
        "adlabels": [],
    }


def page_id(account: Account) -> str:
    return derived_id("page", account.id)


def creative_node(view: View, ad: Ad) -> Node:
    account = view.account
    cta = {"type": ad.call_to_action, "value": {"link": ad.landing_page_url}}
    title = view.tree.campaigns[ad.campaign_index].name.split(" · ")[0]
    thumb = f"https://scontent.example.com/v/t45/{creative_id(ad)}_thumb.jpg"
    node: Node = {
        "id": creative_id(ad),
        "account_id": bare(account),
        "name": f"Creative for {ad.name}",
        "title": title,
        "body": ad.text,
        "status": "DELETED" if ad.deleted_by == "self" else "ACTIVE",
        "call_to_action_type": ad.call_to_action,
        "thumbnail_url": thumb,
        "url_tags": "utm_source=meta&utm_medium=paid",
        "link_url": ad.landing_page_url,
        "effective_object_story_id": f"{page_id(account)}_{derived_id('post', ad.id)}",
        "object_story_id": f"{page_id(account)}_{derived_id('post', ad.id)}",
    }
    if ad.format == "video":
        node["object_type"] = "VIDEO"
        node["video_id"] = video_id(ad)
        node["image_url"] = thumb
        node["object_story_spec"] = {
            "page_id": page_id(account),
            "video_data": {"video_id": video_id(ad), "message": ad.text, "title": title,
                           "call_to_action": cta, "image_url": thumb},
        }  # fmt: skip
    else:
        node["object_type"] = "SHARE"
        node["image_hash"] = image_hash(ad)
        node["image_url"] = f"https://scontent.example.com/v/t45/{image_hash(ad)}.jpg"
        node["object_story_spec"] = {
            "page_id": page_id(account),
            "link_data": {"message": ad.text, "link": ad.landing_page_url, "name": title,
                          "image_hash": image_hash(ad), "call_to_action": cta},
        }  # fmt: skip
    if ad.index % 3 == 0:
        node["asset_feed_spec"] = {
            "bodies": [{"text": ad.text}],
            "titles": [{"text": title}],
            "link_urls": [{"website_url": ad.landing_page_url}],
            "call_to_action_types": [ad.call_to_action],
            "ad_formats": ["SINGLE_VIDEO" if ad.format == "video" else "SINGLE_IMAGE"],
        }
    return node


def audience_node(view: View, a: Audience) -> Node:
    account = view.account
    node: Node = {
        "id": a.id,
        "account_id": bare(account),
        "name": a.name,
        "description": f"{a.name} ({a.kind.replace('_', ' ')})",
        "subtype": AUDIENCE_SUBTYPE[a.kind],
        "approximate_count_lower_bound": a.size * 9 // 10,
        "approximate_count_upper_bound": a.size * 11 // 10,
        "delivery_status": {"code": 200, "description": "This audience is ready for use."},
        "operation_status": {"code": 200, "description": "Normal"},
        "time_created": a.create_time,
        "time_updated": a.modify_time,
        "time_content_updated": a.modify_time,
        "retention_days": 0 if a.kind in ("customer_file", "lookalike") else 30,
        "is_value_based": False,
        "sharing_status": {"sharing_relationship_id": 0, "status": "NOT_SHARED"},
        "permission_for_actions": {
            "can_edit": True,
            "can_see_insight": "True",
            "can_share": "True",
        },
    }
    if a.kind == "lookalike":
        source = next((x for x in view.tree.audiences if x.id == a.source_audience_id), None)
        node["lookalike_spec"] = {
            "country": account.profile.country,
            "ratio": round(0.01 * (1 + a.index % 5), 2),
            "starting_ratio": 0,
            "type": "custom_ratio",
            "origin": [{"id": source.id, "name": source.name, "type": "custom_audience"}]
            if source
            else [],
        }
    elif a.kind == "customer_file":
        node["customer_file_source"] = "USER_PROVIDED_ONLY"
        node["data_source"] = {
            "type": "FILE_IMPORTED",
            "sub_type": "HASHES",
            "creation_params": "[]",
        }
    else:
        kind = {"engagement": "ENGAGEMENT", "website": "PIXEL", "app_activity": "APP"}[a.kind]
        node["data_source"] = {"type": "EVENT_BASED", "sub_type": kind, "creation_params": "[]"}
        node["rule"] = '{"inclusions":{"operator":"or","rules":[{"retention_seconds":2592000}]}}'
        if a.kind == "website":
            node["pixel_id"] = derived_id("pixel", account.id)
    return node


def custom_conversion_nodes(view: View) -> list[Node]:
    account = view.account
    nodes = []
    for i, (name, event, rule) in enumerate(CUSTOM_CONVERSIONS):
        created = account.window_start - (40 + 17 * i) * 86_400
        nodes.append(
            {
                "id": derived_id("custom_conversion", account.id, i),
                "account_id": bare(account),
                "name": name,
                "custom_event_type": event,
                "rule": rule,
                "event_source_type": "pixel",
                "pixel": {"id": derived_id("pixel", account.id)},
                "creation_time": view.time(created),
                "first_fired_time": view.time(created + 3600),
                "last_fired_time": view.time(account.window_end - 3600),
                "is_archived": False,
                "is_unavailable": False,
                "default_conversion_value": 0,
                "retention_days": 0,
            }
        )
    return nodes


def image_nodes(view: View) -> list[Node]:
    account = view.account
    return [
        {
            "id": f"{bare(account)}:{image_hash(ad)}",
            "account_id": bare(account),
            "hash": image_hash(ad),
            "name": f"{ad.creative_id.removeprefix('ad-image/')}.jpg",
            "url": f"https://scontent.example.com/v/t45/{image_hash(ad)}.jpg",
            "permalink_url": f"https://www.facebook.com/ads/image/?d={image_hash(ad)}",
            "width": 1080,
            "height": 1080 if ad.index % 2 else 1350,
            "original_width": 1080,
            "original_height": 1080 if ad.index % 2 else 1350,
            "status": "ACTIVE",
            "created_time": view.time(ad.create_time),
            "updated_time": view.time(view.updated(ad)),
        }
        for ad in view.tree.ads
        if ad.format == "image"
    ]


def video_nodes(view: View) -> list[Node]:
    account = view.account
    return [
        {
            "id": video_id(ad),
            "title": f"Video {ad.index + 1}",
            "description": ad.text,
            "length": 6 + (ad.index * 7) % 54 + 0.5,
            "source": f"https://video.example.com/v/t42/{video_id(ad)}.mp4",
            "picture": f"https://scontent.example.com/v/t15/{video_id(ad)}.jpg",
            "permalink_url": f"/{page_id(account)}/videos/{video_id(ad)}/",
            "status": {"video_status": "ready"},
            "created_time": view.time(ad.create_time),
            "updated_time": view.time(view.updated(ad)),
            "published": False,
        }
        for ad in view.tree.ads
        if ad.format == "video"
    ]


def activity_nodes(view: View) -> list[Node]:
    """The account's change history, newest first, with `event_time` for filtering."""
    account = view.account
    events: list[tuple[int, str, str, str, str]] = []
    for kinds, objects in (
        (("create_campaign_group", "update_campaign_name", "CAMPAIGN_GROUP"), view.tree.campaigns),
        (("create_ad_set", "update_ad_set_name", "CAMPAIGN"), view.tree.adsets),
        (("create_ad", "update_ad_friendly_name", "ADGROUP"), view.tree.ads),
    ):
        create, update, object_type = kinds
        for obj in objects:
            events.append((obj.create_time, create, obj.id, obj.name, object_type))
            touch = view.touches.get(obj.id)
            if touch is not None:
                events.append((touch.time, update, obj.id, view.name(obj), object_type))
    events.sort(key=lambda e: (e[0], e[2], e[1]), reverse=True)
    actor = derived_id("user", account.id)
    return [
        {
            "event_time": view.time(when),
            "event_type": event_type,
            "translated_event_type": event_type.replace("_", " "),
            "object_id": object_id,
            "object_name": name,
            "object_type": object_type,
            "actor_id": actor,
            "actor_name": "Sandbox Marketer",
            "application_id": "119211728144504",
            "application_name": "Ads Manager",
            "date_time_in_timezone": datetime.fromtimestamp(
                when, ZoneInfo(account.timezone)
            ).strftime("%m/%d/%Y at %-I:%M %p"),
            "extra_data": "{}",
            "_epoch": when,
        }
        for when, event_type, object_id, name, object_type in events
    ]


for _event in ("create_campaign_group", "update_campaign_name", "create_ad_set",
               "update_ad_set_name", "create_ad", "update_ad_friendly_name"):  # fmt: skip
    assert _event in catalog.ACTIVITY_EVENT_TYPES, _event

EDGES: dict[str, tuple[str, Callable[[View], list[Node]]]] = {
    "campaigns": ("Campaign", lambda v: [campaign_node(v, c) for c in v.tree.campaigns]),
    "adsets": ("AdSet", lambda v: [adset_node(v, s) for s in v.tree.adsets]),
    "ads": ("Ad", lambda v: [ad_node(v, a) for a in v.tree.ads]),
    "customaudiences": (
        "CustomAudience",
        lambda v: [audience_node(v, a) for a in v.tree.audiences],
    ),
    "adcreatives": ("AdCreative", lambda v: [creative_node(v, a) for a in v.tree.ads]),
    "customconversions": ("CustomConversion", custom_conversion_nodes),
    "adimages": ("AdImage", image_nodes),
    "advideos": ("AdVideo", video_nodes),
    "activities": ("AdActivity", activity_nodes),
}
STATUS_EDGES = {"campaigns": "Campaign", "adsets": "AdSet", "ads": "Ad"}
DEFAULT_FIELDS = {"AdActivity": ("event_time", "event_type")}
