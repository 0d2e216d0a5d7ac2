"""TikTok Shop stores and their GMV Max campaigns (TikTok only).

TikTok reports GMV Max campaigns through its GMV Max endpoints alone, never in
`report/integrated/get`, so they live beside the campaign / ad group / ad tree: daily cost,
orders and gross revenue per campaign, in the account's minor units. Like the ads' facts, a
day's numbers depend only on the campaign and the absolute date; orders and revenue arrive
late the same way the ads' conversions do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ads_sandbox.world.hashing import Hasher
from ads_sandbox.world.ids import IdMaker
from ads_sandbox.world.model import Account

#: Of every three accounts, the first two sell through a TikTok Shop and run GMV Max
#: (at the default scale: the USD and the JPY account; the NZD one has no store).
SHOP_CYCLE = 3
#: TikTok's two GMV Max campaign types (`shopping_ads_type` / `gmv_max_promotion_types`).
PROMOTION_TYPES = ("PRODUCT", "LIVE")


@dataclass(frozen=True, slots=True)
class Store:
    id: str
    name: str
    code: str
    region: str
    authorized_bc_id: str


@dataclass(frozen=True, slots=True)
class GmvMaxCampaign:
    index: int
    id: str
    name: str
    promotion_type: str  # "PRODUCT" | "LIVE"
    store_id: str
    budget: int  # daily, minor units
    roas_bid_hundredths: int  # target ROI x 100
    deleted: bool
    create_time: int
    modify_time: int


@dataclass(frozen=True, slots=True)
class GmvMaxRow:
    day: int
    campaign_index: int
    cost: int  # minor units
    orders: int  # visible at the revision
    gross_revenue: int  # minor units, visible at the revision


class AccountShop:
    """One account's store, its GMV Max campaigns and their daily facts (final values)."""

    def __init__(self, account: Account, hasher: Hasher) -> None:
        ids = IdMaker(hasher, "tiktok")
        h = hasher.of("store", account.index)
        self.store = Store(
            id=ids.make("store", account.index),
            name=f"Sandbox Shop {account.profile.country} {account.index + 1}",
            code=f"{account.profile.country}LC{h % 10**6:06d}",
            region=account.profile.country,
            authorized_bc_id=ids.make("business_center", account.index),
        )
        rate = account.profile.minor_per_usd_cent
        self.campaigns = tuple(
            GmvMaxCampaign(
                index=i,
                id=ids.make("gmv_max_campaign", account.index, i),
                name=f"GMV Max {kind.title()} {account.index + 1}.{i + 1}",
                promotion_type=kind,
                store_id=self.store.id,
                budget=(50 + (h >> (8 + i * 8)) % 200) * 100 * rate.numerator // rate.denominator,
                roas_bid_hundredths=150 + (h >> (24 + i * 8)) % 300,
                # The LIVE campaign of every other account is deleted: its spend stays.
                deleted=kind == "LIVE" and account.index % 2 == 1,
                create_time=account.window_start - (30 + i * 7) * 86_400,
                modify_time=account.window_start + (h >> (40 + i * 4)) % (account.days * 86_400),
            )
            for i, kind in enumerate(PROMOTION_TYPES)
        )
        self._rows = self._generate(account, hasher)

    def _generate(self, account: Account, hasher: Hasher) -> list[tuple[int, int, int, int, int]]:
        rate = account.profile.minor_per_usd_cent
        num, den = rate.numerator, rate.denominator
        first = account.first_date.toordinal()
        rows = []
        for day in range(account.days):
            ordinal = first + day
            for campaign in self.campaigns:
                h = hasher.of("gmv_max", campaign.id, ordinal)
                # LIVE campaigns deliver only on days with a live session.
                if campaign.promotion_type == "LIVE" and h % 4 == 0:
                    continue
                cost = (1500 + (h >> 8) % 25000) * num // den  # US cents -> minor units
                if cost <= 0:
                    continue
                orders = 1 + (h >> 32) % 40
                revenue = cost * (120 + (h >> 48) % 400) // 100
                rows.append((day, campaign.index, cost, orders, revenue))
        return rows

    def rows(
        self, first_day: int, last_day: int, visible: Sequence[tuple[int, int]]
    ) -> Iterator[GmvMaxRow]:
        """Rows of days first_day..last_day; `visible` as for the ads' facts."""
        for day, campaign, cost, orders, revenue in self._rows:
            if first_day <= day <= last_day:
                num, den = visible[day]
                seen = orders * num // den
                seen_revenue = revenue * seen // orders
                yield GmvMaxRow(day, campaign, cost, seen, seen_revenue)


def has_shop(platform: str, account: Account) -> bool:
    return platform == "tiktok" and account.index % SHOP_CYCLE != SHOP_CYCLE - 1
