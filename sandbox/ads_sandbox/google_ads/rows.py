"""Engine rows as the version's raw `GoogleAdsRow` messages, filling only selected fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ads_sandbox.google_ads.catalog import METRIC, SEGMENT, Catalog, FieldInfo
from ads_sandbox.google_ads.engine import Result, Row, _getter
from ads_sandbox.google_ads.metrics import metric_values

Setter = Callable[[Any, Row], None]


def _setter(info: FieldInfo, get: Callable[[Row], Any]) -> Setter:
    *parents, leaf = info.proto_path
    numbers = info.enum_numbers
    enum = info.data_type == "ENUM"
    message_list = info.is_repeated and info.data_type == "MESSAGE"

    def setter(message: Any, row: Row) -> None:
        value = get(row)
        if value is None:
            return
        target = message
        for name in parents:
            target = getattr(target, name)
        if message_list:
            container = getattr(target, leaf)
            for item in value:
                container.add(**item)
        elif info.is_repeated:
            getattr(target, leaf).extend([numbers[v] for v in value] if enum else value)
        elif enum:
            setattr(target, leaf, numbers[value])
        elif info.data_type != "MESSAGE":
            setattr(target, leaf, value)

    return setter


def row_builder(result: Result, catalog: Catalog, row_type: type) -> Callable[[Row], Any]:
    setters = [_setter(info, _getter(info, result.digits)) for info in result.selected]
    if not result.omit_resource_names:
        resources = dict.fromkeys(
            i.resource for i in result.selected if i.category not in (METRIC, SEGMENT)
        )
        for resource in resources:
            info = catalog.get(f"{resource}.resource_name")
            if info is not None and info.name not in {s.name for s in result.selected}:
                setters.append(_setter(info, _getter(info, result.digits)))

    def build(row: Row) -> Any:
        message = row_type()
        for setter in setters:
            setter(message, row)
        return message

    return build


def summary_row(result: Result, catalog: Catalog, row_type: type) -> Any:
    """The summary row: the selected metrics over all rows, nothing else."""
    message = row_type()
    if result.total is None:
        return message
    values = metric_values(result.total, result.digits)
    total = Row({}, {}, result.total, values)
    for info in result.selected:
        if info.category == METRIC:
            _setter(info, _getter(info, result.digits))(message, total)
    return message


def field_mask(selected: Sequence[FieldInfo]) -> list[str]:
    return [info.name for info in selected]
