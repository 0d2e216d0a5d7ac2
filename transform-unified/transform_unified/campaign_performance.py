"""Assembly of `unified_campaign_performance` rows from an adapter's facts: the computation
shared by every platform (entity lookup results, FX, local-day instants, derived metrics)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from transform_unified.adapters.base import AccountFacts, CampaignFacts, PerformanceFacts
from transform_unified.derived_metrics import derive_metrics
from transform_unified.diagnostics import Diagnostics
from transform_unified.fx import FxQuote, FxRates
from transform_unified.local_day import day_bounds_utc, is_estimated, local_today, resolve_zone
from transform_unified.vocabulary import Objective, Status


class CampaignPerformanceRows:
    """Builds one output row per campaign and account-local day."""

    def __init__(
        self, fx_rates: FxRates, estimated_days: Mapping[str, int], diagnostics: Diagnostics
    ) -> None:
        self.fx_rates = fx_rates
        self.estimated_days = estimated_days
        self.diagnostics = diagnostics

    def build(
        self,
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

        if campaign is None:
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
                "%s account %s has time zone %r, not an IANA zone: date_start_utc and "
                "date_end_utc left null, is_estimated judged on the UTC date",
                platform,
                account_id,
                timezone,
                scope=(platform, account_id),
            )
            start_utc = end_utc = None
        else:
            start_utc, end_utc = day_bounds_utc(facts.day, zone)

        quote = self._quote(platform, account_id, currency, facts)
        metrics = derive_metrics(
            spend=facts.spend,
            impressions=facts.impressions,
            clicks=facts.clicks,
            conversion_value=facts.conversion_value,
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
            "currency": currency,
            "spend_reporting": quote and quote.convert(facts.spend),
            "conversion_value_reporting": quote and quote.convert(facts.conversion_value),
            "reporting_currency": self.fx_rates.reporting_currency,
            "fx_rate": quote and quote.rate,
            "fx_rate_date": quote and quote.rate_date and quote.rate_date.isoformat(),
            "timezone": timezone,
            "date": facts.day.isoformat(),
            "date_start_utc": start_utc and start_utc.isoformat(),
            "date_end_utc": end_utc and end_utc.isoformat(),
            "is_estimated": is_estimated(
                facts.day, local_today(now, zone), self.estimated_days[platform]
            ),
            "extracted_at": extracted_at.isoformat(),
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
