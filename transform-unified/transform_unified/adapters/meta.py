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
    Role,
    optional_text,
    report_date,
    required_id,
)
from transform_unified.vocabulary import Objective, Status

#: Campaign objectives, outcome-based (v17+) and legacy, by unified objective.
OBJECTIVES: Mapping[str, Objective] = {
    "OUTCOME_AWARENESS": Objective.AWARENESS,
    "OUTCOME_TRAFFIC": Objective.TRAFFIC,
    "OUTCOME_ENGAGEMENT": Objective.ENGAGEMENT,
    "OUTCOME_LEADS": Objective.LEADS,
    "OUTCOME_APP_PROMOTION": Objective.APP_PROMOTION,
    "OUTCOME_SALES": Objective.SALES,
    "BRAND_AWARENESS": Objective.AWARENESS,
    "REACH": Objective.AWARENESS,
    "LOCAL_AWARENESS": Objective.AWARENESS,
    "LINK_CLICKS": Objective.TRAFFIC,
    "POST_ENGAGEMENT": Objective.ENGAGEMENT,
    "PAGE_LIKES": Objective.ENGAGEMENT,
    "EVENT_RESPONSES": Objective.ENGAGEMENT,
    "MESSAGES": Objective.ENGAGEMENT,
    "LEAD_GENERATION": Objective.LEADS,
    "APP_INSTALLS": Objective.APP_PROMOTION,
    "CONVERSIONS": Objective.SALES,
    "PRODUCT_CATALOG_SALES": Objective.SALES,
    "STORE_VISITS": Objective.SALES,
    "OFFER_CLAIMS": Objective.SALES,
    "VIDEO_VIEWS": Objective.VIDEO_VIEWS,
}
#: The campaign's configured `status` (what the advertiser set).
STATUSES: Mapping[str, Status] = {
    "ACTIVE": Status.ACTIVE,
    "PAUSED": Status.PAUSED,
    "DELETED": Status.DELETED,
    "ARCHIVED": Status.ARCHIVED,
}
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
            status=self._status(record),
            native_status=optional_text(record.get("status") or record.get("effective_status")),
            objective=self._objective(native_objective),
            native_objective=native_objective,
            budget=None if not minor else self._major(minor, record.get("account_currency")),
            budget_period=period if minor else None,
        )

    def campaign_performance(self, record: Mapping[str, Any]) -> PerformanceFacts:
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
            objective=self._objective(native_objective),
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

    def _status(self, record: Mapping[str, Any]) -> Status:
        native = record.get("status") or record.get("configured_status")
        status = STATUSES.get(native or "")
        if status is None:
            self.diagnostics.warn_once(
                "unmapped_status",
                (self.platform, native),
                "meta campaign status %r is not mapped: status UNKNOWN",
                native,
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
                "meta objective %r is not mapped: objective OTHER",
                native,
            )
            return Objective.OTHER
        return objective
