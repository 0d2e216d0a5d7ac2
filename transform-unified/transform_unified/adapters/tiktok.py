"""TikTok Marketing API streams (tap-tiktok-ads) read into unified facts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from transform_unified.adapters.base import (
    AUDIENCE_PREFIX,
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
    report_hour,
    required_id,
)
from transform_unified.vocabulary import STATUSES, Breakdown, Status

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
#: TikTok's default attribution: 7-day click, 1-day view (an advertiser can change it in
#: Ads Manager; the report API does not say, so this is the documented default).
ATTRIBUTION = "7d_click_1d_view"
UNLIMITED_BUDGET_MODE = "BUDGET_MODE_INFINITE"
#: What `gmv_max/campaign/get` says every GMV Max campaign's objective is.
GMV_MAX_OBJECTIVE = "PRODUCT_SALES"
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
        # TikTok Shop GMV Max campaigns: in none of the other reports, the account's included.
        "gmv_max_campaigns": Role.CAMPAIGNS,
        # Upgraded Smart+ campaigns, listed by `smart_plus/campaign/get` (their spend is in
        # every report; the standard listing may leave them out).
        "smart_plus_campaigns": Role.CAMPAIGNS,
        "insights_gmv_max": Role.SEPARATE_CAMPAIGN_PERFORMANCE,
        "insights_advertiser": Role.ACCOUNT_PERFORMANCE,
        "insights_campaign": Role.CAMPAIGN_PERFORMANCE,
        "insights_campaign_hourly": Role.HOURLY_CAMPAIGN_PERFORMANCE,
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
            objective=self.unified_objective(native_objective, "objective_type"),
            native_objective=native_objective,
            budget=None if unlimited else self.decimal_field(record, "budget"),
            budget_period=None if unlimited else self._budget_period(record),
        )

    @staticmethod
    def _budget_period(record: Mapping[str, Any]) -> str | None:
        """GMV Max campaigns (`shopping_ads_type`) have a daily budget and no budget_mode."""
        if record.get("shopping_ads_type") and not record.get("budget_mode"):
            return "daily"
        return BUDGET_PERIODS.get(record.get("budget_mode"))

    def reader(self, stream: str, role: Role) -> Reader:
        if role is Role.SEPARATE_CAMPAIGN_PERFORMANCE:
            return self._gmv_max_reader()
        breakdown = native_field = None
        if role is Role.BREAKDOWN_PERFORMANCE:
            breakdown = Breakdown(stream.removeprefix(AUDIENCE_PREFIX))
            native_field = BREAKDOWN_FIELDS[breakdown]
        hourly = role is Role.HOURLY_CAMPAIGN_PERFORMANCE
        campaign_field = None if role is Role.ACCOUNT_PERFORMANCE else "campaign_id"
        levels = LevelIds.of(role, "adgroup_id", "ad_id")
        money, count = self.decimal_field, self.count_field

        def read(record: Mapping[str, Any]) -> PerformanceFacts:
            get = record.get
            native_objective = optional_text(get("objective_type"))
            hour = report_hour(get("stat_time_hour"), "stat_time_hour") if hourly else None
            adset_id, ad_id = levels.read(record)
            return PerformanceFacts(
                report_account(record, "account_id", "advertiser_id"),
                required_id(record, campaign_field) if campaign_field else "",
                hour.date() if hour else report_date(get("stat_time_day"), "stat_time_day"),
                optional_text(get("campaign_name")),
                self.unified_objective(native_objective, "objective_type"),
                native_objective,
                money(record, "spend"),
                count(record, "impressions"),
                count(record, "clicks"),
                money(record, "conversion"),
                money(record, "total_purchase_value"),
                adset_id,
                optional_text(get("adgroup_name")),
                ad_id,
                optional_text(get("ad_name")),
                breakdown,
                optional_text(get(native_field)) if native_field else None,
                ATTRIBUTION,
                None,
                hour,
            )

        return read

    def _gmv_max_reader(self) -> Reader:
        """`insights_gmv_max`: spend is `cost`, conversions `orders`, conversion value
        `gross_revenue` (the shop's sales TikTok attributes to the campaign); the report has
        no campaign-level impressions or clicks, so they are null, not zero."""
        money = self.decimal_field
        objective = self.unified_objective(GMV_MAX_OBJECTIVE, "objective_type")

        def read(record: Mapping[str, Any]) -> PerformanceFacts:
            return PerformanceFacts(
                report_account(record, "account_id", "advertiser_id"),
                required_id(record, "campaign_id"),
                report_date(record.get("stat_time_day"), "stat_time_day"),
                optional_text(record.get("campaign_name")),
                objective,
                GMV_MAX_OBJECTIVE,
                spend=money(record, "cost"),
                impressions=None,
                clicks=None,
                conversions=money(record, "orders"),
                conversion_value=money(record, "gross_revenue"),
            )

        return read

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
