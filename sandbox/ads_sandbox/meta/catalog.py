"""Meta's vocabulary, read at import time from the installed facebook-business SDK.

Nothing here is typed out by hand: fields, enums and value types are the SDK's own, so the
emulator accepts every name a real client can send.
"""

from __future__ import annotations

import re

from facebook_business import apiconfig
from facebook_business.adobjects.ad import Ad
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adactivity import AdActivity
from facebook_business.adobjects.adcreative import AdCreative
from facebook_business.adobjects.adimage import AdImage
from facebook_business.adobjects.adreportrun import AdReportRun
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.adsinsights import AdsInsights
from facebook_business.adobjects.advideo import AdVideo
from facebook_business.adobjects.campaign import Campaign
from facebook_business.adobjects.customaudience import CustomAudience
from facebook_business.adobjects.customconversion import CustomConversion


def enum_values(holder: type) -> frozenset[str]:
    """The string constants of one of the SDK's enum classes (e.g. AdsInsights.Breakdowns)."""
    return frozenset(
        value
        for name, value in vars(holder).items()
        if not name.startswith("_") and isinstance(value, str)
    )


SDK_VERSION: str = apiconfig.ads_api_config["API_VERSION"]  # e.g. "v26.0"
SDK_MAJOR = int(re.fullmatch(r"v(\d+)\.0", SDK_VERSION).group(1))  # type: ignore[union-attr]

INSIGHTS_FIELDS = enum_values(AdsInsights.Field)
#: Insights fields the SDK still lists that Meta stopped serving in v19: asking for one is
#: "(#100) Tried accessing nonexisting field" (MeltanoLabs tap-facebook's EXCLUDED_FIELDS).
RETIRED_INSIGHTS_FIELDS = frozenset(
    {"age_targeting", "gender_targeting", "labels", "location"}
    | {"estimated_ad_recall_rate_lower_bound", "estimated_ad_recall_rate_upper_bound"}
    | {"estimated_ad_recallers_lower_bound", "estimated_ad_recallers_upper_bound"}
)
assert RETIRED_INSIGHTS_FIELDS <= INSIGHTS_FIELDS
INSIGHTS_FIELD_TYPES: dict[str, str] = dict(AdsInsights._field_types)
BREAKDOWNS = enum_values(AdsInsights.Breakdowns)
#: Breakdowns the SDK still lists that Meta no longer serves, at every version: the day and the
#: replacement. `dma`: Meta's out-of-cycle change of 2026 ("breakdowns=dma will no longer be
#: supported; ... use breakdowns=comscore_market", GET and POST insights, effective 2026-06-22).
REMOVED_BREAKDOWNS: dict[str, tuple[str, str]] = {"dma": ("2026-06-22", "comscore_market")}
SERVED_BREAKDOWNS = BREAKDOWNS - REMOVED_BREAKDOWNS.keys()
ACTION_BREAKDOWNS = enum_values(AdsInsights.ActionBreakdowns)
ATTRIBUTION_WINDOWS = enum_values(AdsInsights.ActionAttributionWindows)
LEVELS = enum_values(AdsInsights.Level)
DATE_PRESETS = enum_values(AdsInsights.DatePreset)
ACTION_REPORT_TIMES = enum_values(AdsInsights.ActionReportTime)
OPERATORS = enum_values(AdsInsights.Operator)
REPORT_RUN_FIELDS = enum_values(AdReportRun.Field)

# Node type name (as Meta names it in errors) -> the SDK class describing it.
NODE_CLASSES: dict[str, type] = {
    "AdAccount": AdAccount,
    "Campaign": Campaign,
    "AdSet": AdSet,
    "Ad": Ad,
    "CustomAudience": CustomAudience,
    "AdCreative": AdCreative,
    "CustomConversion": CustomConversion,
    "AdImage": AdImage,
    "AdVideo": AdVideo,
    "AdActivity": AdActivity,
    "AdReportRun": AdReportRun,
}
NODE_FIELDS: dict[str, frozenset[str]] = {
    name: enum_values(cls.Field) for name, cls in NODE_CLASSES.items()
}
EFFECTIVE_STATUS: dict[str, frozenset[str]] = {
    "Campaign": enum_values(Campaign.EffectiveStatus),
    "AdSet": enum_values(AdSet.EffectiveStatus),
    "Ad": enum_values(Ad.EffectiveStatus),
}
AUDIENCE_SUBTYPES = enum_values(CustomAudience.Subtype)
OBJECTIVES = enum_values(Campaign.Objective)
OPTIMIZATION_GOALS = enum_values(AdSet.OptimizationGoal)
BILLING_EVENTS = enum_values(AdSet.BillingEvent)
CALL_TO_ACTION_TYPES = enum_values(AdCreative.CallToActionType)
ACTIVITY_EVENT_TYPES = enum_values(AdActivity.EventType)
CUSTOM_EVENT_TYPES = enum_values(CustomConversion.CustomEventType)
