"""Insights: the query a request describes, its rows computed from the world's ad-day facts,
and their Graph formatting (every number a string, action stats as lists).

Conversions are split over the six standard attribution windows per ad-day: 1-day click (a),
2-7 day click (b), 8-28 day click (c), 1-day view (d), 2-7 day view (e), 8-28 day view (f).
The default (7-day click, 1-day view, what `value` reports) is a + b + d, which is the world's
conversion count, so totals under the default equal `ads-sandbox truth`.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import orjson
from facebook_business.adobjects.targeting import Targeting

from ads_sandbox.meta import catalog
from ads_sandbox.meta.breakdown_rules import (
    OFF_META_HIDDEN,
    OFF_META_UNSPLIT,
    OFF_META_UNSPLIT_ACTIONS,
    refused_combination,
)
from ads_sandbox.meta.breakdown_values import VALUES, ad_weights
from ads_sandbox.meta.dates import (
    REACH_BREAKDOWN_MONTHS,
    months_before,
    time_increment,
    time_ranges,
)
from ads_sandbox.meta.errors import invalid, nonexisting_field
from ads_sandbox.meta.objects import (
    OBJECTIVE,
    OPTIMIZATION_GOAL,
    View,
    ad_node,
    adset_node,
    bare,
    campaign_node,
    derived_id,
)
from ads_sandbox.meta.params import json_param, matches, parse_filtering, string_list
from ads_sandbox.money import format_minor
from ads_sandbox.world import Account, World
from ads_sandbox.world.breakdowns import largest_remainder, split_cells, split_vector
from ads_sandbox.world.metrics import (
    CLK,
    COMMENTS,
    CONV,
    FOLLOWS,
    IMP,
    LIKES,
    N_COLUMNS,
    SHARES,
    SPEND,
    VALUE,
    VIDEO,
)

WINDOWS = ("1d_click", "7d_click", "28d_click", "1d_view", "7d_view", "28d_view")
#: Windows Meta still accepts but no longer returns (since 2026-01-12, "Ads Insights API
#: Metric Availability Updates", Meta's blog of 2025-10-16): action stats leave their keys out.
UNSERVED_WINDOWS = frozenset({"7d_view", "28d_view"})
# Which of the parts a..f each window Meta returns sums (parts 4 and 5, views after day 1, are
# in no window Meta still returns).
WINDOW_PARTS = {
    "1d_click": (0,),
    "7d_click": (0, 1),
    "28d_click": (0, 1, 2),
    "1d_view": (3,),
    "default": (0, 1, 3),
}
assert not UNSERVED_WINDOWS & WINDOW_PARTS.keys()
DEFAULT_PARTS = WINDOW_PARTS["default"]
# Extra per-group columns after the world's N_COLUMNS: conversion parts, value parts and the
# parts of the first custom conversion (a share of purchases).
PARTS = 6
X_CONV, X_VALUE, X_CUSTOM = N_COLUMNS, N_COLUMNS + PARTS, N_COLUMNS + 2 * PARTS
WIDTH = N_COLUMNS + 3 * PARTS
PURCHASE_TYPES = ("offsite_conversion.fb_pixel_purchase", "omni_purchase")

# Meta breakdown -> (world dimension, labels of the world's values in order).
_WORLD_BREAKDOWNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "age": ("age", ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64")),
    "gender": ("gender", ("female", "male", "unknown")),
    "country": ("country", ("US", "GB", "DE", "JP", "BR", "NZ", "CA", "AU")),
    "region": ("country", ("California", "England", "Berlin", "Tokyo", "São Paulo (state)",
                           "Auckland Region", "Ontario", "New South Wales")),
    "device_platform": ("device", ("mobile", "mobile", "mobile", "desktop")),
    "impression_device": ("device", ("android_smartphone", "iphone", "ipad", "desktop")),
    "publisher_platform": ("placement", ("facebook", "audience_network", "instagram")),
    "platform_position": ("placement", ("feed", "an_classic", "instagram_stories")),
    "hourly_stats_aggregated_by_advertiser_time_zone": (
        "hour", tuple(f"{h:02d}:00:00 - {h:02d}:59:59" for h in range(24))),
    "hourly_stats_aggregated_by_audience_time_zone": (
        "hour", tuple(f"{h:02d}:00:00 - {h:02d}:59:59" for h in range(24))),
}  # fmt: skip
_WORLD_ORDER = ("age", "gender", "country", "device", "placement")
_ACTION_BREAKDOWN_VALUES = {
    "action_device": "other",
    "action_destination": "unknown",
    "action_target_id": "0",
    "action_reaction": "like",
    "action_video_sound": "sound_on",
    "action_video_type": "total",
    "action_carousel_card_id": "0",
    "action_carousel_card_name": "unknown",
    "action_canvas_component_name": "unknown",
    "conversion_destination": "website",
    "standard_event_content_type": "product",
    "signal_source_bucket": "pixel",
    "is_business_ai_assisted": "false",
    "matched_persona_id": "0",
    "matched_persona_name": "unknown",
}
assert set(_WORLD_BREAKDOWNS) <= catalog.BREAKDOWNS
assert set(_WORLD_BREAKDOWNS) | set(VALUES) == catalog.SERVED_BREAKDOWNS, "a breakdown lacks values"
assert set(_WORLD_BREAKDOWNS["device_platform"][1]) <= catalog.enum_values(
    Targeting.DevicePlatforms
)
_OBJECT_BREAKDOWNS = frozenset(name for name, values in VALUES.items() if values.objects)
assert set(_ACTION_BREAKDOWN_VALUES) | {"action_type"} == catalog.ACTION_BREAKDOWNS
LEVEL_DEPTH = {"account": 0, "campaign": 1, "adset": 2, "ad": 3}
LEVEL_ENTITY = {1: "campaign", 2: "adset", 3: "ad"}


@dataclass(frozen=True, slots=True)
class InsightsQuery:
    level: str
    fields: tuple[str, ...]
    breakdowns: tuple[str, ...]
    action_breakdowns: tuple[str, ...]
    windows: tuple[str, ...]
    ranges: tuple[tuple[date, date], ...]
    increment: int | str
    filters: str  # JSON of the filtering clauses (hashable)
    node: tuple[int, str] | None  # (depth, id) when asked on a campaign/ad set/ad node
    unified: bool
    #: An async query within the account's daily budget of reach past 13 months.
    reach_kept: bool = False

    def reach_limited(self, today: date) -> bool:
        """Meta's rule since 2025-06-10: with breakdowns and a start more than 13 months back,
        reach, frequency and cpp are left out (unless `reach_kept`)."""
        return bool(self.breakdowns) and any(
            since < months_before(today, REACH_BREAKDOWN_MONTHS) for since, _ in self.ranges
        )

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]

    @property
    def row_increment(self) -> int | str:
        """What one row spans: with an hourly breakdown Meta sums each hour over the whole
        range, whatever `time_increment` says (singer-io/tap-facebook#151), so a client has
        to ask one day per request."""
        if any(_WORLD_BREAKDOWNS.get(b, ("",))[0] == "hour" for b in self.breakdowns):
            return "all_days"
        return self.increment

    def echo(self) -> dict[str, Any]:
        """The report run's own fields describing the query."""
        return {
            "fields": list(self.fields),
            "breakdowns": list(self.breakdowns),
            "action_breakdowns": list(self.action_breakdowns),
            "action_attribution_windows": list(self.windows),
            "time_increment": str(self.increment),
            "filtering": orjson.loads(self.filters),
            "use_unified_attribution_setting": self.unified,
        }


def _checked(values: list[str] | None, name: str, allowed: frozenset[str]) -> tuple[str, ...]:
    for i, value in enumerate(values or ()):
        if value not in allowed:
            raise invalid(
                f"(#100) {name}[{i}] must be one of the following values: "
                + ", ".join(sorted(allowed))
            )
    return tuple(dict.fromkeys(values or ()))


def _flag(params: Mapping[str, str], name: str) -> bool:
    return str(params.get(name, "")).lower() in ("true", "1")


def parse_query(
    params: Mapping[str, str], today: date, node: tuple[int, str] | None = None
) -> InsightsQuery:
    fields = string_list(params, "fields") or []
    for name in fields:
        if name not in catalog.INSIGHTS_FIELDS:
            raise nonexisting_field(name, "AdsInsights")
    default_level = LEVEL_ENTITY.get(node[0], "account") if node else "account"
    level = params.get("level") or default_level
    if level not in catalog.LEVELS:
        raise invalid(
            f"(#100) level must be one of the following values: {', '.join(sorted(catalog.LEVELS))}"
        )
    if node and LEVEL_DEPTH[level] < node[0]:
        raise invalid(f"(#100) level {level} is above the node's own level")
    breakdowns = _checked(
        string_list(params, "breakdowns"), "breakdowns", catalog.SERVED_BREAKDOWNS
    )
    action_breakdowns = _checked(
        string_list(params, "action_breakdowns"), "action_breakdowns", catalog.ACTION_BREAKDOWNS
    )
    if columns := refused_combination(breakdowns, action_breakdowns):
        raise invalid(
            f"(#100) Current combination of data breakdown columns ({', '.join(columns)}) "
            "is invalid"
        )
    filtering = parse_filtering(json_param(params, "filtering"))
    for name, _, _ in filtering:
        entity, dot, attribute = name.partition(".")
        if not dot or entity not in ("account", "campaign", "adset", "ad") or not attribute:
            raise invalid(f"(#100) Filtering field {name} is invalid.")
    return InsightsQuery(
        level=level,
        fields=tuple(dict.fromkeys(fields)),
        breakdowns=breakdowns,
        action_breakdowns=action_breakdowns,
        windows=_checked(
            string_list(params, "action_attribution_windows"),
            "action_attribution_windows",
            catalog.ATTRIBUTION_WINDOWS,
        ),
        ranges=tuple(time_ranges(params, today)),
        increment=time_increment(params),
        filters=orjson.dumps([list(c) for c in filtering]).decode(),
        node=node,
        unified=_flag(params, "use_unified_attribution_setting"),
    )


def _ratio(num: int, den: int, scale: int = 1) -> str | None:
    """num * scale / den with 6 decimals, trailing zeros dropped; None when den is 0."""
    if den == 0:
        return None
    micro = (2 * num * scale * 10**6 + den) // (2 * den)
    whole, frac = divmod(micro, 10**6)
    return f"{whole}.{frac:06d}".rstrip("0").rstrip(".")


def _window_parts(conv: int, value: int, ad: int, day: int) -> list[int]:
    """The 18 extra columns of one ad-day (see the module docstring); exact by construction."""
    if conv == 0:
        return [0] * (3 * PARTS)
    r = (ad * 7919 + day * 104_729) % 1000
    d = conv * (10 + r % 15) // 100
    a = (conv - d) * (50 + r % 30) // 100
    b = conv - d - a
    c = conv * (5 + r % 10) // 100
    e = conv * (4 + r % 7) // 100
    f = conv * (2 + r % 5) // 100
    counts = [a, b, c, d, e, f]
    values = [value * n // conv for n in counts]
    values[1] = value - values[0] - values[3]  # a + b + d keeps the whole value
    custom = [n * 2 // 5 for n in counts]
    return counts + values + custom


class InsightsResult:
    """One query's rows: sorted group keys and a flat array of WIDTH sums per group."""

    def __init__(self, keys: list[tuple[Any, ...]], values: array, formatter: RowFormatter) -> None:
        self.keys = keys
        self.values = values
        self.formatter = formatter

    def __len__(self) -> int:
        return len(self.keys)

    def rows(self, start: int, stop: int) -> list[dict[str, Any]]:
        fmt = self.formatter
        values = self.values
        return [
            fmt.row(key, values[i * WIDTH : (i + 1) * WIDTH])
            for i, key in zip(range(start, stop), self.keys[start:stop], strict=False)
        ]


class InsightsEngine:
    """Computes and caches results per (account, query, revision)."""

    MAX_CACHED_ROWS = 2_000_000

    def __init__(self, world: World) -> None:
        self.world = world
        self._cache: OrderedDict[tuple[Any, ...], InsightsResult] = OrderedDict()
        self._cached = 0

    def result(self, account: Account, query: InsightsQuery, revision: int) -> InsightsResult:
        key = (account.id, query, revision)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        found = self.compute(account, query, revision)
        self._cache[key] = found
        self._cached += len(found)
        while self._cached > self.MAX_CACHED_ROWS and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cached -= len(old)
        return found

    def compute(self, account: Account, query: InsightsQuery, revision: int) -> InsightsResult:
        world = self.world
        tree = world.entities(account)
        view = View(account, tree, tree.touches(revision))
        facts = world.facts(account)
        mask = ad_mask(view, query)
        depth = query.depth
        entity_of = [(0, ad.campaign_index, ad.adset_index, ad.index)[depth] for ad in tree.ads]

        world_dims: list[str] = []
        for name in query.breakdowns:
            dim = _WORLD_BREAKDOWNS.get(name, (None,))[0]
            if dim and dim != "hour" and dim not in world_dims:
                world_dims.append(dim)
        world_dims.sort(key=_WORLD_ORDER.index)
        hourly = any(_WORLD_BREAKDOWNS.get(b, ("",))[0] == "hour" for b in query.breakdowns)
        # Breakdowns of the emulator's own (no world dimension), split after the world's.
        own = [b for b in dict.fromkeys(query.breakdowns) if b not in _WORLD_BREAKDOWNS]
        own_weights: dict[int, list[tuple[int, ...]]] = {}
        label_of: list[Callable[[tuple[int, ...], int], str]] = []
        for name in query.breakdowns:
            dim, labels = _WORLD_BREAKDOWNS.get(name, (None, ()))
            if dim == "hour":
                label_of.append(lambda idx, hour, labels=labels: labels[hour])
            elif dim:
                pos = world_dims.index(dim)
                label_of.append(lambda idx, hour, labels=labels, pos=pos: labels[idx[pos]])
            else:
                pos = len(world_dims) + own.index(name)
                labels = VALUES[name].labels
                label_of.append(lambda idx, hour, labels=labels, pos=pos: labels[idx[pos]])

        increment = query.row_increment
        unsplit = bool(OFF_META_UNSPLIT & set(query.breakdowns))
        groups: dict[tuple[Any, ...], list[int]] = {}
        for r_index, (since, until) in enumerate(query.ranges):
            first, last = account.day_of(since), account.day_of(until)
            for day, ad, vector in world.rows(account, first, last, revision):
                if not mask[ad]:
                    continue
                when = account.date_at(day)
                if increment == "all_days":
                    slot: Any = 0
                elif increment == "monthly":
                    slot = (when.year, when.month)
                else:
                    slot = (day - first) // int(increment)
                head = (r_index, slot, entity_of[ad])
                extra = _window_parts(vector[CONV], vector[VALUE], ad, day)
                if not query.breakdowns:
                    _add(groups, head, vector + extra)
                    continue
                pieces: list[tuple[int, list[int]]]
                if hourly:
                    weights = facts.breakdown_weights(ad, "hour")
                    exists = world.local_hours(account, day)
                    split = split_vector(
                        vector, [w * e for w, e in zip(weights, exists, strict=True)]
                    )
                    pieces = [(h, p) for h, p in enumerate(split) if p[IMP]]
                else:
                    pieces = [(0, vector)]
                cells: list[tuple[tuple[str, ...], list[int]]] = []
                for hour, piece in pieces:
                    weight_sets = [facts.breakdown_weights(ad, d) for d in world_dims]
                    if own:
                        if ad not in own_weights:
                            ad_id = tree.ads[ad].id
                            own_weights[ad] = [ad_weights(VALUES[b], b, ad_id) for b in own]
                        weight_sets += own_weights[ad]
                    for idx, cell in split_cells(piece, weight_sets):
                        cells.append((tuple(fn(idx, hour) for fn in label_of), cell))
                conv_weights = [cell[CONV] for _, cell in cells]
                if unsplit:  # each row carries the ad-day's whole off-Meta actions
                    extra_cells = [[x] * len(cells) for x in extra]
                elif vector[CONV]:
                    extra_cells = [largest_remainder(x, conv_weights) for x in extra]
                else:
                    extra_cells = [[0] * len(cells)] * len(extra)
                for i, (labels, cell) in enumerate(cells):
                    _add(groups, (*head, *labels), cell + [col[i] for col in extra_cells])
        keys = sorted(groups)
        values = array("q")
        for key in keys:
            values.extend(groups[key])
        return InsightsResult(keys, values, RowFormatter(query, view))


def _add(groups: dict[tuple[Any, ...], list[int]], key: tuple[Any, ...], vector: list[int]) -> None:
    total = groups.get(key)
    if total is None:
        groups[key] = vector
    else:
        for i, v in enumerate(vector):
            total[i] += v


def _entity_attributes(view: View, ad_index: int, entity: str) -> Mapping[str, Any]:
    tree = view.tree
    ad = tree.ads[ad_index]
    if entity == "ad":
        return ad_node(view, ad)
    if entity == "adset":
        return adset_node(view, tree.adsets[ad.adset_index])
    if entity == "campaign":
        return campaign_node(view, tree.campaigns[ad.campaign_index])
    return {"id": view.account.id, "account_id": bare(view.account), "name": view.account.name}


def ad_mask(view: View, query: InsightsQuery) -> bytearray:
    """1 for the ads whose rows the query keeps (filters, node, default status rule)."""
    tree = view.tree
    clauses = [tuple(c) for c in orjson.loads(query.filters)]
    level_entity = LEVEL_ENTITY.get(query.depth)
    status_filtered = any(field == f"{level_entity}.effective_status" for field, _, _ in clauses)
    mask = bytearray(len(tree.ads))
    cache: dict[tuple[str, str], Mapping[str, Any]] = {}
    for ad in tree.ads:
        if query.node:
            node_depth, node_id = query.node
            owner = (
                None,
                tree.campaigns[ad.campaign_index].id,
                tree.adsets[ad.adset_index].id,
                ad.id,
            )
            if owner[node_depth] != node_id:
                continue
        if level_entity and not status_filtered:
            # Without a status filter, deleted and archived objects of the level are left out.
            obj = {
                "campaign": tree.campaigns[ad.campaign_index],
                "adset": tree.adsets[ad.adset_index],
                "ad": ad,
            }[level_entity]
            if view.effective_status(obj) in ("DELETED", "ARCHIVED"):
                continue
        keep = True
        for field, operator, value in clauses:
            entity, _, attribute = field.partition(".")
            obj_id = {
                "campaign": tree.campaigns[ad.campaign_index].id,
                "adset": tree.adsets[ad.adset_index].id,
                "ad": ad.id,
            }.get(entity, view.account.id)
            attrs = cache.get((entity, obj_id))
            if attrs is None:
                attrs = cache[(entity, obj_id)] = _entity_attributes(view, ad.index, entity)
            if not matches(attrs.get(attribute), operator, value):
                keep = False
                break
        if keep:
            mask[ad.index] = 1
    return mask


class RowFormatter:
    """Formats one group into a Graph insights row for the query's fields."""

    def __init__(self, query: InsightsQuery, view: View) -> None:
        self.query = query
        self.view = view
        account = view.account
        self.digits = account.digits
        self.custom_type = (
            f"offsite_conversion.custom.{derived_id('custom_conversion', account.id, 0)}"
        )
        today = account.end_date
        self.reach_hidden = query.reach_limited(today) and not query.reach_kept
        self.with_off_meta = not OFF_META_HIDDEN & set(query.breakdowns)
        self.windows = [w for w in query.windows if w in WINDOW_PARTS]
        self.action_extra = {
            b: _ACTION_BREAKDOWN_VALUES[b] for b in query.action_breakdowns if b != "action_type"
        }
        self.off_meta_extra = {
            b: v for b, v in self.action_extra.items() if b not in OFF_META_UNSPLIT_ACTIONS
        }

    def _dates(self, key: tuple[Any, ...]) -> tuple[str, str]:
        since, until = self.query.ranges[key[0]]
        slot = key[1]
        inc = self.query.row_increment
        if inc == "all_days":
            return since.isoformat(), until.isoformat()
        if inc == "monthly":
            year, month = slot
            start = max(since, date(year, month, 1))
            end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
            return start.isoformat(), min(until, end).isoformat()
        start = since + timedelta(days=slot * int(inc))
        end = min(until, start + timedelta(days=int(inc) - 1))
        return start.isoformat(), end.isoformat()

    def _stat(
        self, action_type: str, v: Sequence[int], base: int | None, total: int
    ) -> dict[str, str]:
        """base None: an on-Meta action; otherwise an off-Meta one, its windows' parts."""
        stat = {"action_type": action_type, "value": str(total)}
        stat.update(self.action_extra if base is None else self.off_meta_extra)
        for window in self.windows:
            if base is None:
                if window.endswith("click"):
                    stat[window] = str(total)
            else:
                stat[window] = str(sum(v[base + p] for p in WINDOW_PARTS[window]))
        return stat

    def _money_stat(self, action_type: str, v: Sequence[int]) -> dict[str, str]:
        stat = {
            "action_type": action_type,
            "value": format_minor(sum(v[X_VALUE + p] for p in DEFAULT_PARTS), self.digits),
        }
        stat.update(self.off_meta_extra)
        for window in self.windows:
            stat[window] = format_minor(
                sum(v[X_VALUE + p] for p in WINDOW_PARTS[window]), self.digits
            )
        return stat

    def actions(self, v: Sequence[int]) -> list[dict[str, str]]:
        out = []
        engagement = v[LIKES] + v[COMMENTS] + v[SHARES]
        for name, total in (
            ("link_click", v[CLK]),
            ("video_view", v[VIDEO]),
            ("post_reaction", v[LIKES]),
            ("comment", v[COMMENTS]),
            ("post", v[SHARES]),
            ("like", v[FOLLOWS]),
            ("post_engagement", engagement + v[CLK]),
            ("page_engagement", engagement + v[CLK] + v[FOLLOWS]),
        ):
            if total:
                out.append(self._stat(name, v, None, total))
        if not self.with_off_meta:
            return out
        conv = sum(v[X_CONV + p] for p in DEFAULT_PARTS)
        if any(v[X_CONV : X_CONV + PARTS]):
            for name in PURCHASE_TYPES:
                out.append(self._stat(name, v, X_CONV, conv))
        if any(v[X_CUSTOM : X_CUSTOM + PARTS]):
            custom = sum(v[X_CUSTOM + p] for p in DEFAULT_PARTS)
            out.append(self._stat(self.custom_type, v, X_CUSTOM, custom))
        return out

    def action_values(self, v: Sequence[int]) -> list[dict[str, str]]:
        if not self.with_off_meta or not any(v[X_VALUE : X_VALUE + PARTS]):
            return []
        return [self._money_stat(name, v) for name in PURCHASE_TYPES]

    def row(self, key: tuple[Any, ...], v: Sequence[int]) -> dict[str, Any]:
        q = self.query
        view = self.view
        account = view.account
        tree = view.tree
        depth = q.depth
        entity = key[2]
        campaign = adset = ad = None
        if depth == 3:
            ad = tree.ads[entity]
            adset = tree.adsets[ad.adset_index]
            campaign = tree.campaigns[ad.campaign_index]
        elif depth == 2:
            adset = tree.adsets[entity]
            campaign = tree.campaigns[adset.campaign_index]
        elif depth == 1:
            campaign = tree.campaigns[entity]
        imp, clk, spend = v[IMP], v[CLK], v[SPEND]
        reach = imp * 3 // 4 + (1 if imp else 0)
        values: dict[str, Callable[[], Any]] = {
            "account_id": lambda: bare(account),
            "account_name": lambda: account.name,
            "account_currency": lambda: account.currency,
            "impressions": lambda: str(imp),
            "clicks": lambda: str(clk),
            "spend": lambda: format_minor(spend, self.digits),
            "reach": lambda: None if self.reach_hidden else str(reach),
            "frequency": lambda: None if self.reach_hidden else _ratio(imp, reach),
            "cpp": lambda: (
                None if self.reach_hidden else _minor_ratio(spend, reach, 1000, self.digits)
            ),
            "ctr": lambda: _ratio(clk, imp, 100),
            "cpc": lambda: _minor_ratio(spend, clk, 1, self.digits),
            "cpm": lambda: _minor_ratio(spend, imp, 1000, self.digits),
            "unique_clicks": lambda: str(clk * 9 // 10),
            "inline_link_clicks": lambda: str(clk * 4 // 5),
            "inline_post_engagement": lambda: str(v[LIKES] + v[COMMENTS] + v[SHARES] + clk),
            "actions": lambda: self.actions(v) or None,
            "action_values": lambda: self.action_values(v) or None,
            "conversions": lambda: (
                [s for s in self.actions(v) if s["action_type"] in PURCHASE_TYPES[:1]] or None
            ),
            "conversion_values": lambda: self.action_values(v)[:1] or None,
            "purchase_roas": lambda: _roas(v, spend, self.digits) if self.with_off_meta else None,
            "cost_per_action_type": lambda: (
                [
                    {
                        "action_type": s["action_type"],
                        "value": _minor_ratio(spend, int(s["value"]), 1, self.digits),
                    }
                    for s in self.actions(v)
                ]
                or None
            ),
            "video_play_actions": lambda: (
                [{"action_type": "video_view", "value": str(v[VIDEO])}] if v[VIDEO] else None
            ),
            "date_start": lambda: self._dates(key)[0],
            "date_stop": lambda: self._dates(key)[1],
            "attribution_setting": lambda: "7d_click_1d_view" if depth >= 2 else None,
            "buying_type": lambda: "AUCTION" if depth >= 1 else None,
        }
        if campaign is not None:
            values["campaign_id"] = lambda: campaign.id
            values["campaign_name"] = lambda: view.name(campaign)
            values["objective"] = lambda: OBJECTIVE[campaign.objective]
            values["optimization_goal"] = lambda: OPTIMIZATION_GOAL[campaign.objective]
        if adset is not None:
            values["adset_id"] = lambda: adset.id
            values["adset_name"] = lambda: view.name(adset)
        if ad is not None:
            values["ad_id"] = lambda: ad.id
            values["ad_name"] = lambda: view.name(ad)
            values["created_time"] = lambda: view.time(ad.create_time)[:10]
            values["updated_time"] = lambda: view.time(view.updated(ad))[:10]
        row: dict[str, Any] = {}
        for name in q.fields:
            fn = values.get(name)
            if fn is not None:
                value = fn()
                if value is not None:
                    row[name] = value
        row["date_start"], row["date_stop"] = self._dates(key)
        for name, label in zip(q.breakdowns, key[3:], strict=True):
            row[name] = orjson.loads(label) if name in _OBJECT_BREAKDOWNS else label
        return row


def _minor_ratio(minor: int, den: int, scale: int, digits: int) -> str | None:
    """A money ratio in major units: minor / 10**digits * scale / den."""
    return _ratio(minor * scale, den * 10**digits)


def _roas(v: Sequence[int], spend: int, digits: int) -> list[dict[str, str]] | None:
    value = sum(v[X_VALUE + p] for p in DEFAULT_PARTS)
    if not value or not spend:
        return None
    return [{"action_type": "omni_purchase", "value": _ratio(value, spend)}]
