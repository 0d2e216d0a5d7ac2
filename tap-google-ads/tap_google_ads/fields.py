"""GAQL field paths on the installed library's `GoogleAdsRow`: their JSON Schema types and
how to read them from a row, taken from the message descriptors (never typed by hand).

Record properties are the GAQL names with `.` as `__` (`metrics.cost_micros` is
`metrics__cost_micros`), so every target can store them as columns.
"""

from __future__ import annotations

import importlib
import typing as t
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from google.ads.googleads import client as ads_client
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.json_format import MessageToDict

SEPARATOR = "__"


def versions() -> tuple[str, ...]:
    """The API versions the installed library ships, newest first."""
    return tuple(sorted(ads_client._VALID_API_VERSIONS, key=lambda v: int(v[1:]), reverse=True))


def property_name(gaql: str) -> str:
    return gaql.replace(".", SEPARATOR)


def gaql_name(prop: str) -> str:
    return prop.replace(SEPARATOR, ".")


@cache
def row_descriptor(version: str) -> Descriptor:
    module = importlib.import_module(
        f"google.ads.googleads.{version}.services.types.google_ads_service"
    )
    row = module.GoogleAdsRow
    return type(row.pb(row())).DESCRIPTOR


@dataclass(frozen=True)
class FieldPath:
    gaql: str
    attributes: tuple[str, ...]  # attribute names on the raw messages ("type_" for "type")
    leaf: FieldDescriptor

    @property
    def json_schema(self) -> dict[str, t.Any]:
        schema = _schema(self.leaf, depth=0)
        if self.gaql == "segments.date":
            schema["format"] = "date"
        return schema

    def reader(self) -> Callable[[Any], Any]:
        """Reads the value from a raw `GoogleAdsRow`: None when unset, enums by name."""
        *parents, last = self.attributes
        leaf = self.leaf
        presence = leaf.has_presence and not leaf.is_repeated
        enum = leaf.enum_type

        def read(row: Any) -> Any:
            message = row
            for name in parents:
                message = getattr(message, name)
            if presence and not message.HasField(last):
                return None
            value = getattr(message, last)
            if leaf.is_repeated:
                if leaf.type == FieldDescriptor.TYPE_MESSAGE:
                    return [MessageToDict(v, preserving_proto_field_name=True) for v in value]
                if enum is not None:
                    return [enum.values_by_number[v].name for v in value]
                return list(value)
            if enum is not None:
                return enum.values_by_number[value].name
            if leaf.type == FieldDescriptor.TYPE_MESSAGE:
                return MessageToDict(value, preserving_proto_field_name=True)
            return value

        return read


_INTEGERS = {
    FieldDescriptor.TYPE_INT32,
    FieldDescriptor.TYPE_INT64,
    FieldDescriptor.TYPE_UINT32,
    FieldDescriptor.TYPE_UINT64,
    FieldDescriptor.TYPE_SINT32,
    FieldDescriptor.TYPE_SINT64,
}


def _schema(leaf: FieldDescriptor, depth: int) -> dict[str, t.Any]:
    """The JSON Schema of a field; messages become objects of their fields (as JSON, like
    `MessageToDict` writes them: int64 as strings)."""
    if leaf.type == FieldDescriptor.TYPE_MESSAGE:
        properties = (
            {f.name: _schema(f, depth + 1) for f in leaf.message_type.fields} if depth < 3 else {}
        )
        item: dict[str, t.Any] = {"type": ["object", "null"], "properties": properties}
    elif leaf.type in _INTEGERS:
        item = {"type": ["integer", "null"]}
        if depth:  # inside a message, JSON mapping writes 64-bit integers as strings
            item = {"type": ["integer", "string", "null"]}
    elif leaf.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        item = {"type": ["number", "null"]}
    elif leaf.type == FieldDescriptor.TYPE_BOOL:
        item = {"type": ["boolean", "null"]}
    else:
        item = {"type": ["string", "null"]}
    if leaf.is_repeated:
        return {"type": ["array", "null"], "items": item}
    return item


def _find(message: Descriptor, name: str) -> FieldDescriptor | None:
    return message.fields_by_name.get(name) or message.fields_by_name.get(name + "_")


@cache
def field_path(version: str, gaql: str) -> FieldPath | None:
    """The path of a GAQL field in this version, or None when the version has no such field."""
    message: Descriptor | None = row_descriptor(version)
    attributes: list[str] = []
    leaf = None
    for part in gaql.split("."):
        if message is None:
            return None
        leaf = _find(message, part)
        if leaf is None:
            return None
        attributes.append(leaf.name)
        message = leaf.message_type
    if leaf is None:
        return None
    return FieldPath(gaql, tuple(attributes), leaf)


@cache
def metric_names(version: str) -> tuple[str, ...]:
    """Every metric of the version (without the `metrics.` prefix)."""
    return tuple(
        f.name for f in row_descriptor(version).fields_by_name["metrics"].message_type.fields
    )


@cache
def resource_names(version: str) -> tuple[str, ...]:
    return tuple(
        f.name for f in row_descriptor(version).fields if f.name not in ("metrics", "segments")
    )
