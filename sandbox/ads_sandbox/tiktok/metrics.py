"""Report metrics: which exist, where they are valid, and how each is formatted.

Every value is a string; money carries the account currency's decimals; a ratio whose
denominator is zero is "-".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ads_sandbox.money import format_minor, ratio_minor
from ads_sandbox.tiktok.entities import edited_text
from ads_sandbox.tiktok.vocab import OBJECTIVE_TYPE
from ads_sandbox.world.entities import AccountEntities
from ads_sandbox.world.metrics import (
    CLK,
    COMMENTS,
    CONV,
    CONV_FINAL,
    FOLLOWS,
    IMP,
    LIKES,
    SHARES,
    SPEND,
    VALUE,
    VIDEO,
)
from ads_sandbox.world.model import Account, Ad, AdSet, Campaign, Touch

LEVELS = ("AUCTION_ADVERTISER", "AUCTION_CAMPAIGN", "AUCTION_ADGROUP", "AUCTION_AD")

_COUNTS = {
    "impressions": IMP,
    "clicks": CLK,
    "conversion": CONV,
    "real_time_conversion": CONV_FINAL,
    "complete_payment": CONV,
    "video_play_actions": VIDEO,
    "likes": LIKES,
    "comments": COMMENTS,
    "shares": SHARES,
    "follows": FOLLOWS,
}
_MONEY = {"spend": SPEND, "total_purchase_value": VALUE}
_COST_PER = {"cpc": (CLK, 1), "cpm": (IMP, 1000), "cost_per_conversion": (CONV, 1)}
_PERCENT = {"ctr": (CLK, IMP), "conversion_rate": (CONV, CLK)}
_SPEND_SPLIT = ("cash_spend", "voucher_spend")
REACH_METRICS = ("reach", "frequency")
# Attribute metric -> lowest data level (index in LEVELS) where it means something.
ATTRIBUTE_DEPTH = {
    "currency": 0,
    "campaign_name": 1,
    "campaign_id": 1,
    "objective_type": 1,
    "adgroup_name": 2,
    "adgroup_id": 2,
    "ad_name": 3,
    "ad_text": 3,
}
METRICS = frozenset(
    (
        *_COUNTS,
        *_MONEY,
        *_COST_PER,
        *_PERCENT,
        *_SPEND_SPLIT,
        *REACH_METRICS,
        *ATTRIBUTE_DEPTH,
        "secondary_goal_result",
    )
)


def valid_at(metric: str, depth: int) -> bool:
    if metric in _SPEND_SPLIT:
        return depth == 0
    return ATTRIBUTE_DEPTH.get(metric, 0) <= depth


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a result, column-wise: each world column's ints, and the entity indexes."""

    columns: Sequence[Sequence[int]]
    entities: Sequence[int]


ColumnFn = Callable[[Page], list[str]]


def money_formatter(digits: int) -> Callable[[int], str]:
    """Formatter for non-negative minor units, specialised for the common decimals."""
    if digits == 0:
        return str
    if digits == 2:
        return lambda v: f"{v // 100}.{v % 100:02d}"
    return lambda v: format_minor(v, digits)


def _reach(impressions: int, clicks: int) -> int:
    """Unique-user reach is not additive; each row gets a stable frequency from its numbers."""
    frequency_milli = 1050 + (impressions * 7919 + clicks * 104_729) % 1450
    return max(1, impressions * 1000 // frequency_milli)


def _percent(num: int, den: int) -> str:
    """num / den as a percentage with 2 decimals, rounded half up (hot path: kept inline)."""
    if not den:
        return "-"
    hundredths = (num * 20_000 + den) // (2 * den)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


@dataclass(frozen=True, slots=True)
class MetricContext:
    account: Account
    tree: AccountEntities
    touches: dict[str, Touch]
    depth: int
    has_id_dimension: bool

    def objects(self, entity: int) -> tuple[Campaign, AdSet | None, Ad | None]:
        tree = self.tree
        if self.depth == 1:
            return tree.campaigns[entity], None, None
        if self.depth == 2:
            adset = tree.adsets[entity]
            return tree.campaigns[adset.campaign_index], adset, None
        ad = tree.ads[entity]
        return tree.campaigns[ad.campaign_index], tree.adsets[ad.adset_index], ad


def _attribute(name: str, ctx: MetricContext) -> ColumnFn:
    if name == "currency":
        currency = ctx.account.currency
        return lambda p: [currency] * len(p.entities)
    if not ctx.has_id_dimension:
        return lambda p: ["-"] * len(p.entities)

    def value(e: int) -> str:
        camp, adset, ad = ctx.objects(e)
        if name == "campaign_name":
            return camp.name
        if name == "campaign_id":
            return camp.id
        if name == "objective_type":
            return OBJECTIVE_TYPE[camp.objective]
        if name in ("adgroup_name", "adgroup_id"):
            assert adset is not None
            return adset.name if name == "adgroup_name" else adset.id
        assert ad is not None
        return ad.name if name == "ad_name" else edited_text(ad.text, ctx.touches.get(ad.id))

    cache: dict[int, str] = {}

    def column(p: Page) -> list[str]:
        return [cache[e] if e in cache else cache.setdefault(e, value(e)) for e in p.entities]

    return column


def metric_column(name: str, ctx: MetricContext) -> ColumnFn:
    """A function formatting one metric for every row of a page."""
    money = money_formatter(ctx.account.digits)
    if name in _COUNTS:
        col = _COUNTS[name]
        return lambda p: list(map(str, p.columns[col]))
    if name in _MONEY:
        col = _MONEY[name]
        return lambda p: list(map(money, p.columns[col]))
    if name in _COST_PER:
        den, per = _COST_PER[name]
        return lambda p: [
            money(ratio_minor(s * per, d)) if d else "-"
            for s, d in zip(p.columns[SPEND], p.columns[den], strict=True)
        ]
    if name in _PERCENT:
        num, den = _PERCENT[name]
        return lambda p: list(map(_percent, p.columns[num], p.columns[den]))
    if name in _SPEND_SPLIT:
        share = ctx.account.voucher_percent
        if name == "voucher_spend":
            return lambda p: [money(s * share // 100) for s in p.columns[SPEND]]
        return lambda p: [money(s - s * share // 100) for s in p.columns[SPEND]]
    if name == "reach":
        return lambda p: list(map(str, map(_reach, p.columns[IMP], p.columns[CLK])))
    if name == "frequency":
        return lambda p: [
            _percent(i, _reach(i, c) * 100)
            for i, c in zip(p.columns[IMP], p.columns[CLK], strict=True)
        ]
    if name == "secondary_goal_result":
        return lambda p: ["-"] * len(p.entities)
    return _attribute(name, ctx)
