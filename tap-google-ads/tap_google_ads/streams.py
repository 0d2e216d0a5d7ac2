"""Streams over GAQL: the customers (parent of every other stream, found through the
credentials and their managers), and the entity listings, full table per customer."""

from __future__ import annotations

import typing as t
from collections.abc import Iterable, Sequence

from ads_kit.accounts import ACCOUNT_PROPERTIES, Account, AccountsStreamMixin, PerAccountStream
from ads_kit.errors import AccountAccessError
from ads_kit.guard import Operation
from singer_sdk import Stream

from tap_google_ads.errors import CUSTOMER_ATTRIBUTE
from tap_google_ads.fields import field_path, property_name

if t.TYPE_CHECKING:
    from tap_google_ads.tap import TapGoogleAds

CUSTOMER_FIELDS = (
    "customer.id",
    "customer.descriptive_name",
    "customer.currency_code",
    "customer.time_zone",
    "customer.manager",
    "customer.status",
    "customer.test_account",
    "customer.auto_tagging_enabled",
)
CLIENT_FIELDS = (
    "customer_client.id",
    "customer_client.manager",
    "customer_client.status",
    "customer_client.level",
    "customer_client.descriptive_name",
)


def schema_of(fields: Sequence[str], version: str, extra: dict | None = None) -> dict:
    properties: dict[str, dict] = {}
    for name in fields:
        path = field_path(version, name)
        if path is None:
            raise ValueError(f"{name} is not a field of Google Ads API {version}")
        properties[property_name(name)] = path.json_schema
    return {"type": "object", "properties": {**properties, **(extra or {}), **ACCOUNT_PROPERTIES}}


class GaqlStream(Stream):
    """A stream whose records are GAQL rows: `fields` (GAQL names) read FROM `resource`."""

    resource: t.ClassVar[str]
    fields: t.ClassVar[tuple[str, ...]]
    #: Extra WHERE conditions (GAQL), e.g. only keyword criteria.
    conditions: t.ClassVar[tuple[str, ...]] = ()
    _tap: TapGoogleAds

    def selected_fields(self) -> list[str]:
        """The fields the catalog selects (keys always): never more are asked for."""
        return [
            name for name in self.fields if self.mask.get(("properties", property_name(name)), True)
        ]

    def query(self, fields: Sequence[str], conditions: Sequence[str] = ()) -> str:
        text = f"SELECT {', '.join(fields)} FROM {self.resource}"  # noqa: S608 - GAQL
        where = [*self.conditions, *conditions]
        if where:
            text += " WHERE " + " AND ".join(where)
        return text

    def records(
        self, customer_id: str, query: str, fields: Sequence[str], *, stream: bool = False
    ) -> list[dict]:
        """The rows of one query as records of `fields`, through the call guard (paced,
        retried, dead-lettered). Rows become records as they arrive, so a call's messages
        are freed while it reads; a retried call reads the query again from its start."""
        tap = self._tap
        method = "SearchStream" if stream else "Search"
        login = tap.login_customer_for(customer_id)

        def call() -> list[dict]:
            version = tap.api_versions.current
            convert = record_maker(version, fields)
            try:
                if stream:
                    rows = tap.connection.search_stream(version, customer_id, query, login)
                else:
                    rows = tap.connection.search(version, customer_id, query, login)
                return [convert(row) for row in rows]
            except Exception as error:
                setattr(error, CUSTOMER_ATTRIBUTE, customer_id)
                raise

        operation = Operation(
            self.name, customer_id, f"GoogleAdsService.{method}", {"query": query}
        )
        return tap.guard.call(call, operation)


def record_maker(version: str, fields: Sequence[str]) -> t.Callable[[t.Any], dict]:
    """Turns a raw `GoogleAdsRow` into a record of `fields` (those the version has)."""
    readers = [
        (property_name(name), path.reader())
        for name in fields
        if (path := field_path(version, name)) is not None
    ]
    return lambda row: {prop: read(row) for prop, read in readers}


class CustomersStream(AccountsStreamMixin, GaqlStream):
    """Every customer read: `customer_ids`, or all the credentials reach, managers walked
    through `customer_client` (their clients read with the manager as login-customer-id).
    Managers are listed but read for nothing else; accounts that are not enabled are skipped
    and named."""

    name = "customers"
    resource = "customer"
    fields = CUSTOMER_FIELDS
    primary_keys = ("customer__id",)

    def __init__(self, tap: TapGoogleAds) -> None:
        super().__init__(tap, schema=schema_of(self.fields, tap.default_api_version))

    def selected_fields(self) -> list[str]:
        """What accounts need is read whether selected or not."""
        needed = {"customer.id", "customer.currency_code", "customer.time_zone",
                  "customer.manager", "customer.status"}  # fmt: skip
        selected = set(super().selected_fields())
        return [f for f in self.fields if f in needed or f in selected]

    def get_records(self, context: t.Any) -> Iterable[dict]:
        tap = self._tap
        fields = self.selected_fields()
        for customer_id in tap.customers_to_read(self):
            try:
                yield from self.records(customer_id, self.query(fields), fields)
            except AccountAccessError as error:
                tap.record_account_failure(self.name, error)

    def post_process(self, row: dict, context: t.Any = None) -> dict | None:
        row["account_id"] = str(row["customer__id"])
        row["account_currency"] = row.get("customer__currency_code")
        row["account_timezone"] = row.get("customer__time_zone")
        return row

    def get_child_context(self, record: dict, context: t.Any) -> dict | None:
        customer_id = record["account_id"]
        if record.get("customer__manager"):
            self.logger.info("Customer %s is a manager: read for its clients only", customer_id)
            return None
        if record.get("customer__status") not in (None, "ENABLED"):
            self.logger.warning(
                "Customer %s is %s: skipped", customer_id, record.get("customer__status")
            )
            return None
        return self.account_context(
            Account(
                id=customer_id,
                currency=record["account_currency"],
                timezone=record["account_timezone"],
                created=self._tap.earliest_report_date(),
            )
        )


class CustomerStream(PerAccountStream, GaqlStream):
    """A listing read whole for each customer (full table)."""

    parent_stream_type = CustomersStream

    def __init__(self, tap: TapGoogleAds, name: str | None = None, schema: dict | None = None):
        schema = schema or schema_of(self.fields, tap.default_api_version)
        super().__init__(tap, name=name, schema=schema)

    def get_account_records(self, context: t.Any) -> Iterable[dict]:
        fields = self.selected_fields()
        yield from self.records(context["account_id"], self.query(fields), fields)


class CampaignsStream(CustomerStream):
    name = "campaigns"
    resource = "campaign"
    primary_keys = ("campaign__id",)
    fields = (
        "campaign.id",
        "campaign.name",
        "campaign.status",
        "campaign.serving_status",
        "campaign.primary_status",
        "campaign.advertising_channel_type",
        "campaign.advertising_channel_sub_type",
        "campaign.bidding_strategy_type",
        "campaign.campaign_budget",
        "campaign.start_date_time",
        "campaign.end_date_time",
        "campaign.payment_mode",
        "campaign_budget.amount_micros",
        "campaign_budget.total_amount_micros",
        "campaign_budget.period",
    )


class CampaignBudgetsStream(CustomerStream):
    name = "campaign_budgets"
    resource = "campaign_budget"
    primary_keys = ("campaign_budget__id",)
    fields = (
        "campaign_budget.id",
        "campaign_budget.name",
        "campaign_budget.status",
        "campaign_budget.amount_micros",
        "campaign_budget.total_amount_micros",
        "campaign_budget.period",
        "campaign_budget.delivery_method",
        "campaign_budget.explicitly_shared",
    )


class AdGroupsStream(CustomerStream):
    name = "ad_groups"
    resource = "ad_group"
    primary_keys = ("ad_group__id",)
    fields = (
        "ad_group.id",
        "ad_group.name",
        "ad_group.status",
        "ad_group.type",
        "ad_group.cpc_bid_micros",
        "campaign.id",
    )


class AdsStream(CustomerStream):
    name = "ads"
    resource = "ad_group_ad"
    primary_keys = ("ad_group__id", "ad_group_ad__ad__id")
    fields = (
        "ad_group.id",
        "ad_group_ad.ad.id",
        "ad_group_ad.ad.name",
        "ad_group_ad.ad.type",
        "ad_group_ad.status",
        "ad_group_ad.ad.final_urls",
        "ad_group_ad.ad.responsive_search_ad.headlines",
        "ad_group_ad.ad.responsive_search_ad.descriptions",
        "ad_group_ad.ad.responsive_display_ad.headlines",
        "ad_group_ad.ad.responsive_display_ad.descriptions",
        "ad_group_ad.ad.video_responsive_ad.headlines",
        "ad_group_ad.ad.video_responsive_ad.descriptions",
        "campaign.id",
    )


class KeywordsStream(CustomerStream):
    name = "keywords"
    resource = "ad_group_criterion"
    primary_keys = ("ad_group__id", "ad_group_criterion__criterion_id")
    conditions = ("ad_group_criterion.type = KEYWORD",)
    fields = (
        "ad_group.id",
        "ad_group_criterion.criterion_id",
        "ad_group_criterion.keyword.text",
        "ad_group_criterion.keyword.match_type",
        "ad_group_criterion.status",
        "ad_group_criterion.negative",
        "campaign.id",
    )


class UserListsStream(CustomerStream):
    """The `audiences` stream: user lists (remarketing, customer match, lookalikes)."""

    name = "audiences"
    resource = "user_list"
    primary_keys = ("user_list__id",)
    fields = (
        "user_list.id",
        "user_list.name",
        "user_list.type",
        "user_list.membership_status",
        "user_list.membership_life_span",
        "user_list.size_for_display",
        "user_list.size_for_search",
    )


class CombinedAudiencesStream(CustomerStream):
    """Audiences of Performance Max and Demand Gen campaigns (the `audience` resource)."""

    name = "audience_segments"
    resource = "audience"
    primary_keys = ("audience__id",)
    fields = ("audience.id", "audience.name", "audience.status", "audience.description")


class LabelsStream(CustomerStream):
    name = "labels"
    resource = "label"
    primary_keys = ("label__id",)
    fields = ("label.id", "label.name", "label.status")


class ConversionActionsStream(CustomerStream):
    """What `segments.conversion_action` of `campaign_conversions` names."""

    name = "conversion_actions"
    resource = "conversion_action"
    primary_keys = ("conversion_action__id",)
    fields = (
        "conversion_action.id",
        "conversion_action.name",
        "conversion_action.status",
        "conversion_action.type",
        "conversion_action.category",
        "conversion_action.origin",
        "conversion_action.primary_for_goal",
        "conversion_action.include_in_conversions_metric",
        "conversion_action.counting_type",
        "conversion_action.click_through_lookback_window_days",
        "conversion_action.view_through_lookback_window_days",
        "conversion_action.value_settings.default_value",
        "conversion_action.value_settings.default_currency_code",
    )
