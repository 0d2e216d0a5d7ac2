"""The unified vocabularies, and each platform's documented native values in them.

Adapters only pick the fields; the tables below say what each native value means. Meta's
come from the Marketing API's enums (`effective_status`, `objective`, the Insights
breakdown values), Google Ads' from its enums (`CampaignStatus`, `AdvertisingChannelType`,
`AgeRangeType`, `GenderType`, `Device`, `AdNetworkType`), TikTok's from the Marketing API
v1.3 (`secondary_status`, `objective_type`, AUDIENCE report dimensions). The native value
is always kept beside the unified one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache

import pycountry


class Status(StrEnum):
    """The delivery state the advertiser set, not whether the object is spending right now.

    UNKNOWN means the mapper has no campaign entity to read it from (or an unmapped value).
    """

    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    DELETED = "DELETED"
    ARCHIVED = "ARCHIVED"
    PENDING = "PENDING"  # in review or being set up
    REJECTED = "REJECTED"  # disapproved, or with issues that stop delivery
    ENDED = "ENDED"  # its schedule is over
    UNKNOWN = "UNKNOWN"


class Objective(StrEnum):
    """The advertiser's campaign goal, on Meta's outcome-based names plus VIDEO_VIEWS.

    OTHER: the platform named an objective the adapter does not map. UNKNOWN: no
    objective was available at all.
    """

    AWARENESS = "AWARENESS"
    TRAFFIC = "TRAFFIC"
    ENGAGEMENT = "ENGAGEMENT"
    LEADS = "LEADS"
    APP_PROMOTION = "APP_PROMOTION"
    SALES = "SALES"
    VIDEO_VIEWS = "VIDEO_VIEWS"
    OTHER = "OTHER"
    UNKNOWN = "UNKNOWN"


class Breakdown(StrEnum):
    """The breakdowns every platform reports, by their unified names."""

    AGE = "age"
    GENDER = "gender"
    DEVICE = "device"
    PLACEMENT = "placement"
    COUNTRY = "country"


#: The unified value of a native value the table does not know, or of a missing one.
UNKNOWN = "UNKNOWN"

STATUSES: Mapping[str, Mapping[str, Status]] = {
    "meta": {
        "ACTIVE": Status.ACTIVE,
        "PAUSED": Status.PAUSED,
        "CAMPAIGN_PAUSED": Status.PAUSED,
        "ADSET_PAUSED": Status.PAUSED,
        "DELETED": Status.DELETED,
        "ARCHIVED": Status.ARCHIVED,
        "IN_PROCESS": Status.PENDING,
        "PENDING_REVIEW": Status.PENDING,
        "PENDING_BILLING_INFO": Status.PENDING,
        "PREAPPROVED": Status.PENDING,
        "DISAPPROVED": Status.REJECTED,
        "WITH_ISSUES": Status.REJECTED,
    },
    "google_ads": {
        "ENABLED": Status.ACTIVE,
        "PAUSED": Status.PAUSED,
        "REMOVED": Status.DELETED,
        # serving_status, where the adapter reads it
        "ENDED": Status.ENDED,
        "PENDING": Status.PENDING,
        "SUSPENDED": Status.REJECTED,
    },
    "tiktok": {
        "ENABLE": Status.ACTIVE,
        "DISABLE": Status.PAUSED,
        "CAMPAIGN_STATUS_ENABLE": Status.ACTIVE,
        "CAMPAIGN_STATUS_DISABLE": Status.PAUSED,
        "CAMPAIGN_STATUS_DELETE": Status.DELETED,
        "STATUS_DELETE": Status.DELETED,
    },
}

OBJECTIVES: Mapping[str, Mapping[str, Objective]] = {
    "meta": {
        "OUTCOME_AWARENESS": Objective.AWARENESS,
        "OUTCOME_TRAFFIC": Objective.TRAFFIC,
        "OUTCOME_ENGAGEMENT": Objective.ENGAGEMENT,
        "OUTCOME_LEADS": Objective.LEADS,
        "OUTCOME_APP_PROMOTION": Objective.APP_PROMOTION,
        "OUTCOME_SALES": Objective.SALES,
        # legacy objectives, still on old campaigns
        "BRAND_AWARENESS": Objective.AWARENESS,
        "REACH": Objective.AWARENESS,
        "LOCAL_AWARENESS": Objective.AWARENESS,
        "LINK_CLICKS": Objective.TRAFFIC,
        "POST_ENGAGEMENT": Objective.ENGAGEMENT,
        "PAGE_LIKES": Objective.ENGAGEMENT,
        "EVENT_RESPONSES": Objective.ENGAGEMENT,
        "MESSAGES": Objective.ENGAGEMENT,
        "VIDEO_VIEWS": Objective.VIDEO_VIEWS,
        "LEAD_GENERATION": Objective.LEADS,
        "APP_INSTALLS": Objective.APP_PROMOTION,
        "CONVERSIONS": Objective.SALES,
        "PRODUCT_CATALOG_SALES": Objective.SALES,
        "STORE_VISITS": Objective.SALES,
        "OFFER_CLAIMS": Objective.SALES,
    },
    # Google Ads has no objective field; the campaign's advertising_channel_type says most.
    "google_ads": {
        "SEARCH": Objective.TRAFFIC,
        "SMART": Objective.TRAFFIC,
        "DISPLAY": Objective.AWARENESS,
        "VIDEO": Objective.VIDEO_VIEWS,
        "DISCOVERY": Objective.ENGAGEMENT,
        "DEMAND_GEN": Objective.ENGAGEMENT,
        "MULTI_CHANNEL": Objective.APP_PROMOTION,
        "SHOPPING": Objective.SALES,
        "PERFORMANCE_MAX": Objective.SALES,
        "HOTEL": Objective.SALES,
        "TRAVEL": Objective.SALES,
        "LOCAL": Objective.TRAFFIC,
        "LOCAL_SERVICES": Objective.LEADS,
    },
    "tiktok": {
        "REACH": Objective.AWARENESS,
        "RF_REACH": Objective.AWARENESS,
        "TRAFFIC": Objective.TRAFFIC,
        "VIDEO_VIEWS": Objective.VIDEO_VIEWS,
        "ENGAGEMENT": Objective.ENGAGEMENT,
        "LEAD_GENERATION": Objective.LEADS,
        "APP_PROMOTION": Objective.APP_PROMOTION,
        "APP_INSTALL": Objective.APP_PROMOTION,
        "WEB_CONVERSIONS": Objective.SALES,
        "CONVERSIONS": Objective.SALES,
        "PRODUCT_SALES": Objective.SALES,
        "SHOP_PURCHASES": Objective.SALES,
        "CATALOG_SALES": Objective.SALES,
    },
}

#: Age ranges as "lo-hi" or "lo+"; gender MALE/FEMALE; device MOBILE/TABLET/DESKTOP/
#: CONNECTED_TV/OTHER; placement the publisher surface; country ISO 3166-1 alpha-2.
BREAKDOWN_VALUES: Mapping[tuple[str, Breakdown], Mapping[str, str]] = {
    ("meta", Breakdown.GENDER): {"male": "MALE", "female": "FEMALE", "unknown": UNKNOWN},
    ("meta", Breakdown.DEVICE): {
        # device_platform
        "mobile": "MOBILE",
        "mobile_app": "MOBILE",
        "mobile_web": "MOBILE",
        "desktop": "DESKTOP",
        # impression_device
        "iphone": "MOBILE",
        "ipod": "MOBILE",
        "android_smartphone": "MOBILE",
        "ipad": "TABLET",
        "android_tablet": "TABLET",
        "other": "OTHER",
    },
    ("meta", Breakdown.PLACEMENT): {
        "facebook": "FACEBOOK",
        "instagram": "INSTAGRAM",
        "audience_network": "AUDIENCE_NETWORK",
        "messenger": "MESSENGER",
        "threads": "THREADS",
        "whatsapp": "WHATSAPP",
        "oculus": "OTHER",
        "unknown": UNKNOWN,
    },
    ("google_ads", Breakdown.AGE): {
        "AGE_RANGE_18_24": "18-24",
        "AGE_RANGE_25_34": "25-34",
        "AGE_RANGE_35_44": "35-44",
        "AGE_RANGE_45_54": "45-54",
        "AGE_RANGE_55_64": "55-64",
        "AGE_RANGE_65_UP": "65+",
        "AGE_RANGE_UNDETERMINED": UNKNOWN,
    },
    ("google_ads", Breakdown.GENDER): {
        "MALE": "MALE",
        "FEMALE": "FEMALE",
        "UNDETERMINED": UNKNOWN,
    },
    ("google_ads", Breakdown.DEVICE): {
        "MOBILE": "MOBILE",
        "TABLET": "TABLET",
        "DESKTOP": "DESKTOP",
        "CONNECTED_TV": "CONNECTED_TV",
        "OTHER": "OTHER",
    },
    ("google_ads", Breakdown.PLACEMENT): {
        "SEARCH": "GOOGLE_SEARCH",
        "SEARCH_PARTNERS": "SEARCH_PARTNERS",
        "CONTENT": "DISPLAY",
        "YOUTUBE": "YOUTUBE",
        "YOUTUBE_SEARCH": "YOUTUBE",
        "YOUTUBE_WATCH": "YOUTUBE",
        "GOOGLE_TV": "GOOGLE_TV",
        "MIXED": "MIXED",
    },
    ("tiktok", Breakdown.AGE): {
        "AGE_13_17": "13-17",
        "AGE_18_24": "18-24",
        "AGE_25_34": "25-34",
        "AGE_35_44": "35-44",
        "AGE_45_54": "45-54",
        "AGE_55_100": "55+",
        "NONE": UNKNOWN,
    },
    ("tiktok", Breakdown.GENDER): {"MALE": "MALE", "FEMALE": "FEMALE", "NONE": UNKNOWN},
    ("tiktok", Breakdown.DEVICE): {
        "ANDROID": "MOBILE",
        "IPHONE": "MOBILE",
        "IOS": "MOBILE",
        "IPAD": "TABLET",
        "PC": "DESKTOP",
        "UNKNOWN": UNKNOWN,
    },
    ("tiktok", Breakdown.PLACEMENT): {
        "PLACEMENT_TIKTOK": "TIKTOK",
        "PLACEMENT_PANGLE": "PANGLE",
        "PLACEMENT_GLOBAL_APP_BUNDLE": "GLOBAL_APP_BUNDLE",
        "PLACEMENT_TOPBUZZ": "OTHER",
        "PLACEMENT_HELO": "OTHER",
    },
}


@lru_cache(maxsize=512)
def _google_country(criterion_id: str) -> str | None:
    """The ISO code of a Google Ads country geo target constant: its criterion id is 2000
    plus the country's ISO 3166-1 numeric code (2840 United States, 2392 Japan)."""
    if not criterion_id.isdigit() or not 2000 < int(criterion_id) < 3000:
        return None
    country = pycountry.countries.get(numeric=f"{int(criterion_id) - 2000:03d}")
    return country.alpha_2 if country else None


_META_AGE = re.compile(r"^(\d{2})-(\d{2})$|^(\d{2})\+$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def breakdown_value(platform: str, breakdown: Breakdown, native: str | None) -> str | None:
    """The unified value of a native breakdown value; None when the table does not know
    it (the caller warns and writes UNKNOWN), UNKNOWN when the platform says unknown."""
    if native is None or native == "":
        return UNKNOWN
    if breakdown is Breakdown.COUNTRY:
        if platform == "google_ads":
            return _google_country(native)
        return native.upper() if _COUNTRY.match(native) else None  # Meta, TikTok: ISO codes
    if platform == "meta" and breakdown is Breakdown.AGE:
        return native if _META_AGE.match(native) else (UNKNOWN if native == "Unknown" else None)
    return BREAKDOWN_VALUES.get((platform, breakdown), {}).get(native)
