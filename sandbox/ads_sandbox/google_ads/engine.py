"""Running one GAQL query for one customer: validation against the version's catalog, rows
from the world, WHERE, ORDER BY, LIMIT, and the rows as the version's `GoogleAdsRow`s."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ads_sandbox.google_ads import clicks, conversions, facts
from ads_sandbox.google_ads.catalog import (
    DATE_SEGMENTS,
    METRIC,
    RESOURCE,
    SEGMENT,
    Catalog,
    FieldInfo,
)
from ads_sandbox.google_ads.directory import Customer, Directory
from ads_sandbox.google_ads.entities import (
    AGE_RANGES,
    GENDERS,
    GEO_TARGETS,
    GoogleEntities,
    Record,
    customer_client_record,
    customer_record,
)
from ads_sandbox.google_ads.gaql import Condition, Identifier, Query
from ads_sandbox.google_ads.metrics import metric_values
from ads_sandbox.world import World
from ads_sandbox.world.metrics import CLK, N_COLUMNS

RETENTION_MONTHS = 37
CHANGE_STATUS_LIMIT = 10_000
CHANGE_STATUS_DAYS = 90


class QueryFailure(Exception):
    """A request the API refuses: the error family (a GoogleAdsError.error_code field), its
    enum name, and the message and trigger the API puts beside it."""

    def __init__(self, family: str, code: str, message: str, trigger: str | None = None) -> None:
        super().__init__(message)
        self.family = family
        self.code = code
        self.trigger = trigger


def _query_error(code: str, message: str, trigger: str | None = None) -> QueryFailure:
    return QueryFailure("query_error", code, message, trigger)


@dataclass(slots=True)
class Row:
    context: dict[str, Record]
    segments: dict[str, Any]
    vector: list[int] | None
    _metrics: dict[str, Any] | None = None


@dataclass
class Result:
    rows: list[Row]
    selected: list[FieldInfo]
    digits: int
    omit_resource_names: bool
    total: list[int] | None = None  # summed vector of every row, for summary rows
    metric_names: list[str] = field(default_factory=list)


def _parse_date(value: object, name: str) -> date:
    text = str(value)
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise _query_error("INVALID_DATE_FORMAT", f"Invalid date format for {name}: {text!r}.", text)


def during_range(literal: str, today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    sunday_start = today - timedelta(days=(today.weekday() + 1) % 7)
    first = today.replace(day=1)
    if literal == "TODAY":
        return today, today
    if literal == "YESTERDAY":
        return today - timedelta(days=1), today - timedelta(days=1)
    if literal.startswith("LAST_") and literal.endswith("_DAYS"):
        n = int(literal[5:-5])
        return today - timedelta(days=n), today - timedelta(days=1)
    if literal == "THIS_MONTH":
        return first, today
    if literal == "LAST_MONTH":
        end = first - timedelta(days=1)
        return end.replace(day=1), end
    if literal == "THIS_WEEK_MON_TODAY":
        return monday, today
    if literal == "THIS_WEEK_SUN_TODAY":
        return sunday_start, today
    if literal == "LAST_WEEK_MON_SUN":
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if literal == "LAST_WEEK_SUN_SAT":
        return sunday_start - timedelta(days=7), sunday_start - timedelta(days=1)
    # LAST_BUSINESS_WEEK: Monday to Friday of the previous week
    return monday - timedelta(days=7), monday - timedelta(days=3)


def _like(pattern: str) -> re.Pattern[str]:
    parts = []
    for ch in pattern:
        parts.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


class _Matcher:
    """One WHERE condition compiled against its field's type."""

    def __init__(self, condition: Condition, info: FieldInfo, today: date) -> None:
        self.condition = condition
        self.info = info
        op = condition.operator
        if op == "DURING":  # a literal (LAST_7_DAYS), not a date
            low, high = during_range(str(condition.values[0]), today)
            values: list[object] = [low.isoformat(), high.isoformat()]
            op = "BETWEEN"
        else:
            values = [self._normalize(v) for v in condition.values]
        self.op = op
        self.values = values
        self.regex = None
        if op in ("LIKE", "NOT LIKE"):
            self.regex = _like(str(condition.values[0]))
        elif op in ("REGEXP_MATCH", "NOT REGEXP_MATCH"):
            try:
                self.regex = re.compile(str(condition.values[0]), re.DOTALL)
            except re.error:
                raise _query_error(
                    "BAD_VALUE", f"Invalid regular expression for {info.name}.", info.name
                ) from None

    def _normalize(self, value: object) -> object:
        info = self.info
        if info.data_type == "ENUM":
            name = str(value)
            if name not in info.enum_values:
                raise _query_error(
                    "BAD_ENUM_CONSTANT",
                    f"Invalid enum value for {info.name}: {name!r}.",
                    name,
                )
            return name
        if info.data_type == "DATE":
            return _parse_date(value, info.name).isoformat()
        if info.data_type == "BOOLEAN":
            text = str(value).lower()
            if text not in ("true", "false"):
                raise _query_error("BAD_VALUE", f"{info.name} takes TRUE or FALSE.", str(value))
            return text == "true"
        if info.data_type in ("INT32", "INT64", "UINT64", "DOUBLE", "FLOAT"):
            if isinstance(value, int | float):
                return value
            try:
                return float(value) if "." in str(value) else int(str(value))
            except ValueError:
                raise _query_error(
                    "BAD_NUMBER", f"Invalid number for {info.name}: {value!r}.", str(value)
                ) from None
        if isinstance(value, Identifier) and info.data_type in ("STRING", "RESOURCE_NAME"):
            raise _query_error("BAD_VALUE", f"{info.name} takes a quoted string.", str(value))
        return value

    def __call__(self, value: object) -> bool:
        op = self.op
        if op == "IS NULL":
            return value is None or value == ""
        if op == "IS NOT NULL":
            return not (value is None or value == "")
        if op.startswith("CONTAINS"):
            items = set(value or ())
            wanted = set(self.values)
            if op == "CONTAINS ANY":
                return bool(items & wanted)
            if op == "CONTAINS ALL":
                return wanted <= items
            return not items & wanted
        if value is None:
            return op in ("!=", "NOT IN", "NOT LIKE", "NOT REGEXP_MATCH")
        if self.regex is not None:
            found = self.regex.fullmatch(str(value)) is not None
            return found != op.startswith("NOT")
        v = self.values
        try:
            if op == "=":
                return value == v[0]
            if op == "!=":
                return value != v[0]
            if op == "IN":
                return value in v
            if op == "NOT IN":
                return value not in v
            if op == "BETWEEN":
                return v[0] <= value <= v[1]
            if op == ">":
                return value > v[0]
            if op == ">=":
                return value >= v[0]
            if op == "<":
                return value < v[0]
            return value <= v[0]
        except TypeError:
            return False


def _getter(info: FieldInfo, digits: int) -> Callable[[Row], Any]:
    name = info.name
    if info.category == METRIC:

        def metric(row: Row) -> Any:
            if row.vector is None:
                return None
            if row._metrics is None:
                row._metrics = metric_values(row.vector, digits)
            return row._metrics.get(name)

        return metric
    if info.category == SEGMENT:
        return lambda row: row.segments.get(name)
    resource = info.resource
    return lambda row: (row.context.get(resource) or {}).get(name)


class Engine:
    """Answers queries for the customers of one directory, on one world."""

    def __init__(
        self,
        world: World,
        directory: Directory,
        build_entities: Callable[[Customer], GoogleEntities],
    ) -> None:
        self.world = world
        self.directory = directory
        self._build = build_entities
        self._entities: dict[str, GoogleEntities] = {}
        self._gclids: clicks.Gclids | None = None

    def entities(self, customer: Customer) -> GoogleEntities:
        built = self._entities.get(customer.id)
        if built is None:
            built = self._entities[customer.id] = self._build(customer)
        return built

    # -- validation ---------------------------------------------------------------------

    def validate(self, query: Query, catalog: Catalog) -> list[FieldInfo]:
        resource = catalog.get(query.resource)
        if resource is None or resource.category != RESOURCE:
            raise _query_error(
                "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE",
                f"Invalid resource type in the FROM clause: {query.resource!r}.",
                query.resource,
            )
        attributed = catalog.attributed(query.resource)
        selected: list[FieldInfo] = []
        seen: set[str] = set()
        for name in query.select:
            info = catalog.get(name)
            if info is None:
                raise _query_error(
                    "UNRECOGNIZED_FIELD", f"Unrecognized field in the query: '{name}'.", name
                )
            if info.category == RESOURCE:
                raise _query_error(
                    "PROHIBITED_FIELD_IN_SELECT_CLAUSE",
                    f"The following field may not be used in SELECT clause: '{name}'.",
                    name,
                )
            if info.category not in (METRIC, SEGMENT) and info.resource not in attributed:
                raise _query_error(
                    "PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE",
                    f"Cannot select fields from the following resource: '{info.resource}', "  # noqa: S608 - GAQL error text
                    "since it is not segmentable by the resource in the FROM clause.",
                    name,
                )
            if name in seen:
                continue  # the API tolerates a repeated field and returns it once
            seen.add(name)
            selected.append(info)
        for cond in query.where:
            if catalog.get(cond.field) is None:
                raise _query_error(
                    "UNRECOGNIZED_FIELD",
                    f"Unrecognized field in the query: '{cond.field}'.",
                    cond.field,
                )
            if catalog.get(cond.field).category == RESOURCE:
                raise _query_error(
                    "PROHIBITED_FIELD_IN_WHERE_CLAUSE",
                    f"The following field may not be used in WHERE clause: '{cond.field}'.",
                    cond.field,
                )
        for ordering in query.order_by:
            info = catalog.get(ordering.field)
            if info is None:
                raise _query_error(
                    "UNRECOGNIZED_FIELD",
                    f"Unrecognized field in the query: '{ordering.field}'.",
                    ordering.field,
                )
            if not info.sortable:
                raise _query_error(
                    "PROHIBITED_FIELD_IN_ORDER_BY_CLAUSE",
                    f"The following field may not be used in ORDER BY clause: '{info.name}'.",
                    info.name,
                )
        return selected

    # -- execution ----------------------------------------------------------------------

    def run(self, query: Query, catalog: Catalog, customer: Customer) -> Result:
        selected = self.validate(query, catalog)
        tz = ZoneInfo(customer.timezone)
        today = datetime.now(tz).date()
        matchers = [_Matcher(c, catalog.get(c.field), today) for c in query.where]
        uses_metrics = any(i.category == METRIC for i in selected) or any(
            m.info.category == METRIC for m in matchers
        )
        selected_segments = [i.name for i in selected if i.category == SEGMENT]
        filtered_segments = [m.info.name for m in matchers if m.info.category == SEGMENT]
        for m in matchers:
            _check_aligned(m)
        _check_conversion_segments(query.resource, selected, matchers)
        low, high = self._date_bounds(matchers)
        dated = [s for s in selected_segments if s in DATE_SEGMENTS]
        if dated and (low is None or high is None):
            raise _query_error(
                "EXPECTED_FILTERS_ON_DATE_RANGE",
                "Filters on date range are expected when selecting segments.date, week, "
                "month or quarter: add a finite date range in the WHERE clause.",
                dated[0],
            )
        if dated and low is not None and low < _months_before(today, RETENTION_MONTHS):
            raise QueryFailure(
                "date_range_error",
                "REQUESTED_DATE_GRANULARITY_NOT_SUPPORTED",
                f"Daily data is kept for {RETENTION_MONTHS} months; {low} is older.",
            )
        if query.resource == "change_status":
            self._check_change_status(query, matchers, today)
        if query.resource == "click_view":
            _check_click_view(selected, matchers, low, high, today)
        if uses_metrics and customer.manager:
            raise _query_error(
                "REQUESTED_METRICS_FOR_MANAGER",
                "Metrics cannot be requested for a manager account. To retrieve metrics, "
                "issue separate requests against each client account under the manager account.",
            )
        digits = customer.account.digits if customer.account is not None else 2
        metric_names = [i.name for i in selected if i.category == METRIC]
        if customer.account is None:
            rows = self._plain_rows(query.resource, customer)
        elif query.resource == "click_view":
            rows = self._click_rows(customer, low)
        elif query.resource in facts.GRAINS and (
            uses_metrics or selected_segments or filtered_segments
        ):
            rows = self._fact_rows(
                query.resource,
                customer,
                selected_segments,
                filtered_segments,
                low,
                high,
            )
        else:
            rows = self._plain_rows(query.resource, customer)
        getters = {m.info.name: _getter(m.info, digits) for m in matchers}
        if matchers:
            rows = [r for r in rows if all(m(getters[m.info.name](r)) for m in matchers)]
        extra = [s for s in dict.fromkeys(filtered_segments) if s not in selected_segments]
        if extra:
            rows = _collapse(rows, extra)
        for ordering in reversed(query.order_by):
            get = _getter(catalog.get(ordering.field), digits)
            rows.sort(key=lambda r: _sort_key(get(r)), reverse=ordering.descending)
        if query.limit is not None:
            rows = rows[: query.limit]
        total = None
        if metric_names:
            total = [0] * N_COLUMNS
            for row in rows:
                if row.vector is not None:
                    for i in range(N_COLUMNS):
                        total[i] += row.vector[i]
        omit = query.parameters.get("omit_unselected_resource_names", False)
        return Result(rows, selected, digits, omit, total, metric_names)

    @staticmethod
    def _date_bounds(matchers: list[_Matcher]) -> tuple[date | None, date | None]:
        """The days a query's filters on date segments reach (a filter on a week, month,
        quarter or year reaches its last day)."""
        low: date | None = None
        high: date | None = None
        for m in matchers:
            name = m.info.name
            if name not in DATE_SEGMENTS or not m.values or m.op not in _BOUNDING:
                continue
            starts = [_period_start(name, v) for v in m.values]
            during = m.condition.operator == "DURING"  # days, whatever the segment
            ends = starts if during else [_period_end(name, d) for d in starts]
            lo = hi = None
            if m.op in ("=", "IN") or m.op == "BETWEEN":
                lo, hi = min(starts), max(ends)
            elif m.op in (">", ">="):
                lo = ends[0] + timedelta(days=1) if m.op == ">" else starts[0]
            elif m.op in ("<", "<="):
                hi = starts[0] - timedelta(days=1) if m.op == "<" else ends[0]
            if lo is not None:
                low = lo if low is None else max(low, lo)
            if hi is not None:
                high = hi if high is None else min(high, hi)
        return low, high

    @staticmethod
    def _check_change_status(query: Query, matchers: list[_Matcher], today: date) -> None:
        family = "change_status_error"
        if query.limit is None:
            raise QueryFailure(
                family, "LIMIT_NOT_SPECIFIED", "A LIMIT is required on change_status."
            )
        if query.limit > CHANGE_STATUS_LIMIT:
            raise QueryFailure(
                family, "INVALID_LIMIT_CLAUSE", f"LIMIT must be at most {CHANGE_STATUS_LIMIT}."
            )
        stamps = [m for m in matchers if m.info.name == "change_status.last_change_date_time"]
        low = [v for m in stamps if m.op in (">", ">=", "BETWEEN", "=") for v in m.values[:1]]
        high = [v for m in stamps if m.op in ("<", "<=", "BETWEEN", "=") for v in m.values[-1:]]
        if not low or not high:
            raise QueryFailure(
                family,
                "CHANGE_DATE_RANGE_INFINITE",
                "A finite range on change_status.last_change_date_time is required.",
            )
        if str(min(low))[:10] < (today - timedelta(days=CHANGE_STATUS_DAYS)).isoformat():
            raise QueryFailure(
                family, "START_DATE_TOO_OLD", f"Changes are kept for {CHANGE_STATUS_DAYS} days."
            )

    def _plain_rows(self, resource: str, customer: Customer) -> list[Row]:
        if resource == "customer":
            return [Row({"customer": customer_record(customer)}, {}, None)]
        if resource == "customer_client":
            base = {"customer": customer_record(customer)}
            rows = [
                Row(
                    {**base, "customer_client": customer_client_record(customer, customer, 0)},
                    {},
                    None,
                )
            ]
            rows += [
                Row(
                    {**base, "customer_client": customer_client_record(customer, c, level)},
                    {},
                    None,
                )
                for c, level in self.directory.tree(customer)
            ]
            return rows
        if customer.account is None:
            return []
        ents = self.entities(customer)
        ctx = _Contexts(self.world, ents)
        if resource == "campaign":
            return [Row(ctx.campaign(i), {}, None) for i in range(len(ents.campaigns))]
        if resource == "campaign_budget":
            return [Row({**ctx.customer(), "campaign_budget": b}, {}, None) for b in ents.budgets]
        if resource == "ad_group":
            return [Row(ctx.ad_group(s), {}, None) for s in ents.ad_groups]
        if resource == "ad_group_ad":
            return [Row(ctx.ad(a), {}, None) for a in ents.ads]
        if resource in ("ad_group_criterion", "keyword_view"):
            return [Row(ctx.keyword(*key), {}, None) for key in ents.keyword_records]
        if resource == "change_status":
            return [Row({**context, resource: r}, {}, None) for context, r in ctx.changes()]
        simple = {
            "user_list": ents.user_lists,
            "audience": ents.audiences,
            "label": ents.labels,
            "conversion_action": [a.record for a in ents.conversion_actions],
        }
        if resource in simple:
            return [Row({**ctx.customer(), resource: r}, {}, None) for r in simple[resource]]
        return []

    def _click_rows(self, customer: Customer, day: date) -> list[Row]:
        ents = self.entities(customer)
        ctx = _Contexts(self.world, ents)
        if self._gclids is None:
            self._gclids = clicks.Gclids(self.world.seed)
        rows = []
        for click in clicks.clicks(self.world, ents, self._gclids, day):
            if click.ad_index in ents.ads:
                context = ctx.ad(click.ad_index)
            else:  # Performance Max: a campaign, no ad group
                context = ctx.campaign(click.campaign_index)
            context["click_view"] = click.record
            vector = [0] * N_COLUMNS
            vector[CLK] = 1
            rows.append(Row(context, click.segments, vector))
        return rows

    def _fact_rows(
        self,
        resource: str,
        customer: Customer,
        selected_segments: list[str],
        filtered_segments: list[str],
        low: date | None,
        high: date | None,
    ) -> list[Row]:
        ents = self.entities(customer)
        account = ents.account
        order = facts.segment_order([*selected_segments, *filtered_segments])
        first = 0 if low is None else max(0, account.day_of(low))
        last = account.days - 1 if high is None else min(account.days - 1, account.day_of(high))
        cells = facts.cells(self.world, ents, resource, first, last, order)
        ctx = _Contexts(self.world, ents)
        width = len(order)
        rows: list[Row] = []
        contexts: dict[tuple, dict[str, Record]] = {}
        for key, vector in cells.items():
            entity = key[: len(key) - width] if width else key
            context = contexts.get(entity)
            if context is None:
                context = contexts[entity] = ctx.of(resource, entity)
            rows.append(Row(context, dict(zip(order, key[len(entity) :], strict=True)), vector))
        if not selected_segments and not filtered_segments:
            for entity in ctx.all_keys(resource):
                if entity not in contexts:
                    rows.append(Row(ctx.of(resource, entity), {}, [0] * N_COLUMNS))
        return rows


_BOUNDING = ("=", "IN", "BETWEEN", ">", ">=", "<", "<=")
_PERIOD_MONTHS = {"segments.month": 1, "segments.quarter": 3}


def _period_start(name: str, value: object) -> date:
    if name == "segments.year":
        return date(int(value), 1, 1)  # type: ignore[call-overload]
    return date.fromisoformat(str(value))


def _period_end(name: str, start: date) -> date:
    if name == "segments.week":
        return start + timedelta(days=6)
    if name == "segments.year":
        return date(start.year, 12, 31)
    months = _PERIOD_MONTHS.get(name)
    if months is None:
        return start
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


def _check_aligned(m: _Matcher) -> None:
    """A filter on segments.week takes Mondays, on month or quarter their first days."""
    name = m.info.name
    if name not in ("segments.week", "segments.month", "segments.quarter"):
        return
    if m.condition.operator == "DURING":
        return
    for value in m.values:
        day = date.fromisoformat(str(value))
        if name == "segments.week":
            aligned = day.weekday() == 0
        else:
            aligned = day.day == 1 and (name == "segments.month" or day.month % 3 == 1)
        if not aligned:
            period = {"segments.week": "the Monday of a week"}.get(name, "the first day")
            raise _query_error(
                "MISALIGNED_DATE_FOR_FILTER",
                f"The date {day} used in a filter on {name} must be {period} of the period.",
                str(value),
            )


def _check_conversion_segments(
    resource: str, selected: list[FieldInfo], matchers: list[_Matcher]
) -> None:
    """With a conversion segment, or FROM conversion_action, only conversion metrics (in
    SELECT or WHERE)."""
    fields = [*selected, *(m.info for m in matchers)]
    metrics = [i.name for i in fields if i.category == METRIC]
    if resource == "conversion_action":
        refused = [m for m in metrics if not conversions.goes_with_conversion_segments(m)]
        if refused:
            names = ", ".join(f"'{m.removeprefix('metrics.')}'" for m in refused)
            raise _query_error(
                "PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE",
                f"Cannot select or filter on the following metrics: {names}(could not support "  # noqa: S608 - GAQL error text
                "requested resources: 'CONVERSION_ACTION'), since metric is incompatible with "
                "the resource in the FROM clause or other selected segmenting resources.",
                refused[0],
            )
    found = conversions.prohibited((i.name for i in fields if i.category == SEGMENT), metrics)
    if found is not None:
        segment, refused = found
        unsupported = ", ".join(f"'{m.removeprefix('metrics.')}'" for m in refused)
        raise _query_error(
            "PROHIBITED_SEGMENT_WITH_METRIC_IN_SELECT_OR_WHERE_CLAUSE",
            "Cannot select the following segments because at least one unsupported metric is "
            f"found in SELECT or WHERE clause: '{segment}'(unsupported metrics: {unsupported})",
            segment,
        )


def _check_click_view(
    selected: list[FieldInfo],
    matchers: list[_Matcher],
    low: date | None,
    high: date | None,
    today: date,
) -> None:
    """FROM click_view: metrics.clicks and a few segments only, one day, 90 days back."""
    fields = [*selected, *(m.info for m in matchers)]
    metrics = [i.name for i in fields if i.category == METRIC and i.name not in clicks.METRICS]
    if metrics:
        names = ", ".join(f"'{m.removeprefix('metrics.')}'" for m in dict.fromkeys(metrics))
        raise _query_error(
            "PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE",
            f"Cannot select or filter on the following metrics: {names}(could not support "  # noqa: S608 - GAQL error text
            "requested resources: 'CLICK_VIEW'), since metric is incompatible with the "
            "resource in the FROM clause or other selected segmenting resources.",
            metrics[0],
        )
    segments = [i.name for i in fields if i.category == SEGMENT and i.name not in clicks.SEGMENTS]
    if segments:
        raise _query_error(
            "PROHIBITED_SEGMENT_IN_SELECT_OR_WHERE_CLAUSE",
            f"Cannot select or filter on the following segments: '{segments[0]}'(could not "  # noqa: S608 - GAQL error text
            "support requested resources: 'CLICK_VIEW'), since segment is incompatible with "
            "the resource in the FROM clause or other selected segmenting resources.",
            segments[0],
        )
    if low is None or high is None:
        raise _query_error(
            "EXPECTED_FILTERS_ON_DATE_RANGE",
            "Expects filters on the following field to limit a finite date range: "
            "'segments.date' (click_view takes a filter on a single day).",
            "segments.date",
        )
    if low != high:
        raise _query_error(
            "DATE_RANGE_TOO_WIDE",
            f"A query on click_view must filter on a single day; {low} to {high} is wider.",
            "segments.date",
        )
    oldest = today - timedelta(days=clicks.RETENTION_DAYS)
    if low < oldest:
        raise QueryFailure(
            "date_error",
            "EARLIER_THAN_MINIMUM_DATE",
            f"click_view reaches {clicks.RETENTION_DAYS} days back, to {oldest}; {low} is older.",
            low.isoformat(),
        )


def _collapse(rows: list[Row], drop: list[str]) -> list[Row]:
    """Sum rows over segments that were only filtered on, not selected."""
    merged: dict[tuple, Row] = {}
    for row in rows:
        segments = {k: v for k, v in row.segments.items() if k not in drop}
        key = (id(row.context), tuple(sorted(segments.items())))
        acc = merged.get(key)
        if acc is None:
            merged[key] = Row(row.context, segments, list(row.vector) if row.vector else None)
        elif row.vector is not None and acc.vector is not None:
            for i in range(N_COLUMNS):
                acc.vector[i] += row.vector[i]
    return list(merged.values())


def _sort_key(value: object) -> tuple:
    return (value is not None, value if value is not None else 0)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


class _Contexts:
    """The resources a row of each grain carries (its own and its attributed ones)."""

    def __init__(self, world: World, ents: GoogleEntities) -> None:
        self.world = world
        self.ents = ents
        self.tree = world.entities(ents.account)
        self.cid = ents.customer["customer.id"]

    def customer(self) -> dict[str, Record]:
        return {"customer": self.ents.customer}

    def changes(self) -> list[tuple[dict[str, Record], Record]]:
        """change_status: the campaigns, ad groups and ads the revisions so far edited, at
        their last edit's time in the customer's time zone (with the resources they name)."""
        ents = self.ents
        tz = ZoneInfo(ents.account.timezone)
        touches = self.tree.touches(self.world.revision)
        kinds = (
            ("CAMPAIGN", "campaign", self.tree.campaigns, dict(enumerate(ents.campaigns))),
            ("AD_GROUP", "ad_group", self.tree.adsets, ents.ad_groups),
            ("AD_GROUP_AD", "ad_group_ad", self.tree.ads, ents.ads),
        )
        contexts = {"CAMPAIGN": self.campaign, "AD_GROUP": self.ad_group, "AD_GROUP_AD": self.ad}
        out = []
        for kind, prefix, objects, records in kinds:
            for obj in objects:
                touch = touches.get(obj.id)
                if touch is None or obj.index not in records:
                    continue
                context = contexts[kind](obj.index)
                record = {
                    "change_status.resource_name": (
                        f"customers/{self.cid}/changeStatus/{kind.lower()}~{obj.id}"
                    ),
                    "change_status.last_change_date_time": datetime.fromtimestamp(
                        touch.time, tz
                    ).strftime("%Y-%m-%d %H:%M:%S.%f"),
                    "change_status.resource_type": kind,
                    "change_status.resource_status": "CHANGED",
                    "change_status.campaign": context["campaign"]["campaign.resource_name"],
                    f"change_status.{prefix}": records[obj.index][f"{prefix}.resource_name"],
                }
                if "ad_group" in context:
                    group = context["ad_group"]["ad_group.resource_name"]
                    record["change_status.ad_group"] = group
                out.append((context, record))
        return out

    def campaign(self, c: int) -> dict[str, Record]:
        return {
            "customer": self.ents.customer,
            "campaign": self.ents.campaigns[c],
            "campaign_budget": self.ents.budgets[c],
        }

    def ad_group(self, s: int) -> dict[str, Record]:
        out = self.campaign(self.tree.adsets[s].campaign_index)
        out["ad_group"] = self.ents.ad_groups[s]
        return out

    def ad(self, a: int) -> dict[str, Record]:
        out = self.ad_group(self.tree.ads[a].adset_index)
        out["ad_group_ad"] = self.ents.ads[a]
        return out

    def keyword(self, s: int, k: int, term: int | None = None) -> dict[str, Record]:
        out = self.ad_group(s)
        record = self.ents.keyword_records[(s, k)]
        out["ad_group_criterion"] = record
        group_id = self.ents.ad_groups[s]["ad_group.id"]
        crit = record["ad_group_criterion.criterion_id"]
        out["keyword_view"] = {
            "keyword_view.resource_name": f"customers/{self.cid}/keywordViews/{group_id}~{crit}"
        }
        if term is not None:
            text = self.ents.keywords[s][k].terms[term][0]
            out["search_term_view"] = {
                "search_term_view.resource_name": (
                    f"customers/{self.cid}/searchTermViews/"
                    f"{self.ents.campaigns[self.tree.adsets[s].campaign_index]['campaign.id']}"
                    f"~{group_id}~{text.replace(' ', '_')}"
                ),
                "search_term_view.search_term": text,
                "search_term_view.ad_group": self.ents.ad_groups[s]["ad_group.resource_name"],
                "search_term_view.status": "NONE",
            }
        return out

    def criterion(self, s: int, kind: str, value: str, criterion_id: int) -> dict[str, Record]:
        out = self.ad_group(s)
        group_id = self.ents.ad_groups[s]["ad_group.id"]
        view = "age_range_view" if kind == "AGE_RANGE" else "gender_view"
        plural = "ageRangeViews" if kind == "AGE_RANGE" else "genderViews"
        field = "age_range" if kind == "AGE_RANGE" else "gender"
        out["ad_group_criterion"] = {
            "ad_group_criterion.resource_name": (
                f"customers/{self.cid}/adGroupCriteria/{group_id}~{criterion_id}"
            ),
            "ad_group_criterion.criterion_id": criterion_id,
            "ad_group_criterion.ad_group": self.ents.ad_groups[s]["ad_group.resource_name"],
            "ad_group_criterion.type": kind,
            "ad_group_criterion.status": "ENABLED",
            f"ad_group_criterion.{field}.type": value,
        }
        out[view] = {
            f"{view}.resource_name": f"customers/{self.cid}/{plural}/{group_id}~{criterion_id}"
        }
        return out

    def of(self, resource: str, key: tuple) -> dict[str, Record]:
        if resource == "customer":
            return self.customer()
        if resource in ("campaign",):
            return self.campaign(*key)
        if resource == "ad_group":
            return self.ad_group(*key)
        if resource == "ad_group_ad":
            return self.ad(*key)
        if resource in ("keyword_view", "ad_group_criterion", "search_term_view"):
            return self.keyword(*key)
        if resource == "conversion_action":
            return {**self.customer(), resource: self.ents.conversion_actions[key[0]].record}
        if resource == "age_range_view":
            s, i = key
            return self.criterion(s, "AGE_RANGE", AGE_RANGES[i], 503999 + i)
        if resource == "gender_view":
            s, i = key
            return self.criterion(s, "GENDER", GENDERS[i], (11, 10, 20)[i])
        # geographic_view
        c, i = key
        country = GEO_TARGETS[facts.country_of(i)]
        out = self.campaign(c)
        out["geographic_view"] = {
            "geographic_view.resource_name": (
                f"customers/{self.cid}/geographicViews/{country}~LOCATION_OF_PRESENCE"
            ),
            "geographic_view.country_criterion_id": country,
            "geographic_view.location_type": "LOCATION_OF_PRESENCE",
        }
        return out

    def all_keys(self, resource: str) -> Iterable[tuple]:
        """Entities listed even without delivery when no segment is selected."""
        ents = self.ents
        if resource == "customer":
            return [()]
        if resource == "campaign":
            return [(i,) for i in range(len(ents.campaigns))]
        if resource == "ad_group":
            return [(s,) for s in ents.ad_groups]
        if resource == "ad_group_ad":
            return [(a,) for a in ents.ads]
        if resource in ("keyword_view", "ad_group_criterion"):
            return list(ents.keyword_records)
        if resource == "conversion_action":
            return [(i,) for i in range(len(ents.conversion_actions))]
        return []
