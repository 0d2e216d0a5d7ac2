"""The field catalog of one API version, read from the library's own message descriptors.

Resources are the fields of `GoogleAdsRow` (besides `metrics` and `segments`); attributes,
metrics and segments are the (flattened) fields of their messages, with data types and enum
values from the descriptors. What descriptors cannot say (which resources may be selected
together) follows Google's published rule: a resource's attributed resources are the ones it
references, transitively, plus the customer; views (`*_view`) report across the hierarchy
and take any resource's attributes. Where unsure the catalog allows rather than refuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from ads_sandbox.google_ads import conversions
from ads_sandbox.google_ads.versions import version_types

RESOURCE, ATTRIBUTE, SEGMENT, METRIC = "RESOURCE", "ATTRIBUTE", "SEGMENT", "METRIC"
_NESTING_LIMIT = 6
# Segments that split rows by time; selecting one requires a finite date filter.
DATE_SEGMENTS = frozenset(
    {"segments.date", "segments.week", "segments.month", "segments.quarter", "segments.year"}
)
_DATE_TYPED = DATE_SEGMENTS - {"segments.year"}
_SCALARS = {
    FieldDescriptor.TYPE_BOOL: "BOOLEAN",
    FieldDescriptor.TYPE_DOUBLE: "DOUBLE",
    FieldDescriptor.TYPE_FLOAT: "FLOAT",
    FieldDescriptor.TYPE_INT32: "INT32",
    FieldDescriptor.TYPE_SINT32: "INT32",
    FieldDescriptor.TYPE_INT64: "INT64",
    FieldDescriptor.TYPE_SINT64: "INT64",
    FieldDescriptor.TYPE_UINT32: "UINT64",
    FieldDescriptor.TYPE_UINT64: "UINT64",
    FieldDescriptor.TYPE_ENUM: "ENUM",
    FieldDescriptor.TYPE_MESSAGE: "MESSAGE",
    FieldDescriptor.TYPE_STRING: "STRING",
    FieldDescriptor.TYPE_BYTES: "STRING",
}


@dataclass(frozen=True, slots=True)
class FieldInfo:
    name: str  # "campaign.id", "metrics.clicks", or a resource's own name ("campaign")
    category: str
    resource: str  # the resource, or "metrics" / "segments"
    data_type: str
    is_repeated: bool = False
    enum_values: tuple[str, ...] = ()
    enum_numbers: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    type_url: str = ""
    #: attribute names on the library's messages, which append "_" to Python keywords
    #: (the API's `ad_group_criterion.age_range.type` is `age_range.type_` there)
    proto_path: tuple[str, ...] = ()

    @property
    def selectable(self) -> bool:
        return True

    @property
    def filterable(self) -> bool:
        return self.category != RESOURCE and not (self.data_type == "MESSAGE" and self.is_repeated)

    @property
    def sortable(self) -> bool:
        return self.category != RESOURCE and not self.is_repeated and self.data_type != "MESSAGE"


def _api_name(proto_name: str) -> str:
    return proto_name[:-1] if proto_name.endswith("_") else proto_name


def _leaves(
    message: Descriptor, prefix: str, path: tuple[str, ...], stack: tuple[str, ...]
) -> Iterator[tuple[str, tuple[str, ...], FieldDescriptor]]:
    """(API name, attribute path on the message, descriptor) of every leaf field."""
    for fd in message.fields:
        name = f"{prefix}.{_api_name(fd.name)}"
        sub = fd.message_type
        if (
            sub is not None
            and not fd.is_repeated
            and sub.fields
            and not sub.full_name.startswith("google.protobuf.")
            and sub.full_name not in stack
            and len(stack) < _NESTING_LIMIT
        ):
            yield from _leaves(sub, name, (*path, fd.name), (*stack, sub.full_name))
        else:
            yield name, (*path, fd.name), fd


class Catalog:
    """Every selectable name of one version, by category."""

    def __init__(self, version: str) -> None:
        self.version = version
        row = version_types(version).row.DESCRIPTOR
        self.resources: tuple[str, ...] = tuple(
            fd.name for fd in row.fields if fd.name not in ("metrics", "segments")
        )
        resource_set = set(self.resources)
        self.fields: dict[str, FieldInfo] = {}
        self._messages: dict[str, Descriptor] = {}
        references: dict[str, set[str]] = {}
        for fd in row.fields:
            message = fd.message_type
            if fd.name == "metrics":
                category = METRIC
            elif fd.name == "segments":
                category = SEGMENT
            else:
                category = ATTRIBUTE
                self.fields[fd.name] = FieldInfo(
                    fd.name, RESOURCE, fd.name, "MESSAGE", type_url=message.full_name
                )
                references[fd.name] = {
                    ref.name
                    for ref in message.fields
                    if ref.type == FieldDescriptor.TYPE_STRING
                    and ref.name in resource_set
                    and ref.name != fd.name
                }
            self._messages[fd.name] = message
            for name, path, leaf in _leaves(message, fd.name, (fd.name,), (message.full_name,)):
                self.fields[name] = self._info(name, path, category, fd.name, leaf, resource_set)
        self._attributed = {r: self._closure(r, references) for r in self.resources}

    @staticmethod
    def _info(
        name: str,
        path: tuple[str, ...],
        category: str,
        resource: str,
        fd: FieldDescriptor,
        resources: set[str],
    ) -> FieldInfo:
        data_type = _SCALARS.get(fd.type, "STRING")
        leaf = name.rsplit(".", 1)[1]
        if name in _DATE_TYPED:
            data_type = "DATE"
        elif data_type == "STRING" and (leaf == "resource_name" or leaf in resources):
            data_type = "RESOURCE_NAME"
        enum_values: tuple[str, ...] = ()
        numbers: dict[str, int] = {}
        type_url = ""
        if fd.enum_type is not None:
            enum_values = tuple(v.name for v in fd.enum_type.values)
            numbers = {v.name: v.number for v in fd.enum_type.values}
            type_url = fd.enum_type.full_name
        elif fd.message_type is not None:
            type_url = fd.message_type.full_name
        return FieldInfo(
            name,
            category,
            resource,
            data_type,
            is_repeated=fd.is_repeated,
            enum_values=enum_values,
            enum_numbers=numbers,
            type_url=type_url,
            proto_path=path,
        )

    def _closure(self, resource: str, references: dict[str, set[str]]) -> frozenset[str]:
        if resource.endswith("_view"):
            return frozenset(self.resources)
        seen = {resource, "customer"}
        todo = list(references.get(resource, ()))
        while todo:
            ref = todo.pop()
            if ref not in seen:
                seen.add(ref)
                todo.extend(references.get(ref, ()))
        return frozenset(seen)

    def attributed(self, resource: str) -> frozenset[str]:
        """Resources whose attributes may be selected FROM resource (itself included)."""
        return self._attributed[resource]

    def get(self, name: str) -> FieldInfo | None:
        return self.fields.get(name)

    def metrics(self) -> list[str]:
        return [n for n, f in self.fields.items() if f.category == METRIC]

    def metrics_from(self, resource: str) -> list[str]:
        """The metrics a query FROM resource may select: of conversions only FROM
        conversion_action (its actions' conversions, nothing of traffic or cost)."""
        if resource == "conversion_action":
            return [m for m in self.metrics() if conversions.goes_with_conversion_segments(m)]
        return self.metrics()

    def segments(self) -> list[str]:
        return [n for n, f in self.fields.items() if f.category == SEGMENT]

    def selectable_with(self, info: FieldInfo) -> list[str]:
        """What the real field metadata lists: for a resource, its attributed resources and
        every segment and metric; for a metric or segment, every resource and the segments
        and metrics it goes with (with a conversion segment, only conversion metrics)."""
        if info.category == RESOURCE:
            return (
                sorted(self.attributed(info.name) - {info.name})
                + self.segments()
                + self.metrics_from(info.name)
            )
        if info.category == SEGMENT:
            metrics = self.metrics()
            if conversions.is_conversion_segment(info.name):
                metrics = [m for m in metrics if conversions.goes_with_conversion_segments(m)]
            return [*self.resources, *(s for s in self.segments() if s != info.name), *metrics]
        if info.category == METRIC:
            segments = self.segments()
            if not conversions.goes_with_conversion_segments(info.name):
                segments = [s for s in segments if not conversions.is_conversion_segment(s)]
            return [*self.resources, *segments]
        return []


@cache
def catalog(version: str) -> Catalog:
    return Catalog(version)
