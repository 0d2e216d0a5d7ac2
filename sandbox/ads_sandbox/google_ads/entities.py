"""The world's objects as Google Ads resources: one dict of field path -> value each.

Values are what the API means: ids as integers, enums by name, money in micros of the
account's currency, date-times as "yyyy-MM-dd HH:mm:ss" in the account's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ads_sandbox.google_ads import conversions
from ads_sandbox.google_ads.directory import Customer
from ads_sandbox.world import World
from ads_sandbox.world.breakdowns import BREAKDOWN_VALUES
from ads_sandbox.world.hashing import Hasher
from ads_sandbox.world.model import Account

Record = dict[str, Any]

CHANNELS = {
    "sales": "PERFORMANCE_MAX",
    "video_views": "VIDEO",
    "reach": "DISPLAY",
    "engagement": "DISPLAY",
    "app_installs": "MULTI_CHANNEL",
}
_AD_GROUP_TYPES = {
    "SEARCH": "SEARCH_STANDARD",
    "DISPLAY": "DISPLAY_STANDARD",
    "VIDEO": "VIDEO_TRUE_VIEW_IN_STREAM",
}
_BIDDING = {
    "conversions": "MAXIMIZE_CONVERSIONS",
    "sales": "MAXIMIZE_CONVERSION_VALUE",
    "traffic": "TARGET_SPEND",
    "lead_generation": "TARGET_CPA",
}
AGE_RANGES = (
    "AGE_RANGE_UNDETERMINED",
    "AGE_RANGE_18_24",
    "AGE_RANGE_25_34",
    "AGE_RANGE_35_44",
    "AGE_RANGE_45_54",
    "AGE_RANGE_55_64",
)
GENDERS = ("FEMALE", "MALE", "UNDETERMINED")
# Google's geo target constant ids of the world's countries.
GEO_TARGETS = {
    "US": 2840,
    "GB": 2826,
    "DE": 2276,
    "JP": 2392,
    "BR": 2076,
    "NZ": 2554,
    "CA": 2124,
    "AU": 2036,
}
_AGE_CRITERIA = {name: 503999 + i for i, name in enumerate(AGE_RANGES)}
_GENDER_CRITERIA = {"MALE": 10, "FEMALE": 11, "UNDETERMINED": 20}
_KEYWORDS = (
    "shoes",
    "running shoes",
    "buy sneakers",
    "trail runners",
    "sale",
    "free shipping",
    "boots",
    "sandals",
)
_MATCH_TYPES = ("EXACT", "PHRASE", "BROAD")
_USER_LIST_TYPES = {
    "customer_file": "CRM_BASED",
    "engagement": "REMARKETING",
    "lookalike": "LOOKALIKE",
    "website": "RULE_BASED",
    "app_activity": "REMARKETING",
}
LABELS = ("Brand", "Always on", "Q4 push", "Test")
_DEVICE = (("MOBILE", (0, 1)), ("TABLET", (2,)), ("DESKTOP", (3,)))
assert BREAKDOWN_VALUES["device"] == ("android", "iphone", "ipad", "desktop")


def device_weights(weights: tuple[int, ...]) -> tuple[int, ...]:
    """The world's device weights (android, iphone, ipad, desktop) as Google's devices."""
    return tuple(sum(weights[i] for i in picks) for _, picks in _DEVICE)


DEVICES = tuple(name for name, _ in _DEVICE)
NETWORKS = ("SEARCH", "CONTENT", "YOUTUBE")  # the world's placements main/network/app_bundle


def _local(epoch: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, tz).strftime("%Y-%m-%d %H:%M:%S")


def _status(deleted_by: str | None, paused_by: str | None) -> str:
    if deleted_by:
        return "REMOVED"
    return "PAUSED" if paused_by else "ENABLED"


def _micros(minor: int, account: Account) -> int:
    return minor * 10 ** (6 - account.digits)


def customer_record(customer: Customer) -> Record:
    return {
        "customer.resource_name": customer.resource_name,
        "customer.id": int(customer.id),
        "customer.descriptive_name": customer.name,
        "customer.currency_code": customer.currency,
        "customer.time_zone": customer.timezone,
        "customer.manager": customer.manager,
        "customer.status": customer.status,
        "customer.test_account": False,
        "customer.auto_tagging_enabled": True,
    }


def customer_client_record(manager: Customer, client: Customer, level: int) -> Record:
    return {
        "customer_client.resource_name": f"customers/{manager.id}/customerClients/{client.id}",
        "customer_client.client_customer": client.resource_name,
        "customer_client.id": int(client.id),
        "customer_client.level": level,
        "customer_client.manager": client.manager,
        "customer_client.status": client.status,
        "customer_client.hidden": False,
        "customer_client.descriptive_name": client.name,
        "customer_client.currency_code": client.currency,
        "customer_client.time_zone": client.timezone,
        "customer_client.test_account": False,
    }


@dataclass(slots=True)
class Keyword:
    index: int  # within its ad group
    adset: int
    criterion_id: int
    text: str
    match_type: str
    status: str
    weight: int
    terms: tuple[tuple[str, int], ...]  # search terms and their weights


@dataclass
class GoogleEntities:
    """One client account's resources."""

    account: Account
    customer: Record
    campaigns: list[Record] = field(default_factory=list)
    budgets: list[Record] = field(default_factory=list)
    ad_groups: dict[int, Record] = field(default_factory=dict)  # by world ad set index
    ads: dict[int, Record] = field(default_factory=dict)  # by world ad index
    keywords: dict[int, list[Keyword]] = field(default_factory=dict)  # by ad set index
    keyword_records: dict[tuple[int, int], Record] = field(default_factory=dict)
    pmax: set[int] = field(default_factory=set)  # campaign indexes without ad groups
    user_lists: list[Record] = field(default_factory=list)
    audiences: list[Record] = field(default_factory=list)
    labels: list[Record] = field(default_factory=list)
    conversion_actions: list[conversions.ConversionAction] = field(default_factory=list)
    #: each campaign's weights over the conversion actions, by campaign index
    action_weights: list[conversions.ActionWeights] = field(default_factory=list)


def build(world: World, customer: Customer, hasher: Hasher) -> GoogleEntities:
    account = customer.account
    assert account is not None
    tz = ZoneInfo(account.timezone)
    cid = customer.id
    tree = world.entities(account)
    out = GoogleEntities(account, customer_record(customer))
    for c in tree.campaigns:
        channel = CHANNELS.get(c.objective, "SEARCH")
        if channel == "PERFORMANCE_MAX":
            out.pmax.add(c.index)
        budget_id = int(c.id) + 1
        budget = {
            "campaign_budget.resource_name": f"customers/{cid}/campaignBudgets/{budget_id}",
            "campaign_budget.id": budget_id,
            "campaign_budget.name": f"Budget · {c.name}",
            "campaign_budget.status": "REMOVED" if c.deleted_by else "ENABLED",
            "campaign_budget.delivery_method": "STANDARD",
            "campaign_budget.explicitly_shared": False,
            "campaign_budget.period": "DAILY" if c.budget_mode == "daily" else "CUSTOM_PERIOD",
        }
        if c.budget_mode == "daily":
            budget["campaign_budget.amount_micros"] = _micros(c.budget, account)
        else:
            budget["campaign_budget.total_amount_micros"] = _micros(c.budget, account)
        out.budgets.append(budget)
        record = {
            "campaign.resource_name": f"customers/{cid}/campaigns/{c.id}",
            "campaign.id": int(c.id),
            "campaign.name": c.name,
            "campaign.status": _status(c.deleted_by, c.paused_by),
            "campaign.primary_status": (
                "REMOVED" if c.deleted_by else ("PAUSED" if c.paused_by else "ELIGIBLE")
            ),
            "campaign.serving_status": "ENDED"
            if c.deleted_by
            else ("SUSPENDED" if c.paused_by else "SERVING"),
            "campaign.advertising_channel_type": channel,
            "campaign.bidding_strategy_type": _BIDDING.get(c.objective, "MANUAL_CPC"),
            "campaign.campaign_budget": budget["campaign_budget.resource_name"],
            "campaign.start_date_time": _local(c.create_time, tz),
            "campaign.payment_mode": "CLICKS",
        }
        if c.budget_mode == "lifetime":
            record["campaign.end_date_time"] = _local(account.window_end + 90 * 86_400 - 1, tz)
        out.campaigns.append(record)
    for s in tree.adsets:
        if s.campaign_index in out.pmax:
            continue
        campaign = out.campaigns[s.campaign_index]
        channel = campaign["campaign.advertising_channel_type"]
        out.ad_groups[s.index] = {
            "ad_group.resource_name": f"customers/{cid}/adGroups/{s.id}",
            "ad_group.id": int(s.id),
            "ad_group.name": s.name,
            "ad_group.status": _status(s.deleted_by, s.paused_by),
            "ad_group.type": _AD_GROUP_TYPES.get(channel, "SEARCH_STANDARD"),
            "ad_group.campaign": campaign["campaign.resource_name"],
            "ad_group.cpc_bid_micros": _micros(s.bid_amount, account) if s.bid_amount else 10_000,
        }
        if channel != "SEARCH":
            continue
        keywords = []
        for k in range(3 + hasher.of("kw-count", cid, s.index) % 3):
            h = hasher.of("kw", cid, s.index, k)
            text = _KEYWORDS[(s.index + k * 3) % len(_KEYWORDS)]
            kw = Keyword(
                index=k,
                adset=s.index,
                criterion_id=10**11 + h % 10**11,
                text=text,
                match_type=_MATCH_TYPES[(h >> 40) % 3],
                status="ENABLED" if (h >> 44) % 9 else "PAUSED",
                weight=1 + (h >> 48) % 20,
                terms=((text, 3 + (h >> 56) % 5), (f"{text} near me", 1 + (h >> 60) % 3)),
            )
            keywords.append(kw)
            out.keyword_records[(s.index, k)] = {
                "ad_group_criterion.resource_name": (
                    f"customers/{cid}/adGroupCriteria/{s.id}~{kw.criterion_id}"
                ),
                "ad_group_criterion.criterion_id": kw.criterion_id,
                "ad_group_criterion.ad_group": out.ad_groups[s.index]["ad_group.resource_name"],
                "ad_group_criterion.type": "KEYWORD",
                "ad_group_criterion.status": kw.status,
                "ad_group_criterion.negative": False,
                "ad_group_criterion.keyword.text": kw.text,
                "ad_group_criterion.keyword.match_type": kw.match_type,
            }
        out.keywords[s.index] = keywords
    for ad in tree.ads:
        group = out.ad_groups.get(ad.adset_index)
        if group is None:
            continue
        channel = out.campaigns[ad.campaign_index]["campaign.advertising_channel_type"]
        kind = {"DISPLAY": "responsive_display_ad", "VIDEO": "video_responsive_ad"}.get(
            channel, "responsive_search_ad"
        )
        headlines = [
            {"text": ad.text},
            {"text": ad.name[:30]},
            {"text": ad.call_to_action.replace("_", " ").title()},
        ]
        descriptions = [{"text": f"{ad.text} {ad.call_to_action.lower()}"}, {"text": ad.name[:90]}]
        out.ads[ad.index] = {
            "ad_group_ad.resource_name": (
                f"customers/{cid}/adGroupAds/{group['ad_group.id']}~{ad.id}"
            ),
            "ad_group_ad.ad_group": group["ad_group.resource_name"],
            "ad_group_ad.status": _status(ad.deleted_by, ad.paused_by),
            "ad_group_ad.ad.resource_name": f"customers/{cid}/ads/{ad.id}",
            "ad_group_ad.ad.id": int(ad.id),
            "ad_group_ad.ad.name": ad.name,
            "ad_group_ad.ad.type": kind.upper(),
            "ad_group_ad.ad.final_urls": [ad.landing_page_url],
            f"ad_group_ad.ad.{kind}.headlines": headlines,
            f"ad_group_ad.ad.{kind}.descriptions": descriptions,
        }
    for a in tree.audiences:
        out.user_lists.append(
            {
                "user_list.resource_name": f"customers/{cid}/userLists/{a.id}",
                "user_list.id": int(a.id),
                "user_list.name": a.name,
                "user_list.type": _USER_LIST_TYPES[a.kind],
                "user_list.membership_status": "OPEN",
                "user_list.size_for_display": a.size,
                "user_list.size_for_search": a.size // 2,
                "user_list.membership_life_span": 30,
            }
        )
        if a.kind == "engagement":
            audience_id = int(a.id) + 7
            out.audiences.append(
                {
                    "audience.resource_name": f"customers/{cid}/audiences/{audience_id}",
                    "audience.id": audience_id,
                    "audience.name": f"Audience · {a.name}",
                    "audience.status": "ENABLED",
                    "audience.description": f"People in {a.name}",
                }
            )
    out.conversion_actions = conversions.actions(cid, account.currency, account.digits, hasher)
    out.action_weights = [
        conversions.campaign_weights(out.conversion_actions, cid, c.index, hasher)
        for c in tree.campaigns
    ]
    for i, name in enumerate(LABELS):
        label_id = 10**9 + hasher.of("label", cid, i) % 10**9
        out.labels.append(
            {
                "label.resource_name": f"customers/{cid}/labels/{label_id}",
                "label.id": label_id,
                "label.name": name,
                "label.status": "ENABLED",
            }
        )
    return out
