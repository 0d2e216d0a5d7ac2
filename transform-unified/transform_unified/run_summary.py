"""`unified_run_summary`: per run, platform and account, what came in, what went out, the
totals of the rows written and every warning, so that nothing is dropped unseen.

Counts balance in every scope: `records_in = rows_out + records_rejected +
records_reference + records_merged + records_not_unified`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from transform_unified.derived_metrics import RatioSums
from transform_unified.diagnostics import RUN_SCOPE, Diagnostics, Scope

#: `records_reference`: account records and account-level report rows, read for lookups
#: and checks only. `records_merged`: breakdown rows summed into the row of the same
#: normalised value. `records_not_unified`: records of streams no adapter reads (passed
#: through or dropped as configured), and of streams named like a platform's but not
#: recognised as its.
COUNTERS = (
    "records_in",
    "rows_out",
    "records_rejected",
    "records_reference",
    "records_merged",
    "records_not_unified",
)


@dataclass
class _Totals:
    """Exact sums of one account's campaign-level rows (one currency: the account's)."""

    spend: Decimal | None = None
    impressions: int | None = None
    clicks: int | None = None
    conversions: Decimal | None = None
    conversion_value: Decimal | None = None
    spend_reporting: Decimal | None = None
    conversion_value_reporting: Decimal | None = None
    reporting_complete: bool = True
    ratio_sums: RatioSums = field(default_factory=RatioSums)

    def add(self, row: dict[str, Any]) -> None:
        self.ratio_sums.add(row)
        for name in ("spend", "impressions", "clicks", "conversions", "conversion_value"):
            value = row[name]
            if value is not None:
                current = getattr(self, name)
                setattr(self, name, value if current is None else current + value)
        for name, source in (
            ("spend_reporting", "spend"),
            ("conversion_value_reporting", "conversion_value"),
        ):
            if row[source] is not None and row[name] is None:
                self.reporting_complete = False
            elif row[name] is not None:
                current = getattr(self, name)
                setattr(self, name, row[name] if current is None else current + row[name])


@dataclass
class _Scope:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    totals: _Totals = field(default_factory=_Totals)
    first_day: date | None = None
    last_day: date | None = None
    extracted_at: datetime | None = None
    currency: str | None = None
    timezone: str | None = None


class RunSummary:
    """Collects one run's counts and totals; `rows()` gives the summary records."""

    def __init__(self, run_id: str, started_at: datetime, reporting_currency: str) -> None:
        self.run_id = run_id
        self.started_at = started_at
        self.reporting_currency = reporting_currency
        self._scopes: dict[Scope, _Scope] = {}

    def count(self, scope: Scope, counter: str, amount: int = 1) -> None:
        self._scope(scope).counts[counter] += amount

    def add_row(self, platform: str, row: dict[str, Any], day: date, extracted: datetime) -> None:
        """Account a campaign-level performance row written."""
        scope = self._scope((platform, row["account_id"]))
        scope.totals.add(row)
        scope.first_day = day if scope.first_day is None else min(scope.first_day, day)
        scope.last_day = day if scope.last_day is None else max(scope.last_day, day)
        if scope.extracted_at is None or extracted > scope.extracted_at:
            scope.extracted_at = extracted
        scope.currency = scope.currency or row["currency"]
        scope.timezone = scope.timezone or row["timezone"]

    def balanced(self) -> bool:
        return all(
            scope.counts["records_in"] == sum(scope.counts[name] for name in COUNTERS[1:])
            for scope in self._scopes.values()
        )

    def rows(self, diagnostics: Diagnostics, finished_at: datetime) -> Iterator[dict[str, Any]]:
        scopes = set(self._scopes) | set(diagnostics.scopes()) | {RUN_SCOPE}
        for platform, account_id in sorted(scopes):
            scope = self._scope((platform, account_id))
            totals = scope.totals
            warnings = [
                {"kind": kind, "count": tally.count, "message": tally.message}
                for kind, tally in sorted(diagnostics.warnings((platform, account_id)).items())
            ]
            yield {
                "run_id": self.run_id,
                "platform": platform,
                "account_id": account_id,
                "started_at": self.started_at.isoformat(),
                "finished_at": finished_at.isoformat(),
                "extraction_timestamp": scope.extracted_at and scope.extracted_at.isoformat(),
                "date_start": scope.first_day and scope.first_day.isoformat(),
                "date_end": scope.last_day and scope.last_day.isoformat(),
                "timezone": scope.timezone,
                "currency": scope.currency,
                "reporting_currency": self.reporting_currency,
                **scope.counts,
                "spend": totals.spend,
                "impressions": totals.impressions,
                "clicks": totals.clicks,
                "conversions": totals.conversions,
                "conversion_value": totals.conversion_value,
                "spend_reporting": totals.spend_reporting if totals.reporting_complete else None,
                "conversion_value_reporting": (
                    totals.conversion_value_reporting if totals.reporting_complete else None
                ),
                **totals.ratio_sums.ratios(),
                "warning_count": sum(item["count"] for item in warnings),
                "warnings": warnings,
            }

    def _scope(self, scope: Scope) -> _Scope:
        found = self._scopes.get(scope)
        if found is None:
            found = self._scopes[scope] = _Scope()
        return found
