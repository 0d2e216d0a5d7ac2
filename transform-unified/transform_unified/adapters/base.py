"""What a platform adapter provides: which input streams it understands and how to read
their records into platform-neutral facts. Everything computed from those facts (FX,
derived metrics, local-day instants, vocabulary columns' assembly) lives outside adapters.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar

from transform_unified.diagnostics import Diagnostics
from transform_unified.numbers import to_count, to_decimal
from transform_unified.vocabulary import OBJECTIVES, STATUSES, Breakdown, Objective, Status


class Role(Enum):
    """What an input stream means to the mapper."""

    # Members are singletons: hashed by identity, in C (Enum's own hash is Python code,
    # and roles key dictionaries on every row).
    __hash__ = object.__hash__

    ACCOUNTS = "accounts"
    CAMPAIGNS = "campaigns"
    #: Daily report rows per account: only checked against the campaign rows' sums.
    ACCOUNT_PERFORMANCE = "account_performance"
    CAMPAIGN_PERFORMANCE = "campaign_performance"
    #: Daily campaign rows of campaigns the platform reports apart, outside its account
    #: report (TikTok's GMV Max): campaign rows, not compared with the account rows.
    SEPARATE_CAMPAIGN_PERFORMANCE = "separate_campaign_performance"
    ADSET_PERFORMANCE = "adset_performance"
    AD_PERFORMANCE = "ad_performance"
    #: Daily campaign rows per value of one breakdown (age, gender, device, ...).
    BREAKDOWN_PERFORMANCE = "breakdown_performance"
    #: Hourly campaign rows: re-bucketed into the `reporting_timezone`'s days.
    HOURLY_CAMPAIGN_PERFORMANCE = "hourly_campaign_performance"


#: The roles whose records are report rows.
PERFORMANCE_ROLES = frozenset(
    {
        Role.ACCOUNT_PERFORMANCE,
        Role.CAMPAIGN_PERFORMANCE,
        Role.SEPARATE_CAMPAIGN_PERFORMANCE,
        Role.ADSET_PERFORMANCE,
        Role.AD_PERFORMANCE,
        Role.BREAKDOWN_PERFORMANCE,
        Role.HOURLY_CAMPAIGN_PERFORMANCE,
    }
)


#: The roles whose rows are `unified_campaign_performance` rows.
CAMPAIGN_ROLES = frozenset({Role.CAMPAIGN_PERFORMANCE, Role.SEPARATE_CAMPAIGN_PERFORMANCE})


#: The prefix of the Meta and TikTok taps' per-breakdown report streams
#: (`insights_audience_<breakdown>`).
AUDIENCE_PREFIX = "insights_audience_"


class RecordRejected(ValueError):
    """A record the mapper cannot key (no id, no date): skipped with a warning."""


@dataclass(frozen=True)
class AccountFacts:
    account_id: str
    currency: str | None
    timezone: str | None
    name: str | None = None


@dataclass(frozen=True)
class CampaignFacts:
    """A campaign's current attributes; `budget` is in the account currency, None when the
    campaign has no budget of its own; `budget_period` is `daily` or `lifetime`."""

    account_id: str
    campaign_id: str
    name: str | None
    status: Status
    native_status: str | None
    objective: Objective
    native_objective: str | None
    budget: Decimal | None
    budget_period: str | None = None


@dataclass(slots=True)  # not frozen: built once per record, and frozen init is slow
class PerformanceFacts:
    """One report row's sums for one account-local day, in the account currency (major
    units): a campaign's, or an ad set's or ad's (with their ids), or a campaign's for one
    breakdown value (`breakdown` and the platform's `native_breakdown_value`).

    `campaign_name`, `objective` and `native_objective` are what the report row itself says;
    the campaign entity's values take precedence when known. `conversion_attribution` names
    the window that counted the conversions (`7d_click_1d_view`, ...); `platform_estimated`
    is the platform's own flag that the numbers are not final, where it sends one.
    """

    account: AccountFacts
    campaign_id: str
    day: date
    campaign_name: str | None
    objective: Objective
    native_objective: str | None
    spend: Decimal | None
    impressions: int | None
    clicks: int | None
    conversions: Decimal | None
    conversion_value: Decimal | None
    adset_id: str | None = None
    adset_name: str | None = None
    ad_id: str | None = None
    ad_name: str | None = None
    breakdown: Breakdown | None = None
    native_breakdown_value: str | None = None
    conversion_attribution: str | None = None
    platform_estimated: bool | None = None
    #: For hourly rows: the hour's start, with the account's UTC offset.
    hour_start: datetime | None = None


#: Reads one record of a report stream.
Reader = Callable[[Mapping[str, Any]], PerformanceFacts]


@dataclass(frozen=True, slots=True)
class LevelIds:
    """The ids a report row of one role carries below its campaign, by their record
    fields: an ad set's on ad set and ad rows, an ad's on ad rows. A row of that role
    without one is rejected."""

    adset_field: str | None
    ad_field: str | None

    @classmethod
    def of(cls, role: Role, adset_field: str, ad_field: str) -> LevelIds:
        return cls(
            adset_field if role in (Role.ADSET_PERFORMANCE, Role.AD_PERFORMANCE) else None,
            ad_field if role is Role.AD_PERFORMANCE else None,
        )

    def read(self, record: Mapping[str, Any]) -> tuple[str | None, str | None]:
        return (
            required_id(record, self.adset_field) if self.adset_field else None,
            required_id(record, self.ad_field) if self.ad_field else None,
        )


class Adapter(abc.ABC):
    """One ad platform's reading of its tap's streams.

    Adding a platform is one module, `transform_unified/adapters/<platform>.py`, with a
    subclass that names its platform, the input streams it reads (`stream_roles`), the
    schema properties that tell its streams apart from other platforms' same-named streams
    (`signature_properties`), the record fields holding the account id
    (`account_id_fields`), how many recent days stay estimated, and implements the record
    readers: `account`, `campaign`, and `reader` for its report streams; plus one line
    registering it in `transform_unified.adapters`. The unified vocabulary for its native
    values is in `transform_unified.vocabulary`, so an adapter only picks fields. FX,
    derived metrics, local-day instants, data-quality checks and row assembly are shared
    code.
    """

    platform: ClassVar[str]
    default_estimated_days: ClassVar[int]
    stream_roles: ClassVar[Mapping[str, Role]]
    signature_properties: ClassVar[frozenset[str]]
    account_id_fields: ClassVar[tuple[str, ...]] = ("account_id",)

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics

    def claim(self, stream: str, schema: Mapping[str, Any], *, forced: bool) -> Role | None:
        """The role of `stream` for this platform, or None if it is not this platform's.

        `forced` (the `platform` setting names this platform) skips the schema check.
        """
        role = self.stream_roles.get(stream)
        if role is None or forced:
            return role
        return role if not self.missing_signature(stream, schema) else None

    def missing_signature(self, stream: str, schema: Mapping[str, Any]) -> list[str]:
        """The signature properties of `stream` that its `schema` lacks."""
        properties = schema.get("properties") or {}
        return sorted(self.signature_properties - properties.keys())

    def report_streams(self) -> list[str]:
        """The names of the report streams this adapter unifies."""
        return sorted(
            name
            for name, role in self.stream_roles.items()
            if role in PERFORMANCE_ROLES and role is not Role.ACCOUNT_PERFORMANCE
        )

    def account_id_of(self, record: Mapping[str, Any]) -> str | None:
        """The record's account id, if it has one (to attribute a rejected record)."""
        try:
            return required_id(record, *self.account_id_fields)
        except RecordRejected:
            return None

    @abc.abstractmethod
    def account(self, record: Mapping[str, Any]) -> AccountFacts:
        """Read an accounts-stream record."""

    @abc.abstractmethod
    def campaign(self, record: Mapping[str, Any]) -> CampaignFacts:
        """Read a campaigns-stream record."""

    @abc.abstractmethod
    def reader(self, stream: str, role: Role) -> Reader:
        """The function reading the records of report `stream`, of `role`, into facts:
        worked out once per stream, so that per record only the fields are read."""

    # Helpers for subclasses: the vocabulary with one warning per unmapped value, lenient
    # number parsing with one warning per field.

    def unified_status(self, native: str | None, field: str = "status") -> Status:
        """The unified status of a native one (`vocabulary.STATUSES`), UNKNOWN with a
        warning when unmapped."""
        status = STATUSES[self.platform].get(native or "")
        if status is None:
            self.diagnostics.warn_once(
                "unmapped_status",
                (self.platform, native),
                "%s campaign %s %r is not mapped: status UNKNOWN",
                self.platform,
                field,
                native,
            )
            return Status.UNKNOWN
        return status

    def unified_objective(self, native: str | None, field: str = "objective") -> Objective:
        """The unified objective of a native one (`vocabulary.OBJECTIVES`): UNKNOWN when
        there is none, OTHER with a warning when unmapped."""
        if native is None:
            return Objective.UNKNOWN
        objective = OBJECTIVES[self.platform].get(native)
        if objective is None:
            self.diagnostics.warn_once(
                "unmapped_objective",
                (self.platform, native),
                "%s %s %r is not mapped: objective OTHER",
                self.platform,
                field,
                native,
            )
            return Objective.OTHER
        return objective

    def decimal_field(self, record: Mapping[str, Any], field: str) -> Decimal | None:
        """`record[field]` as Decimal; None (and a warning) when it is not a number."""
        value = record.get(field)
        kind = type(value)
        if kind is Decimal and value.is_finite():  # what the reader gives: fast path
            return value
        if kind is int:  # a whole number in the JSON text
            return Decimal(value)
        try:
            return to_decimal(value)
        except ValueError as error:
            self._warn_unparsable(field, error)
            return None

    def count_field(self, record: Mapping[str, Any], field: str) -> int | None:
        """`record[field]` as a whole number; None (and a warning) when it is not one."""
        value = record.get(field)
        if type(value) is int:
            return value
        try:
            return to_count(value)
        except ValueError as error:
            self._warn_unparsable(field, error)
            return None

    def _warn_unparsable(self, field: str, error: ValueError) -> None:
        self.diagnostics.warn_once(
            "unparsable_number",
            (self.platform, field),
            "%s field '%s' is not usable (%s): left null",
            self.platform,
            field,
            error,
        )


def required_id(record: Mapping[str, Any], *fields: str) -> str:
    """The first present id among `fields`, as a string (ids may arrive as numbers)."""
    for field in fields:
        value = record.get(field)
        if type(value) is str:
            if value:
                return value
        elif value is not None:
            return str(value)
    raise RecordRejected(f"no {' or '.join(fields)}")


def report_date(value: object, field: str) -> date:
    """The account-local day of a report row from 'YYYY-MM-DD', 'YYYY-MM-DD 00:00:00' or an
    ISO timestamp: the leading date is the local date, whatever follows it."""
    if not isinstance(value, str):
        raise RecordRejected(f"no {field}")
    day = _leading_date(value[:10])
    if day is None:
        raise RecordRejected(f"{field} {value!r} is not a date")
    return day


@functools.lru_cache(maxsize=4096)
def _leading_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def report_account(record: Mapping[str, Any], *id_fields: str) -> AccountFacts:
    """A report row's account from the fields every record of the taps carries (ads-kit's
    `account_id`, `account_currency`, `account_timezone`); `id_fields` where the id is."""
    fields = id_fields or ("account_id",)
    account_id = record.get(fields[0])
    currency, timezone = record.get("account_currency"), record.get("account_timezone")
    if type(account_id) is str and account_id and type(currency) is type(timezone) is str:
        return _text_account(account_id, currency, timezone)  # every row's case
    return _account_facts(
        required_id(record, *fields), optional_text(currency), optional_text(timezone)
    )


@functools.lru_cache(maxsize=4096)
def _text_account(account_id: str, currency: str, timezone: str) -> AccountFacts:
    """The account of a row's text fields as they came (the cache's key skips the strip)."""
    return _account_facts(account_id, optional_text(currency), optional_text(timezone))


@functools.lru_cache(maxsize=4096)
def _account_facts(account_id: str, currency: str | None, timezone: str | None) -> AccountFacts:
    """One object per distinct account (report rows repeat it)."""
    return AccountFacts(account_id, currency, timezone)


def report_hour(value: object, field: str) -> datetime:
    """The start of a report hour from an ISO timestamp with its UTC offset."""
    try:
        hour = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        hour = None
    if hour is None or hour.tzinfo is None:
        raise RecordRejected(f"{field} {value!r} is not a timestamp with an offset")
    return hour


def optional_text(value: object) -> str | None:
    """A non-empty string value, else None."""
    if type(value) is str:
        return value.strip() or None
    return None if value is None else str(value).strip() or None
