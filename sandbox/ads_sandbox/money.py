"""Exact money formatting from integer minor units (never through float)."""

from __future__ import annotations

from decimal import Decimal


def format_minor(value: int, digits: int) -> str:
    """123456 with 2 digits -> "1234.56"; with 0 digits -> "123456"."""
    if digits == 0:
        return str(value)
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}"


def to_decimal(value: int, digits: int) -> Decimal:
    return Decimal(format_minor(value, digits))


def ratio_minor(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (both non-negative)."""
    return (2 * numerator + denominator) // (2 * denominator)
