"""Custom GAQL checked before the run against the field metadata GoogleAdsFieldService
serves, cached on disk per API version: at most one metadata call per run."""

from __future__ import annotations

import json
import os
import re
import typing as t
from pathlib import Path

from ads_kit.errors import InvalidRequestError

from tap_google_ads.report_specs import DATE, ReportSpec

ATTRIBUTES = (
    "name", "category", "data_type", "selectable", "filterable", "is_repeated",
    "selectable_with", "attribute_resources", "metrics", "segments",
)  # fmt: skip


def default_cache_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "tap-google-ads"


class FieldMetadata:
    """`name -> {category, data_type, ...}` for the fields asked about, on disk per version."""

    def __init__(self, directory: Path, version: str, fetch: t.Callable[[str], t.Iterable[t.Any]]):
        self.path = directory / f"fields-{version}.json"
        self._fetch = fetch
        try:
            self._known: dict[str, dict | None] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self._known = {}

    def lookup(self, names: t.Iterable[str]) -> dict[str, dict | None]:
        """Metadata of each name (None: the API has no such field); one call for the rest."""
        wanted = sorted(set(names))
        missing = [n for n in wanted if n not in self._known or _stale(self._known[n])]
        if missing:
            quoted = ", ".join(f"'{n}'" for n in missing)
            query = f"SELECT {', '.join(ATTRIBUTES)} WHERE name IN ({quoted})"
            found = {}
            for field in self._fetch(query):
                found[field.name] = {
                    "category": _enum_name(field, "category"),
                    "data_type": _enum_name(field, "data_type"),
                    "selectable": field.selectable,
                    "filterable": field.filterable,
                    "is_repeated": field.is_repeated,
                }
                category = found[field.name]["category"]
                if category == "RESOURCE":
                    found[field.name]["selectable_with"] = sorted(
                        {*field.selectable_with, *field.attribute_resources}
                        | {*field.metrics, *field.segments}
                    )
                elif category == "SEGMENT":  # the metrics it goes with
                    found[field.name]["selectable_with"] = sorted(
                        m for m in field.selectable_with if m.startswith("metrics.")
                    )
            for name in missing:
                self._known[name] = found.get(name)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(self._known, sort_keys=True))
            temporary.replace(self.path)
        return {n: self._known[n] for n in wanted}


def _stale(entry: dict | None) -> bool:
    """A resource or segment cached before its `selectable_with` was kept."""
    return (
        entry is not None
        and entry["category"] in ("RESOURCE", "SEGMENT")
        and "selectable_with" not in entry
    )


def _enum_name(message: t.Any, field: str) -> str:
    descriptor = message.DESCRIPTOR.fields_by_name[field]
    return descriptor.enum_type.values_by_number[getattr(message, field)].name


def check_custom_reports(specs: t.Sequence[ReportSpec], metadata: FieldMetadata) -> None:
    """InvalidRequestError naming the first offending field of any custom report."""
    names = {n for spec in specs for n in (spec.resource, *spec.fields)}
    if not names:
        return
    known = metadata.lookup(names)
    for spec in specs:
        resource = known.get(spec.resource)
        if resource is None or resource["category"] != "RESOURCE":
            raise InvalidRequestError(
                f"Setting '{spec.setting}': '{spec.resource}' is not a resource of the Google "
                "Ads API (FROM takes one resource)."
            )
        for name in spec.fields:
            info = known.get(name)
            if info is None:
                raise InvalidRequestError(
                    f"Setting '{spec.setting}': '{name}' is not a field of the Google Ads API."
                )
            if not info["selectable"] or info["category"] == "RESOURCE":
                raise InvalidRequestError(f"Setting '{spec.setting}': '{name}' cannot be selected.")
            # What Google would refuse at run time (PROHIBITED_*): the resource's
            # `selectable_with` lists the segments, metrics and resources it goes with.
            owner = name if name.startswith(("metrics.", "segments.")) else name.split(".")[0]
            if owner != spec.resource and owner not in resource["selectable_with"]:
                raise InvalidRequestError(
                    f"Setting '{spec.setting}': '{name}' cannot be selected FROM "
                    f"{spec.resource} (not in its selectable_with)."
                )
        _check_segments_with_metrics(spec, known)
        if DATE in spec.segments and known.get(DATE) is None:
            raise InvalidRequestError(f"Setting '{spec.setting}': segments.date is unknown.")


def _check_segments_with_metrics(spec: ReportSpec, known: dict[str, dict | None]) -> None:
    """A segment's `selectable_with` lists the metrics it goes with: the conversion
    segments (conversion action, lag buckets, ...) take conversion metrics only, and Google
    refuses any other as PROHIBITED_SEGMENT_WITH_METRIC_IN_SELECT_OR_WHERE_CLAUSE."""
    for segment in spec.segments:
        allowed = (known.get(segment) or {}).get("selectable_with")
        if not allowed:  # metadata that names no metric says nothing of them
            continue
        in_where = re.findall(r"\bmetrics\.\w+", " ".join(spec.conditions))
        for metric in dict.fromkeys((*spec.metrics, *in_where)):
            if metric not in allowed:
                raise InvalidRequestError(
                    f"Setting '{spec.setting}': '{metric}' cannot be selected with "
                    f"'{segment}' (Google reports only the metrics in the segment's "
                    "selectable_with); drop one of them, or read the other in a report of its "
                    "own."
                )
