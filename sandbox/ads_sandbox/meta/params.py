"""Reading Graph API parameters: field lists, JSON-encoded values, `filtering`, paging."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import orjson

from ads_sandbox.meta import catalog
from ads_sandbox.meta.errors import invalid, nonexisting_field

Node = dict[str, Any]


def json_param(params: Mapping[str, str], name: str) -> Any:
    """A parameter the SDK JSON-encodes (lists, objects); a bare string is taken as is."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw


def string_list(params: Mapping[str, str], name: str) -> list[str] | None:
    """A list sent as JSON (`["a","b"]`), as a Python repr, or comma-separated."""
    value = json_param(params, name)
    if value is None:
        return None
    if isinstance(value, str):
        return [p for p in (x.strip(" []'\"") for x in value.split(",")) if p]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise invalid(f"(#100) param {name} must be an array.")


def field_list(raw: str | None) -> list[tuple[str, list[str] | None]]:
    """`id,name,creative{id,name}` -> [(id, None), (name, None), (creative, [id, name])].

    Lenient like Graph: a Python list repr (`['id', 'name']`) works too; `.limit(n)` style
    modifiers are ignored.
    """
    if not raw:
        return []
    text = raw.strip()
    if text.startswith("["):
        try:
            parsed = orjson.loads(text)
            if isinstance(parsed, list):
                text = ",".join(map(str, parsed))
        except orjson.JSONDecodeError:
            text = text.strip("[]")
    out: list[tuple[str, list[str] | None]] = []
    depth, start = 0, 0
    parts = []
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    for part in parts:
        part = part.strip().strip("'\" ")
        if not part:
            continue
        sub = None
        if "{" in part:
            part, _, rest = part.partition("{")
            sub = [name for name, _ in field_list(rest.rstrip("}"))]
        name = part.split(".", 1)[0].strip()
        out.append((name, sub))
    return out


def project(node: Node, fields: Sequence[tuple[str, list[str] | None]], node_type: str) -> Node:
    """Only the asked fields (`id` always); unknown names are refused like Graph does."""
    known = catalog.NODE_FIELDS[node_type]
    out: Node = {}
    for name, sub in fields:
        if name not in known and name not in node:
            raise nonexisting_field(name, node_type)
        if name in node:
            value = node[name]
            if sub and isinstance(value, dict):
                value = {k: v for k, v in value.items() if k in sub}
            elif sub and isinstance(value, list):
                value = [
                    {k: v for k, v in item.items() if k in sub} if isinstance(item, dict) else item
                    for item in value
                ]
            out[name] = value
    if "id" in node and "id" not in out and node_type != "AdActivity":
        out["id"] = node["id"]
    return out


_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$")


def _comparable(value: Any) -> Any:
    """Graph timestamps compare as epoch seconds, as filters send them."""
    if isinstance(value, str) and _TIME.match(value):
        return int(datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").timestamp())
    if isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value
    return value


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(actual: Any, operator: str, value: Any) -> bool:
    a = _comparable(actual)
    if operator in ("IN", "NOT_IN", "ANY", "ALL", "NONE"):
        wanted = [_comparable(v) for v in _as_list(value)]
        have = [_comparable(x) for x in _as_list(a)]
        if operator == "IN" or operator == "ANY":
            return any(h in wanted for h in have)
        if operator == "ALL":
            return all(w in have for w in wanted)
        return not any(h in wanted for h in have)
    if operator in ("CONTAIN", "NOT_CONTAIN"):
        found = str(value).lower() in str(actual).lower()
        return found if operator == "CONTAIN" else not found
    if operator in ("IN_RANGE", "NOT_IN_RANGE"):
        low, high = (_comparable(v) for v in _as_list(value)[:2])
        inside = low <= a <= high
        return inside if operator == "IN_RANGE" else not inside
    v = _comparable(value)
    try:
        return {
            "EQUAL": a == v,
            "NOT_EQUAL": a != v,
            "GREATER_THAN": a > v,
            "GREATER_THAN_OR_EQUAL": a >= v,
            "LESS_THAN": a < v,
            "LESS_THAN_OR_EQUAL": a <= v,
        }[operator]
    except TypeError:
        return False


def parse_filtering(raw: Any) -> list[tuple[str, str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise invalid("(#100) Filtering field filtering must be an array of objects")
    clauses = []
    for clause in raw:
        if not isinstance(clause, dict) or not {"field", "operator"} <= clause.keys():
            raise invalid(
                "(#100) Filtering field filtering: each filter needs field, operator, value"
            )
        operator = str(clause["operator"]).upper()
        if operator not in catalog.OPERATORS:
            raise invalid(
                f"(#100) Filtering operator {clause['operator']} is not supported; "
                f"must be one of {', '.join(sorted(catalog.OPERATORS))}"
            )
        clauses.append((str(clause["field"]), operator, clause.get("value")))
    return clauses


def filter_nodes(
    nodes: Iterable[Node],
    clauses: Sequence[tuple[str, str, Any]],
    resolve: Callable[[str], str | None],
) -> list[Node]:
    """Keep nodes passing every clause; resolve maps `campaign.updated_time` to a key."""
    checks = []
    for name, operator, value in clauses:
        key = resolve(name)
        if key is None:
            raise invalid(f"(#100) Filtering field {name} is invalid.")
        checks.append((key, operator, value))
    return [n for n in nodes if all(_matches(n.get(k), op, v) for k, op, v in checks)]


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = text.partition(":")
        if kind == "offset":
            return int(number)
    except (ValueError, UnicodeDecodeError):
        pass
    raise invalid("(#100) The parameter after is not a valid cursor.")


def limit_of(params: Mapping[str, str], default: int = 25) -> int:
    raw = params.get("limit")
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid("(#100) Param limit must be a non-negative integer") from None
    if value < 0:
        raise invalid("(#100) Param limit must be a non-negative integer")
    return value or default


def page(
    items: Sequence[Any],
    params: Mapping[str, str],
    base_url: str,
    *,
    default_limit: int = 25,
    summary: Node | None = None,
) -> tuple[Node, int, int]:
    """A Graph list body for the page the params ask for; returns (body, start, stop)."""
    limit = limit_of(params, default_limit)
    start = decode_cursor(params["after"]) if params.get("after") else 0
    stop = min(len(items), start + limit)
    body: Node = {"data": list(items[start:stop])}
    paging: Node = {}
    if len(items) or start:
        paging["cursors"] = {"before": encode_cursor(start), "after": encode_cursor(stop)}
    if stop < len(items):
        query = {
            k: v
            for k, v in params.items()
            if k not in ("after", "before", "access_token", "appsecret_proof")
        }
        query["limit"] = str(limit)
        query["after"] = encode_cursor(stop)
        paging["next"] = f"{base_url}?{urlencode(query)}"
    if start > 0:
        query = {
            k: v
            for k, v in params.items()
            if k not in ("after", "before", "access_token", "appsecret_proof")
        }
        paging["previous"] = f"{base_url}?{urlencode({**query, 'before': encode_cursor(start)})}"
    if paging:
        body["paging"] = paging
    if summary is not None:
        body["summary"] = summary
    return body, start, stop
