"""The deterministic synthetic world every emulator serves and `truth` sums up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ads_sandbox.world.entities import AccountEntities, build_entities
from ads_sandbox.world.facts import AccountFacts
from ads_sandbox.world.hashing import Hasher
from ads_sandbox.world.ids import IdMaker
from ads_sandbox.world.model import Account
from ads_sandbox.world.profiles import ACCOUNT_PROFILES, LATE_CONVERSION_DAYS, PLATFORMS
from ads_sandbox.world.scale import DEFAULT_SCALE, Scale, ScaleError
from ads_sandbox.world.shop import AccountShop, GmvMaxRow, has_shop

__all__ = ["DEFAULT_SCALE", "PLATFORMS", "Account", "Scale", "ScaleError", "World"]


def _local_midnight(day: date, tz: ZoneInfo) -> int:
    return int(datetime.combine(day, time(0), tz).timestamp())


def _round_trips(local: datetime) -> bool:
    """False for a wall-clock time that does not exist (inside a spring-forward gap)."""
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(
        tzinfo=None
    )


class World:
    """Accounts are cheap and built eagerly; each account's objects and facts are built on
    first use and cached. Same platform, seed, scale, end_date and revision give the same data.
    """

    def __init__(
        self,
        platform: str,
        seed: int = 1,
        scale: Scale | str = DEFAULT_SCALE,
        end_date: date | None = None,
        revision: int = 0,
    ) -> None:
        if platform not in PLATFORMS:
            raise ValueError(f"platform must be one of {', '.join(PLATFORMS)}; got {platform!r}")
        if revision < 0:
            raise ValueError("revision must be >= 0")
        self.platform = platform
        self.seed = seed
        self.scale = Scale.parse(scale) if isinstance(scale, str) else scale
        self.revision = revision
        self.late_days = LATE_CONVERSION_DAYS[platform]
        self._hasher = Hasher(seed, platform)
        ids = IdMaker(self._hasher, platform)
        self.accounts = tuple(
            self._make_account(i, ids, end_date) for i in range(self.scale.accounts)
        )
        self._by_id = {account.id: account for account in self.accounts}
        self._entities: dict[int, AccountEntities] = {}
        self._facts: dict[int, AccountFacts] = {}
        self._shops: dict[int, AccountShop] = {}
        self._hours: dict[tuple[int, int], tuple[int, ...]] = {}

    def _make_account(self, index: int, ids: IdMaker, end_date: date | None) -> Account:
        profile = ACCOUNT_PROFILES[index % len(ACCOUNT_PROFILES)]
        tz = ZoneInfo(profile.timezone)
        end = end_date or datetime.now(tz).date()
        days = self.scale.days
        first = end - timedelta(days=days - 1)
        start = _local_midnight(first, tz)
        h = self._hasher.of("account", index)
        return Account(
            index=index,
            id=ids.make("account", index),
            name=f"Sandbox {profile.country} {profile.currency} {index + 1}",
            company=f"Sandbox Retail {profile.country} Ltd.",
            profile=profile,
            first_date=first,
            end_date=end,
            days=days,
            window_start=start,
            window_end=_local_midnight(end + timedelta(days=1), tz),
            create_time=start - (200 + h % 600) * 86_400 - (h >> 16) % 86_400,
            voucher_percent=(h >> 40) % 9,
        )

    def account(self, account_id: str) -> Account | None:
        return self._by_id.get(account_id)

    def entities(self, account: Account) -> AccountEntities:
        built = self._entities.get(account.index)
        if built is None:
            built = build_entities(self._hasher, self.platform, account, self.scale)
            self._entities[account.index] = built
        return built

    def facts(self, account: Account) -> AccountFacts:
        built = self._facts.get(account.index)
        if built is None:
            built = AccountFacts(account, self.entities(account).ads, self._hasher)
            self._facts[account.index] = built
        return built

    def shop(self, account: Account) -> AccountShop | None:
        """The account's TikTok Shop and GMV Max campaigns, None when it has none."""
        if not has_shop(self.platform, account):
            return None
        built = self._shops.get(account.index)
        if built is None:
            built = self._shops[account.index] = AccountShop(account, self._hasher)
        return built

    def gmv_max_rows(
        self,
        account: Account,
        first_day: int = 0,
        last_day: int | None = None,
        revision: int | None = None,
    ) -> Iterator[GmvMaxRow]:
        """The account's GMV Max campaign-days with delivery (none without a shop)."""
        shop = self.shop(account)
        if shop is None:
            return iter(())
        last = account.days - 1 if last_day is None else last_day
        return shop.rows(first_day, last, self.visible_shares(account, revision))

    def local_hours(self, account: Account, day: int) -> tuple[int, ...]:
        """1 for each of the 24 clock hours that exists on that local day, 0 for an hour
        skipped by a daylight-saving jump (such hours never carry data)."""
        key = (account.index, day)
        hours = self._hours.get(key)
        if hours is None:
            tz = ZoneInfo(account.timezone)
            when = account.date_at(day)
            hours = tuple(
                int(_round_trips(datetime.combine(when, time(hour), tz))) for hour in range(24)
            )
            self._hours[key] = hours
        return hours

    def advance(self) -> int:
        self.revision += 1
        return self.revision

    def visible_shares(
        self, account: Account, revision: int | None = None
    ) -> list[tuple[int, int]]:
        """Per day index, the fraction (num, den) of final conversions visible at the revision.

        A date of age a days (0 = end date) shows min(1, (a + 1 + r) / (M + 1)) of them.
        """
        r = self.revision if revision is None else revision
        den = self.late_days + 1
        return [(min(den, account.days - day + r), den) for day in range(account.days)]

    def rows(
        self,
        account: Account,
        first_day: int = 0,
        last_day: int | None = None,
        revision: int | None = None,
    ) -> Iterator[tuple[int, int, list[int]]]:
        """(day index, ad index, vector) for every ad-day with delivery (see world.metrics)."""
        last = account.days - 1 if last_day is None else last_day
        return self.facts(account).rows(first_day, last, self.visible_shares(account, revision))
