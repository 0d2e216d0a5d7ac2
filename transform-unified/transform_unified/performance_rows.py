"""Assembly of the unified performance rows from an adapter's facts: the computation shared
by every platform and level (entity lookup results, FX, local-day instants, derived
metrics)."""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from transform_unified.adapters.base import AccountFacts, CampaignFacts, PerformanceFacts, Role
from transform_unified.derived_metrics import derive_metrics
from transform_unified.diagnostics import Diagnostics, Scope
from transform_unified.fx import FxRates
from transform_unified.local_day import day_bounds_utc, is_estimated, local_today, resolve_zone
from transform_unified.numbers import exact_product
from transform_unified.vocabulary import Objective, Status


@dataclass(frozen=True, slots=True)
class _AccountDay:
    """What every row of one account and local day shares, worked out once: the UTC
    bounds, whether the day is recent enough to be estimated, the FX quote, and the
    warnings its rows count (one each)."""

    currency: str | None
    timezone: str | None
    date: str
    start_utc: str | None
    end_utc: str | None
    recent: bool
    rate: Decimal | None
    rate_date: str | None
    warnings: tuple[tuple[str, Hashable, Scope], ...]


@dataclass(frozen=True, slots=True)
class _CampaignColumns:
    """A row's campaign columns, for the campaign entity and report values they came from
    (a row of the same campaign with other report values or a newer entity misses)."""

    campaign: CampaignFacts | None
    report_name: str | None
    report_objective: Objective
    report_native_objective: str | None
    #: campaign_name, status, objective, native_status, native_objective, budget,
    #: budget_period
    values: tuple[Any, ...]


class PerformanceRows:
    """Builds one output row per object (campaign, ad set, ad, breakdown value) and
    account-local day."""

    def __init__(
        self,
        fx_rates: FxRates,
        estimated_days: Mapping[str, int],
        diagnostics: Diagnostics,
        now: datetime,
    ) -> None:
        self.fx_rates = fx_rates
        self.estimated_days = estimated_days
        self.diagnostics = diagnostics
        self.now = now
        self._days: dict[tuple[str, str, str | None, str | None, date], _AccountDay] = {}
        self._campaigns: dict[tuple[str, str, str], _CampaignColumns] = {}

    def build(
        self,
        role: Role,
        platform: str,
        facts: PerformanceFacts,
        campaign: CampaignFacts | None,
        cached_account: AccountFacts | None,
        extracted_at: str,
    ) -> dict[str, Any]:
        """The row; `campaign` and `cached_account` are the entity cache's knowledge,
        `extracted_at` the ISO text of the record's extraction."""
        account = facts.account
        account_id, campaign_id = account.account_id, facts.campaign_id
        currency = account.currency or (cached_account and cached_account.currency)
        timezone = account.timezone or (cached_account and cached_account.timezone)
        key = (platform, account_id, currency, timezone, facts.day)
        day = self._days.get(key)
        if day is None:
            day = self._days[key] = self._account_day(*key, facts)
        else:
            for kind, subject, scope in day.warnings:
                self.diagnostics.warn_once(kind, subject, "", scope=scope)

        if campaign is None and role is not Role.ACCOUNT_PERFORMANCE:
            self.diagnostics.warn_once(
                "unknown_campaign",
                (platform, account_id, campaign_id),
                "%s account %s campaign %s is not among the campaigns seen so far: "
                "status UNKNOWN, budget null",
                platform,
                account_id,
                campaign_id,
                scope=(platform, account_id),
            )
        spend, impressions, clicks = facts.spend, facts.impressions, facts.clicks
        conversions, conversion_value = facts.conversions, facts.conversion_value
        if spend is None:
            self.diagnostics.warn_once(
                "missing_spend",
                (platform, account_id),
                "%s account %s has rows without spend (first: campaign %s on %s): spend and "
                "spend-based metrics left null",
                platform,
                account_id,
                campaign_id,
                facts.day,
                scope=(platform, account_id),
            )
        ctr, cpc, cpm, roas, cost_per_conversion = derive_metrics(
            spend=spend,
            impressions=impressions,
            clicks=clicks,
            conversion_value=conversion_value,
            conversions=conversions,
        )
        name, status, objective, native_status, native_objective, budget, budget_period = (
            self._campaign_columns(platform, facts, campaign)
        )
        rate = day.rate
        row = {
            "platform": platform,
            "account_id": account_id,
            "campaign_id": campaign_id,
            "campaign_name": name,
            "status": status,
            "objective": objective,
            "native_status": native_status,
            "native_objective": native_objective,
            "budget": budget,
            "budget_period": budget_period,
            "spend": spend,
            "impressions": impressions,
            "clicks": clicks,
            "ctr": ctr,
            "cpc": cpc,
            "cpm": cpm,
            "conversions": conversions,
            "conversion_value": conversion_value,
            "roas": roas,
            "cost_per_conversion": cost_per_conversion,
            "conversion_attribution": facts.conversion_attribution,
            "currency": day.currency,
            "spend_reporting": None if rate is None or spend is None else _convert(spend, rate),
            "conversion_value_reporting": None
            if rate is None or conversion_value is None
            else _convert(conversion_value, rate),
            "reporting_currency": self.fx_rates.reporting_currency,
            "fx_rate": rate,
            "fx_rate_date": day.rate_date,
            "timezone": timezone,
            "date": day.date,
            "date_start_utc": day.start_utc,
            "date_end_utc": day.end_utc,
            "is_estimated": day.recent or bool(facts.platform_estimated),
            "extracted_at": extracted_at,
        }
        if role is Role.ADSET_PERFORMANCE or role is Role.AD_PERFORMANCE:
            row["adset_id"], row["adset_name"] = facts.adset_id, facts.adset_name
            if role is Role.AD_PERFORMANCE:
                row["ad_id"], row["ad_name"] = facts.ad_id, facts.ad_name
        elif role is Role.BREAKDOWN_PERFORMANCE:
            row["breakdown"] = facts.breakdown and facts.breakdown.value
            row["native_breakdown_value"] = facts.native_breakdown_value
        return row

    def _campaign_columns(
        self, platform: str, facts: PerformanceFacts, campaign: CampaignFacts | None
    ) -> tuple[Any, ...]:
        """The campaign columns: the entity's values where known, else the report row's."""
        key = (platform, facts.account.account_id, facts.campaign_id)
        known = self._campaigns.get(key)
        if (
            known is not None
            and known.campaign is campaign
            and known.report_name == facts.campaign_name
            and known.report_objective is facts.objective
            and known.report_native_objective == facts.native_objective
        ):
            return known.values
        objective, native_objective = facts.objective, facts.native_objective
        if campaign is not None and campaign.objective is not Objective.UNKNOWN:
            objective, native_objective = campaign.objective, campaign.native_objective
        values = (
            (campaign and campaign.name) or facts.campaign_name,
            (campaign.status if campaign else Status.UNKNOWN).value,
            objective.value,
            campaign and campaign.native_status,
            native_objective,
            campaign and campaign.budget,
            campaign and campaign.budget_period,
        )
        self._campaigns[key] = _CampaignColumns(
            campaign, facts.campaign_name, facts.objective, facts.native_objective, values
        )
        return values

    def _account_day(
        self,
        platform: str,
        account_id: str,
        currency: str | None,
        timezone: str | None,
        day: date,
        facts: PerformanceFacts,
    ) -> _AccountDay:
        warnings: list[tuple[str, Hashable, Scope]] = []
        scope = (platform, account_id)

        def warn(kind: str, subject: Hashable, message: str, *args: object) -> None:
            self.diagnostics.warn_once(kind, subject, message, *args, scope=scope)
            warnings.append((kind, subject, scope))

        currency = currency.upper() if currency else None
        zone = resolve_zone(timezone) if timezone else None
        if zone is None:
            warn(
                "unknown_timezone",
                scope,
                "%s account %s has time zone %r, neither an IANA zone nor an offset such as "
                "UTC+08:00: date_start_utc and "
                "date_end_utc left null, is_estimated judged on the UTC date",
                platform,
                account_id,
                timezone,
            )
            start_utc = end_utc = None
        else:
            start, end = day_bounds_utc(day, zone)
            start_utc, end_utc = start.isoformat(), end.isoformat()
        quote = None
        if currency is None:
            warn(
                "unknown_currency",
                scope,
                "%s account %s has no currency: *_reporting amounts left null",
                platform,
                account_id,
            )
        elif not _ISO_CURRENCY.match(currency):
            warn(
                "unknown_currency",
                (*scope, currency),
                "%s account %s has currency %r, not an ISO 4217 code (first: campaign %s on "
                "%s): *_reporting amounts left null",
                platform,
                account_id,
                currency,
                facts.campaign_id,
                day,
            )
        else:
            quote = self.fx_rates.quote(currency, day)
            if quote is None:
                warn(
                    "missing_fx_rate",
                    currency,
                    "no fx_rates entry converts %s to %s on %s (or earlier): *_reporting "
                    "amounts left null for such rows",
                    currency,
                    self.fx_rates.reporting_currency,
                    day,
                )
        recent = is_estimated(day, local_today(self.now, zone), self.estimated_days[platform])
        return _AccountDay(
            currency,
            timezone,
            day.isoformat(),
            start_utc,
            end_utc,
            recent,
            quote and quote.rate,
            quote and quote.rate_date and quote.rate_date.isoformat(),
            tuple(warnings),
        )


_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")
#: FxQuote.convert's exact product, without its call per amount.
_convert = exact_product
