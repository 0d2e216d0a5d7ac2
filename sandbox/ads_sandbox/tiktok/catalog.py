"""TikTok's documented report metrics (`report_metrics.csv`), the BASIC report dimensions
(`report_dimensions.csv`) and the rules the docs state for them: the levels, the report types,
hourly data, the dimensions they need or refuse."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

LEVEL_NAMES = ("advertiser", "campaign", "adgroup", "ad")  # index = data-level depth
#: Unique-user metrics: TikTok cannot split them by audience ("no relation" in AUDIENCE).
REACH_METRICS = frozenset({"reach", "frequency", "cost_per_1000_reached"})


@dataclass(frozen=True, slots=True)
class DocMetric:
    name: str
    section: str
    value: str  # integer | money | decimal | percent | text
    depths: frozenset[int]
    notes: frozenset[str]

    def refusal(
        self,
        *,
        report_type: str,
        depth: int,
        hourly: bool,
        breakdown: bool,
        asynchronous: bool,
        dimension: str | None = None,
    ) -> str | None:
        """None when the docs allow this metric here; else "invalid" (an unknown field for
        this level, like the API says) or "conflict" (a combination the API refuses).
        `dimension` is the BASIC report's breakdown dimension, if any."""
        if depth not in self.depths:
            return "invalid"
        notes = self.notes
        if "image_id_only" in notes and dimension != "image_id":
            return "conflict"
        if dimension in BASIC_DIMENSIONS and not BASIC_DIMENSIONS[dimension].takes(self):
            return "conflict"
        if "advertiser_level_daily_only" in notes and (depth or hourly or report_type != "BASIC"):
            return "invalid" if depth else "conflict"
        if report_type == "AUDIENCE" and (
            self.name in REACH_METRICS or notes & {"sync_basic_only", "id_dimension_and_day_only"}
        ):
            return "conflict"
        if "sync_basic_only" in notes and asynchronous:
            return "conflict"
        if "no_hourly" in notes and hourly:
            return "conflict"
        if "id_dimension_and_day_only" in notes and (hourly or breakdown):
            return "conflict"
        return None


def _load(path: Path) -> dict[str, DocMetric]:
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    metrics = {}
    for row in csv.DictReader(lines):
        levels = row["levels"].split() or LEVEL_NAMES
        metrics[row["metric"]] = DocMetric(
            name=row["metric"],
            section=row["section"],
            value=row["value"],
            depths=frozenset(LEVEL_NAMES.index(level) for level in levels),
            notes=frozenset(row["notes"].split()),
        )
    return metrics


CATALOG: dict[str, DocMetric] = _load(Path(__file__).with_name("report_metrics.csv"))


@dataclass(frozen=True, slots=True)
class BasicDimension:
    """A BASIC report dimension besides the ID and time ones, and the metrics it takes."""

    name: str
    sections: frozenset[str] | None  # None: every section
    named: frozenset[str]  # metrics taken besides the sections'
    excluded: frozenset[str]
    served: bool  # the world has rows for it

    def takes(self, metric: DocMetric) -> bool:
        if metric.section == "attribute" or metric.name in self.named:
            return True
        if metric.name in self.excluded:
            return False
        return self.sections is None or metric.section in self.sections


def _load_dimensions(path: Path) -> dict[str, BasicDimension]:
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    dimensions = {}
    for row in csv.DictReader(lines):
        rule, _, names = row["metrics"].partition(":")
        tokens = names.split()
        dimensions[row["dimension"]] = BasicDimension(
            name=row["dimension"],
            sections=frozenset(t for t in tokens if not t.startswith("+"))
            if rule == "sections"
            else None,
            named=frozenset(t[1:] for t in tokens if t.startswith("+")),
            excluded=frozenset(tokens) if rule == "except" else frozenset(),
            served=bool(row["served"]),
        )
    return dimensions


BASIC_DIMENSIONS = _load_dimensions(Path(__file__).with_name("report_dimensions.csv"))
