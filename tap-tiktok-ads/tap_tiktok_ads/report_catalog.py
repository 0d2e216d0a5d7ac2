"""TikTok's report vocabulary: levels, dimensions, metrics with their value kind and the
reports that accept them.

The tap checks configured metrics against this before its first request, so a metric the
API would refuse for a level or report type fails at start with the valid ones listed.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("advertiser", "campaign", "adgroup", "ad")
DATA_LEVELS = {level: f"AUCTION_{level.upper()}" for level in LEVELS}

INTEGER, MONEY, DECIMAL, TEXT = "integer", "money", "decimal", "text"


@dataclass(frozen=True)
class Metric:
    """One report metric: its value kind and the reports that accept it."""

    kind: str
    levels: tuple[str, ...] = LEVELS
    audience: bool = True
    hourly: bool = True


METRICS: dict[str, Metric] = {
    "spend": Metric(MONEY),
    "cash_spend": Metric(MONEY, levels=("advertiser",), audience=False),
    "voucher_spend": Metric(MONEY, levels=("advertiser",), audience=False),
    "impressions": Metric(INTEGER),
    "clicks": Metric(INTEGER),
    "ctr": Metric(DECIMAL),
    "cpc": Metric(MONEY),
    "cpm": Metric(MONEY),
    "reach": Metric(INTEGER, audience=False, hourly=False),
    "frequency": Metric(DECIMAL, audience=False, hourly=False),
    "conversion": Metric(INTEGER),
    "cost_per_conversion": Metric(MONEY),
    "conversion_rate": Metric(DECIMAL),
    "real_time_conversion": Metric(INTEGER),
    "total_purchase_value": Metric(MONEY),
    "complete_payment": Metric(INTEGER),
    "video_play_actions": Metric(INTEGER),
    "likes": Metric(INTEGER),
    "comments": Metric(INTEGER),
    "shares": Metric(INTEGER),
    "follows": Metric(INTEGER),
    "secondary_goal_result": Metric(DECIMAL),
    # Attribute metrics: properties of the row's object, not numbers.
    "campaign_name": Metric(TEXT, levels=("campaign", "adgroup", "ad")),
    "campaign_id": Metric(TEXT, levels=("adgroup", "ad")),
    "objective_type": Metric(TEXT, levels=("campaign", "adgroup", "ad")),
    "adgroup_name": Metric(TEXT, levels=("adgroup", "ad")),
    "adgroup_id": Metric(TEXT, levels=("ad",)),
    "ad_name": Metric(TEXT, levels=("ad",)),
    "ad_text": Metric(TEXT, levels=("ad",)),
    "currency": Metric(TEXT),
}

DEFAULT_METRICS = (
    "spend",
    "impressions",
    "clicks",
    "ctr",
    "cpc",
    "cpm",
    "conversion",
    "cost_per_conversion",
    "conversion_rate",
    "total_purchase_value",
)

#: Attribute metrics each level's built-in reports add, so rows name their parents.
LEVEL_ATTRIBUTES = {
    "advertiser": (),
    "campaign": ("campaign_name", "objective_type"),
    "adgroup": ("campaign_id", "campaign_name", "adgroup_name"),
    "ad": ("campaign_id", "campaign_name", "adgroup_id", "adgroup_name", "ad_name"),
}

#: DESIGN.md's breakdown names and TikTok's AUDIENCE dimension for each.
BREAKDOWN_DIMENSIONS = {
    "age": "age",
    "gender": "gender",
    "device": "platform",
    "placement": "placement",
    "country": "country_code",
}
NATIVE_AUDIENCE_DIMENSIONS = (
    "age",
    "gender",
    "platform",
    "placement",
    "country_code",
    "province_id",
    "ac",
    "language",
    "interest_category",
    "dma_id",
    "device_brand_id",
)
TIME_DIMENSIONS = ("stat_time_day", "stat_time_hour")


def metric_errors(
    metrics: list[str], *, level: str, audience: bool, hourly: bool, where: str
) -> list[str]:
    """Why each metric would be refused for this kind of report, with the valid ones."""
    valid = [
        name
        for name, metric in METRICS.items()
        if level in metric.levels
        and (metric.audience or not audience)
        and (metric.hourly or not hourly)
    ]
    bad = [name for name in metrics if name not in valid]
    if not bad:
        return []
    kind = f"{'AUDIENCE' if audience else 'BASIC'} {'hourly ' if hourly else ''}{level}-level"
    return [
        f"Setting '{where}' lists {', '.join(map(repr, bad))}, which TikTok refuses in a {kind} "
        f"report. Valid metrics there: {', '.join(valid)}."
    ]
