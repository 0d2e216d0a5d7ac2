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

#: Regions' GeoNames ids, TikTok's `province_id`.
PROVINCE_ID = {
    "california": "5332921",
    "texas": "4736286",
    "new_york": "5128638",
    "florida": "4155751",
    "ontario": "6093943",
    "bavaria": "2951839",
    "tokyo": "1850144",
    "sao_paulo": "3448433",
}
#: Nielsen DMA codes, TikTok's `dma_id`.
DMA_ID = {
    "new_york": "501",
    "los_angeles": "803",
    "chicago": "602",
    "philadelphia": "504",
    "dallas": "623",
    "san_francisco": "807",
}
#: Interest categories: v1 ids (`interest_category`) and v2 ids (`interest_category_v2`).
INTEREST_CATEGORY = {
    "apparel": "10",
    "beauty": "15",
    "games": "22",
    "food": "17",
    "travel": "28",
    "tech": "27",
    "sports": "26",
    "home": "19",
}
INTEREST_CATEGORY_V2 = {
    "apparel": "25102",
    "beauty": "25105",
    "games": "25112",
    "food": "25107",
    "travel": "25118",
    "tech": "25117",
    "sports": "25116",
    "home": "25110",
}
#: Connection types, TikTok's `ac`.
AC = {"wifi": "WIFI", "4g": "4G", "5g": "5G", "3g": "3G", "2g": "2G"}
DEVICE_BRAND_ID = {
    "apple": "1",
    "samsung": "2",
    "xiaomi": "5",
    "huawei": "3",
    "oppo": "6",
    "google": "14",
    "other": "0",
}

# AUDIENCE report dimension -> (world breakdown, world value -> TikTok value)
AUDIENCE_DIMENSIONS: dict[str, tuple[str, dict[str, str]]] = {
    "age": ("age", AGE),
    "gender": ("gender", GENDER),
    "country_code": ("country", {c: c for c in LOCATION_IDS}),
    "platform": ("device", PLATFORM),
    "placement": ("placement", PLACEMENT),
    "province_id": ("region", PROVINCE_ID),
    "dma_id": ("dma", DMA_ID),
    "language": ("language", {code: code for code in ("en", "de", "ja", "pt", "es", "fr")}),
    "interest_category": ("interest", INTEREST_CATEGORY),
    "interest_category_v2": ("interest", INTEREST_CATEGORY_V2),
    "ac": ("connection", AC),
    "device_brand_id": ("device_brand", DEVICE_BRAND_ID),
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
