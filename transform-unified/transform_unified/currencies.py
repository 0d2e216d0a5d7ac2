"""ISO 4217 minor units, and the conversions adapters need to bring amounts to the account
currency's major units exactly: Google Ads' micros, Meta's budgets in minor units (cents,
or whole yen for a currency without minor units)."""

from __future__ import annotations

from decimal import Decimal

from transform_unified.numbers import to_decimal

#: Currencies whose minor unit is not 1/100 (ISO 4217), by their number of decimals.
MINOR_UNIT_DIGITS = {
    **dict.fromkeys(
        (
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    "CLF": 4,
    "UYW": 4,
}
MICROS = Decimal(1_000_000)


def minor_unit_digits(currency: str | None) -> int:
    """Decimals of the currency's minor unit: 2 unless ISO 4217 says otherwise."""
    return MINOR_UNIT_DIGITS.get((currency or "").upper(), 2)


def from_micros(value: object) -> Decimal | None:
    """Google Ads' `*_micros` (an integer of millionths) in major units, exactly."""
    amount = to_decimal(value)
    return None if amount is None else amount.scaleb(-6)


def from_minor_units(value: object, currency: str) -> Decimal | None:
    """An amount in the currency's minor units (Meta's budgets: 1050 = 10.50 USD, 1050 JPY
    = 1050 JPY) in major units, exactly."""
    amount = to_decimal(value)
    return None if amount is None else amount.scaleb(-minor_unit_digits(currency))
