"""Which reports the tap has: the performance reports by day, their breakdown siblings,
and custom reports given as GAQL. Every segment a report selects is in its primary key."""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from ads_kit.errors import InvalidRequestError

from tap_google_ads.fields import property_name

DATE = "segments.date"
DEFAULT_METRICS = (
    "impressions",
    "clicks",
    "cost_micros",
    "conversions",
    "conversions_value",
    "all_conversions",
    "all_conversions_value",
    "view_through_conversions",
    "interactions",
    "ctr",
    "average_cpc",
    "average_cpm",
)
#: `campaign_conversions`: conversions per action. Google reports only conversion metrics
#: per conversion action (others are refused as PROHIBITED_SEGMENT_WITH_METRIC_...), so
#: the `metrics` setting, which takes any metric, does not apply to it.
CONVERSION_SEGMENTS = (
    "segments.conversion_action",
    "segments.conversion_action_name",
    "segments.conversion_action_category",
)
CONVERSION_METRICS = (
    "conversions",
    "conversions_value",
    "all_conversions",
    "all_conversions_value",
    "view_through_conversions",
)
BREAKDOWNS = ("device", "network", "age", "gender", "placement", "country")
DEFAULT_BREAKDOWNS = ("device", "network", "age", "gender")


@dataclass(frozen=True)
class ReportSpec:
    name: str
    resource: str
    keys: tuple[str, ...]  # identifying attributes, in the primary key
    attributes: tuple[str, ...]  # descriptive attributes
    segments: tuple[str, ...]  # in the primary key; segments.date makes it incremental
    metrics: tuple[str, ...]  # GAQL names
    kind: str  # the report_type that selects it: campaign_performance, audience_insights, custom
    setting: str  # where its metrics come from, for warnings
    conditions: tuple[str, ...] = ()  # GAQL WHERE parts of a custom query
    tail: str = ""  # ORDER BY / LIMIT / PARAMETERS of a custom query

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.keys, *self.segments, *self.attributes, *self.metrics)

    @property
    def primary_keys(self) -> tuple[str, ...]:
        return ("account_id", *(property_name(f) for f in (*self.keys, *self.segments)))

    @property
    def incremental(self) -> bool:
        return DATE in self.segments

    @property
    def limit(self) -> int | None:
        """A custom query's LIMIT, which Google applies to each query the tap sends."""
        found = _LIMIT.search(self.tail)
        return int(found[1]) if found else None


_LEVELS = {
    "campaign": (
        "campaign",
        ("campaign.id",),
        ("campaign.name", "campaign.status", "campaign.advertising_channel_type"),
    ),
    "ad_group": (
        "ad_group",
        ("ad_group.id",),
        ("ad_group.name", "ad_group.status", "campaign.id", "campaign.name"),
    ),
    "ad": (
        "ad_group_ad",
        ("ad_group.id", "ad_group_ad.ad.id"),
        ("ad_group_ad.ad.name", "ad_group_ad.status", "campaign.id"),
    ),
}
_NAMES = {
    "campaign": "campaign_performance",
    "ad_group": "ad_group_performance",
    "ad": "ad_performance",
}
_SEGMENT_BREAKDOWNS = {"device": "segments.device", "network": "segments.ad_network_type"}
_VIEWS = {
    "age": (
        "ad_group_performance_age",
        "age_range_view",
        ("ad_group.id", "ad_group_criterion.criterion_id"),
        ("ad_group_criterion.age_range.type", "campaign.id"),
    ),
    "gender": (
        "ad_group_performance_gender",
        "gender_view",
        ("ad_group.id", "ad_group_criterion.criterion_id"),
        ("ad_group_criterion.gender.type", "campaign.id"),
    ),
    "placement": (
        "ad_group_performance_placement",
        "group_placement_view",
        ("ad_group.id", "group_placement_view.placement"),
        ("group_placement_view.placement_type", "group_placement_view.display_name", "campaign.id"),
    ),
}
_OTHER = (
    (
        "keyword_performance",
        "keyword_view",
        ("ad_group.id", "ad_group_criterion.criterion_id"),
        ("ad_group_criterion.keyword.text", "ad_group_criterion.keyword.match_type", "campaign.id"),
    ),
    (
        "search_term_performance",
        "search_term_view",
        ("ad_group.id", "search_term_view.search_term"),
        ("search_term_view.status", "campaign.id"),
    ),
    (
        "geo_performance",
        "geographic_view",
        ("campaign.id", "geographic_view.country_criterion_id", "geographic_view.location_type"),
        (),
    ),
)


def _metrics(config: t.Mapping[str, t.Any]) -> tuple[str, ...]:
    return tuple(f"metrics.{m}" for m in (config.get("metrics") or DEFAULT_METRICS))


def builtin_specs(config: t.Mapping[str, t.Any]) -> list[ReportSpec]:
    metrics = _metrics(config)
    breakdowns = config.get("breakdowns") or DEFAULT_BREAKDOWNS

    def daily(name: str, resource: str, keys: tuple, attributes: tuple, kind: str, *extra: str):
        return ReportSpec(
            name, resource, keys, attributes, (DATE, *extra), metrics, kind, "metrics"
        )

    specs = []
    for level, (resource, keys, attributes) in _LEVELS.items():
        name = _NAMES[level]
        specs.append(daily(name, resource, keys, attributes, "campaign_performance"))
        specs.extend(
            daily(f"{name}_{breakdown}", resource, keys, attributes, "audience_insights", segment)
            for breakdown, segment in _SEGMENT_BREAKDOWNS.items()
            if breakdown in breakdowns
        )
    specs.extend(
        daily(name, resource, keys, attributes, "audience_insights")
        for breakdown, (name, resource, keys, attributes) in _VIEWS.items()
        if breakdown in breakdowns
    )
    specs.extend(daily(*other, "campaign_performance") for other in _OTHER)
    resource, keys, attributes = _LEVELS["campaign"]
    specs.append(
        ReportSpec(
            "campaign_conversions",
            resource,
            keys,
            attributes,
            (DATE, *CONVERSION_SEGMENTS),
            tuple(f"metrics.{m}" for m in CONVERSION_METRICS),
            "campaign_performance",
            "catalog selection of campaign_conversions",
        )
    )
    return specs


_PERIODS = ("segments.week", "segments.month", "segments.quarter", "segments.year")
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.IGNORECASE)
_QUERY = re.compile(
    r"^\s*SELECT\s+(?P<select>.+?)\s+FROM\s+(?P<resource>[a-z_]+)"
    r"(?:\s+WHERE\s+(?P<where>.+?))?"
    r"(?P<tail>\s+(?:ORDER\s+BY|LIMIT|PARAMETERS)\s.*)?\s*$",
    re.IGNORECASE | re.DOTALL,
)


def parse_custom(name: str, query: str) -> ReportSpec:
    """A custom report from its GAQL: fields split into keys (ids, segments) and metrics.

    Every selected non-metric field is in the primary key, so no rows collapse; a query
    with `segments.date` is read incrementally (its date range is the tap's)."""
    match = _QUERY.match(query)
    setting = f"custom_reports[{name}].query"
    if match is None:
        raise InvalidRequestError(f"Setting '{setting}': not a GAQL query (SELECT ... FROM).")
    select = [f.strip() for f in match["select"].split(",") if f.strip()]
    where = match["where"] or ""
    if re.search(r"\bsegments\.date\b", where) and DATE in select:
        raise InvalidRequestError(
            f"Setting '{setting}': leave the segments.date filter out; the tap reads the dates "
            "of start_date/date_range and the lookback."
        )
    periods = [f for f in select if f in _PERIODS]
    if (
        periods
        and DATE not in select
        and not re.search(r"\bsegments\.(date|week|month|quarter|year)\b", where)
    ):
        raise InvalidRequestError(
            f"Setting '{setting}': {periods[0]} needs a date range in the query's WHERE (or "
            "select segments.date, and the tap reads the dates of start_date/date_range)."
        )
    conditions = tuple(
        c.strip() for c in re.split(r"\s+AND\s+", where, flags=re.IGNORECASE) if c.strip()
    )
    segments = tuple(f for f in select if f.startswith("segments."))
    metrics = tuple(f for f in select if f.startswith("metrics."))
    keys = tuple(f for f in select if not f.startswith(("segments.", "metrics.")))
    if DATE in segments:
        segments = (DATE, *(s for s in segments if s != DATE))
    return ReportSpec(
        f"report_{name}",
        match["resource"],
        keys,
        (),
        segments,
        metrics,
        "custom",
        setting,
        conditions,
        (match["tail"] or "").strip(),
    )


def custom_specs(config: t.Mapping[str, t.Any]) -> list[ReportSpec]:
    return [parse_custom(r["name"], r["query"]) for r in config.get("custom_reports") or []]
