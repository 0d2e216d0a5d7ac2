"""Checks of the state and catalog files a run is given, before the SDK reads them.

A file that cannot be used stops the run with one line naming it; a state the tap would
silently ignore in part (Meltano's wrapper, bookmarks of unknown streams, partitions keyed
the old way) is named in a warning.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import typing as t
from collections.abc import Iterator, Mapping

from singer_sdk.singerlib import Catalog

from ads_kit.accounts import ACCOUNT_FAILURES
from ads_kit.cli_errors import RunInputError

#: Where `meltano state get` and Meltano's system database keep the Singer state.
MELTANO_WRAPPERS = (("singer_state",), ("completed", "singer_state"))
#: Bookmark entries that are no stream's but are in the state by design: the unified
#: mapper's entity facts (transform-unified keeps them in the state for a new machine), and
#: the accounts the last run could not read (cleared when a run starts).
PASSED_ON_BOOKMARKS = frozenset({"transform_unified", ACCOUNT_FAILURES})


def _parse(handle: t.IO[str], what: str) -> tuple[str, object]:
    name = getattr(handle, "name", what)
    text = handle.read()
    if not text.strip():
        msg = f"The {what} file {name} is empty: give a {what} file written by the tap, or none."
        raise RunInputError(msg)
    try:
        return name, json.loads(text)
    except ValueError as error:
        msg = f"The {what} file {name} is not valid JSON ({error}): fix or replace it."
        raise RunInputError(msg) from None


def state_file(handle: t.IO[str] | None, warn: t.Callable[[str], None]) -> t.IO[str] | None:
    """The `--state` file, checked: a JSON object whose bookmarks hold dates; Meltano's
    wrapped form is unwrapped with a warning."""
    if handle is None:
        return None
    name, state = _parse(handle, "state")
    if not isinstance(state, dict):
        msg = (
            f'The state file {name} must hold a JSON object such as {{"bookmarks": {{...}}}}, '
            f"not a {type(state).__name__}."
        )
        raise RunInputError(msg)
    for path in MELTANO_WRAPPERS:
        inner = _lookup(state, path)
        if isinstance(inner, dict):
            warn(
                f"The state file {name} is in Meltano's wrapped form; reading its "
                f"{'.'.join(path)} (pass the Singer state itself to stop this warning)."
            )
            state = inner
            break
    unknown = sorted(set(state) - {"bookmarks", "currently_syncing"})
    if unknown:
        warn(
            f"The state file {name} has top-level keys the tap does not read: "
            f"{', '.join(unknown)}; only `bookmarks` is used."
        )
    if not isinstance(state.get("bookmarks", {}), dict):
        msg = f"The state file {name}: `bookmarks` must be an object of streams' bookmarks."
        raise RunInputError(msg)
    for stream, partition, value in _bookmark_values(state.get("bookmarks")):
        if not _is_date(value):
            where = f"stream {stream}" + (f", partition {partition}" if partition else "")
            msg = (
                f"The state file {name} holds a bookmark that is not a date ({where}: "
                f"{value!r}): fix it, or remove it to read that stream from the start."
            )
            raise RunInputError(msg)
    return io.StringIO(json.dumps(state))


def catalog_file(handle: t.IO[str] | None) -> t.IO[str] | None:
    """The `--catalog` file, checked to be a Singer catalog."""
    if handle is None:
        return None
    name, catalog = _parse(handle, "catalog")
    try:
        if not isinstance(catalog, dict) or not isinstance(catalog.get("streams"), list):
            raise TypeError("no `streams` list")
        Catalog.from_dict(catalog)
    except Exception as error:  # the SDK's catalog reader raises whatever it trips over
        msg = (
            f"The catalog file {name} is not a Singer catalog ({type(error).__name__}: {error}): "
            "write it anew "
            "with --discover."
        )
        raise RunInputError(msg) from None
    return io.StringIO(json.dumps(catalog))


def state_warnings(
    bookmarks: Mapping[str, t.Any], partition_keys: Mapping[str, t.Sequence[str] | None]
) -> list[str]:
    """What of the loaded state will be ignored: bookmarks of streams the tap does not
    have, and partitions keyed otherwise than the stream's `state_partitioning_keys`."""
    warnings = []
    unknown = sorted(set(bookmarks) - set(partition_keys) - PASSED_ON_BOOKMARKS)
    if unknown:
        warnings.append(
            f"The state has bookmarks of streams this tap does not have, ignored: "
            f"{', '.join(unknown)}."
        )
    for stream, keys in partition_keys.items():
        partitions = (bookmarks.get(stream) or {}).get("partitions") or []
        stale = [p for p in partitions if keys and set(p.get("context") or {}) != set(keys)]
        if stale:
            found = sorted({key for p in stale for key in p.get("context") or {}})
            warnings.append(
                f"The state of stream {stream} has {len(stale)} partition(s) keyed by "
                f"{', '.join(found)} (an older format); this tap keys them by "
                f"{', '.join(keys)}, so those bookmarks are ignored and read again."
            )
    return warnings


def unknown_catalog_streams(catalog: Catalog | None, streams: t.Iterable[str]) -> list[str]:
    """Streams the input catalog names that the tap does not have."""
    if catalog is None:
        return []
    return sorted(set(catalog) - set(streams))


def _lookup(value: object, path: tuple[str, ...]) -> object:
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _bookmark_values(bookmarks: object) -> Iterator[tuple[str, object, object]]:
    if not isinstance(bookmarks, dict):
        return
    for stream, stream_state in bookmarks.items():
        if not isinstance(stream_state, dict):
            continue
        for part in [stream_state, *(stream_state.get("partitions") or [])]:
            if isinstance(part, dict) and part.get("replication_key_value") is not None:
                context = part.get("context") if part is not stream_state else None
                yield stream, context, part["replication_key_value"]


def _is_date(value: object) -> bool:
    try:
        dt.datetime.fromisoformat(str(value))
    except ValueError:
        return False
    return True
