"""Ratios recomputed from a row's own sums, never averaged from the platform's ratios."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from transform_unified.numbers import HALF_EVEN, QUANTA, TO_ODD, Number, rounded_ratio

#: Every derived ratio is rounded once, half to even, to this many decimal places.
RATIO_PLACES = 6


class DerivedMetrics(NamedTuple):
    """ctr is a fraction (0.0123 = 1.23 %); cpc, cpm and cost_per_conversion are in the
    account currency."""

    ctr: Decimal | None
    cpc: Decimal | None
    cpm: Decimal | None
    roas: Decimal | None
    cost_per_conversion: Decimal | None


def derive_metrics(
    *,
    spend: Number | None,
    impressions: int | None,
    clicks: int | None,
    conversion_value: Number | None,
    conversions: Number | None = None,
) -> DerivedMetrics:
    """ctr = clicks/impressions, cpc = spend/clicks, cpm = spend*1000/impressions,
    roas = conversion_value/spend, cost_per_conversion = spend/conversions; each None when
    an input is missing or the denominator is zero."""
    if (
        (spend is None or spend >= 0)
        and (impressions is None or impressions >= 0)
        and (clicks is None or clicks >= 0)
        and (conversion_value is None or conversion_value >= 0)
        and (conversions is None or conversions >= 0)
    ):
        # Every row's path: numbers.rounded_ratio's two roundings, inlined (no -0 to
        # avoid with nothing negative).
        try:
            return _METRICS(
                DerivedMetrics,
                (
                    _QUICK(_DIVIDE(clicks, impressions), _PLACES)
                    if impressions and clicks is not None
                    else None,
                    _QUICK(_DIVIDE(spend, clicks), _PLACES)
                    if clicks and spend is not None
                    else None,
                    _QUICK(_DIVIDE(spend, impressions), _PER_MILLE).scaleb(3, HALF_EVEN)
                    if impressions and spend is not None
                    else None,
                    _QUICK(_DIVIDE(conversion_value, spend), _PLACES)
                    if spend and conversion_value is not None
                    else None,
                    _QUICK(_DIVIDE(spend, conversions), _PLACES)
                    if conversions and spend is not None
                    else None,
                ),
            )
        except InvalidOperation:
            pass  # a quotient too long to round twice: the exact path below
    return DerivedMetrics(
        ctr=rounded_ratio(clicks, impressions, RATIO_PLACES),
        cpc=rounded_ratio(spend, clicks, RATIO_PLACES),
        cpm=rounded_ratio(spend, impressions, RATIO_PLACES, scale_digits=3),
        roas=rounded_ratio(conversion_value, spend, RATIO_PLACES),
        cost_per_conversion=rounded_ratio(spend, conversions, RATIO_PLACES),
    )


_DIVIDE, _QUICK = TO_ODD.divide, HALF_EVEN.quantize
#: The NamedTuple's constructor without its Python `__new__` (one call per row).
_METRICS = tuple.__new__
_PLACES, _PER_MILLE = QUANTA[RATIO_PLACES], QUANTA[RATIO_PLACES + 3]


#: Each ratio's numerator and denominator, by the row fields they are summed from, and the
#: power of ten the quotient is scaled by (CPM is per thousand impressions).
RATIO_TERMS: Mapping[str, tuple[str, str, int]] = {
    "ctr": ("clicks", "impressions", 0),
    "cpc": ("spend", "clicks", 0),
    "cpm": ("spend", "impressions", 3),
    "roas": ("conversion_value", "spend", 0),
    "cost_per_conversion": ("spend", "conversions", 0),
}


class RatioSums:
    """The five ratios of many rows, each from its numerator and denominator summed over the
    rows that have both: a row without impressions (TikTok's GMV Max reports none) adds its
    spend to the spend total and to the spend ROAS divides, but not to the spend CPM and CPC
    divide, so those stay the ratios of the rows that have them. With every base metric on
    every row, the same as `ratios_of` the plain sums."""

    def __init__(self) -> None:
        #: ratio -> [numerator, denominator], for the ratios some row had both sides of.
        self._sums: dict[str, list[Number]] = {}

    def add(self, row: Mapping[str, Any]) -> None:
        for name, (top, bottom, _) in RATIO_TERMS.items():
            numerator, denominator = row.get(top), row.get(bottom)
            if numerator is not None and denominator is not None:
                sums = self._sums.setdefault(name, [0, 0])
                sums[0] += numerator
                sums[1] += denominator

    def ratios(self) -> dict[str, Decimal | None]:
        ratios: dict[str, Decimal | None] = dict.fromkeys(RATIO_TERMS)
        for name, (numerator, denominator) in self._sums.items():
            scale_digits = RATIO_TERMS[name][2]
            ratios[name] = rounded_ratio(numerator, denominator, RATIO_PLACES, scale_digits)
        return ratios


def ratios_of(row: Mapping[str, Any]) -> dict[str, Decimal | None]:
    """The five ratios of a row (or of summed rows) holding the base metrics by name."""
    metrics = derive_metrics(
        spend=row["spend"],
        impressions=row["impressions"],
        clicks=row["clicks"],
        conversion_value=row["conversion_value"],
        conversions=row["conversions"],
    )
    return {
        "ctr": metrics.ctr,
        "cpc": metrics.cpc,
        "cpm": metrics.cpm,
        "roas": metrics.roas,
        "cost_per_conversion": metrics.cost_per_conversion,
    }
