"""Conversion actions: each client's few actions (the `conversion_action` resource), the
rows split by them when a query selects a conversion-action segment, and Google's rule
that with the conversion segments only conversion metrics may be selected.

A cell's conversions (and view-through conversions) are split over the account's primary
actions, those counted in `metrics.conversions`; the extra conversions only
`metrics.all_conversions` counts go to its secondary actions; the conversion value follows
each primary action's conversions at that action's value per conversion. Every split is
largest-remainder over integers, so the actions of a row sum exactly to the row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ads_sandbox.world.breakdowns import largest_remainder
from ads_sandbox.world.hashing import Hasher
from ads_sandbox.world.metrics import CONV, CONV_FINAL, FOLLOWS, N_COLUMNS, SHARES, VALUE

# Segments that split rows by conversion action, each a property of the action.
ACTION_SEGMENTS = (
    "segments.conversion_action",
    "segments.conversion_action_name",
    "segments.conversion_action_category",
    "segments.external_conversion_source",
)
# The segments of conversions (Google's docs: "only conversion metrics" go with them); the
# emulator splits the action ones and leaves the others (lag buckets, adjustments,
# attribution event types, value rules) unset.
_CONVERSION_SEGMENT = re.compile(
    r"segments\.(conversion_(action(_name|_category)?|adjustment|attribution_event_type"
    r"|lag_bucket|or_adjustment_lag_bucket|value_rule_primary_dimension)"
    r"|external_conversion_source)"
)
# Metrics of conversions that need neither cost nor interactions (clicks) to be computed.
_CONVERSION_METRIC = re.compile(r"metrics\.\w*(conversion|lifetime_value)\w*")
_NEEDS_TRAFFIC = re.compile(r"cost|interaction")
_COUNTED = (CONV, CONV_FINAL, VALUE, SHARES, FOLLOWS)


def is_conversion_segment(name: str) -> bool:
    return _CONVERSION_SEGMENT.fullmatch(name) is not None


def goes_with_conversion_segments(metric: str) -> bool:
    """Whether a metric may be selected beside a conversion segment. Where the docs leave
    it open (lift study metrics, per-asset conversions) the emulator allows it."""
    return _CONVERSION_METRIC.fullmatch(metric) is not None and not _NEEDS_TRAFFIC.search(metric)


def prohibited(segments: Iterable[str], metrics: Iterable[str]) -> tuple[str, list[str]] | None:
    """(segment, metrics it cannot go with) of a query, or None when Google accepts it."""
    conversion = [s for s in dict.fromkeys(segments) if is_conversion_segment(s)]
    if not conversion:
        return None
    refused = [m for m in dict.fromkeys(metrics) if not goes_with_conversion_segments(m)]
    return (conversion[0], refused) if refused else None


@dataclass(frozen=True, slots=True)
class _Template:
    name: str
    category: str
    type: str
    origin: str
    source: str  # ExternalConversionSource
    primary: bool
    weight: int  # share of the account's conversions, before per-campaign variation
    value: int  # value of one conversion, relative to the others
    counting: str


_PURCHASE = _Template(
    "Purchase", "PURCHASE", "WEBPAGE", "WEBSITE", "WEBPAGE", True, 5, 12, "MANY_PER_CLICK"
)
_OPTIONAL = (
    _Template("Lead form", "SUBMIT_LEAD_FORM", "WEBPAGE", "WEBSITE", "WEBPAGE", True, 3, 3,
              "ONE_PER_CLICK"),
    _Template("Sign-up", "SIGNUP", "WEBPAGE", "WEBSITE", "WEBPAGE", True, 3, 1, "ONE_PER_CLICK"),
    _Template("Calls from ads", "PHONE_CALL_LEAD", "AD_CALL", "CALL_FROM_ADS",
              "AD_CALL_METRICS", True, 2, 2, "ONE_PER_CLICK"),
)  # fmt: skip
_SECONDARY = (
    _Template("Add to cart", "ADD_TO_CART", "WEBPAGE", "WEBSITE", "WEBPAGE", False, 4, 1,
              "MANY_PER_CLICK"),
    _Template("Page view", "PAGE_VIEW", "WEBPAGE", "WEBSITE", "WEBPAGE", False, 2, 1,
              "ONE_PER_CLICK"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ConversionAction:
    template: _Template
    record: dict  # the conversion_action resource's fields

    @property
    def primary(self) -> bool:
        return self.template.primary

    def segment(self, name: str) -> str:
        t = self.template
        if name == "segments.conversion_action":
            return self.record["conversion_action.resource_name"]
        if name == "segments.conversion_action_name":
            return t.name
        if name == "segments.conversion_action_category":
            return t.category
        return t.source


def actions(customer_id: str, currency: str, digits: int, hasher: Hasher) -> list[ConversionAction]:
    """A client's actions: Purchase, one or two other primary ones and a secondary one."""
    h = hasher.of("conversion-actions", customer_id)
    chosen = [_PURCHASE, _OPTIONAL[h % 3]]
    if (h >> 8) % 2:
        chosen.append(_OPTIONAL[(h % 3 + 1) % 3])
    chosen.append(_SECONDARY[(h >> 16) % 2])
    out = []
    for t in chosen:
        action_id = 10**8 + hasher.of("conversion-action", customer_id, t.name) % (9 * 10**8)
        # 2.5 units of the currency per value point, 250 where it has no minor units
        default_value = t.value * (250 if digits == 0 else 2.5)
        out.append(
            ConversionAction(
                t,
                {
                    "conversion_action.resource_name": (
                        f"customers/{customer_id}/conversionActions/{action_id}"
                    ),
                    "conversion_action.id": action_id,
                    "conversion_action.name": t.name,
                    "conversion_action.status": "ENABLED",
                    "conversion_action.type": t.type,
                    "conversion_action.origin": t.origin,
                    "conversion_action.category": t.category,
                    "conversion_action.primary_for_goal": t.primary,
                    "conversion_action.include_in_conversions_metric": t.primary,
                    "conversion_action.owner_customer": f"customers/{customer_id}",
                    "conversion_action.counting_type": t.counting,
                    "conversion_action.click_through_lookback_window_days": 30,
                    "conversion_action.view_through_lookback_window_days": 1,
                    "conversion_action.value_settings.default_value": float(default_value),
                    "conversion_action.value_settings.default_currency_code": currency,
                    "conversion_action.value_settings.always_use_default_value": False,
                    "conversion_action.attribution_model_settings.attribution_model": (
                        "GOOGLE_SEARCH_ATTRIBUTION_DATA_DRIVEN"
                    ),
                },
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class ActionWeights:
    """One campaign's weights over its account's actions (zero where they do not apply)."""

    primary: tuple[int, ...]
    secondary: tuple[int, ...]
    value: tuple[int, ...]  # value of one conversion per action


def campaign_weights(
    account_actions: Sequence[ConversionAction], customer_id: str, campaign: int, hasher: Hasher
) -> ActionWeights:
    weights = [
        a.template.weight * (1 + hasher.of("conversion-weight", customer_id, campaign, i) % 10)
        for i, a in enumerate(account_actions)
    ]
    return ActionWeights(
        tuple(w if a.primary else 0 for a, w in zip(account_actions, weights, strict=True)),
        tuple(0 if a.primary else w for a, w in zip(account_actions, weights, strict=True)),
        tuple(a.template.value for a in account_actions),
    )


def split(vector: Sequence[int], weights: ActionWeights) -> list[tuple[int, list[int]]]:
    """(action index, vector of its conversion columns) for each action with conversions;
    the other columns (impressions, clicks, cost, ...) stay zero: they are not per action."""
    n = len(weights.primary)
    pieces = [[0] * N_COLUMNS for _ in range(n)]
    for column, by in ((CONV, weights.primary), (CONV_FINAL, weights.primary),
                       (FOLLOWS, weights.primary), (SHARES, weights.secondary)):  # fmt: skip
        for i, amount in enumerate(largest_remainder(vector[column], by)):
            pieces[i][column] = amount
    by_value = [p[CONV] * v for p, v in zip(pieces, weights.value, strict=True)]
    if not any(by_value):
        by_value = [w * v for w, v in zip(weights.primary, weights.value, strict=True)]
    for i, amount in enumerate(largest_remainder(vector[VALUE], by_value)):
        pieces[i][VALUE] = amount
    return [(i, p) for i, p in enumerate(pieces) if any(p[c] for c in _COUNTED)]
