"""Per-platform constants and the currency/timezone profiles that accounts cycle through."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

PLATFORMS = ("meta", "google_ads", "tiktok")

# Days after which a date's conversions stop growing (attribution window).
LATE_CONVERSION_DAYS = {"meta": 28, "google_ads": 30, "tiktok": 7}


@dataclass(frozen=True, slots=True)
class AccountProfile:
    currency: str
    timezone: str
    digits: int  # decimals of the currency's minor unit (JPY has none)
    minor_per_usd_cent: Fraction  # converts US-cent magnitudes to this currency's minor units
    country: str
    language: str


ACCOUNT_PROFILES = (
    AccountProfile("USD", "America/Los_Angeles", 2, Fraction(1), "US", "en"),
    AccountProfile("JPY", "Asia/Tokyo", 0, Fraction(3, 2), "JP", "ja"),
    AccountProfile("NZD", "Pacific/Auckland", 2, Fraction(17, 10), "NZ", "en"),
    AccountProfile("EUR", "Europe/Berlin", 2, Fraction(23, 25), "DE", "de"),
    AccountProfile("GBP", "Europe/London", 2, Fraction(79, 100), "GB", "en"),
    AccountProfile("BRL", "America/Sao_Paulo", 2, Fraction(5), "BR", "pt"),
)
