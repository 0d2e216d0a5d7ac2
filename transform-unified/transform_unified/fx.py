"""Currency conversion into the reporting currency: the one place amounts are converted."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from transform_unified.numbers import Number, exact_product

ONE = Decimal(1)


@dataclass(frozen=True)
class FxQuote:
    """1 unit of the account currency = `rate` units of the reporting currency.

    `rate_date` is the date of the dated rate used; None for the identity and for
    constant rates, which have no date.
    """

    rate: Decimal
    rate_date: date | None

    def convert(self, amount: Number | None) -> Decimal | None:
        """The amount in the reporting currency, at full precision (never rounded)."""
        return None if amount is None else exact_product(amount, self.rate)


class FxRates:
    """The `fx_rates` setting: constant rates and dated rate tables per currency."""

    def __init__(
        self,
        reporting_currency: str,
        constant: Mapping[str, Decimal],
        dated: Mapping[str, Sequence[tuple[date, Decimal]]],
    ) -> None:
        self.reporting_currency = reporting_currency
        self._constant = dict(constant)
        self._dated = {currency: sorted(table) for currency, table in dated.items()}
        self._dated_days = {
            currency: [day for day, _ in table] for currency, table in self._dated.items()
        }

    def with_fallback(self, dated: Mapping[str, Sequence[tuple[date, Decimal]]]) -> FxRates:
        """These rates plus dated ones for the currencies these do not cover."""
        extra = {
            currency: table
            for currency, table in dated.items()
            if currency not in self._constant and currency not in self._dated
        }
        return FxRates(self.reporting_currency, self._constant, {**self._dated, **extra})

    def quote(self, currency: str, on: date) -> FxQuote | None:
        """The rate for `currency` on `on`: identity, constant, or the latest dated rate on
        or before `on`. None when no rate applies."""
        if currency == self.reporting_currency:
            return FxQuote(ONE, None)
        if currency in self._constant:
            return FxQuote(self._constant[currency], None)
        days = self._dated_days.get(currency)
        if not days:
            return None
        index = bisect.bisect_right(days, on) - 1
        if index < 0:
            return None
        rate_date, rate = self._dated[currency][index]
        return FxQuote(rate, rate_date)
