"""Report metrics: how each metric of TikTok's catalog (`catalog.CATALOG`) is computed and
formatted from the world's columns.

Every value is a string; money carries the account currency's decimals. A cost or rate whose
denominator is zero is zero ("0.00"), as TikTok sends it (see sandbox/README.md); `"-"` is
kept for what TikTok reports as not available: secondary goals the world does not set, app
attributes of ad groups that promote no app, attributes of rows without an ID dimension.
Metrics the world has no column for (in-app, page, on-site, offline ... events) read the
columns `derived` adds to the ad-day vectors, so they add up as the world's columns do.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import add, sub

from ads_sandbox.money import format_minor, ratio_minor
from ads_sandbox.tiktok.basic_values import app_id
from ads_sandbox.tiktok.catalog import CATALOG, REACH_METRICS
from ads_sandbox.tiktok.derived import DerivedColumns, share
from ads_sandbox.tiktok.entities import edited_budget, edited_text
from ads_sandbox.tiktok.vocab import (
    AD_FORMAT,
    BID_TYPE,
    BILLING_EVENT,
    OBJECTIVE_TYPE,
    OPTIMIZATION_GOAL,
)
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
from ads_sandbox.world.smart_plus import AccountSmartPlus

LEVELS = ("AUCTION_ADVERTISER", "AUCTION_CAMPAIGN", "AUCTION_ADGROUP", "AUCTION_AD")
METRICS = frozenset(CATALOG)

_COUNTS = {
    "impressions": IMP,
    "single_image_impressions": IMP,  # one image per ad in this world: shown at every impression
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
_PERCENT = {
    "ctr": (CLK, IMP),
    "conversion_rate": (CONV, CLK),
    "single_image_impression_rate": (IMP, IMP),
    "single_image_ctr": (CLK, IMP),
}
_SPEND_SPLIT = ("cash_spend", "voucher_spend")
#: The world column each section's event counts are shares of.
_SECTION_BASE = {
    "video_play": VIDEO,
    "clicks": CLK,
    "social": LIKES,
    "live": CLK,
    "interactive_add_on": CLK,
    "instant_experience": CLK,
}
_NOT_SET = ("secondary_goal_result", "cost_per_secondary_goal_result", "secondary_goal_result_rate")


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a result, column-wise: each world and derived column's ints, and the
    entity indexes."""

    columns: Sequence[Sequence[int]]
    entities: Sequence[int]


ColumnFn = Callable[[Page], list[str]]
Counts = Callable[[Page], list[int]]


def money_formatter(digits: int) -> Callable[[int], str]:
    """Formatter for non-negative minor units, specialised for the common decimals."""
    if digits == 0:
        return str
    if digits == 2:
        return lambda v: f"{v // 100}.{v % 100:02d}"
    return lambda v: format_minor(v, digits)


def _reach(impressions: int, clicks: int) -> int:
    """Unique-user reach is not additive; each row gets a stable frequency from its numbers."""
    if not impressions:
        return 0
    frequency_milli = 1050 + (impressions * 7919 + clicks * 104_729) % 1450
    return max(1, impressions * 1000 // frequency_milli)


def _percent(num: int, den: int) -> str:
    """num / den as a percentage with 2 decimals, rounded half up (hot path: kept inline)."""
    if not den:
        return "0.00"
    hundredths = (num * 20_000 + den) // (2 * den)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def _ratio(num: int, den: int) -> str:
    """num / den with 2 decimals, rounded half up; 0 when den is 0."""
    return _percent(num, den * 100)


@dataclass(frozen=True, slots=True)
class MetricContext:
    account: Account
    tree: AccountEntities
    touches: dict[str, Touch]
    depth: int
    has_id_dimension: bool
    #: The derived columns the report's metrics read, registered as their functions are made.
    derived: DerivedColumns
    smart_plus: AccountSmartPlus
    #: Rows of Upgraded Smart+ ads are their creatives' (the `ad_id` dimension).
    by_creative: bool = False

    def automation_type(self, camp: Campaign) -> str:
        if not self.smart_plus.is_smart_plus(camp.index):
            return "MANUAL"
        return "UPGRADED_SMART_PLUS_CREATIVE" if self.by_creative else "UPGRADED_SMART_PLUS"

    def objects(self, entity: int) -> tuple[Campaign, AdSet | None, Ad | None]:
        tree = self.tree
        if self.depth == 1:
            return tree.campaigns[entity], None, None
        if self.depth == 2:
            adset = tree.adsets[entity]
            return tree.campaigns[adset.campaign_index], adset, None
        ad = tree.ads[entity]
        return tree.campaigns[ad.campaign_index], tree.adsets[ad.adset_index], ad


def _counts(name: str, ctx: MetricContext) -> Counts:
    """The integer column of a count metric, from the world or derived from a related one."""
    if name in _COUNTS:
        col = _COUNTS[name]
        return lambda p: list(p.columns[col])
    if name == "reach":
        return lambda p: list(map(_reach, p.columns[IMP], p.columns[CLK]))
    if name == "gross_impressions":  # invalid impressions (1 in 40) included
        invalid = ctx.derived.column("invalid_impressions", IMP, 25)
        return lambda p: list(map(add, p.columns[IMP], p.columns[invalid]))
    doc = CATALOG.get(name)
    base = _SECTION_BASE.get(doc.section, CONV) if doc else CONV
    col = ctx.derived.column(f"count:{name}", base, share(name))
    return lambda p: list(p.columns[col])


def _is_cost(name: str) -> bool:
    """A cost per result ("cost_per_x", "onsite_cost_per_x", "x_cost"), not a total."""
    if name in _COST_PER or name.startswith("cost_") or "_cost_per_" in name:
        return True
    return name.endswith("_cost") and name != "billed_cost"


def _counted(name: str, *prefixes: str, suffixes: tuple[str, ...] = ()) -> str | None:
    """The count metric a cost, value or rate metric is about, if the catalog has it
    (a prefix may stand inside the name too: "onsite_cost_per_purchase")."""
    for prefix in prefixes:
        inner = name.replace(f"_{prefix}", "_", 1)
        if inner != name and CATALOG.get(inner) and CATALOG[inner].value == "integer":
            return inner
        if name.startswith(prefix):
            base = name[len(prefix) :]
            if CATALOG.get(base) and CATALOG[base].value == "integer":
                return base
    for suffix in suffixes:
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            if CATALOG.get(base) and CATALOG[base].value == "integer":
                return base
    return None


def _money(name: str, ctx: MetricContext) -> ColumnFn:
    money = money_formatter(ctx.account.digits)
    if name in _MONEY:
        col = _MONEY[name]
        return lambda p: list(map(money, p.columns[col]))
    if name in _SPEND_SPLIT or name == "billed_cost":  # billed: spend less vouchers, as cash
        voucher = ctx.derived.column("voucher", SPEND, ctx.account.voucher_percent * 10)
        if name == "voucher_spend":
            return lambda p: list(map(money, p.columns[voucher]))
        return lambda p: list(map(money, map(sub, p.columns[SPEND], p.columns[voucher])))
    if _is_cost(name):
        if name in _COST_PER:
            den, per = _COST_PER[name]
            denominators: Counts = lambda p, den=den: list(p.columns[den])  # noqa: E731
        else:
            per = 1000 if name == "cost_per_1000_reached" else 1
            counted = _counted(name, "cost_per_", "cost_", suffixes=("_cost",))
            denominators = _counts("reach" if per == 1000 else counted or name, ctx)
        return lambda p: [
            money(ratio_minor(s * per, d)) if d else money(0)
            for s, d in zip(p.columns[SPEND], denominators(p), strict=True)
        ]
    values = _values(name, ctx)
    if name.startswith("value_per_"):
        counts = _counts(_counted(name, "value_per_") or name, ctx)
        return lambda p: [
            money(ratio_minor(v, d)) if d else money(0)
            for v, d in zip(values(p), counts(p), strict=True)
        ]
    return lambda p: list(map(money, values(p)))


def _values(name: str, ctx: MetricContext) -> Counts:
    """Conversion value in minor units: the world's, or derived from it."""
    if name == "total_purchase_value":
        return lambda p: list(p.columns[VALUE])
    col = ctx.derived.column(f"value:{name}", VALUE, share(name))
    return lambda p: list(p.columns[col])


def _rate(name: str, ctx: MetricContext) -> ColumnFn:
    if name in _PERCENT:
        num, den = _PERCENT[name]
        return lambda p: list(map(_percent, p.columns[num], p.columns[den]))
    counted = _counted(name, suffixes=("_rate", "_rate_v2", "_ctr"))
    counts = _counts(counted or name, ctx)
    return lambda p: list(map(_percent, counts(p), p.columns[IMP]))


def _decimal(name: str, ctx: MetricContext) -> ColumnFn:
    if name == "frequency":
        return lambda p: [
            _ratio(i, _reach(i, c)) for i, c in zip(p.columns[IMP], p.columns[CLK], strict=True)
        ]
    if "roas" in name:
        values = _values(name.replace("_roas", "_value"), ctx)
        return lambda p: list(map(_ratio, values(p), p.columns[SPEND]))
    # Average durations (seconds) and the like: a stable value per metric where there was play.
    seconds = 150 + zlib.crc32(name.encode()) % 900
    return lambda p: [_ratio(seconds, 100) if v else "0.00" for v in p.columns[VIDEO]]


def _attribute(name: str, ctx: MetricContext) -> ColumnFn:
    account = ctx.account
    if name in ("currency", "advertiser_id", "advertiser_name"):
        value = {"currency": account.currency, "advertiser_id": account.id}.get(name, account.name)
        return lambda p: [value] * len(p.entities)
    if not ctx.has_id_dimension or not ctx.depth:
        return lambda p: ["-"] * len(p.entities)
    money = money_formatter(account.digits)

    def value(e: int) -> str:
        camp, adset, ad = ctx.objects(e)
        app = camp.objective == "app_installs"
        campaign = {
            "campaign_name": camp.name,
            "campaign_id": camp.id,
            "objective_type": OBJECTIVE_TYPE[camp.objective],
            "campaign_automation_type": ctx.automation_type(camp),
            "split_test": "0",
            "campaign_budget": money(edited_budget(camp.budget, ctx.touches.get(camp.id))),
            "campaign_dedicate_type": "REGULAR_CAMPAIGN",
            "app_promotion_type": "APP_INSTALL" if app else "UNSET",
        }
        if name in campaign:
            return campaign[name]
        assert adset is not None
        adgroup = {
            "adgroup_name": adset.name,
            "adgroup_id": adset.id,
            "placement_type": "PLACEMENT_TYPE_AUTOMATIC"
            if adset.automatic_placement
            else "PLACEMENT_TYPE_NORMAL",
            "promotion_type": "APP_ANDROID" if app else "WEBSITE",
            "opt_status": "OFF",
            "profile_image": f"https://p16-sign.tiktokcdn.com/avatar/{account.id}.jpeg",
            "dpa_target_audience_type": "-",
            "budget": money(edited_budget(adset.budget, ctx.touches.get(adset.id))),
            "smart_target": OPTIMIZATION_GOAL[camp.objective],
            "pricing_category": BILLING_EVENT.get(camp.objective, "OCPM"),
            "billing_event": BILLING_EVENT.get(camp.objective, "OCPM"),
            "bid_strategy": BID_TYPE[adset.bid_strategy],
            "bid": money(adset.bid_amount),
            "bid_secondary_goal": "-",
            "aeo_type": "-",
            "tt_app_id": app_id(camp.id) if app else "-",
            "tt_app_name": f"{account.company} App" if app else "-",
            "mobile_app_id": f"com.sandbox.app{camp.index}" if app else "-",
            "is_aco": "False",
            "adgroup_download_url": ad.landing_page_url if ad else "-",
        }
        if name in adgroup:
            return adgroup[name]
        assert ad is not None
        text = edited_text(ad.text, ctx.touches.get(ad.id))
        ad_values = {
            "ad_name": ad.name,
            "ad_id": ad.id,
            "ad_text": text,
            "call_to_action": ad.call_to_action,
            "ad_profile_image": f"https://p16-sign.tiktokcdn.com/avatar/{account.id}.jpeg",
            "ad_url": ad.landing_page_url,
            "image_mode": AD_FORMAT[ad.format],
            "is_smart_creative": "False",
        }
        return ad_values.get(name, "-")

    cache: dict[int, str] = {}

    def column(p: Page) -> list[str]:
        return [cache[e] if e in cache else cache.setdefault(e, value(e)) for e in p.entities]

    return column


def summable(name: str) -> bool:
    """Whether a metric's total is the sum of its rows (counts, spend, values), not a ratio,
    a unique-user count or an attribute."""
    doc = CATALOG[name]
    if doc.section == "attribute" or name in REACH_METRICS or name in _NOT_SET:
        return False
    if doc.value == "integer":
        return True
    ratio = _is_cost(name) or name.startswith("value_per_")
    return doc.value == "money" and not ratio


def metric_column(name: str, ctx: MetricContext) -> ColumnFn:
    """A function formatting one metric for every row of a page."""
    if name in _NOT_SET:
        return lambda p: ["-"] * len(p.entities)
    kind = CATALOG[name].value
    if kind == "integer":
        counts = _counts(name, ctx)
        return lambda p: list(map(str, counts(p)))
    if kind == "money" and CATALOG[name].section != "attribute":
        return _money(name, ctx)
    if kind == "percent":
        return _rate(name, ctx)
    if kind == "decimal":
        return _decimal(name, ctx)
    return _attribute(name, ctx)
