"""Exact number handling: parsing source values to Decimal and exact arithmetic on them.

The SDK reads JSON fractions as Decimal and writes Decimal back verbatim, so money stays
exact as long as nothing here goes through float.
"""

from __future__ import annotations

from decimal import Decimal, Inexact, InvalidOperation, localcontext

#: Values sources use for "not available" (TikTok sends "-").
NOT_AVAILABLE = frozenset({"", "-"})

Number = Decimal | int


def to_decimal(value: object) -> Decimal | None:
    """Parse a JSON number or numeric string; None for null and "not available".

    Raises ValueError for anything else (booleans, non-finite values, text).
    """
    if value is None:
        return None
    kind = type(value)
    if kind is Decimal:  # what the reader gives for every JSON fraction: the fast path
        if value.is_finite():
            return value
        raise ValueError(f"{value!r} is not a finite number")
    if kind is int:
        return Decimal(value)
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, Decimal | int):
        parsed = Decimal(value)
    elif isinstance(value, float):
        # Only reachable when a caller bypasses the SDK's Decimal parsing: use the
        # shortest repr, which is what the JSON text said.
        parsed = Decimal(repr(value))
    elif isinstance(value, str):
        if value.strip() in NOT_AVAILABLE:
            return None
        try:
            parsed = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
    else:
        raise ValueError(f"{value!r} is not a number")
    if not parsed.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return parsed


def to_count(value: object) -> int | None:
    """Parse a whole-number count (impressions, clicks); ValueError if it has a fraction."""
    if type(value) is int:
        return value
    parsed = to_decimal(value)
    if parsed is None:
        return None
    if parsed != parsed.to_integral_value():
        raise ValueError(f"{value!r} is not a whole number")
    return int(parsed)


def exact_product(left: Number, right: Number) -> Decimal:
    """Multiply without rounding: the context gets as many digits as the product needs."""
    left, right = Decimal(left), Decimal(right)
    digits = len(left.as_tuple().digits) + len(right.as_tuple().digits)
    with localcontext(prec=max(digits, 1)) as context:
        context.traps[Inexact] = True
        return left * right


def rounded_ratio(
    numerator: Number | None, denominator: Number | None, places: int, scale: int = 1
) -> Decimal | None:
    """numerator * scale / denominator rounded half-even to `places` decimals, exactly once.

    Computed on the exact integer ratios of both sides, so the only rounding is the final
    one (Decimal division would round to the context precision first, then quantize would
    round again). None when either side is missing or the denominator is zero.
    """
    if numerator is None or denominator is None or denominator == 0:
        return None
    top, top_scale = _integer_ratio(numerator)
    bottom, bottom_scale = _integer_ratio(denominator)
    dividend = top * bottom_scale * scale * 10**places
    divisor = top_scale * bottom
    if divisor < 0:
        dividend, divisor = -dividend, -divisor
    units, remainder = divmod(dividend, divisor)  # floor, remainder >= 0
    if 2 * remainder > divisor or (2 * remainder == divisor and units % 2):
        units += 1
    return Decimal(units).scaleb(-places)


def _integer_ratio(value: Number) -> tuple[int, int]:
    return (value, 1) if type(value) is int else Decimal(value).as_integer_ratio()
