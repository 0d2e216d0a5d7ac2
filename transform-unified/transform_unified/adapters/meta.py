"""Meta Marketing API streams (tap-meta-ads) read into unified facts."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from transform_unified.adapters.base import (
    AccountFacts,
    Adapter,
    CampaignFacts,
    PerformanceFacts,
    Reader,
    Role,
    optional_text,
    report_date,
    required_id,
)

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
}


class MetaAdapter(Adapter):
    platform = "meta"
    default_estimated_days = 28
    stream_roles: ClassVar[Mapping[str, Role]] = {
        "ad_accounts": Role.ACCOUNTS,
        "campaigns": Role.CAMPAIGNS,
        "insights_campaign": Role.CAMPAIGN_PERFORMANCE,
    }
    signature_properties = frozenset().union(*ROLE_SIGNATURES.values())

    def claim(self, stream: str, schema: Mapping[str, Any], *, forced: bool) -> Role | None:
        role = self.stream_roles.get(stream)
        if role is None or forced:
            return role
        properties = (schema.get("properties") or {}).keys()
        return role if ROLE_SIGNATURES[role] <= properties else None

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
        return self._campaign_performance

    def _campaign_performance(self, record: Mapping[str, Any]) -> PerformanceFacts:
        native_objective = optional_text(record.get("objective"))
        return PerformanceFacts(
            account=AccountFacts(
                account_id=required_id(record, "account_id"),
                currency=optional_text(record.get("account_currency")),
                timezone=optional_text(record.get("account_timezone")),
            ),
            campaign_id=required_id(record, "campaign_id"),
            day=report_date(record.get("date_start"), "date_start"),
            campaign_name=optional_text(record.get("campaign_name")),
            objective=self.unified_objective(native_objective),
            native_objective=native_objective,
            spend=self.decimal_field(record, "spend"),
            impressions=self.count_field(record, "impressions"),
            clicks=self.count_field(record, "clicks"),
            conversions=self.decimal_field(record, "event_conversions"),
            conversion_value=self.decimal_field(record, "event_conversion_value"),
        )

    @staticmethod
    def _major(minor: Decimal, currency: object) -> Decimal:
        """A budget in Meta's minor units as an amount of the account currency."""
        return minor if currency in WHOLE_UNIT_CURRENCIES else minor.scaleb(-2)
