"""Which report streams the tap offers: the built-in `insights*` family and one
`report_<name>` stream per configured custom report."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from tap_tiktok_ads.report_catalog import (
    BASIC_BREAKDOWN_DIMENSIONS,
    BREAKDOWN_DIMENSIONS,
    DEFAULT_METRICS,
    LEVEL_ATTRIBUTES,
    LEVELS,
    METRICS,
    NATIVE_AUDIENCE_DIMENSIONS,
    TIME_DIMENSIONS,
    metric_errors,
)

REPORT_TYPES = ("BASIC", "AUDIENCE")
#: The ad level's ID dimension by ad, Upgraded Smart+ ads included (`ad_id` is by creative
#: for them: bububa/tiktok-business `model/report/dimensions.go`).
AD_ID_V2 = "ad_id_v2"


@dataclass(frozen=True)
class ReportSpec:
    """One report stream: what it asks `report/integrated/get` for."""

    name: str
    report_type: str
    level: str
    time_dimension: str
    breakdown_dimensions: tuple[str, ...]
    metrics: tuple[str, ...]
    #: Its `report_type` kind: campaign_performance, audience_insights or custom.
    kind: str = "campaign_performance"
    #: The ID dimension asked for when not the level's own; records still key on the
    #: level's id field (`key_field`).
    report_id_dimension: str | None = None

    @property
    def id_dimension(self) -> str:
        return self.report_id_dimension or self.key_field

    @property
    def key_field(self) -> str:
        return f"{self.level}_id"

    @property
    def dimensions(self) -> list[str]:
        return [self.id_dimension, self.time_dimension, *self.breakdown_dimensions]

    @property
    def setting(self) -> str:
        """The setting its metrics come from, for messages."""
        return "metrics" if self.kind != "custom" else f"custom_reports ({self.name})"

    @property
    def hourly(self) -> bool:
        return self.time_dimension == "stat_time_hour"

    @property
    def sync_only(self) -> bool:
        """Some of its metrics are served by the synchronous report only."""
        return any(name in METRICS and METRICS[name].sync_only for name in self.metrics)

    @property
    def window_days(self) -> int:
        """The date span of one request: the synchronous report's limit (30 days daily, one
        day hourly); report tasks use it too, which bounds the CSV a task holds in memory."""
        return 1 if self.hourly else 30

    @property
    def primary_keys(self) -> tuple[str, ...]:
        keys = ["advertiser_id", self.key_field, self.time_dimension, *self.breakdown_dimensions]
        return tuple(dict.fromkeys(keys))


def _level_metrics(level: str, metrics: t.Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*metrics, *LEVEL_ATTRIBUTES[level]]))


def builtin_specs(config: t.Mapping[str, t.Any]) -> list[ReportSpec]:
    """The `insights*` streams: BASIC daily and hourly per level, AUDIENCE per breakdown.

    The ad-level ones ask `ad_id_v2`, by ad for every campaign type, where `ad_id` is by
    creative for Upgraded Smart+ ads: one row per ad and day, keyed `ad_id` as before."""
    metrics = tuple(config.get("metrics") or DEFAULT_METRICS)
    specs = []
    for level in LEVELS:
        suffix = "" if level == "ad" else f"_{level}"
        id_dimension = AD_ID_V2 if level == "ad" else None
        specs.append(
            ReportSpec(
                f"insights{suffix}",
                "BASIC",
                level,
                "stat_time_day",
                (),
                _level_metrics(level, metrics),
                report_id_dimension=id_dimension,
            )
        )
        if level != "advertiser":
            specs.append(
                ReportSpec(
                    f"insights{suffix}_hourly",
                    "BASIC",
                    level,
                    "stat_time_hour",
                    (),
                    _level_metrics(level, metrics),
                    report_id_dimension=id_dimension,
                )
            )
    for breakdown in config.get("breakdowns") or BREAKDOWN_DIMENSIONS:
        dimension = BREAKDOWN_DIMENSIONS.get(breakdown, breakdown)
        specs.append(
            ReportSpec(
                f"insights_audience_{breakdown}",
                "AUDIENCE",
                "campaign",
                "stat_time_day",
                (dimension,),
                _level_metrics("campaign", metrics),
                kind="audience_insights",
            )
        )
    return specs


def custom_specs(config: t.Mapping[str, t.Any]) -> list[ReportSpec]:
    """One spec per entry of `custom_reports`."""
    specs = []
    for report in config.get("custom_reports") or []:
        dimensions = list(report.get("dimensions") or [])
        time_dimension = next((d for d in dimensions if d in TIME_DIMENSIONS), "stat_time_day")
        level = report.get("data_level", "campaign").lower().removeprefix("auction_")
        breakdowns = tuple(d for d in dimensions if d not in TIME_DIMENSIONS and d != f"{level}_id")
        specs.append(
            ReportSpec(
                f"report_{report['name']}",
                report.get("report_type", "BASIC").upper(),
                level,
                time_dimension,
                breakdowns,
                tuple(report.get("metrics") or DEFAULT_METRICS),
                kind="custom",
            )
        )
    return specs


def spec_errors(config: t.Mapping[str, t.Any]) -> list[str]:
    """Every report setting the API would refuse, found before the first request."""
    errors = []
    for breakdown in config.get("breakdowns") or []:
        if breakdown not in BREAKDOWN_DIMENSIONS and breakdown not in NATIVE_AUDIENCE_DIMENSIONS:
            errors.append(
                f"Setting 'breakdowns' lists {breakdown!r}; allowed: "
                f"{', '.join([*BREAKDOWN_DIMENSIONS, *NATIVE_AUDIENCE_DIMENSIONS])}."
            )
    names = set()
    for index, report in enumerate(config.get("custom_reports") or []):
        where = f"custom_reports[{index}]"
        name = report.get("name", "")
        if name in names:
            errors.append(f"Setting '{where}.name' repeats {name!r}; report names must differ.")
        names.add(name)
        level = str(report.get("data_level", "campaign")).lower().removeprefix("auction_")
        if level not in LEVELS:
            errors.append(f"Setting '{where}.data_level' must be one of {', '.join(LEVELS)}.")
            continue
        if str(report.get("report_type", "BASIC")).upper() not in REPORT_TYPES:
            errors.append(f"Setting '{where}.report_type' must be one of BASIC, AUDIENCE.")
            continue
        dims = report.get("dimensions") or []
        if sum(d in TIME_DIMENSIONS for d in dims) != 1:
            errors.append(
                f"Setting '{where}.dimensions' must hold exactly one of stat_time_day, "
                "stat_time_hour (reports are incremental on their date)."
            )
        report_type = str(report.get("report_type", "BASIC")).upper()
        breakdowns = (
            NATIVE_AUDIENCE_DIMENSIONS if report_type == "AUDIENCE" else BASIC_BREAKDOWN_DIMENSIONS
        )
        allowed = {f"{level}_id", *TIME_DIMENSIONS, *breakdowns}
        if unknown := [d for d in dims if d not in allowed]:
            errors.append(
                f"Setting '{where}.dimensions' lists {unknown}; allowed in a {report_type} "
                f"report at {level} level: {', '.join(sorted(allowed))}."
            )
        elif report_type == "BASIC" and len(several := [d for d in dims if d in breakdowns]) > 1:
            errors.append(
                f"Setting '{where}.dimensions' combines {', '.join(several)}; TikTok refuses "
                "that combination: a BASIC report takes one of "
                f"{', '.join(BASIC_BREAKDOWN_DIMENSIONS)} (see "
                "tap_tiktok_ads/report_dimensions.csv)."
            )
    if errors:
        return errors
    mode = str(config.get("report_mode", "auto"))
    return [error for spec in custom_specs(config) for error in report_errors(spec, mode)]


def report_errors(spec: ReportSpec, report_mode: str = "auto") -> list[str]:
    """Why TikTok would refuse this report's metrics or dimensions, with what is valid."""
    errors = []
    if spec.report_type == "AUDIENCE" and spec.hourly:
        errors.append(
            f"Report {spec.name!r}: TikTok refuses stat_time_hour in AUDIENCE reports; "
            "use stat_time_day."
        )
    if report_mode == "async" and spec.sync_only:
        sync_only = [name for name in spec.metrics if name in METRICS and METRICS[name].sync_only]
        errors.append(
            f"Report {spec.name!r}: {', '.join(sync_only)} exist only in the synchronous "
            "report; with `report_mode` async, leave them out of its metrics."
        )
    audience = spec.report_type == "AUDIENCE"
    return errors + metric_errors(
        list(spec.metrics),
        level=spec.level,
        audience=audience,
        hourly=spec.hourly,
        breakdown=bool(spec.breakdown_dimensions),
        dimension=None if audience else next(iter(spec.breakdown_dimensions), None),
        where=spec.setting,
    )
