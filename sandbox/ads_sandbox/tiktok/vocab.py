"""TikTok's names for the world's platform-neutral values."""

from __future__ import annotations

OBJECTIVE_TYPE = {
    "traffic": "TRAFFIC",
    "conversions": "WEB_CONVERSIONS",
    "app_installs": "APP_PROMOTION",
    "reach": "REACH",
    "video_views": "VIDEO_VIEWS",
    "lead_generation": "LEAD_GENERATION",
    "sales": "PRODUCT_SALES",
    "engagement": "ENGAGEMENT",
}
OPTIMIZATION_GOAL = {
    "traffic": "CLICK",
    "conversions": "CONVERT",
    "app_installs": "INSTALL",
    "reach": "REACH",
    "video_views": "VIDEO_VIEW",
    "lead_generation": "LEAD_GENERATION",
    "sales": "VALUE",
    "engagement": "FOLLOWERS",
}
BILLING_EVENT = {"traffic": "CPC", "reach": "CPM", "video_views": "CPV"}  # others: OCPM
BUDGET_MODE = {"daily": "BUDGET_MODE_DAY", "lifetime": "BUDGET_MODE_TOTAL"}
BID_TYPE = {"auto": "BID_TYPE_NO_BID", "manual": "BID_TYPE_CUSTOM"}
AD_FORMAT = {"video": "SINGLE_VIDEO", "image": "SINGLE_IMAGE"}
TARGET_GENDER = {"all": "GENDER_UNLIMITED", "male": "GENDER_MALE", "female": "GENDER_FEMALE"}
LOCATION_IDS = {
    "US": "6252001",
    "GB": "2635167",
    "DE": "2921044",
    "JP": "1861060",
    "BR": "3469034",
    "NZ": "2186224",
    "CA": "6251999",
    "AU": "2077456",
}
AUDIENCE_TYPE = {
    "customer_file": "Customer File",
    "engagement": "Engagement",
    "lookalike": "Lookalike Audience",
    "website": "Website Traffic",
    "app_activity": "App Activity",
}

AGE = {
    "13-17": "AGE_13_17",
    "18-24": "AGE_18_24",
    "25-34": "AGE_25_34",
    "35-44": "AGE_35_44",
    "45-54": "AGE_45_54",
    "55+": "AGE_55_100",
}
GENDER = {"female": "FEMALE", "male": "MALE", "unknown": "NONE"}
PLATFORM = {"android": "ANDROID", "iphone": "IPHONE", "ipad": "IPAD", "desktop": "PC"}
PLACEMENT = {
    "main": "PLACEMENT_TIKTOK",
    "network": "PLACEMENT_PANGLE",
    "app_bundle": "PLACEMENT_GLOBAL_APP_BUNDLE",
}

# AUDIENCE report dimension -> (world breakdown, world value -> TikTok value)
AUDIENCE_DIMENSIONS: dict[str, tuple[str, dict[str, str]]] = {
    "age": ("age", AGE),
    "gender": ("gender", GENDER),
    "country_code": ("country", {c: c for c in LOCATION_IDS}),
    "platform": ("device", PLATFORM),
    "placement": ("placement", PLACEMENT),
}

# Display names used by async CSV reports when enable_report_title_translation is on.
TITLES = {
    "advertiser_id": "Advertiser ID",
    "campaign_id": "Campaign ID",
    "adgroup_id": "Ad group ID",
    "ad_id": "Ad ID",
    "stat_time_day": "By Day",
    "stat_time_hour": "By Hour",
    "age": "Age",
    "gender": "Gender",
    "country_code": "Country/Region",
    "platform": "Operating system",
    "placement": "Placement",
    "spend": "Cost",
    "cash_spend": "Cash spend",
    "voucher_spend": "Voucher spend",
    "impressions": "Impression",
    "clicks": "Clicks",
    "ctr": "CTR (%)",
    "cpc": "CPC",
    "cpm": "CPM",
    "reach": "Reach",
    "frequency": "Frequency",
    "conversion": "Conversions",
    "cost_per_conversion": "Cost per conversion",
    "conversion_rate": "CVR (%)",
    "real_time_conversion": "Real-time conversions",
    "total_purchase_value": "Total purchase value",
    "complete_payment": "Complete payment",
    "video_play_actions": "Video views",
    "likes": "Likes",
    "comments": "Comments",
    "shares": "Shares",
    "follows": "Follows",
    "secondary_goal_result": "Secondary goal result",
    "campaign_name": "Campaign name",
    "adgroup_name": "Ad group name",
    "ad_name": "Ad name",
    "ad_text": "Ad text",
    "objective_type": "Advertising objective",
    "currency": "Currency",
}
VALUE_LABELS = {
    "AGE_13_17": "13-17",
    "AGE_18_24": "18-24",
    "AGE_25_34": "25-34",
    "AGE_35_44": "35-44",
    "AGE_45_54": "45-54",
    "AGE_55_100": "55+",
    "MALE": "male",
    "FEMALE": "female",
    "NONE": "unknown",
    "ANDROID": "Android",
    "IPHONE": "iPhone",
    "IPAD": "iPad",
    "PC": "PC",
    "PLACEMENT_TIKTOK": "TikTok",
    "PLACEMENT_PANGLE": "Pangle",
    "PLACEMENT_GLOBAL_APP_BUNDLE": "Global App Bundle",
}
