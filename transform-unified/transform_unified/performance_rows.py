"""Assembly of the unified performance rows from an adapter's facts: the computation shared
by every platform and level (entity lookup results, FX, local-day instants, derived
metrics)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Any

from transform_unified.adapters.base import AccountFacts, CampaignFacts, PerformanceFacts, Role
from transform_unified.derived_metrics import derive_metrics
from transform_unified.diagnostics import Diagnostics
from transform_unified.fx import FxQuote, FxRates
from transform_unified.local_day import day_bounds_utc, is_estimated, local_today, resolve_zone
from transform_unified.vocabulary import Objective, Status


class PerformanceRows:
    """Builds one output row per object (campaign, ad set, ad, breakdown value) and
    account-local day."""

    def __init__(
        self, fx_rates: FxRates, estimated_days: Mapping[str, int], diagnostics: Diagnostics
    ) -> None:
        self.fx_rates = fx_rates
        self.estimated_days = estimated_days
        self.diagnostics = diagnostics

    def build(
        self,
        role: Role,
        platform: str,
        facts: PerformanceFacts,
        campaign: CampaignFacts | None,
        cached_account: AccountFacts | None,
        extracted_at: datetime,
        now: datetime,
    ) -> dict[str, Any]:
        """The row; `campaign` and `cached_account` are the entity cache's knowledge."""
        account_id, campaign_id = facts.account.account_id, facts.campaign_id
        currency = facts.account.currency or (cached_account and cached_account.currency)
        timezone = facts.account.timezone or (cached_account and cached_account.timezone)
        currency = currency.upper() if currency else None

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
        if facts.spend is None:
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

        zone = resolve_zone(timezone) if timezone else None
        if zone is None:
            self.diagnostics.warn_once(
                "unknown_timezone",
                (platform, account_id),
                "%s account %s has time zone %r, neither an IANA zone nor an offset such as "
                "UTC+08:00: date_start_utc and "
                "date_end_utc left null, is_estimated judged on the UTC date",
                platform,
                account_id,
                timezone,
                scope=(platform, account_id),
            )
            start_utc = end_utc = None
        else:
            start_utc, end_utc = _bounds_text(facts.day, zone)

        quote = self._quote(platform, account_id, currency, facts)
        metrics = derive_metrics(
            spend=facts.spend,
            impressions=facts.impressions,
            clicks=facts.clicks,
            conversion_value=facts.conversion_value,
            conversions=facts.conversions,
        )
        objective, native_objective = facts.objective, facts.native_objective
        if campaign is not None and campaign.objective is not Objective.UNKNOWN:
            objective, native_objective = campaign.objective, campaign.native_objective
        return {
            "platform": platform,
            "account_id": account_id,
            "campaign_id": campaign_id,
            "campaign_name": (campaign and campaign.name) or facts.campaign_name,
            "status": (campaign.status if campaign else Status.UNKNOWN).value,
            "objective": objective.value,
            "native_status": campaign and campaign.native_status,
            "native_objective": native_objective,
            "budget": campaign and campaign.budget,
            "budget_period": campaign and campaign.budget_period,
            "spend": facts.spend,
            "impressions": facts.impressions,
            "clicks": facts.clicks,
            "ctr": metrics.ctr,
            "cpc": metrics.cpc,
            "cpm": metrics.cpm,
            "conversions": facts.conversions,
            "conversion_value": facts.conversion_value,
            "roas": metrics.roas,
            "cost_per_conversion": metrics.cost_per_conversion,
            "conversion_attribution": facts.conversion_attribution,
            "currency": currency,
            "spend_reporting": quote and quote.convert(facts.spend),
            "conversion_value_reporting": quote and quote.convert(facts.conversion_value),
            "reporting_currency": self.fx_rates.reporting_currency,
            "fx_rate": quote and quote.rate,
            "fx_rate_date": quote and quote.rate_date and quote.rate_date.isoformat(),
            "timezone": timezone,
            "date": facts.day.isoformat(),
            "date_start_utc": start_utc,
            "date_end_utc": end_utc,
            "is_estimated": bool(facts.platform_estimated)
            or is_estimated(facts.day, local_today(now, zone), self.estimated_days[platform]),
            "extracted_at": extracted_at.isoformat(),
            **_level_columns(role, facts),
        }

    def _quote(
        self, platform: str, account_id: str, currency: str | None, facts: PerformanceFacts
    ) -> FxQuote | None:
        if currency is None:
            self.diagnostics.warn_once(
                "unknown_currency",
                (platform, account_id),
                "%s account %s has no currency: *_reporting amounts left null",
                platform,
                account_id,
                scope=(platform, account_id),
            )
            return None
        if not _ISO_CURRENCY.match(currency):
            self.diagnostics.warn_once(
                "unknown_currency",
                (platform, account_id, currency),
                "%s account %s has currency %r, not an ISO 4217 code (first: campaign %s on "
                "%s): *_reporting amounts left null",
                platform,
                account_id,
                currency,
                facts.campaign_id,
                facts.day,
                scope=(platform, account_id),
            )
            return None
        quote = self.fx_rates.quote(currency, facts.day)
        if quote is None:
            self.diagnostics.warn_once(
                "missing_fx_rate",
                currency,
                "no fx_rates entry converts %s to %s on %s (or earlier): *_reporting amounts "
                "left null for such rows",
                currency,
                self.fx_rates.reporting_currency,
                facts.day,
                scope=(platform, account_id),
            )
        return quote


_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")


@lru_cache(maxsize=65536)
def _bounds_text(day: date, zone: tzinfo) -> tuple[str, str]:
    start, end = day_bounds_utc(day, zone)
    return start.isoformat(), end.isoformat()


def _level_columns(role: Role, facts: PerformanceFacts) -> dict[str, Any]:
    if role is Role.ADSET_PERFORMANCE:
        return {"adset_id": facts.adset_id, "adset_name": facts.adset_name}
    if role is Role.AD_PERFORMANCE:
        return {
            "adset_id": facts.adset_id,
            "adset_name": facts.adset_name,
            "ad_id": facts.ad_id,
            "ad_name": facts.ad_name,
        }
    if role is Role.BREAKDOWN_PERFORMANCE:
        return {
            "breakdown": facts.breakdown and facts.breakdown.value,
            "native_breakdown_value": facts.native_breakdown_value,
        }
    return {}
