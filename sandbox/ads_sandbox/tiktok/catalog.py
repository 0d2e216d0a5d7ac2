"""TikTok's documented report metrics (`report_metrics.csv`) and the rules the docs state for
them: the levels, the report types, hourly data, the dimensions they need."""

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
        self, *, report_type: str, depth: int, hourly: bool, breakdown: bool, asynchronous: bool
    ) -> str | None:
        """None when the docs allow this metric here; else "invalid" (an unknown field for
        this level, like the API says) or "conflict" (a combination the API refuses)."""
        if depth not in self.depths:
            return "invalid"
        notes = self.notes
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
