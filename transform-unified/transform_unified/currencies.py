"""ISO 4217 minor units: how many decimals an amount of a currency shows (`ads-report`
prints 4,830,637 JPY and 39,277.63 USD). Platforms' own units stay in their adapters: Meta
counts budgets in whole units of some currencies ISO gives two decimals (HUF, TWD, ...)."""

from __future__ import annotations

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


def minor_unit_digits(currency: str | None) -> int:
    """Decimals of the currency's minor unit: 2 unless ISO 4217 says otherwise."""
    return MINOR_UNIT_DIGITS.get((currency or "").upper(), 2)
