"""Platform adapters and how an input stream is matched to one of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from transform_unified.adapters.base import Adapter, Role
from transform_unified.adapters.google_ads import GoogleAdsAdapter
from transform_unified.adapters.meta import MetaAdapter
from transform_unified.adapters.tiktok import TikTokAdapter

#: Every supported platform's adapter, by the `platform` value it writes.
ADAPTER_TYPES: Mapping[str, type[Adapter]] = {
    adapter.platform: adapter for adapter in (TikTokAdapter, MetaAdapter, GoogleAdsAdapter)
}


class AmbiguousStream(RuntimeError):
    """More than one platform claims an input stream."""


def route_stream(
    adapters: Mapping[str, Adapter],
    stream: str,
    schema: Mapping[str, Any],
    forced_platform: str | None,
) -> tuple[Adapter, Role] | None:
    """The adapter and role for `stream` judged from its SCHEMA message, or None.

    With `forced_platform`, only that platform is asked and only the stream name counts.
    """
    if forced_platform is not None:
        adapter = adapters[forced_platform]
        role = adapter.claim(stream, schema, forced=True)
        return None if role is None else (adapter, role)
    claims = [
        (adapter, role)
        for adapter in adapters.values()
        if (role := adapter.claim(stream, schema, forced=False)) is not None
    ]
    if len(claims) > 1:
        names = ", ".join(adapter.platform for adapter, _ in claims)
        raise AmbiguousStream(
            f"stream '{stream}' looks like it comes from several platforms ({names}): "
            "set `platform` to the one this tap is"
        )
    return claims[0] if claims else None
