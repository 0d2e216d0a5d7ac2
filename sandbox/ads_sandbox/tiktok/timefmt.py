"""Timestamp and money shapes of TikTok entity responses."""

from __future__ import annotations

import time

from ads_sandbox.money import format_minor


def utc_text(epoch: int) -> str:
    """Entity timestamps: "YYYY-MM-DD HH:MM:SS" in UTC."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


def money_number(minor: int, digits: int) -> float:
    """Entity money is a JSON number; built from exact decimal text so it prints exactly."""
    return float(format_minor(minor, digits))
