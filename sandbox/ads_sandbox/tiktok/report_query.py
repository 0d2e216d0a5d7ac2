"""Parsing and validating the parameters of synchronous and asynchronous reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import orjson

from ads_sandbox.tiktok.catalog import BASIC_DIMENSIONS, CATALOG
from ads_sandbox.tiktok.envelope import param_error
from ads_sandbox.tiktok.metrics import LEVELS
from ads_sandbox.tiktok.params import Params, checked_strings
from ads_sandbox.tiktok.vocab import AUDIENCE_DIMENSIONS, OBJECTIVE_TYPE

REPORT_TYPES = ("BASIC", "AUDIENCE")
ID_DIMENSIONS = ("advertiser_id", "campaign_id", "adgroup_id", "ad_id")  # index = level depth
#: The ad level's other ID dimension: by ad for every campaign type, where `ad_id` is by
#: creative for Upgraded Smart+ ads (bububa/tiktok-business `model/report/dimensions.go`).
AD_ID_V2 = "ad_id_v2"
TIME_DIMENSIONS = ("stat_time_day", "stat_time_hour")
STATUS_VALUES = ("STATUS_ALL", "STATUS_NOT_DELETE", "STATUS_DELETE")
STATUS_FIELDS = ("campaign_status", "adgroup_status", "ad_status")  # index + 1 = level depth
ID_FILTERS = ("campaign_ids", "adgroup_ids", "ad_ids")
DEFAULT_METRICS = ("spend", "impressions")
CONFLICT = "Conflict occurs. The input params including metrics and dimensions have no relation."
MAX_SPAN = {"stat_time_day": 30, "stat_time_hour": 1, None: 365}


@dataclass(frozen=True, slots=True)
class ReportQuery:
    report_type: str
    depth: int  # 0 advertiser, 1 campaign, 2 ad group, 3 ad
    dimensions: tuple[str, ...]
    metrics: tuple[str, ...]
    start: date | None  # None with query_lifetime
    end: date | None
    id_filters: tuple[frozenset[str] | None, ...]  # campaign, ad group, ad ids
    statuses: tuple[str, ...]  # campaign, ad group, ad status filters (defaults applied)
    objective_types: frozenset[str] | None
    #: `multi_adv_report_in_utc_time`: dates and hours are UTC, not the advertiser's own.
    utc: bool = False
    #: NOT_IN filters: campaign, ad group, ad ids and objective types left out.
    id_exclusions: tuple[frozenset[str], ...] = (frozenset(), frozenset(), frozenset())
    excluded_objectives: frozenset[str] = frozenset()

    @property
    def time_dimension(self) -> str | None:
        return next((d for d in self.dimensions if d in TIME_DIMENSIONS), None)

    @property
    def has_id_dimension(self) -> bool:
        return ID_DIMENSIONS[self.depth] in self.dimensions or AD_ID_V2 in self.dimensions

    @property
    def by_creative(self) -> bool:
        """Upgraded Smart+ ads' rows are their creatives' (the `ad_id` dimension)."""
        return self.depth == 3 and "ad_id" in self.dimensions

    @property
    def audience_dimensions(self) -> tuple[str, ...]:
        return tuple(d for d in self.dimensions if d in AUDIENCE_DIMENSIONS)

    @property
    def basic_dimension(self) -> str | None:
        """The BASIC report's one dimension besides the ID and time ones (`country_code` is
        served like the audience dimensions)."""
        if self.report_type != "BASIC":
            return None
        return next((d for d in self.dimensions if d in BASIC_DIMENSIONS), None)


def _dimensions(params: Params, report_type: str, depth: int) -> tuple[str, ...]:
    dims = tuple(dict.fromkeys(params.string_list("dimensions", required=True)))
    known = {*ID_DIMENSIONS, AD_ID_V2, *TIME_DIMENSIONS}
    known.update(AUDIENCE_DIMENSIONS if report_type == "AUDIENCE" else BASIC_DIMENSIONS)
    unknown = [d for d in dims if d not in known]
    if unknown:
        raise param_error(
            "Please correct the information in invalid dimension fields and try again. "
            f"Invalid dimension fields: {unknown}."
        )
    ids = [d for d in dims if d in ID_DIMENSIONS or d == AD_ID_V2]
    allowed = (ID_DIMENSIONS[depth], AD_ID_V2) if depth == 3 else (ID_DIMENSIONS[depth],)
    if len(ids) > 1 or (ids and ids[0] not in allowed):
        raise param_error(
            f"dimensions: with data_level {LEVELS[depth]} the only ID dimension allowed is "
            f"{' or '.join(allowed)}; parent IDs are available as metrics."
        )
    times = [d for d in dims if d in TIME_DIMENSIONS]
    if len(times) > 1:
        raise param_error("dimensions: use at most one of stat_time_day and stat_time_hour.")
    if report_type == "AUDIENCE" and "stat_time_hour" in dims:
        raise param_error(CONFLICT)
    if report_type == "BASIC" and sum(d in BASIC_DIMENSIONS for d in dims) > 1:
        raise param_error(CONFLICT)
    return dims


def _metrics(
    params: Params, report_type: str, depth: int, dims: tuple[str, ...], asynchronous: bool
) -> tuple[str, ...]:
    requested = params.json_list("metrics")
    metrics = tuple(
        dict.fromkeys(
            checked_strings("metrics", requested, 0, False) if requested else DEFAULT_METRICS
        )
    )
    hourly = "stat_time_hour" in dims
    breakdown = any(d in AUDIENCE_DIMENSIONS or d in BASIC_DIMENSIONS for d in dims)
    dimension = next((d for d in dims if d in BASIC_DIMENSIONS), None)
    refusals = {
        m: CATALOG[m].refusal(
            report_type=report_type,
            depth=depth,
            hourly=hourly,
            breakdown=breakdown,
            asynchronous=asynchronous,
            dimension=dimension if report_type == "BASIC" else None,
        )
        if m in CATALOG
        else "invalid"
        for m in metrics
    }
    invalid = [m for m, why in refusals.items() if why == "invalid"]
    if invalid:
        raise param_error(
            "Please correct the information in invalid metric fields and try again. "
            f"Invalid metric fields: {invalid}."
        )
    if any(refusals.values()):
        raise param_error(CONFLICT)
    return metrics


class _Filters(NamedTuple):
    ids: list[frozenset[str] | None]
    statuses: list[str]
    objectives: frozenset[str] | None
    id_exclusions: list[frozenset[str]]
    excluded_objectives: frozenset[str]


def _filters(params: Params, depth: int) -> _Filters:
    """ID, status (defaults applied) and objective filters from the `filtering` array: IN
    keeps the values, NOT_IN (ids and objective types) leaves them out."""
    ids: list[frozenset[str] | None] = [None, None, None]
    excluded_ids: list[frozenset[str]] = [frozenset(), frozenset(), frozenset()]
    statuses = ["STATUS_NOT_DELETE" if level + 1 == depth else "STATUS_ALL" for level in range(3)]
    objectives: frozenset[str] | None = None
    excluded_objectives: frozenset[str] = frozenset()
    for item in params.json_list("filtering") or []:
        if not isinstance(item, dict):
            raise param_error("filtering: each filter must be an object.")
        field, kind, raw = item.get("field_name"), item.get("filter_type"), item.get("filter_value")
        if field not in (*ID_FILTERS, *STATUS_FIELDS, "objective_type"):
            raise param_error(f"filtering: field_name {field!r} is not supported.")
        if kind != "IN" and not (kind == "NOT_IN" and field not in STATUS_FIELDS):
            raise param_error(f"filtering: filter_type {kind!r} is not supported for {field}.")
        if not isinstance(raw, str):
            raise param_error(
                f"filtering: filter_value of {field} must be a string (a JSON array)."
            )
        try:
            values = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise param_error(
                f"filtering: filter_value of {field} is not a valid JSON array."
            ) from None
        if not isinstance(values, list):
            raise param_error(f"filtering: filter_value of {field} is not a valid JSON array.")
        values = checked_strings(f"filtering.{field}", values, 100, True)
        if field in ID_FILTERS:
            level = ID_FILTERS.index(field)
            if kind == "NOT_IN":
                excluded_ids[level] |= frozenset(values)
            else:
                ids[level] = frozenset(values)
        elif field in STATUS_FIELDS:
            if len(values) != 1 or values[0] not in STATUS_VALUES:
                raise param_error(f"filtering: {field} must be one of {list(STATUS_VALUES)}.")
            statuses[STATUS_FIELDS.index(field)] = values[0]
        else:
            bad = [v for v in values if v not in OBJECTIVE_TYPE.values()]
            if bad:
                raise param_error(f"filtering: invalid objective_type values {bad}.")
            if kind == "NOT_IN":
                excluded_objectives |= frozenset(values)
            else:
                objectives = frozenset(values)
    return _Filters(ids, statuses, objectives, excluded_ids, excluded_objectives)


def parse_report_query(params: Params, *, asynchronous: bool, utc: bool = False) -> ReportQuery:
    report_type = params.string("report_type", required=True)
    if report_type not in REPORT_TYPES:
        raise param_error(f"report_type: {report_type} is not supported; use BASIC or AUDIENCE.")
    service_type = params.string("service_type")
    if service_type not in (None, "AUCTION"):
        raise param_error("service_type: Must be AUCTION.")
    level = params.string("data_level", required=True)
    if level not in LEVELS:
        raise param_error(f"data_level: Must be one of: {', '.join(LEVELS)}.")
    depth = LEVELS.index(level)
    dims = _dimensions(params, report_type, depth)
    metrics = _metrics(params, report_type, depth, dims, asynchronous)
    time_dim = next((d for d in dims if d in TIME_DIMENSIONS), None)

    start = end = None
    if params.boolean("query_lifetime", False):
        if report_type != "BASIC":
            raise param_error("query_lifetime: only BASIC reports support lifetime metrics.")
        if time_dim:
            raise param_error(f"query_lifetime: {time_dim} cannot be used with lifetime metrics.")
        if "country_code" in dims:
            raise param_error("query_lifetime: country_code cannot be used with lifetime metrics.")
        if any("advertiser_level_daily_only" in CATALOG[m].notes for m in metrics):
            raise param_error(CONFLICT)  # cash_spend, voucher_spend (Airbyte #11375)
    else:
        start = params.day("start_date", required=True)
        end = params.day("end_date", required=True)
        assert start is not None and end is not None
        if start > end:
            raise param_error("start_date must be earlier than or equal to end_date.")
        span = (end - start).days + 1
        limit = 365 if asynchronous and time_dim != "stat_time_hour" else MAX_SPAN[time_dim]
        if span > limit:
            if time_dim == "stat_time_hour":
                raise param_error(
                    "With stat_time_hour, start_date and end_date must be the same day."
                )
            raise param_error(
                f"The time span between start_date and end_date must be at most {limit} days"
                f"{' when grouping by stat_time_day' if limit == 30 else ''}; it is {span} days."
            )
    filters = _filters(params, depth)
    return ReportQuery(
        report_type=report_type,
        depth=depth,
        dimensions=dims,
        metrics=metrics,
        start=start,
        end=end,
        id_filters=tuple(filters.ids),
        statuses=tuple(filters.statuses),
        objective_types=filters.objectives,
        utc=utc,
        id_exclusions=tuple(filters.id_exclusions),
        excluded_objectives=filters.excluded_objectives,
    )
