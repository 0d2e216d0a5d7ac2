"""Stream schemas built from the SDK's own field types (`_field_types`), so a field's JSON
type is what facebook-business says it is, never typed out by hand."""

from __future__ import annotations

import typing as t
from collections.abc import Iterable

from ads_kit.accounts import ACCOUNT_PROPERTIES

from tap_meta_ads.values import MINOR_UNIT_FIELDS, insights_kind

_SCALARS = {
    "string": {"type": ["string", "null"]},
    "int": {"type": ["integer", "null"]},
    "unsigned int": {"type": ["integer", "null"]},
    "float": {"type": ["number", "null"]},
    "bool": {"type": ["boolean", "null"]},
    "datetime": {"type": ["string", "null"], "format": "date-time"},
}
ANY_OBJECT = {"type": ["object", "null"], "properties": {}, "additionalProperties": True}
ACTION_STATS = {
    "type": ["array", "null"],
    "items": {
        "type": "object",
        "properties": {
            "action_type": {"type": ["string", "null"]},
            "value": {"type": ["number", "null"]},
        },
        "additionalProperties": True,
    },
}


def field_schema(sdk_class: type, name: str) -> dict[str, t.Any]:
    sdk_type = getattr(sdk_class, "_field_types", {}).get(name, "string")
    if name in MINOR_UNIT_FIELDS:
        return {"type": ["integer", "null"], "description": "Minor units of the account currency."}
    if sdk_type in _SCALARS:
        return dict(_SCALARS[sdk_type])
    if sdk_type.startswith("list<"):
        inner = _SCALARS.get(sdk_type[5:-1])
        return {"type": ["array", "null"], "items": dict(inner) if inner else dict(ANY_OBJECT)}
    if sdk_type[:1].isupper() and hasattr(sdk_class, sdk_type):
        return {"type": ["string", "null"]}  # one of the class's enums, e.g. EffectiveStatus
    return dict(ANY_OBJECT)


def entity_schema(sdk_class: type, fields: Iterable[str], overrides: dict | None = None) -> dict:
    properties = {name: field_schema(sdk_class, name) for name in fields}
    properties.update(overrides or {})
    properties.update(ACCOUNT_PROPERTIES)
    return {"type": "object", "properties": properties}


def insights_schema(fields: Iterable[str], keys: Iterable[str]) -> dict:
    properties: dict[str, t.Any] = {}
    for name in fields:
        kind = insights_kind(name)
        properties[name] = {
            "actions": ACTION_STATS,
            "objects": {"type": ["array", "null"], "items": ANY_OBJECT},
            "integer": {"type": ["integer", "null"]},
            "number": {"type": ["number", "null"]},
            "text": {"type": ["string", "null"]},
        }[kind]
    for key in keys:
        properties[key] = {"type": ["string", "null"]}
    properties["date_start"] = {"type": ["string"], "format": "date"}
    properties["date_stop"] = {"type": ["string", "null"], "format": "date"}
    properties.update(ACCOUNT_PROPERTIES)
    return {"type": "object", "properties": properties}
