"""Meta Marketing API streams (tap-meta-ads) read into unified facts."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
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
    required_id,
)
from transform_unified.vocabulary import Breakdown

#: Currencies Meta counts budgets in whole units of (its "offset 1" currencies); every other
#: currency's budgets are in hundredths.
WHOLE_UNIT_CURRENCIES = frozenset(
    {"CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"}
)
#: Which schema properties tell each of Meta's streams from another platform's of the same
#: name (TikTok also has `campaigns`).
ROLE_SIGNATURES: Mapping[Role, frozenset[str]] = {
    Role.ACCOUNTS: frozenset({"timezone_name"}),
    Role.CAMPAIGNS: frozenset({"effective_status"}),
    Role.CAMPAIGN_PERFORMANCE: frozenset({"date_start", "campaign_id"}),
    Role.ADSET_PERFORMANCE: frozenset({"date_start", "adset_id"}),
    Role.AD_PERFORMANCE: frozenset({"date_start", "ad_id"}),
    Role.BREAKDOWN_PERFORMANCE: frozenset({"date_start", "campaign_id"}),
}
#: The Insights breakdown each `insights_audience_<breakdown>` stream of tap-meta-ads
#: carries its value in (campaign level: the tap has no ad set or ad audience reports).
#: Placement rows come per publisher platform and position: the positions of one platform
#: are summed into its row.
BREAKDOWN_FIELDS: Mapping[Breakdown, str] = {
    Breakdown.AGE: "age",
    Breakdown.GENDER: "gender",
    Breakdown.COUNTRY: "country",
    Breakdown.DEVICE: "device_platform",
    Breakdown.PLACEMENT: "publisher_platform",
}


class MetaAdapter(Adapter):
    platform = "meta"
    default_estimated_days = 28
    stream_roles: ClassVar[Mapping[str, Role]] = {
        "ad_accounts": Role.ACCOUNTS,
        "campaigns": Role.CAMPAIGNS,
        "insights_campaign": Role.CAMPAIGN_PERFORMANCE,
        "insights_adset": Role.ADSET_PERFORMANCE,
        "insights": Role.AD_PERFORMANCE,
        **{
            f"{AUDIENCE_PREFIX}{breakdown.value}": Role.BREAKDOWN_PERFORMANCE
            for breakdown in BREAKDOWN_FIELDS
        },
    }

    def missing_signature(self, stream: str, schema: Mapping[str, Any]) -> list[str]:
        properties = (schema.get("properties") or {}).keys()
        return sorted(ROLE_SIGNATURES[self.stream_roles[stream]] - properties)

    def account(self, record: Mapping[str, Any]) -> AccountFacts:
        return AccountFacts(
            account_id=required_id(record, "account_id", "id"),
            currency=optional_text(record.get("account_currency") or record.get("currency")),
            timezone=optional_text(record.get("account_timezone") or record.get("timezone_name")),
            name=optional_text(record.get("name")),
        )

    def campaign(self, record: Mapping[str, Any]) -> CampaignFacts:
        native_objective = optional_text(record.get("objective"))
        period = "daily" if record.get("daily_budget") else "lifetime"
        minor = self.decimal_field(record, f"{period}_budget")
        return CampaignFacts(
            account_id=required_id(record, "account_id"),
            campaign_id=required_id(record, "id"),
            name=optional_text(record.get("name")),
            status=self.unified_status(record.get("status") or record.get("configured_status")),
            native_status=optional_text(record.get("status") or record.get("effective_status")),
            objective=self.unified_objective(native_objective),
            native_objective=native_objective,
            budget=None if not minor else self._major(minor, record.get("account_currency")),
            budget_period=period if minor else None,
        )

    def reader(self, stream: str, role: Role) -> Reader:
        breakdown = native_field = None
        if role is Role.BREAKDOWN_PERFORMANCE:
            breakdown = Breakdown(stream.removeprefix(AUDIENCE_PREFIX))
            native_field = BREAKDOWN_FIELDS[breakdown]
        levels = LevelIds.of(role, "adset_id", "ad_id")
        money, count = self.decimal_field, self.count_field

        def read(record: Mapping[str, Any]) -> PerformanceFacts:
            native_objective = optional_text(record.get("objective"))
            adset_id, ad_id = levels.read(record)
            return PerformanceFacts(
                report_account(record),
                required_id(record, "campaign_id"),
                report_date(record.get("date_start"), "date_start"),
                optional_text(record.get("campaign_name")),
                self.unified_objective(native_objective),
                native_objective,
                money(record, "spend"),
                count(record, "impressions"),
                count(record, "clicks"),
                money(record, "event_conversions"),
                money(record, "event_conversion_value"),
                adset_id,
                optional_text(record.get("adset_name")),
                ad_id,
                optional_text(record.get("ad_name")),
                breakdown,
                optional_text(record.get(native_field)) if native_field else None,
            )

        return read

    @staticmethod
    def _major(minor: Decimal, currency: object) -> Decimal:
        """A budget in Meta's minor units as an amount of the account currency."""
        return minor if currency in WHOLE_UNIT_CURRENCIES else minor.scaleb(-2)
