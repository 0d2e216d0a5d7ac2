"""TikTok Marketing API streams (tap-tiktok-ads) read into unified facts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from transform_unified.adapters.base import (
    AccountFacts,
    Adapter,
    CampaignFacts,
    PerformanceFacts,
    Role,
    account_facts,
    optional_text,
    report_date,
    required_id,
)
from transform_unified.vocabulary import OBJECTIVES, STATUSES, Breakdown, Objective, Status

DELETED_STATUSES = frozenset({"CAMPAIGN_STATUS_DELETE", "STATUS_DELETE"})
#: The fields TikTok's AUDIENCE reports carry each breakdown in (the tap's
#: `insights_audience_<breakdown>` streams).
BREAKDOWN_FIELDS: Mapping[Breakdown, str] = {
    Breakdown.AGE: "age",
    Breakdown.GENDER: "gender",
    Breakdown.DEVICE: "platform",
    Breakdown.PLACEMENT: "placement",
    Breakdown.COUNTRY: "country_code",
}
AUDIENCE_PREFIX = "insights_audience_"
#: TikTok's default attribution: 7-day click, 1-day view (an advertiser can change it in
#: Ads Manager; the report API does not say, so this is the documented default).
ATTRIBUTION = "7d_click_1d_view"
UNLIMITED_BUDGET_MODE = "BUDGET_MODE_INFINITE"
BUDGET_PERIODS: Mapping[str, str] = {
    "BUDGET_MODE_DAY": "daily",
    "BUDGET_MODE_DYNAMIC_DAILY_BUDGET": "daily",
    "BUDGET_MODE_TOTAL": "lifetime",
}


class TikTokAdapter(Adapter):
    platform = "tiktok"
    default_estimated_days = 7
    stream_roles: ClassVar[Mapping[str, Role]] = {
        "advertisers": Role.ACCOUNTS,
        "campaigns": Role.CAMPAIGNS,
        "insights_advertiser": Role.ACCOUNT_PERFORMANCE,
        "insights_campaign": Role.CAMPAIGN_PERFORMANCE,
        "insights_adgroup": Role.ADSET_PERFORMANCE,
        "insights": Role.AD_PERFORMANCE,
        **{
            f"{AUDIENCE_PREFIX}{breakdown.value}": Role.BREAKDOWN_PERFORMANCE
            for breakdown in BREAKDOWN_FIELDS
        },
    }
    signature_properties = frozenset({"advertiser_id"})
    account_id_fields = ("account_id", "advertiser_id")

    def account(self, record: Mapping[str, Any]) -> AccountFacts:
        return AccountFacts(
            account_id=required_id(record, "account_id", "advertiser_id"),
            currency=optional_text(record.get("account_currency") or record.get("currency")),
            timezone=optional_text(record.get("account_timezone") or record.get("timezone")),
            name=optional_text(record.get("name")),
        )

    def campaign(self, record: Mapping[str, Any]) -> CampaignFacts:
        native_objective = optional_text(record.get("objective_type"))
        unlimited = record.get("budget_mode") == UNLIMITED_BUDGET_MODE
        return CampaignFacts(
            account_id=required_id(record, "account_id", "advertiser_id"),
            campaign_id=required_id(record, "campaign_id"),
            name=optional_text(record.get("campaign_name")),
            status=self._status(record),
            native_status=optional_text(
                record.get("secondary_status") or record.get("operation_status")
            ),
            objective=self._objective(native_objective),
            native_objective=native_objective,
            budget=None if unlimited else self.decimal_field(record, "budget"),
            budget_period=None if unlimited else BUDGET_PERIODS.get(record.get("budget_mode")),
        )

    def campaign_performance(self, record: Mapping[str, Any]) -> PerformanceFacts:
        return self.performance("insights_campaign", record, Role.CAMPAIGN_PERFORMANCE)

    def performance(self, stream: str, record: Mapping[str, Any], role: Role) -> PerformanceFacts:
        native_objective = optional_text(record.get("objective_type"))
        breakdown = native_value = None
        if role is Role.BREAKDOWN_PERFORMANCE:
            breakdown = Breakdown(stream.removeprefix(AUDIENCE_PREFIX))
            native_value = optional_text(record.get(BREAKDOWN_FIELDS[breakdown]))
        account_level = role is Role.ACCOUNT_PERFORMANCE
        return PerformanceFacts(
            account=account_facts(
                required_id(record, "account_id", "advertiser_id"),
                optional_text(record.get("account_currency")),
                optional_text(record.get("account_timezone")),
            ),
            campaign_id="" if account_level else required_id(record, "campaign_id"),
            day=report_date(record.get("stat_time_day"), "stat_time_day"),
            campaign_name=optional_text(record.get("campaign_name")),
            objective=self._objective(native_objective),
            native_objective=native_objective,
            spend=self.decimal_field(record, "spend"),
            impressions=self.count_field(record, "impressions"),
            clicks=self.count_field(record, "clicks"),
            conversions=self.decimal_field(record, "conversion"),
            conversion_value=self.decimal_field(record, "total_purchase_value"),
            adset_id=(
                required_id(record, "adgroup_id")
                if role in (Role.ADSET_PERFORMANCE, Role.AD_PERFORMANCE)
                else None
            ),
            adset_name=optional_text(record.get("adgroup_name")),
            ad_id=required_id(record, "ad_id") if role is Role.AD_PERFORMANCE else None,
            ad_name=optional_text(record.get("ad_name")),
            breakdown=breakdown,
            native_breakdown_value=native_value,
            conversion_attribution=ATTRIBUTION,
        )

    def _status(self, record: Mapping[str, Any]) -> Status:
        """Deletion wins; otherwise the advertiser's on/off switch (`operation_status`),
        since secondary statuses such as CAMPAIGN_STATUS_BUDGET_EXCEED describe delivery,
        not the setting. Without `operation_status` (TikTok's sandbox omits
        `secondary_status`, other callers may omit the other), the secondary one decides."""
        secondary = record.get("secondary_status")
        if secondary in DELETED_STATUSES or record.get("primary_status") in DELETED_STATUSES:
            return Status.DELETED
        statuses = STATUSES[self.platform]
        status = statuses.get(record.get("operation_status") or "")
        status = status or statuses.get(secondary or "")
        if status is None:
            self.diagnostics.warn_once(
                "unmapped_status",
                (self.platform, secondary, record.get("operation_status")),
                "tiktok campaign status operation_status=%r secondary_status=%r is not "
                "mapped: status UNKNOWN",
                record.get("operation_status"),
                secondary,
            )
            return Status.UNKNOWN
        return status

    def _objective(self, native: str | None) -> Objective:
        if native is None:
            return Objective.UNKNOWN
        objective = OBJECTIVES[self.platform].get(native)
        if objective is None:
            self.diagnostics.warn_once(
                "unmapped_objective",
                (self.platform, native),
                "tiktok objective_type %r is not mapped: objective OTHER",
                native,
            )
            return Objective.OTHER
        return objective
