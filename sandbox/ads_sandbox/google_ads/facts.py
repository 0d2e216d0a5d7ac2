"""Report cells of one client account: the world's ad-day vectors at a resource's grain,
split exactly (largest remainder) over the view's own dimension and the selected segments.

Performance Max campaigns have no ad groups: their spend is only in the customer, campaign
and geographic views, as in the real API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from ads_sandbox.google_ads import conversions
from ads_sandbox.google_ads.conversions import ACTION_SEGMENTS
from ads_sandbox.google_ads.entities import (
    AGE_RANGES,
    DEVICES,
    GENDERS,
    NETWORKS,
    GoogleEntities,
    device_weights,
)
from ads_sandbox.world import World
from ads_sandbox.world.breakdowns import BREAKDOWN_VALUES, split_vector
from ads_sandbox.world.metrics import IMP, N_COLUMNS

Key = tuple
Cells = dict[Key, list[int]]

# Resources with metrics, and what their rows are keyed by.
GRAINS = (
    "customer",
    "campaign",
    "ad_group",
    "ad_group_ad",
    "keyword_view",
    "ad_group_criterion",
    "search_term_view",
    "age_range_view",
    "gender_view",
    "geographic_view",
    "conversion_action",
)
# Segments the emulator splits or derives (others, when selected, stay unset): these, the
# ones below and the conversion actions' (conversions.ACTION_SEGMENTS).
TIME_SEGMENTS = (
    "segments.date",
    "segments.week",
    "segments.month",
    "segments.quarter",
    "segments.year",
    "segments.day_of_week",
    "segments.month_of_year",
)
SPLIT_SEGMENTS = ("segments.device", "segments.ad_network_type")
_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_MONTHS = (
    "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE",
    "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER",
)  # fmt: skip
_COUNTRIES = BREAKDOWN_VALUES["country"]
assert len(AGE_RANGES) == len(BREAKDOWN_VALUES["age"])
assert len(GENDERS) == len(BREAKDOWN_VALUES["gender"])


def time_segment(name: str, day: date) -> object:
    if name == "segments.date":
        return day.isoformat()
    if name == "segments.week":
        return (day - timedelta(days=day.weekday())).isoformat()
    if name == "segments.month":
        return day.replace(day=1).isoformat()
    if name == "segments.quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1).isoformat()
    if name == "segments.year":
        return day.year
    if name == "segments.day_of_week":
        return _WEEKDAYS[day.weekday()]
    return _MONTHS[day.month - 1]


def _add(cells: Cells, key: Key, vector: list[int]) -> None:
    acc = cells.get(key)
    if acc is None:
        cells[key] = list(vector)
    else:
        for i in range(N_COLUMNS):
            acc[i] += vector[i]


def cells(
    world: World,
    ents: GoogleEntities,
    resource: str,
    first_day: int,
    last_day: int,
    segments: Iterable[str],
) -> Cells:
    """{(entity key, segment values...): vector} for every cell with impressions.

    The entity key's shape depends on the resource: () for customer, (campaign,),
    (ad set,), (ad,), (ad set, keyword), (ad set, keyword, term), (ad set, age),
    (ad set, gender), (campaign, country), (conversion action,)."""
    account = ents.account
    tree = world.entities(account)
    facts = world.facts(account)
    segments = tuple(segments)
    time_names = [s for s in TIME_SEGMENTS if s in segments]
    device = "segments.device" in segments
    network = "segments.ad_network_type" in segments
    action_names = [s for s in ACTION_SEGMENTS if s in segments]
    action_values = [
        tuple(action.segment(name) for name in action_names) for action in ents.conversion_actions
    ]
    ads = tree.ads
    pmax = ents.pmax
    keywords = ents.keywords
    view_split: Callable[[int, object, list[int]], list[tuple[Key, list[int]]]]

    def own(key_of: Callable[[object], Key | None]) -> Callable[[int, object, list[int]], list]:
        def split(ad_index: int, ad: object, vector: list[int]) -> list:
            key = key_of(ad)
            return [] if key is None else [(key, vector)]

        return split

    def by_weights(
        dimension: str, key_of: Callable[[object, int], Key | None]
    ) -> Callable[[int, object, list[int]], list]:
        def split(ad_index: int, ad: object, vector: list[int]) -> list:
            if key_of(ad, 0) is None:
                return []
            pieces = split_vector(vector, facts.breakdown_weights(ad_index, dimension))
            return [(key_of(ad, i), p) for i, p in enumerate(pieces) if p[IMP]]

        return split

    def by_keyword(terms: bool) -> Callable[[int, object, list[int]], list]:
        def split(ad_index: int, ad: object, vector: list[int]) -> list:
            group = keywords.get(ad.adset_index)
            if not group:
                return []
            out = []
            for kw, piece in zip(
                group, split_vector(vector, [k.weight for k in group]), strict=True
            ):
                if not piece[IMP]:
                    continue
                if not terms:
                    out.append(((ad.adset_index, kw.index), piece))
                    continue
                term_pieces = split_vector(piece, [w for _, w in kw.terms])
                out.extend(
                    ((ad.adset_index, kw.index, t), tp)
                    for t, tp in enumerate(term_pieces)
                    if tp[IMP]
                )
            return out

        return split

    def by_action(ad_index: int, ad: object, vector: list[int]) -> list:
        weights = ents.action_weights[ad.campaign_index]
        return [((i,), p) for i, p in conversions.split(vector, weights)]

    def in_group(ad: object) -> bool:
        return ad.campaign_index not in pmax

    if resource == "customer":
        view_split = own(lambda ad: ())
    elif resource == "campaign":
        view_split = own(lambda ad: (ad.campaign_index,))
    elif resource == "ad_group":
        view_split = own(lambda ad: (ad.adset_index,) if in_group(ad) else None)
    elif resource == "ad_group_ad":
        view_split = own(lambda ad: (ad.index,) if in_group(ad) else None)
    elif resource in ("keyword_view", "ad_group_criterion"):
        view_split = by_keyword(False)
    elif resource == "search_term_view":
        view_split = by_keyword(True)
    elif resource == "age_range_view":
        view_split = by_weights("age", lambda ad, i: (ad.adset_index, i) if in_group(ad) else None)
    elif resource == "gender_view":
        view_split = by_weights(
            "gender", lambda ad, i: (ad.adset_index, i) if in_group(ad) else None
        )
    elif resource == "geographic_view":
        view_split = by_weights("country", lambda ad, i: (ad.campaign_index, i))
    elif resource == "conversion_action":
        view_split = by_action
    else:
        return {}

    out: Cells = {}
    day_values: dict[int, tuple] = {}
    for day, ad_index, vector in world.rows(account, first_day, last_day):
        tvals = day_values.get(day)
        if tvals is None:
            when = account.date_at(day)
            tvals = day_values[day] = tuple(time_segment(n, when) for n in time_names)
        ad = ads[ad_index]
        for key, piece in view_split(ad_index, ad, vector):
            if not (device or network or action_names):
                _add(out, (*key, *tvals), piece)
                continue
            parts = [((), piece)]
            if device:
                weights = device_weights(facts.breakdown_weights(ad_index, "device"))
                parts = [
                    ((DEVICES[i],), p) for i, p in enumerate(split_vector(piece, weights)) if p[IMP]
                ]
            if network:
                weights = facts.breakdown_weights(ad_index, "placement")
                parts = [
                    ((*k, NETWORKS[i]), p)
                    for k, cell in parts
                    for i, p in enumerate(split_vector(cell, weights))
                    if p[IMP]
                ]
            if action_names and resource == "conversion_action":  # the row's own action
                parts = [((*k, *action_values[key[0]]), p) for k, p in parts]
            elif action_names:
                weights = ents.action_weights[ad.campaign_index]
                parts = [
                    ((*k, *action_values[i]), p)
                    for k, cell in parts
                    for i, p in conversions.split(cell, weights)
                ]
            for segs, p in parts:
                _add(out, (*key, *tvals, *segs), p)
    return out


def segment_order(segments: Iterable[str]) -> list[str]:
    """The order cells() puts segment values in its keys: time segments, then splits."""
    chosen = set(segments)
    return [s for s in (*TIME_SEGMENTS, *SPLIT_SEGMENTS, *ACTION_SEGMENTS) if s in chosen]


def country_of(index: int) -> str:
    return _COUNTRIES[index]
