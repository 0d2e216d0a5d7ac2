"""Which insights streams the tap offers: the built-in `insights*` family and one
`report_<name>` stream per configured custom report, checked against the SDK's catalog."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from facebook_business.adobjects.adsinsights import AdsInsights

from tap_meta_ads.breakdown_rules import combination_error
from tap_meta_ads.values import insights_kind


def _enum(holder: type) -> frozenset[str]:
    return frozenset(
        v for k, v in vars(holder).items() if not k.startswith("_") and isinstance(v, str)
    )


INSIGHTS_FIELDS = _enum(AdsInsights.Field)
BREAKDOWN_NAMES = _enum(AdsInsights.Breakdowns)
ACTION_BREAKDOWN_NAMES = _enum(AdsInsights.ActionBreakdowns)
LEVELS = ("ad", "adset", "campaign", "account")
HOUR = "hourly_stats_aggregated_by_advertiser_time_zone"
#: Breakdowns the SDK still lists that Meta refuses at every version: (since, replacement).
REMOVED_BREAKDOWNS = {"dma": ("2026-06-22", "comscore_market")}
#: Breakdowns whose rows Meta answers without off-Meta actions (pixel, app and offline
#: conversions): "Type 1" on the Breakdowns page's "Restrictions for off-Meta action metrics".
OFF_META_HIDDEN = frozenset({"region", HOUR, "hourly_stats_aggregated_by_audience_time_zone"})
assert OFF_META_HIDDEN <= BREAKDOWN_NAMES
#: "Type 2" row breakdowns: Meta does not split off-Meta web actions by them, so each row
#: carries its object's whole off-Meta conversions.
OFF_META_UNSPLIT = frozenset({"product_id"})
#: Attribution windows Meta accepts but no longer returns (since 2026-01-12, "Ads Insights
#: API Metric Availability Updates"): their per-window values are null, never zero.
UNSERVED_WINDOWS = ("7d_view", "28d_view")
#: Fields the SDK still lists that Meta stopped serving in v19 ("(#100) Tried accessing
#: nonexisting field"): never asked for, their columns stay null, with a warning at start.
RETIRED_FIELDS = frozenset(
    {"age_targeting", "gender_targeting", "labels", "location"}
    | {"estimated_ad_recall_rate_lower_bound", "estimated_ad_recall_rate_upper_bound"}
    | {"estimated_ad_recallers_lower_bound", "estimated_ad_recallers_upper_bound"}
)
assert RETIRED_FIELDS <= INSIGHTS_FIELDS
#: DESIGN.md's breakdown names, as Meta's.
BREAKDOWN_ALIASES: dict[str, tuple[str, ...]] = {
    "age": ("age",),
    "gender": ("gender",),
    "country": ("country",),
    "device": ("device_platform",),
    "placement": ("publisher_platform", "platform_position"),
}
DEFAULT_BREAKDOWNS = tuple(BREAKDOWN_ALIASES)
DEFAULT_METRICS = (
    "impressions",
    "clicks",
    "spend",
    "reach",
    "frequency",
    "ctr",
    "cpc",
    "cpm",
    "inline_link_clicks",
    "unique_clicks",
    "actions",
    "action_values",
    "conversions",
    "cost_per_action_type",
    "purchase_roas",
    "video_play_actions",
    "account_currency",
)
DEFAULT_CONVERSION_EVENTS = ("offsite_conversion.fb_pixel_purchase",)
LEVEL_FIELDS = {
    "account": ("account_id", "account_name"),
    "campaign": (
        "account_id",
        "account_name",
        "campaign_id",
        "campaign_name",
        "objective",
        "buying_type",
    ),
    "adset": (
        "account_id",
        "account_name",
        "campaign_id",
        "campaign_name",
        "adset_id",
        "adset_name",
        "objective",
        "buying_type",
        "optimization_goal",
        "attribution_setting",
    ),
    "ad": (
        "account_id",
        "account_name",
        "campaign_id",
        "campaign_name",
        "adset_id",
        "adset_name",
        "ad_id",
        "ad_name",
        "objective",
        "buying_type",
        "optimization_goal",
        "attribution_setting",
    ),
}
assert all(set(f) <= INSIGHTS_FIELDS for f in (DEFAULT_METRICS, *LEVEL_FIELDS.values()))


@dataclass(frozen=True)
class InsightsSpec:
    name: str
    level: str
    fields: tuple[str, ...]
    breakdowns: tuple[str, ...] = ()
    action_breakdowns: tuple[str, ...] = ()
    #: Its `report_type` kind: campaign_performance, audience_insights or custom.
    kind: str = "campaign_performance"
    setting: str = "metrics"

    @property
    def hourly(self) -> bool:
        return HOUR in self.breakdowns

    @property
    def without_off_meta_actions(self) -> list[str]:
        """The breakdowns for which Meta leaves off-Meta conversions out of the rows."""
        return [b for b in self.breakdowns if b in OFF_META_HIDDEN]

    @property
    def off_meta_actions_unsplit(self) -> list[str]:
        """The breakdowns by which Meta does not split off-Meta conversions."""
        return [b for b in self.breakdowns if b in OFF_META_UNSPLIT]

    @property
    def window_days(self) -> int:
        """Days per request: one for hourly (a longer range sums the same hour across days)."""
        return 1 if self.hourly else 0  # 0: the tap's insights_window_days

    @property
    def primary_keys(self) -> tuple[str, ...]:
        own = () if self.level == "account" else (f"{self.level}_id",)
        return ("account_id", *own, "date_start", *self.breakdowns)

    @property
    def numeric_fields(self) -> tuple[str, ...]:
        return tuple(f for f in self.fields if insights_kind(f) in ("number", "integer"))


def _with_level(level: str, metrics: t.Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*LEVEL_FIELDS[level], *metrics]))


def breakdown_fields(names: t.Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(b for name in names for b in BREAKDOWN_ALIASES.get(name, (name,))))


def builtin_specs(config: t.Mapping[str, t.Any]) -> list[InsightsSpec]:
    metrics = tuple(config.get("metrics") or DEFAULT_METRICS)
    actions = tuple(config.get("action_breakdowns") or ())
    specs = []
    for level in LEVELS:
        suffix = "" if level == "ad" else f"_{level}"
        fields = _with_level(level, metrics)
        specs.append(InsightsSpec(f"insights{suffix}", level, fields, (), actions))
        if level != "account":
            specs.append(InsightsSpec(f"insights{suffix}_hourly", level, fields, (HOUR,), actions))
    for name in config.get("breakdowns") or DEFAULT_BREAKDOWNS:
        specs.append(
            InsightsSpec(
                f"insights_audience_{name}",
                "campaign",
                _with_level("campaign", metrics),
                breakdown_fields([name]),
                actions,
                kind="audience_insights",
                setting="breakdowns",
            )
        )
    return specs


def custom_specs(config: t.Mapping[str, t.Any]) -> list[InsightsSpec]:
    specs = []
    for report in config.get("custom_reports") or []:
        level = report.get("level", "campaign")
        specs.append(
            InsightsSpec(
                f"report_{report['name']}",
                level,
                _with_level(
                    level, report.get("fields") or config.get("metrics") or DEFAULT_METRICS
                ),
                breakdown_fields(report.get("breakdowns") or ()),
                tuple(report.get("action_breakdowns") or config.get("action_breakdowns") or ()),
                kind="custom",
                setting=f"custom_reports ({report['name']})",
            )
        )
    return specs


def retired_field_warnings(config: t.Mapping[str, t.Any]) -> list[str]:
    """One line per setting that lists fields Meta no longer serves."""
    settings = [("metrics", config.get("metrics") or ())] + [
        (f"custom_reports[{i}].fields", report.get("fields") or ())
        for i, report in enumerate(config.get("custom_reports") or [])
    ]
    return [
        f"Setting '{where}' lists {', '.join(gone)}, which Meta stopped serving in v19 (it "
        "answers #100 'nonexisting field'): not asked for, their columns stay null. "
        "Remove them from the setting."
        for where, fields in settings
        if (gone := [f for f in fields if f in RETIRED_FIELDS])
    ]


def unserved_window_warning(windows: t.Iterable[str]) -> str | None:
    if gone := [w for w in windows if w in UNSERVED_WINDOWS]:
        return (
            f"Setting 'attribution_windows' lists {', '.join(gone)}, which Meta no longer "
            "returns (since 2026-01-12): their values by window stay null. 1d_click, 7d_click, "
            "28d_click and 1d_view remain."
        )
    return None


def _unknown(values: t.Iterable[str], allowed: frozenset[str]) -> list[str]:
    return [v for v in values if v not in allowed]


def _combination(where: str, breakdowns: t.Sequence[str], actions: t.Sequence[str]) -> list[str]:
    combined = breakdown_fields(breakdowns)
    why = combination_error(combined, actions)
    if why is None:
        return []
    asked = ", ".join(combined) + (
        f" with action breakdowns {', '.join(actions)}" if actions else ""
    )
    return [f"Setting '{where}' asks for {asked}, which Meta refuses: {why}."]


def _removed(where: str, breakdowns: t.Iterable[str]) -> list[str]:
    return [
        f"Setting '{where}' asks for the breakdown {name}, which Meta removed on {since}: "
        f"use {instead} instead."
        for name in breakdowns
        if name in REMOVED_BREAKDOWNS
        for since, instead in [REMOVED_BREAKDOWNS[name]]
    ]


def spec_errors(config: t.Mapping[str, t.Any]) -> list[str]:
    """Names Meta's SDK does not know or Meta no longer serves, and combinations Meta refuses,
    found before the first request, one line each."""
    errors = _removed("breakdowns", config.get("breakdowns") or ())
    if unknown := _unknown(config.get("metrics") or (), INSIGHTS_FIELDS):
        errors.append(
            f"Setting 'metrics' lists fields facebook-business does not know: "
            f"{', '.join(unknown)}. Any AdsInsights.Field name is allowed."
        )
    allowed_breakdowns = BREAKDOWN_NAMES | set(BREAKDOWN_ALIASES)
    if unknown := _unknown(config.get("breakdowns") or (), allowed_breakdowns):
        errors.append(
            f"Setting 'breakdowns' lists {', '.join(unknown)}; allowed: "
            f"{', '.join(BREAKDOWN_ALIASES)} or any AdsInsights.Breakdowns name."
        )
    if unknown := _unknown(config.get("action_breakdowns") or (), ACTION_BREAKDOWN_NAMES):
        errors.append(
            f"Setting 'action_breakdowns' lists {', '.join(unknown)}; allowed: "
            f"{', '.join(sorted(ACTION_BREAKDOWN_NAMES))}."
        )
    actions = tuple(config.get("action_breakdowns") or ())
    for name in config.get("breakdowns") or ():
        errors += _combination("breakdowns", [name], actions)
    names = set()
    for index, report in enumerate(config.get("custom_reports") or []):
        where = f"custom_reports[{index}]"
        if report["name"] in names:
            errors.append(f"Setting '{where}.name' repeats {report['name']!r}; names must differ.")
        names.add(report["name"])
        if unknown := _unknown(report.get("fields") or (), INSIGHTS_FIELDS):
            errors.append(f"Setting '{where}.fields' lists unknown fields: {', '.join(unknown)}.")
        if unknown := _unknown(report.get("breakdowns") or (), allowed_breakdowns):
            errors.append(
                f"Setting '{where}.breakdowns' lists unknown breakdowns: {', '.join(unknown)}."
            )
        if unknown := _unknown(report.get("action_breakdowns") or (), ACTION_BREAKDOWN_NAMES):
            errors.append(
                f"Setting '{where}.action_breakdowns' lists unknown ones: {', '.join(unknown)}."
            )
        errors += _removed(f"{where}.breakdowns", report.get("breakdowns") or ())
        report_actions = tuple(report.get("action_breakdowns") or actions)
        errors += _combination(where, report.get("breakdowns") or (), report_actions)
    return errors
