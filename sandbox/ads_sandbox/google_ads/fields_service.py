"""GoogleAdsFieldService: the catalog's field metadata, queried with GAQL without FROM
(`SELECT name, category, ... WHERE name IN (...)` or `WHERE name LIKE 'campaign.%'`)."""

from __future__ import annotations

import re
from typing import Any

from ads_sandbox.google_ads.catalog import RESOURCE, Catalog, FieldInfo
from ads_sandbox.google_ads.failures import Failure
from ads_sandbox.google_ads.gaql import GaqlError, parse
from ads_sandbox.google_ads.versions import VersionTypes

ATTRIBUTES = (
    "resource_name", "name", "category", "selectable", "filterable", "sortable",
    "selectable_with", "attribute_resources", "metrics", "segments", "enum_values",
    "data_type", "type_url", "is_repeated",
)  # fmt: skip
PAGE_SIZE = 10_000


def _values(info: FieldInfo, catalog: Catalog) -> dict[str, Any]:
    values: dict[str, Any] = {
        "resource_name": f"googleAdsFields/{info.name}",
        "name": info.name,
        "category": info.category,
        "selectable": info.selectable,
        "filterable": info.filterable,
        "sortable": info.sortable,
        "data_type": info.data_type,
        "type_url": info.type_url,
        "is_repeated": info.is_repeated,
        "enum_values": list(info.enum_values),
        "selectable_with": catalog.selectable_with(info),
    }
    if info.category == RESOURCE:
        values["attribute_resources"] = sorted(catalog.attributed(info.name) - {info.name})
        values["metrics"] = catalog.metrics_from(info.name)
        values["segments"] = catalog.segments()
    return values


def _message(types: VersionTypes, values: dict[str, Any], attributes: list[str]) -> Any:
    message = types.field()
    descriptor = message.DESCRIPTOR
    for name in attributes:
        value = values.get(name)
        if value is None:
            continue
        fd = descriptor.fields_by_name[name]
        if fd.enum_type is not None:
            setattr(message, name, fd.enum_type.values_by_name[value].number)
        elif fd.is_repeated:
            getattr(message, name).extend(value)
        else:
            setattr(message, name, value)
    return message


def _matches(values: dict[str, Any], field: str, op: str, wanted: tuple[object, ...]) -> bool:
    value = values.get(field)
    if op == "=":
        return (
            str(value) == str(wanted[0])
            if not isinstance(value, bool)
            else value == (str(wanted[0]).lower() == "true")
        )
    if op == "!=":
        return str(value) != str(wanted[0])
    if op in ("IN", "NOT IN"):
        return (str(value) in {str(w) for w in wanted}) == (op == "IN")
    if op in ("LIKE", "NOT LIKE"):
        pattern = "".join(
            ".*" if c == "%" else "." if c == "_" else re.escape(c) for c in str(wanted[0])
        )
        return (re.fullmatch(pattern, str(value), re.DOTALL) is not None) == (op == "LIKE")
    if op.startswith("CONTAINS"):
        items = set(value or ())
        want = {str(w) for w in wanted}
        return (
            bool(items & want)
            if op.endswith("ANY")
            else want <= items
            if op.endswith("ALL")
            else not items & want
        )
    raise Failure(
        "query_error", "BAD_OPERATOR", f"Operator {op} is not supported on field metadata."
    )


def search(types: VersionTypes, catalog: Catalog, request: Any) -> Any:
    try:
        query = parse(request.query, require_from=False)
    except GaqlError as error:
        raise Failure("query_error", error.code, str(error), error.trigger) from None
    if query.resource:
        raise Failure("query_error", "UNEXPECTED_FROM_CLAUSE", "Field queries take no FROM clause.")
    for name in [*query.select, *(c.field for c in query.where)]:
        if name not in ATTRIBUTES:
            raise Failure(
                "query_error",
                "UNRECOGNIZED_FIELD",
                f"Unrecognized field in the query: '{name}'.",
                name,
            )
    names = None
    for cond in query.where:
        if cond.field == "name" and cond.operator in ("=", "IN"):
            names = {str(v) for v in cond.values}
    candidates = (
        [catalog.fields[n] for n in names if n in catalog.fields]
        if names is not None
        else list(catalog.fields.values())
    )
    matched = []
    for info in candidates:
        values = _values(info, catalog)
        if all(_matches(values, c.field, c.operator, c.values) for c in query.where):
            matched.append(values)
    if query.limit is not None:
        matched = matched[: query.limit]
    size = request.page_size or PAGE_SIZE
    offset = int(request.page_token) if request.page_token.isdigit() else 0
    response = types.fields_response()
    attributes = list(dict.fromkeys(["resource_name", *query.select]))
    response.results.extend(_message(types, v, attributes) for v in matched[offset : offset + size])
    if offset + size < len(matched):
        response.next_page_token = str(offset + size)
    response.total_results_count = len(matched)
    return response


def get(types: VersionTypes, catalog: Catalog, resource_name: str) -> Any:
    name = resource_name.removeprefix("googleAdsFields/")
    info = catalog.get(name)
    if info is None or not resource_name.startswith("googleAdsFields/"):
        raise Failure(
            "request_error", "RESOURCE_NAME_MALFORMED", f"Unknown field: {resource_name!r}."
        )
    return _message(types, _values(info, catalog), list(ATTRIBUTES))
