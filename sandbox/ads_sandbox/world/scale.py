"""The `--scale` setting: accounts x campaigns x ad sets x ads x days."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SCALE = "3x4x3x3x30"
_FIELDS = ("accounts", "campaigns per account", "ad sets per campaign", "ads per ad set", "days")
_MAX_DAYS = 730
_MAX_ADS_PER_ACCOUNT = 200_000


class ScaleError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Scale:
    accounts: int
    campaigns: int
    adsets: int
    ads: int
    days: int

    @classmethod
    def parse(cls, text: str) -> Scale:
        parts = text.strip().lower().split("x")
        usage = (
            f"scale must be AxCxSxDxN ({' x '.join(_FIELDS)}), e.g. {DEFAULT_SCALE}; got {text!r}"
        )
        if len(parts) != len(_FIELDS) or not all(p.isdigit() for p in parts):
            raise ScaleError(usage)
        values = [int(p) for p in parts]
        for name, value in zip(_FIELDS, values, strict=True):
            if value < 1:
                raise ScaleError(f"scale: {name} must be at least 1; got {text!r}")
        scale = cls(*values)
        if scale.days > _MAX_DAYS:
            raise ScaleError(f"scale: days must be at most {_MAX_DAYS}; got {scale.days}")
        if scale.ads_per_account > _MAX_ADS_PER_ACCOUNT:
            raise ScaleError(
                f"scale: at most {_MAX_ADS_PER_ACCOUNT} ads per account; "
                f"{text!r} gives {scale.ads_per_account}"
            )
        return scale

    @property
    def ads_per_account(self) -> int:
        return self.campaigns * self.adsets * self.ads

    def __str__(self) -> str:
        return f"{self.accounts}x{self.campaigns}x{self.adsets}x{self.ads}x{self.days}"
