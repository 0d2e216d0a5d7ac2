"""Request parameters: scalars as-is, arrays and objects as JSON text in the query string.

A JSON body (also accepted on GET, as TikTok's own examples send it) supplies whatever the query
string lacks; there values may be real JSON arrays/objects or JSON text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import orjson

from ads_sandbox.tiktok.envelope import param_error

_MISSING = "Missing data for required field."


class Params:
    def __init__(self, query: Mapping[str, str], body: Mapping[str, Any]) -> None:
        self._query = query
        self._body = body

    def raw(self, name: str) -> Any:
        value = self._query.get(name)
        if value is None or value == "":
            value = self._body.get(name)
        return None if value == "" else value

    def string(self, name: str, *, required: bool = False) -> str | None:
        value = self.raw(name)
        if value is None:
            if required:
                raise param_error(f"{name}: {_MISSING}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise param_error(f"{name}: Not a valid string.")
        return str(value)

    def _json(self, name: str, kind: type, label: str, required: bool) -> Any:
        value = self.raw(name)
        if value is None:
            if required:
                raise param_error(f"{name}: {_MISSING}")
            return None
        if isinstance(value, str):
            try:
                value = orjson.loads(value)
            except orjson.JSONDecodeError:
                raise param_error(f"{name}: Not a valid JSON {label}.") from None
        if not isinstance(value, kind):
            raise param_error(f"{name}: Not a valid {label}.")
        return value

    def json_list(self, name: str, *, required: bool = False) -> list[Any] | None:
        return self._json(name, list, "list", required)

    def json_object(self, name: str, *, required: bool = False) -> dict[str, Any] | None:
        return self._json(name, dict, "object", required)

    def string_list(self, name: str, *, required: bool = False, max_items: int = 0) -> list[str]:
        """A JSON array of strings (numbers accepted, ids become strings)."""
        items = self.json_list(name, required=required) or []
        return checked_strings(name, items, max_items, required)

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            if isinstance(value, bool | float):
                raise ValueError
            number = int(value)
        except (TypeError, ValueError):
            raise param_error(f"{name}: Not a valid integer.") from None
        if not low <= number <= high:
            raise param_error(
                f"{name}: Must be greater than or equal to {low} and less than or equal to {high}."
            )
        return number

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise param_error(f"{name}: Not a valid boolean.")

    def day(self, name: str, *, required: bool = False) -> date | None:
        value = self.string(name, required=required)
        if value is None:
            return None
        try:
            if len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise param_error(f"{name}: Not a valid date, expected YYYY-MM-DD.") from None

    def page(self, max_size: int, default_size: int = 10) -> tuple[int, int]:
        return (
            self.integer("page", 1, 1, 1_000_000),
            self.integer("page_size", default_size, 1, max_size),
        )


def checked_strings(name: str, items: list[Any], max_items: int, required: bool) -> list[str]:
    if required and not items:
        raise param_error(f"{name}: {_MISSING}")
    if max_items and len(items) > max_items:
        raise param_error(f"{name}: Length must be between 1 and {max_items}.")
    if not all(isinstance(i, str | int) and not isinstance(i, bool) for i in items):
        raise param_error(f"{name}: Not a valid list of strings.")
    return [str(i) for i in items]


def filtering_strings(filtering: Mapping[str, Any], name: str, max_items: int) -> list[str] | None:
    """`filtering[name]`, a list of ids or enum values, checked; None when it is absent."""
    values = filtering.get(name)
    if values is None:
        return None
    if not isinstance(values, list):
        raise param_error(f"filtering.{name}: Not a valid list.")
    return checked_strings(f"filtering.{name}", values, max_items, False)


def page_info(page: int, page_size: int, total: int) -> dict[str, int]:
    return {
        "page": page,
        "page_size": page_size,
        "total_number": total,
        "total_page": -(-total // page_size),
    }
