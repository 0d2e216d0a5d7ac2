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
    LevelIds,
    PerformanceFacts,
    Reader,
    Role,
    optional_text,
    report_account,
    report_date,
    required_id,
)
from transform_unified.vocabulary import Breakdown

MICROS = Decimal(1_000_000)
BUDGET_PERIODS: Mapping[str, str] = {"DAILY": "daily", "CUSTOM_PERIOD": "lifetime"}
#: The breakdown reports of tap-google-ads and the field each carries its value in. Age and
#: gender are ad-group views (`age_range_view`, `gender_view`) and countries come per
#: location type (`geographic_view`): their rows of one campaign, day and value are summed
#: into that campaign's breakdown row.
BREAKDOWN_STREAMS: Mapping[str, tuple[Breakdown, str]] = {
    "campaign_performance_device": (Breakdown.DEVICE, "segments__device"),
    "campaign_performance_network": (Breakdown.PLACEMENT, "segments__ad_network_type"),
    "ad_group_performance_age": (Breakdown.AGE, "ad_group_criterion__age_range__type"),
    "ad_group_performance_gender": (Breakdown.GENDER, "ad_group_criterion__gender__type"),
    "geo_performance": (Breakdown.COUNTRY, "geographic_view__country_criterion_id"),
}


class GoogleAdsAdapter(Adapter):
    platform = "google_ads"
    default_estimated_days = 30
    stream_roles: ClassVar[Mapping[str, Role]] = {
        "customers": Role.ACCOUNTS,
        "campaigns": Role.CAMPAIGNS,
        "campaign_performance": Role.CAMPAIGN_PERFORMANCE,
        "ad_group_performance": Role.ADSET_PERFORMANCE,
        "ad_performance": Role.AD_PERFORMANCE,
        **dict.fromkeys(BREAKDOWN_STREAMS, Role.BREAKDOWN_PERFORMANCE),
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
            status=self.unified_status(native_status),
            native_status=native_status,
            objective=self.unified_objective(native_objective, "advertising_channel_type"),
            native_objective=native_objective,
            budget=daily if daily is not None else total,
            budget_period=BUDGET_PERIODS.get(record.get("campaign_budget__period") or ""),
        )

    def reader(self, stream: str, role: Role) -> Reader:
        breakdown, segment = BREAKDOWN_STREAMS.get(stream, (None, ""))
        levels = LevelIds.of(role, "ad_group__id", "ad_group_ad__ad__id")
        micros, money, count = self.micros_field, self.decimal_field, self.count_field

        def read(record: Mapping[str, Any]) -> PerformanceFacts:
            native_objective = optional_text(record.get("campaign__advertising_channel_type"))
            adset_id, ad_id = levels.read(record)
            return PerformanceFacts(
                report_account(record),
                required_id(record, "campaign__id"),
                report_date(record.get("segments__date"), "segments__date"),
                optional_text(record.get("campaign__name")),
                self.unified_objective(native_objective, "advertising_channel_type"),
                native_objective,
                micros(record, "metrics__cost_micros"),
                count(record, "metrics__impressions"),
                count(record, "metrics__clicks"),
                money(record, "metrics__conversions"),
                money(record, "metrics__conversions_value"),
                adset_id,
                optional_text(record.get("ad_group__name")),
                ad_id,
                optional_text(record.get("ad_group_ad__ad__name")),
                breakdown,
                optional_text(record.get(segment)) if breakdown else None,
            )

        return read

    def micros_field(self, record: Mapping[str, Any], field: str) -> Decimal | None:
        """Micros to the currency's units, exactly (the one place Google money converts)."""
        micros = self.decimal_field(record, field)
        return None if micros is None else micros / MICROS
