"""ISO 4217 minor units, zero-decimal and three-decimal currencies included."""

from __future__ import annotations

import pytest
from transform_unified.currencies import minor_unit_digits


@pytest.mark.parametrize(
    ("currency", "digits"),
    [("EUR", 2), (None, 2), ("JPY", 0), ("krw", 0), ("KWD", 3), ("CLF", 4)],
)
def test_minor_unit_digits(currency, digits):
    assert minor_unit_digits(currency) == digits
