"""`unified_breakdown_performance` rows: one per campaign, day, breakdown and normalised
value. Native values that mean the same (TikTok's ANDROID and IPHONE are both MOBILE) are
summed exactly, and the ratios recomputed from the sums, so the key never collapses two
rows into one on upsert."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from transform_unified.derived_metrics import derive_metrics
from transform_unified.diagnostics import Diagnostics
from transform_unified.vocabulary import Breakdown, breakdown_value

#: A native value the vocabulary does not know: kept in `native_breakdown_value`.
OTHER = "OTHER"
SUMMED = ("spend", "impressions", "clicks", "conversions", "conversion_value")
CONVERTED = {"spend_reporting": "spend", "conversion_value_reporting": "conversion_value"}

Key = tuple[str, str, str, str, str, str]


def _add(left: Any, right: Any) -> Any:
    if left is None:
        return right
    return left if right is None else left + right


class BreakdownRows:
    """Collects breakdown rows until the end of the input, then writes them summed."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        self._rows: dict[Key, dict[str, Any]] = {}
        self._natives: dict[Key, list[str]] = {}

    @property
    def pending(self) -> bool:
        return bool(self._rows)

    def add(self, platform: str, row: dict[str, Any]) -> bool:
        """Take one row; False when it was summed into an earlier row of the same key."""
        breakdown, native = Breakdown(row["breakdown"]), row["native_breakdown_value"]
        value = breakdown_value(platform, breakdown, native)
        if value is None:
            self.diagnostics.warn_once(
                "unmapped_breakdown_value",
                (platform, breakdown, native),
                "%s %s value %r is not in the unified vocabulary: breakdown_value %s, the "
                "native value kept in native_breakdown_value",
                platform,
                breakdown.value,
                native,
                OTHER,
                scope=(platform, row["account_id"]),
            )
            value = OTHER
        key = (
            platform,
            row["account_id"],
            row["campaign_id"],
            row["date"],
            breakdown.value,
            value,
        )
        natives = self._natives.setdefault(key, [])
        if native is not None and native not in natives:
            natives.append(native)
        earlier = self._rows.get(key)
        if earlier is None:
            self._rows[key] = {**row, "breakdown_value": value}
            return True
        for name in SUMMED:
            earlier[name] = _add(earlier[name], row[name])
        for name, source in CONVERTED.items():
            if (earlier[name] is None and earlier[source] is not None) or (
                row[name] is None and row[source] is not None
            ):
                earlier[name] = None  # a part had no rate: no partial sum
            else:
                earlier[name] = _add(earlier[name], row[name])
        return False

    def drain(self) -> Iterator[dict[str, Any]]:
        """Every collected row, with its ratios from the sums; empties the collection."""
        for key, row in self._rows.items():
            metrics = derive_metrics(
                spend=row["spend"],
                impressions=row["impressions"],
                clicks=row["clicks"],
                conversion_value=row["conversion_value"],
                conversions=row["conversions"],
            )
            natives = self._natives.get(key) or []
            yield {
                **row,
                "ctr": metrics.ctr,
                "cpc": metrics.cpc,
                "cpm": metrics.cpm,
                "roas": metrics.roas,
                "cost_per_conversion": metrics.cost_per_conversion,
                "native_breakdown_value": ",".join(natives) or None,
            }
        self._rows.clear()
        self._natives.clear()
