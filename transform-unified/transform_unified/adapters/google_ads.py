"""Google Ads streams (tap-google-ads) read into unified facts.

Money arrives in micros of the account currency (`cost_micros`, budgets' `amount_micros`):
1,000,000 micros are one unit of any currency, JPY included, so the conversion is one exact
division; zero-decimal currencies come out whole because Google bills them in whole units.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from transform_unified.adapters.base import (
    AccountFacts,
    Adapter,
    CampaignFacts,
    PerformanceFacts,
    Role,
    optional_text,
    report_date,
    required_id,
)
from transform_unified.vocabulary import Objective, Status

MICROS = Decimal(1_000_000)
#: Google has no campaign objective: the channel type says what a campaign is for.
CHANNEL_OBJECTIVES: Mapping[str, Objective] = {
    "SEARCH": Objective.TRAFFIC,
    "SMART": Objective.TRAFFIC,
    "LOCAL": Objective.TRAFFIC,
    "LOCAL_SERVICES": Objective.LEADS,
    "DISPLAY": Objective.AWARENESS,
    "VIDEO": Objective.VIDEO_VIEWS,
    "DEMAND_GEN": Objective.ENGAGEMENT,
    "DISCOVERY": Objective.ENGAGEMENT,
    "MULTI_CHANNEL": Objective.APP_PROMOTION,
    "PERFORMANCE_MAX": Objective.SALES,
    "SHOPPING": Objective.SALES,
    "HOTEL": Objective.SALES,
    "TRAVEL": Objective.SALES,
}
STATUSES: Mapping[str, Status] = {
    "ENABLED": Status.ACTIVE,
    "PAUSED": Status.PAUSED,
    "REMOVED": Status.DELETED,
}
BUDGET_PERIODS: Mapping[str, str] = {"DAILY": "daily", "CUSTOM_PERIOD": "lifetime"}


class GoogleAdsAdapter(Adapter):
    platform = "google_ads"
    default_estimated_days = 30
    stream_roles: ClassVar[Mapping[str, Role]] = {
        "customers": Role.ACCOUNTS,
        "campaigns": Role.CAMPAIGNS,
        "campaign_performance": Role.CAMPAIGN_PERFORMANCE,
    }
    signature_properties = frozenset({"account_id", "campaign__id"})
    account_id_fields = ("account_id",)

    def claim(self, stream: str, schema: Mapping[str, Any], *, forced: bool) -> Role | None:
        if stream == "customers" and not forced:  # its schema has no campaign__id
            properties = (schema.get("properties") or {}).keys()
            return Role.ACCOUNTS if "customer__id" in properties else None
        return super().claim(stream, schema, forced=forced)

    def account(self, record: Mapping[str, Any]) -> AccountFacts:
        return AccountFacts(
            account_id=required_id(record, "account_id", "customer__id"),
            currency=optional_text(
                record.get("account_currency") or record.get("customer__currency_code")
            ),
            timezone=optional_text(
                record.get("account_timezone") or record.get("customer__time_zone")
            ),
            name=optional_text(record.get("customer__descriptive_name")),
        )

    def campaign(self, record: Mapping[str, Any]) -> CampaignFacts:
        native_objective = optional_text(record.get("campaign__advertising_channel_type"))
        native_status = optional_text(record.get("campaign__status"))
        daily = self.micros_field(record, "campaign_budget__amount_micros")
        total = self.micros_field(record, "campaign_budget__total_amount_micros")
        return CampaignFacts(
            account_id=required_id(record, "account_id"),
            campaign_id=required_id(record, "campaign__id"),
            name=optional_text(record.get("campaign__name")),
            status=self._status(native_status),
            native_status=native_status,
            objective=self._objective(native_objective),
            native_objective=native_objective,
            budget=daily if daily is not None else total,
            budget_period=BUDGET_PERIODS.get(record.get("campaign_budget__period") or ""),
        )

    def campaign_performance(self, record: Mapping[str, Any]) -> PerformanceFacts:
        native_objective = optional_text(record.get("campaign__advertising_channel_type"))
        return PerformanceFacts(
            account=AccountFacts(
                account_id=required_id(record, "account_id"),
                currency=optional_text(record.get("account_currency")),
                timezone=optional_text(record.get("account_timezone")),
            ),
            campaign_id=required_id(record, "campaign__id"),
            day=report_date(record.get("segments__date"), "segments__date"),
            campaign_name=optional_text(record.get("campaign__name")),
            objective=self._objective(native_objective),
            native_objective=native_objective,
            spend=self.micros_field(record, "metrics__cost_micros"),
            impressions=self.count_field(record, "metrics__impressions"),
            clicks=self.count_field(record, "metrics__clicks"),
            conversions=self.decimal_field(record, "metrics__conversions"),
            conversion_value=self.decimal_field(record, "metrics__conversions_value"),
        )

    def micros_field(self, record: Mapping[str, Any], field: str) -> Decimal | None:
        """Micros to the currency's units, exactly (the one place Google money converts)."""
        micros = self.decimal_field(record, field)
        return None if micros is None else micros / MICROS

    def _status(self, native: str | None) -> Status:
        status = STATUSES.get(native or "")
        if status is None:
            self.diagnostics.warn_once(
                "unmapped_status",
                (self.platform, native),
                "google_ads campaign status %r is not mapped: status UNKNOWN",
                native,
            )
            return Status.UNKNOWN
        return status

    def _objective(self, native: str | None) -> Objective:
        if native is None:
            return Objective.UNKNOWN
        objective = CHANNEL_OBJECTIVES.get(native)
        if objective is None:
            self.diagnostics.warn_once(
                "unmapped_objective",
                (self.platform, native),
                "google_ads advertising_channel_type %r is not mapped: objective OTHER",
                native,
            )
            return Objective.OTHER
        return objective
