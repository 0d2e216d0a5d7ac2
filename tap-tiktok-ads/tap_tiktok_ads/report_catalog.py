"""TikTok's report vocabulary: levels, dimensions (the BASIC ones in `report_dimensions.csv`),
and the metrics of `report_metrics.csv` (TikTok's whole BASIC and AUDIENCE catalog, with its
source) with their value kind and the reports that accept them.

The tap checks configured metrics against this before its first request, so a metric the
API would refuse for a level or report type fails at start with the valid ones listed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

LEVELS = ("advertiser", "campaign", "adgroup", "ad")
DATA_LEVELS = {level: f"AUCTION_{level.upper()}" for level in LEVELS}

INTEGER, MONEY, DECIMAL, PERCENT, TEXT = "integer", "money", "decimal", "percent", "text"
KINDS = (INTEGER, MONEY, DECIMAL, PERCENT, TEXT)
CATALOG_FILE = Path(__file__).with_name("report_metrics.csv")
DIMENSIONS_FILE = Path(__file__).with_name("report_dimensions.csv")


@dataclass(frozen=True)
class Metric:
    """One report metric: its value kind and the reports that accept it."""

    kind: str
    group: str = "core"
    name: str = ""
    levels: tuple[str, ...] = LEVELS
    basic: bool = True
    audience: bool = True
    hourly: bool = True
    #: Only the synchronous report serves it (not report tasks).
    sync_only: bool = False
    #: Only with one ID dimension and, optionally, stat_time_day.
    no_breakdown: bool = False
    #: Only with the image_id dimension (carousel images).
    image_id_only: bool = False

    def valid_in(
        self,
        *,
        level: str,
        audience: bool,
        hourly: bool,
        breakdown: bool,
        dimension: str | None = None,
    ) -> bool:
        """Whether TikTok takes it in such a report; `dimension`: a BASIC report's breakdown."""
        return (
            level in self.levels
            and (self.audience if audience else self.basic)
            and (self.hourly or not hourly)
            and not (self.no_breakdown and (breakdown or hourly))
            and (not self.image_id_only or dimension == "image_id")
            and (dimension is None or BASIC_DIMENSIONS[dimension].takes(self))
        )


def _load(path: Path) -> dict[str, Metric]:
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    metrics = {}
    for row in csv.DictReader(lines):
        reports = set(row["reports"].split())
        if row["kind"] not in KINDS:
            raise ValueError(f"{path.name}: {row['metric']} has an unknown kind {row['kind']!r}")
        metrics[row["metric"]] = Metric(
            kind=row["kind"],
            group=row["group"],
            levels=tuple(row["levels"].split()),
            basic="BASIC" in reports,
            audience="AUDIENCE" in reports,
            hourly="HOURLY" in reports,
            sync_only="SYNC_ONLY" in reports,
            no_breakdown="NO_BREAKDOWN" in reports,
            image_id_only="IMAGE_ID_ONLY" in reports,
            name=row["metric"],
        )
    return metrics


@dataclass(frozen=True)
class BasicDimension:
    """A BASIC report dimension besides the ID and time ones: the metrics it takes."""

    groups: frozenset[str] | None  # None: every group
    named: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()

    def takes(self, metric: Metric) -> bool:
        if metric.group == "attribute" or metric.name in self.named:
            return True
        return metric.name not in self.excluded and (
            self.groups is None or metric.group in self.groups
        )


def _load_dimensions(path: Path) -> dict[str, BasicDimension]:
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    dimensions = {}
    for row in csv.DictReader(lines):
        rule, _, names = row["metrics"].partition(":")
        tokens = names.split()
        dimensions[row["dimension"]] = BasicDimension(
            groups=frozenset(t for t in tokens if not t.startswith("+"))
            if rule == "groups"
            else None,
            named=frozenset(t[1:] for t in tokens if t.startswith("+")),
            excluded=frozenset(tokens) if rule == "except" else frozenset(),
        )
    return dimensions


METRICS: dict[str, Metric] = _load(CATALOG_FILE)
#: BASIC report dimensions besides the ID and time ones, and the metrics each takes.
BASIC_DIMENSIONS: dict[str, BasicDimension] = _load_dimensions(DIMENSIONS_FILE)

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
#: AUDIENCE report dimensions (TikTok's "Supported dimensions" of audience reports).
NATIVE_AUDIENCE_DIMENSIONS = (
    "age",
    "gender",
    "platform",
    "placement",
    "country_code",
    "province_id",
    "dma_id",
    "ac",
    "language",
    "interest_category",
    "interest_category_v2",
    "device_brand_id",
)
#: Dimensions BASIC reports accept besides the ID and time ones (`country_code` for both
#: report types; production connectors read it in BASIC reports).
BASIC_BREAKDOWN_DIMENSIONS = tuple(BASIC_DIMENSIONS)
TIME_DIMENSIONS = ("stat_time_day", "stat_time_hour")


def metric_errors(
    metrics: list[str],
    *,
    level: str,
    audience: bool,
    hourly: bool,
    breakdown: bool = False,
    dimension: str | None = None,
    where: str,
) -> list[str]:
    """Why each metric would be refused for this kind of report, with the valid ones;
    `dimension`: a BASIC report's breakdown dimension."""
    valid = [
        name
        for name, metric in METRICS.items()
        if metric.valid_in(
            level=level,
            audience=audience,
            hourly=hourly,
            breakdown=breakdown,
            dimension=dimension,
        )
    ]
    valid_set = set(valid)
    bad = [name for name in metrics if name not in valid_set]
    examples = [name for name in valid if METRICS[name].group != "attribute"][:12]
    if not bad:
        return []
    kind = (
        f"{'AUDIENCE' if audience else 'BASIC'} {'hourly ' if hourly else ''}{level}-level"
        f" report{f' by {dimension}' if dimension else ''}"
    )
    return [
        f"Setting '{where}' lists {', '.join(map(repr, bad))}, which TikTok refuses in a {kind}. "
        f"Valid there: the {len(valid)} metrics of "
        f"{', '.join(sorted({METRICS[name].group for name in valid}))} groups in "
        f"tap_tiktok_ads/{CATALOG_FILE.name}, e.g. {', '.join(examples)}."
    ]
