"""Micros and minor units to major units, exactly, zero-decimal currencies included."""

from __future__ import annotations

from decimal import Decimal

import pytest
from transform_unified.currencies import from_micros, from_minor_units, minor_unit_digits


@pytest.mark.parametrize(
    ("micros", "major"),
    [(12_340_000, "12.34"), ("1", "0.000001"), (0, "0"), (None, None), ("-", None)],
)
def test_micros(micros, major):
    assert from_micros(micros) == (None if major is None else Decimal(major))


@pytest.mark.parametrize(
    ("amount", "currency", "major"),
    [("1050", "USD", "10.50"), (1050, "JPY", "1050"), (1050, "KWD", "1.050"), (7, "krw", "7")],
)
def test_minor_units(amount, currency, major):
    assert from_minor_units(amount, currency) == Decimal(major)
    assert str(from_minor_units(amount, currency)) == major


def test_digits_default_to_two():
    assert [minor_unit_digits(code) for code in ("EUR", None, "JPY")] == [2, 2, 0]
