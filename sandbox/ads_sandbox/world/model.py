"""Plain records of the synthetic world, in platform-neutral vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ads_sandbox.world.profiles import AccountProfile


@dataclass(frozen=True, slots=True)
class Account:
    index: int
    id: str
    name: str
    company: str
    profile: AccountProfile
    first_date: date
    end_date: date
    days: int
    window_start: int  # epoch seconds at local midnight opening first_date
    window_end: int  # epoch seconds at local midnight closing end_date
    create_time: int  # epoch seconds
    voucher_percent: int  # share of spend paid by vouchers rather than cash

    @property
    def currency(self) -> str:
        return self.profile.currency

    @property
    def timezone(self) -> str:
        return self.profile.timezone

    @property
    def digits(self) -> int:
        return self.profile.digits

    def date_at(self, day: int) -> date:
        return self.first_date + timedelta(days=day)

    def day_of(self, when: date) -> int:
        """Day index of a local date (outside 0..days-1 when the date is outside the window)."""
        return (when - self.first_date).days


@dataclass(slots=True)
class Campaign:
    index: int
    id: str
    name: str
    objective: str
    budget_mode: str  # "daily" | "lifetime"
    budget: int  # minor units
    deleted_by: str | None  # None, or "self" when deleted
    paused_by: str | None
    create_time: int
    modify_time: int


@dataclass(slots=True)
class AdSet:
    index: int
    campaign_index: int
    id: str
    name: str
    budget_mode: str
    budget: int
    bid_strategy: str  # "auto" | "manual"
    bid_amount: int  # minor units, 0 for auto
    placements: tuple[str, ...]
    automatic_placement: bool
    age_groups: tuple[str, ...]
    gender: str  # "all" | "male" | "female"
    countries: tuple[str, ...]
    audience_ids: tuple[str, ...]
    deleted_by: str | None  # None | "self" | "campaign"
    paused_by: str | None
    create_time: int
    modify_time: int
    schedule_end: int


@dataclass(slots=True)
class Ad:
    index: int
    adset_index: int
    campaign_index: int
    id: str
    name: str
    text: str
    format: str  # "video" | "image"
    call_to_action: str
    landing_page_url: str
    creative_id: str
    deleted_by: str | None  # None | "self" | "adset" | "campaign"
    paused_by: str | None
    create_time: int
    modify_time: int


@dataclass(slots=True)
class Audience:
    index: int
    id: str
    name: str
    kind: str  # "customer_file" | "engagement" | "website" | "app_activity" | "lookalike"
    source_audience_id: str | None
    size: int
    create_time: int
    modify_time: int


@dataclass(frozen=True, slots=True)
class Touch:
    """How often a revision advance edited an object, and when the last edit happened."""

    count: int
    time: int
