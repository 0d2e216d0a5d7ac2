"""Exact number handling: parsing source values to Decimal and exact arithmetic on them.

The SDK reads JSON fractions as Decimal and writes Decimal back verbatim, so money stays
exact as long as nothing here goes through float.
"""

from __future__ import annotations

from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_05UP,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
)

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


#: Enough digits for any product of two amounts this code meets; Inexact is trapped, so
#: a product that would need more raises instead of rounding.
_EXACT = Context(prec=200, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, InvalidOperation])


def exact_product(left: Number, right: Number) -> Decimal:
    """Multiply without rounding (decimal.Inexact if 200 digits would not hold it)."""
    return _EXACT.multiply(left, right)


#: Division rounded to odd (ROUND_05UP: a last digit of 0 or 5 only when exact) at far more
#: digits than any ratio keeps, so that rounding the quotient again, half-even to at least
#: one digit fewer, gives what rounding the exact quotient would: one rounding, in C.
TO_ODD = Context(prec=60, rounding=ROUND_05UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
#: The second rounding, two digits short of the first: a quotient too long for it raises
#: InvalidOperation rather than being rounded twice.
HALF_EVEN = Context(
    prec=58, rounding=ROUND_HALF_EVEN, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation]
)
QUANTA = {places: Decimal(1).scaleb(-places) for places in range(19)}
_ZEROS = {places: Decimal(0).scaleb(-places) for places in range(19)}


def rounded_ratio(
    numerator: Number | None, denominator: Number | None, places: int, scale_digits: int = 0
) -> Decimal | None:
    """numerator * 10**scale_digits / denominator rounded half-even to `places` decimals,
    exactly once. None when either side is missing or the denominator is zero.
    """
    if numerator is None or not denominator:
        return None
    try:
        quotient = TO_ODD.divide(numerator, denominator)
        ratio = HALF_EVEN.quantize(quotient, QUANTA[places + scale_digits])
    except (InvalidOperation, KeyError):
        return _integer_rounded_ratio(numerator, denominator, places, 10**scale_digits)
    if scale_digits:
        ratio = HALF_EVEN.scaleb(ratio, scale_digits)
    return ratio if ratio else _ZEROS[places]  # never -0


def _integer_rounded_ratio(
    numerator: Number, denominator: Number, places: int, scale: int
) -> Decimal:
    """The same on the exact integer ratios of both sides (for quotients too long for
    the fast path)."""
    top, top_scale = _integer_ratio(numerator)
    bottom, bottom_scale = _integer_ratio(denominator)
    dividend = top * bottom_scale * scale * 10**places
    divisor = top_scale * bottom
    if divisor < 0:
        dividend, divisor = -dividend, -divisor
    units, remainder = divmod(dividend, divisor)  # floor, remainder >= 0
    if 2 * remainder > divisor or (2 * remainder == divisor and units % 2):
        units += 1
    return _EXACT.scaleb(Decimal(units), -places)


def _integer_ratio(value: Number) -> tuple[int, int]:
    return (value, 1) if type(value) is int else Decimal(value).as_integer_ratio()
