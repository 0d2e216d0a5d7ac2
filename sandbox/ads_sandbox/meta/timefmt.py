"""Meta's timestamp shape: `2024-05-01T12:34:56-0700`, in the account's timezone, no colon."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def graph_time(epoch: int, timezone: str) -> str:
    return datetime.fromtimestamp(epoch, ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M:%S%z")
