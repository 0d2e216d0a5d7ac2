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
    optional_text,
    report_date,
    required_id,
)
from transform_unified.vocabulary import Objective, Status

#: `objective_type` values, current and legacy, by unified objective.
OBJECTIVES: Mapping[str, Objective] = {
    "REACH": Objective.AWARENESS,
    "RF_REACH": Objective.AWARENESS,
    "TRAFFIC": Objective.TRAFFIC,
    "VIDEO_VIEWS": Objective.VIDEO_VIEWS,
    "ENGAGEMENT": Objective.ENGAGEMENT,
    "LEAD_GENERATION": Objective.LEADS,
    "APP_PROMOTION": Objective.APP_PROMOTION,
    "APP_INSTALL": Objective.APP_PROMOTION,
    "WEB_CONVERSIONS": Objective.SALES,
    "CONVERSIONS": Objective.SALES,
    "PRODUCT_SALES": Objective.SALES,
    "SHOP_PURCHASES": Objective.SALES,
    "CATALOG_SALES": Objective.SALES,
}

DELETED_SECONDARY_STATUSES = frozenset({"CAMPAIGN_STATUS_DELETE"})
OPERATION_STATUSES: Mapping[str, Status] = {"ENABLE": Status.ACTIVE, "DISABLE": Status.PAUSED}
SECONDARY_STATUSES: Mapping[str, Status] = {
    "CAMPAIGN_STATUS_ENABLE": Status.ACTIVE,
    "CAMPAIGN_STATUS_DISABLE": Status.PAUSED,
}
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
        "insights_campaign": Role.CAMPAIGN_PERFORMANCE,
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
        native_objective = optional_text(record.get("objective_type"))
        return PerformanceFacts(
            account=AccountFacts(
                account_id=required_id(record, "account_id", "advertiser_id"),
                currency=optional_text(record.get("account_currency")),
                timezone=optional_text(record.get("account_timezone")),
            ),
            campaign_id=required_id(record, "campaign_id"),
            day=report_date(record.get("stat_time_day"), "stat_time_day"),
            campaign_name=optional_text(record.get("campaign_name")),
            objective=self._objective(native_objective),
            native_objective=native_objective,
            spend=self.decimal_field(record, "spend"),
            impressions=self.count_field(record, "impressions"),
            clicks=self.count_field(record, "clicks"),
            conversions=self.decimal_field(record, "conversion"),
            conversion_value=self.decimal_field(record, "total_purchase_value"),
        )

    def _status(self, record: Mapping[str, Any]) -> Status:
        """Deletion wins; otherwise the advertiser's on/off switch (`operation_status`),
        since secondary statuses such as CAMPAIGN_STATUS_BUDGET_EXCEED describe delivery,
        not the setting. Without `operation_status` (TikTok's sandbox omits
        `secondary_status`, other callers may omit the other), the secondary one decides."""
        secondary = record.get("secondary_status")
        if secondary in DELETED_SECONDARY_STATUSES or record.get("primary_status") == (
            "STATUS_DELETE"
        ):
            return Status.DELETED
        status = OPERATION_STATUSES.get(record.get("operation_status") or "")
        status = status or SECONDARY_STATUSES.get(secondary or "")
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
        objective = OBJECTIVES.get(native)
        if objective is None:
            self.diagnostics.warn_once(
                "unmapped_objective",
                (self.platform, native),
                "tiktok objective_type %r is not mapped: objective OTHER",
                native,
            )
            return Objective.OTHER
        return objective
