"""Per ad per local date delivery facts of one account, generated once and stored compactly.

A fact depends only on the ad and the absolute date (never on the window's end), so moving the
end date shifts which days exist without changing any day's numbers.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence

from ads_sandbox.world.breakdowns import BASE_WEIGHTS, HOUR_WEIGHTS
from ads_sandbox.world.hashing import Hasher
from ads_sandbox.world.model import Account, Ad

_STORED = (
    "imp",
    "clk",
    "spend",
    "conv",
    "value",
    "video",
    "likes",
    "comments",
    "shares",
    "follows",
)


def _round(num: int, den: int, r16: int) -> int:
    """num/den rounded up with probability equal to its fraction (r16 is 16 random bits)."""
    q, rem = divmod(num, den)
    return q + (rem * 65536 > r16 * den)


class AccountFacts:
    """Rows sorted by day then ad; day_offsets[d]..day_offsets[d+1] are day d's rows."""

    def __init__(self, account: Account, ads: Sequence[Ad], hasher: Hasher) -> None:
        self.account = account
        self._hasher = hasher
        self._ad_keys = [f"{ad.id}|".encode() for ad in ads]
        self._weights: dict[tuple[int, str], tuple[int, ...]] = {}
        self.ad = array("l")
        self.columns = {name: array("q") for name in _STORED}
        self.day_offsets = [0]
        self._generate(ads)

    def _generate(self, ads: Sequence[Ad]) -> None:
        account = self.account
        rate = account.profile.minor_per_usd_cent
        num, den = rate.numerator, rate.denominator
        params = []
        for ad, key in zip(ads, self._ad_keys, strict=True):
            p = self._hasher.of_bytes(b"params|" + key)
            period = 20 + p % 41
            params.append(
                (
                    ad.index,
                    key,
                    200 + ((p >> 8) % 1000) ** 2 // 60,  # base daily impressions, skewed low
                    40 + (p >> 20) % 260,  # CTR in basis points
                    150 + (p >> 30) % 1100,  # CPM in US cents
                    100 + (p >> 42) % 1400,  # conversion rate of clicks, basis points
                    800 + (p >> 54) % 15000,  # order value, US cents
                    (20 + (p >> 68) % 50) if ad.format == "video" else 0,  # video play %
                    10 + (p >> 76) % 50,  # likes per mille of plays
                    1 + (p >> 84) % 5,  # comments per mille
                    1 + (p >> 90) % 8,  # shares per mille
                    (p >> 96) % 4,  # follows per mille
                    period,
                    period * (60 + (p >> 100) % 36) // 100,  # active days per period
                    (p >> 110) % period,
                )
            )
        c = self.columns
        imp_a, clk_a, spend_a, conv_a, value_a = (
            c["imp"],
            c["clk"],
            c["spend"],
            c["conv"],
            c["value"],
        )
        video_a, likes_a, comm_a, share_a, foll_a = (
            c["video"],
            c["likes"],
            c["comments"],
            c["shares"],
            c["follows"],
        )
        ad_a = self.ad
        digest = self._hasher.of_bytes
        first = account.first_date.toordinal()
        for day in range(account.days):
            ordinal = first + day
            suffix = ordinal.to_bytes(4, "little")
            for (
                index,
                key,
                base,
                ctr,
                cpm,
                cvr,
                aov,
                vpct,
                like_pm,
                comm_pm,
                share_pm,
                foll_pm,
                period,
                active,
                phase,
            ) in params:
                if (ordinal + phase) % period >= active:
                    continue
                h = digest(key + suffix)
                imp = base * (40 + (h & 0xFFFF) % 121) // 100
                if imp <= 0:
                    continue
                clk = min(
                    imp, _round(imp * ctr * (80 + (h >> 16) % 41), 1_000_000, h >> 80 & 0xFFFF)
                )
                spend = _round(
                    imp * cpm * (90 + (h >> 32) % 21) * num, 100_000 * den, h >> 96 & 0xFFFF
                )
                conv = min(clk, _round(clk * cvr * (70 + (h >> 48) % 61), 1_000_000, h >> 112))
                value = (
                    _round(conv * aov * (80 + (h >> 64) % 41) * num, 100 * den, h >> 88 & 0xFFFF)
                    if conv
                    else 0
                )
                video = imp * vpct // 100
                ad_a.append(index)
                imp_a.append(imp)
                clk_a.append(clk)
                spend_a.append(spend)
                conv_a.append(conv)
                value_a.append(value)
                video_a.append(video)
                likes_a.append(video * like_pm // 1000)
                comm_a.append(video * comm_pm // 1000)
                share_a.append(video * share_pm // 1000)
                foll_a.append(video * foll_pm // 1000)
            self.day_offsets.append(len(ad_a))

    def __len__(self) -> int:
        return len(self.ad)

    def rows(
        self, first_day: int, last_day: int, visible: Sequence[tuple[int, int]]
    ) -> Iterator[tuple[int, int, list[int]]]:
        """(day, ad index, vector) for days first_day..last_day inclusive.

        visible[day] = (numerator, denominator) of the share of final conversions seen so far.
        """
        c = self.columns
        for day in range(max(0, first_day), min(self.account.days - 1, last_day) + 1):
            lo, hi = self.day_offsets[day], self.day_offsets[day + 1]
            num, den = visible[day]
            for ad, imp, clk, spend, conv, value, video, likes, comm, share, foll in zip(
                self.ad[lo:hi],
                c["imp"][lo:hi],
                c["clk"][lo:hi],
                c["spend"][lo:hi],
                c["conv"][lo:hi],
                c["value"][lo:hi],
                c["video"][lo:hi],
                c["likes"][lo:hi],
                c["comments"][lo:hi],
                c["shares"][lo:hi],
                c["follows"][lo:hi],
                strict=True,
            ):
                if num == den or not conv:
                    seen, seen_value = conv, value
                else:
                    seen = conv * num // den
                    seen_value = value * seen // conv
                yield (
                    day,
                    ad,
                    [imp, clk, spend, seen, seen_value, conv, video, likes, comm, share, foll],
                )

    def breakdown_weights(self, ad: int, dimension: str) -> tuple[int, ...]:
        """Deterministic per-ad weights over a breakdown's values (or the 24 local hours)."""
        cached = self._weights.get((ad, dimension))
        if cached is None:
            base = HOUR_WEIGHTS if dimension == "hour" else BASE_WEIGHTS[dimension]
            h = self._hasher.of_bytes(b"weights|" + dimension.encode() + b"|" + self._ad_keys[ad])
            cached = tuple(w * (50 + (h >> (5 * i)) % 101) for i, w in enumerate(base))
            self._weights[(ad, dimension)] = cached
        return cached
