"""Computes report results from the world's ad-day facts, caches them per query for paging.

Every split (hours, audience and BASIC dimensions) is exact, of the world's columns and of the
derived ones (`derived`) alike, so any report's rows add up to any coarser report's."""

from __future__ import annotations

import csv
import functools
import io
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from operator import add
from typing import Any
from zoneinfo import ZoneInfo

from ads_sandbox.tiktok.basic_values import Values, ad_values
from ads_sandbox.tiktok.catalog import CATALOG
from ads_sandbox.tiktok.derived import DerivedColumns
from ads_sandbox.tiktok.metrics import ColumnFn, MetricContext, Page, metric_column, summable
from ads_sandbox.tiktok.report_query import AD_ID_V2, ReportQuery
from ads_sandbox.tiktok.vocab import AUDIENCE_DIMENSIONS, OBJECTIVE_TYPE, TITLES, VALUE_LABELS
from ads_sandbox.world import Account, World
from ads_sandbox.world.breakdowns import (
    BREAKDOWN_ORDER,
    BREAKDOWN_VALUES,
    split_cells,
    split_vector,
)
from ads_sandbox.world.entities import AccountEntities
from ads_sandbox.world.metrics import IMP
from ads_sandbox.world.smart_plus import Creative

Key = tuple[int, ...]  # (time slot, entity index, audience value indexes in canonical order...)
#: UTC time slots (`multi_adv_report_in_utc_time`) count days or hours from this date.
_EPOCH = date(1970, 1, 1)
_MAX_CACHED_ROWS = 1_500_000


def unpadded(value: str) -> str:
    """Money as TikTok writes it for several advertisers: no padding decimals ("12.3")."""
    if "." not in value:
        return value
    return value.rstrip("0").rstrip(".")


def throttle_message(limit: int) -> str:
    count = f"{limit // 1000}k" if limit % 1000 == 0 else str(limit)
    return (
        f"Number of ad ids is equal or more than {count}, only return the top {count} ad ids "
        "sorted by create time. Use filtering on campaign_ids or adgroup_ids, or an async "
        "report task, to get every ad."
    )


class ReportResult:
    """Rows of one query in a stable order, kept as keys plus a flat array of column sums
    (`width` columns a row: the world's, then the derived ones the metrics read)."""

    def __init__(
        self,
        query: ReportQuery,
        account: Account,
        tree: AccountEntities,
        metrics: list[tuple[str, ColumnFn]],
        width: int,
        groups: dict[Key, list[int]],
        throttle: str | None,
        labels: list[str] | None = None,
        creatives: list[Creative] | None = None,
    ) -> None:
        self.query = query
        self.throttle = throttle
        #: The BASIC dimension's values, by the index its keys hold.
        self.labels = labels or []
        #: Distinct ads with rows before any truncation (the 20,000-ad limit counts them).
        self.ad_count = 0
        self.keys = sorted(groups)
        #: Entity indexes past the ads' are Upgraded Smart+ creatives (`ad_id` rows).
        self._creatives = creatives or []
        self._entity_ads = [c.ad_index for c in self._creatives]
        self._first_creative = len(tree.ads)
        self.width = width
        self.values = array("q")
        for key in self.keys:
            self.values.extend(groups[key])
        self._dims = self._dimension_columns(account, tree)
        self._metrics = metrics

    def __len__(self) -> int:
        return len(self.keys)

    @functools.cached_property
    def totals(self) -> dict[str, Decimal | str]:
        """`enable_total_metrics`: each summable metric's sum over every row (exact, from the
        rows as served), the other metrics computed from the summed columns, attributes "-"."""
        names = [name for name, _ in self._metrics]
        sums = {name: Decimal(0) for name in names if summable(name)}
        for start in range(0, len(self.keys), 5000):
            _, columns = self._columns(start, start + 5000)
            for name, column in zip(names, columns, strict=True):
                if name in sums:
                    sums[name] += sum(map(Decimal, column), Decimal(0))
        flat, width = self.values, self.width
        whole = Page([[sum(flat[c::width])] for c in range(width)], [0])
        totals: dict[str, Decimal | str] = {}
        for name, fn in self._metrics:
            if name in sums:
                totals[name] = sums[name] if self.keys else Decimal(fn(whole)[0])
            elif CATALOG[name].section == "attribute":
                totals[name] = "-"
            else:
                totals[name] = fn(whole)[0]
        return totals

    def _dimension_columns(
        self, account: Account, tree: AccountEntities
    ) -> list[tuple[str, Callable[[list[Key]], list[str]]]]:
        q = self.query
        days = [account.date_at(d).isoformat() for d in range(account.days)]
        midnights = [f"{d} 00:00:00" for d in days]
        objects: Any = (None, tree.campaigns, tree.adsets, tree.ads)[q.depth]
        ids = [o.id for o in objects] if objects else []
        ids += [c.id for c in self._creatives]
        canonical = [AUDIENCE_DIMENSIONS[d][0] for d in q.audience_dimensions]
        order = [b for b in BREAKDOWN_ORDER if b in canonical]
        columns: list[tuple[str, Callable[[list[Key]], list[str]]]] = []
        for dim in q.dimensions:
            if dim == "stat_time_day" and q.utc:
                fn = lambda keys: [f"{_EPOCH + timedelta(days=k[0])} 00:00:00" for k in keys]  # noqa: E731
            elif dim == "stat_time_hour" and q.utc:
                fn = lambda keys: [  # noqa: E731
                    f"{_EPOCH + timedelta(days=k[0] // 24)} {k[0] % 24:02d}:00:00" for k in keys
                ]
            elif dim == "stat_time_day":
                fn: Callable[[list[Key]], list[str]] = lambda keys: [  # noqa: E731
                    midnights[k[0]] for k in keys
                ]
            elif dim == "stat_time_hour":
                fn = lambda keys: [  # noqa: E731
                    f"{days[k[0] // 24]} {k[0] % 24:02d}:00:00" for k in keys
                ]
            elif dim == "advertiser_id":
                fn = lambda keys, i=account.id: [i] * len(keys)  # noqa: E731
            elif dim in ("campaign_id", "adgroup_id", "ad_id", AD_ID_V2):
                fn = lambda keys: [ids[k[1]] for k in keys]  # noqa: E731
            elif dim == q.basic_dimension and dim not in AUDIENCE_DIMENSIONS:
                fn = lambda keys, labels=self.labels: [labels[k[2]] for k in keys]  # noqa: E731
            else:
                breakdown, names = AUDIENCE_DIMENSIONS[dim]
                labels = [names[v] for v in BREAKDOWN_VALUES[breakdown]]
                pos = 2 + order.index(breakdown)
                fn = lambda keys, labels=labels, pos=pos: [labels[k[pos]] for k in keys]  # noqa: E731
            columns.append((dim, fn))
        return columns

    def _columns(self, start: int, stop: int) -> tuple[list[list[str]], list[list[str]]]:
        """Formatted dimension and metric columns of rows start..stop."""
        keys = self.keys[start:stop]
        width = self.width
        flat = self.values[start * width : stop * width]
        first, creative_ads = self._first_creative, self._entity_ads
        entities = [k[1] if k[1] < first else creative_ads[k[1] - first] for k in keys]
        page = Page([flat[c::width] for c in range(width)], entities)
        return [fn(keys) for _, fn in self._dims], [fn(page) for _, fn in self._metrics]

    def json_rows(self, start: int, stop: int) -> list[dict[str, dict[str, str]]]:
        dim_names = [name for name, _ in self._dims]
        metric_names = [name for name, _ in self._metrics]
        dims, metrics = self._columns(start, stop)
        return [
            {
                "dimensions": dict(zip(dim_names, d, strict=True)),
                "metrics": dict(zip(metric_names, m, strict=True)),
            }
            for d, m in zip(zip(*dims, strict=True), zip(*metrics, strict=True), strict=True)
        ]

    def csv_text(
        self,
        translate: bool,
        extra: dict[str, str] | None = None,
        header: bool = True,
        money: frozenset[str] | None = None,
    ) -> str:
        """The rows as a report task's CSV; `extra` columns (a multi-advertiser task's
        advertiser_id, currency, timezone) are added to every row. `money`: a multi-advertiser
        task's money metrics, unpadded as TikTok writes them (or "-" without an ID dimension)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        names = [name for name, _ in self._dims] + [name for name, _ in self._metrics]
        added = [name for name in extra or {} if name not in names]
        if header:
            names += added
            writer.writerow([TITLES.get(h, h) for h in names] if translate else names)
        tail = [(extra or {})[name] for name in added]
        for start in range(0, len(self.keys), 1000):
            dims, metrics = self._columns(start, start + 1000)
            if translate:
                dims = [[VALUE_LABELS.get(v, v) for v in column] for column in dims]
            if money:
                dash = not self.query.has_id_dimension
                metrics = [
                    (["-"] * len(column) if dash else list(map(unpadded, column)))
                    if name in money
                    else column
                    for (name, _), column in zip(self._metrics, metrics, strict=True)
                ]
            writer.writerows([*row, *tail] for row in zip(*dims, *metrics, strict=True))
        return out.getvalue()


class ReportEngine:
    def __init__(self, world: World, sync_ad_limit: int) -> None:
        self.world = world
        self.sync_ad_limit = sync_ad_limit
        self._cache: OrderedDict[tuple[Any, ...], ReportResult] = OrderedDict()
        self._cached_rows = 0

    def result(
        self, account: Account, query: ReportQuery, revision: int, *, truncate: bool
    ) -> ReportResult:
        key = (account.id, query, revision, truncate)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        result = self.compute(account, query, revision, truncate=truncate)
        self._cache[key] = result
        self._cached_rows += len(result)
        while self._cached_rows > _MAX_CACHED_ROWS and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cached_rows -= len(old)
        return result

    def compute(
        self, account: Account, query: ReportQuery, revision: int, *, truncate: bool
    ) -> ReportResult:
        tree = self.world.entities(account)
        mask = self._ad_mask(tree, query)
        derived = DerivedColumns()
        smart = self.world.smart_plus(account)
        ctx = MetricContext(
            account,
            tree,
            tree.touches(revision),
            query.depth,
            query.has_id_dimension,
            derived,
            smart,
            query.by_creative,
        )
        metrics = [(m, metric_column(m, ctx)) for m in query.metrics]
        groups, ads_seen, labels = self._aggregate(account, query, mask, revision, derived)
        throttle = None
        limit = self.sync_ad_limit
        if truncate and query.depth == 3 and len(ads_seen) > limit:
            ads = tree.ads
            newest = sorted(ads_seen, key=lambda i: (ads[i].create_time, ads[i].id), reverse=True)
            mask = bytearray(len(ads))
            for i in newest[:limit]:
                mask[i] = 1
            groups, _, labels = self._aggregate(account, query, mask, revision, derived)
            throttle = throttle_message(limit)
        creatives = [c for ad in sorted(smart.creatives) for c in smart.creatives[ad]]
        result = ReportResult(
            query,
            account,
            tree,
            metrics,
            derived.width,
            groups,
            throttle,
            labels,
            creatives if query.by_creative else None,
        )
        result.ad_count = len(ads_seen)
        return result

    @staticmethod
    def _ad_mask(tree: AccountEntities, q: ReportQuery) -> bytearray:
        """1 for each ad whose rows the query's filters keep."""
        campaign_ids, adgroup_ids, ad_ids = q.id_filters
        no_campaigns, no_adgroups, no_ads = q.id_exclusions
        mask = bytearray(len(tree.ads))
        objectives = q.objective_types
        for ad in tree.ads:
            camp = tree.campaigns[ad.campaign_index]
            adset = tree.adsets[ad.adset_index]
            if campaign_ids is not None and camp.id not in campaign_ids:
                continue
            if adgroup_ids is not None and adset.id not in adgroup_ids:
                continue
            if ad_ids is not None and ad.id not in ad_ids:
                continue
            if camp.id in no_campaigns or adset.id in no_adgroups or ad.id in no_ads:
                continue
            objective = OBJECTIVE_TYPE[camp.objective]
            if objectives is not None and objective not in objectives:
                continue
            if objective in q.excluded_objectives:
                continue
            if all(
                _status_passes(status, obj.deleted_by is not None)
                for status, obj in zip(q.statuses, (camp, adset, ad), strict=True)
            ):
                mask[ad.index] = 1
        return mask

    def _aggregate(
        self,
        account: Account,
        q: ReportQuery,
        mask: bytearray,
        revision: int,
        derived: DerivedColumns,
    ) -> tuple[dict[Key, list[int]], set[int], list[str]]:
        """Rows by key, the ads that had rows, and the BASIC dimension's values (by index)."""
        tree = self.world.entities(account)
        facts = self.world.facts(account)
        time_dim = q.time_dimension
        utc_slots = None
        if q.start is None or q.end is None:
            first, last = 0, account.days - 1
        else:
            first, last = account.day_of(q.start), account.day_of(q.end)
            if q.utc and time_dim:
                # UTC days overlap the local days around them; the slots outside are dropped.
                utc_slots = _utc_slot_fn(account, q.start, q.end, time_dim)
                first, last = max(0, first - 1), min(account.days - 1, last + 1)
        entity_of: list[int] | None = None
        if q.has_id_dimension and q.depth:
            entity_of = [
                (0, ad.campaign_index, ad.adset_index, ad.index)[q.depth] for ad in tree.ads
            ]
        canonical = {AUDIENCE_DIMENSIONS[d][0] for d in q.audience_dimensions}
        breakdowns = [b for b in BREAKDOWN_ORDER if b in canonical]
        basic = q.basic_dimension if q.basic_dimension not in AUDIENCE_DIMENSIONS else None
        label_index: dict[str, int] = {}
        per_ad: dict[int, tuple[list[int], list[int]]] = {}
        groups: dict[Key, list[int]] = {}
        seen: set[int] = set()
        extended = bool(derived.specs)
        # Upgraded Smart+ ads' creatives, with their entity indexes past the ads' (in the
        # order ReportResult lists them): the keys of `ad_id` rows.
        by_creative = q.by_creative and q.has_id_dimension
        smart = self.world.smart_plus(account)
        creatives: dict[int, list[tuple[int, int]]] = {}
        entity = len(tree.ads)
        for ad in sorted(smart.creatives):
            creatives[ad] = []
            for creative in smart.creatives[ad]:
                creatives[ad].append((entity, creative.weight))
                entity += 1

        def pieces_of(vector: list[int], weights: list[int]) -> list[list[int]]:
            pieces = split_vector(vector, weights)
            return derived.apportion(vector, pieces) if extended else pieces

        def basic_values(ad: int) -> tuple[list[int], list[int]]:
            """The ad's value indexes and weights for the BASIC dimension."""
            cached = per_ad.get(ad)
            if cached is None:
                values: Values = ad_values(basic, account, tree, ad)  # type: ignore[arg-type]
                indexes = [label_index.setdefault(v, len(label_index)) for v, _ in values]
                cached = per_ad[ad] = (indexes, [w for _, w in values])
            return cached

        def split(
            ad: int, head: tuple[int, ...], vector: list[int]
        ) -> Iterator[tuple[Key, list[int]]]:
            if basic is not None:
                indexes, weights = basic_values(ad)
                if weights:
                    for index, piece in zip(indexes, pieces_of(vector, weights), strict=True):
                        if piece[IMP]:
                            yield (*head, index), piece
                return
            if breakdowns:
                weights = [facts.breakdown_weights(ad, b) for b in breakdowns]
                cells = split_cells(vector, weights)
                if extended:
                    derived.apportion(vector, [piece for _, piece in cells])
                for index, piece in cells:
                    yield (*head, *index), piece
                return
            yield head, vector

        def timed(
            day: int, ad: int, entity: int, vector: list[int]
        ) -> Iterator[tuple[Key, list[int]]]:
            if time_dim == "stat_time_hour" or utc_slots is not None:
                hour_weights = facts.breakdown_weights(ad, "hour")
                exists = self.world.local_hours(account, day)
                pieces = pieces_of(
                    vector, [w * e for w, e in zip(hour_weights, exists, strict=True)]
                )
                slots = utc_slots(day) if utc_slots else range(day * 24, day * 24 + 24)
                for slot, piece in zip(slots, pieces, strict=True):
                    if piece[IMP] and slot is not None:
                        yield from split(ad, (slot, entity), piece)
                return
            slot = day if time_dim == "stat_time_day" else 0
            yield from split(ad, (slot, entity), vector)

        def cells(day: int, ad: int, vector: list[int]) -> Iterator[tuple[Key, list[int]]]:
            """An Upgraded Smart+ ad's day is split by creative first, in every report, so
            that its creatives' rows (`ad_id`) add up to any coarser report's."""
            entity = entity_of[ad] if entity_of is not None else 0
            parts = creatives.get(ad)
            if parts is None:
                yield from timed(day, ad, entity, vector)
                return
            pieces = pieces_of(vector, [weight for _, weight in parts])
            for (creative, _), piece in zip(parts, pieces, strict=True):
                if any(piece):
                    yield from timed(day, ad, creative if by_creative else entity, piece)

        for day, ad, vector in self.world.rows(account, first, last, revision):
            if not mask[ad]:
                continue
            seen.add(ad)
            if extended:
                vector = derived.extend(day, ad, vector)
            for key, piece in cells(day, ad, vector):
                total = groups.get(key)
                groups[key] = piece if total is None else list(map(add, total, piece))
        labels = sorted(label_index, key=label_index.__getitem__)
        return groups, seen, labels


def _utc_slot_fn(
    account: Account, start: date, end: date, time_dim: str
) -> Callable[[int], list[int | None]]:
    """For a local day, the UTC slot of each of its 24 hours (days or hours since 1970-01-01),
    None outside start..end (UTC days)."""
    tz = ZoneInfo(account.timezone)
    low, high = (start - _EPOCH).days, (end - _EPOCH).days
    cache: dict[int, list[int | None]] = {}

    def slots(day: int) -> list[int | None]:
        if day not in cache:
            local = account.date_at(day)
            out: list[int | None] = []
            for hour in range(24):
                moment = datetime.combine(local, time(hour), tz).astimezone(UTC)
                utc_hour = (moment.date() - _EPOCH).days * 24 + moment.hour
                inside = low <= utc_hour // 24 <= high
                out.append(
                    (utc_hour if time_dim == "stat_time_hour" else utc_hour // 24)
                    if inside
                    else None
                )
            cache[day] = out
        return cache[day]

    return slots


def _status_passes(status: str, deleted: bool) -> bool:
    if status == "STATUS_ALL":
        return True
    return deleted if status == "STATUS_DELETE" else not deleted
