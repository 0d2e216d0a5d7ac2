"""`enable_total_metrics`: TikTok's totals over every page of a synchronous report, against
the sum of the rows the tap read, so a page that lost rows does not pass silently.

Counts must match exactly. Money is rounded per row by TikTok while its total may be rounded
once, so a money total may differ by half a minor unit per row; more is a loss. Ratios,
unique-user counts and attributes are not sums of their rows and are not compared.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from tap_tiktok_ads.report_catalog import INTEGER, METRICS, MONEY, Metric

#: Parts of the names of metrics whose totals are not the sums of their rows.
_NOT_SUMS = ("reach", "frequency", "unique", "_uv", "consideration_size", "average", "avg")


def summable(metric: Metric) -> bool:
    """Counts, spend and values: metrics whose total is the sum of the rows."""
    name = metric.name
    if metric.group == "attribute" or any(part in name for part in _NOT_SUMS):
        return False
    if metric.kind == INTEGER:
        return True
    ratio = (
        name in ("cpc", "cpm")
        or name.startswith("cost_")
        or "cost_per" in name
        or name.endswith("_cost")
        or "value_per" in name
    )
    return metric.kind == MONEY and not ratio


class TotalsCheck:
    """The sums of one report window's rows, compared with TikTok's `total_metrics`."""

    def __init__(self, metrics: tuple[str, ...], *, counts_only: bool = False) -> None:
        """`counts_only`: for several advertisers, whose money is in several currencies."""
        self.sums = {
            name: Decimal(0)
            for name in metrics
            if name in METRICS
            and summable(METRICS[name])
            and (METRICS[name].kind == INTEGER or not counts_only)
        }
        self.rows = 0

    def add(self, record: dict) -> None:
        self.rows += 1
        for name in self.sums:
            value = record.get(name)
            if value is not None:
                self.sums[name] += value

    def warn(self, totals: dict | None, logger: logging.Logger, where: str) -> None:
        """One warning naming each metric whose rows do not add up to TikTok's total."""
        short = []
        for name, rows_sum in self.sums.items():
            try:
                total = Decimal(str((totals or {})[name]))
            except (KeyError, InvalidOperation):
                continue  # not served, or "-"
            slack = 0 if METRICS[name].kind == INTEGER else Decimal("0.005") * self.rows
            if abs(total - rows_sum) > slack:
                short.append(f"{name} {rows_sum} read, {total} in total")
        if short:
            logger.warning(
                "%s: the %d rows read do not add up to TikTok's total_metrics (%s): rows were "
                "lost between the pages; run the tap again over these dates",
                where,
                self.rows,
                "; ".join(short),
            )
