"""Meta's entity streams through facebook-business: ad accounts (the parent of every other
stream), campaigns, ad sets, ads, audiences, creatives, custom conversions, images, videos
and the account's change history."""

from __future__ import annotations

import typing as t

from ads_kit.accounts import Account, AccountsStreamMixin, PerAccountStream
from ads_kit.errors import AccountAccessError
from facebook_business.adobjects.ad import Ad
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adactivity import AdActivity
from facebook_business.adobjects.adcreative import AdCreative
from facebook_business.adobjects.adimage import AdImage
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.advideo import AdVideo
from facebook_business.adobjects.campaign import Campaign
from facebook_business.adobjects.customaudience import CustomAudience
from facebook_business.adobjects.customconversion import CustomConversion
from facebook_business.adobjects.user import User
from singer_sdk import Stream

from tap_meta_ads.client import scope
from tap_meta_ads.schemas import entity_schema
from tap_meta_ads.values import MINOR_UNIT_FIELDS, epoch, graph_time, number


def every_status(sdk_class: type) -> list[str]:
    """Every `effective_status` the SDK knows: deleted and archived objects included."""
    return sorted(v for k, v in vars(sdk_class.EffectiveStatus).items() if not k.startswith("_"))


class MetaStream(Stream):
    """A stream read through the SDK; its schema comes from the SDK class's field types."""

    sdk_class: t.ClassVar[type]
    fields: t.ClassVar[tuple[str, ...]]
    schema_overrides: t.ClassVar[dict[str, t.Any]] = {}

    def __init__(self, tap: t.Any) -> None:
        super().__init__(
            tap, schema=entity_schema(self.sdk_class, self.fields, self.schema_overrides)
        )

    def to_record(self, data: dict[str, t.Any]) -> dict[str, t.Any]:
        types = getattr(self.sdk_class, "_field_types", {})
        record = {}
        for name in self.fields:
            if name not in data:
                continue
            value = data[name]
            if name in MINOR_UNIT_FIELDS:
                value = number(value)
            elif types.get(name) == "datetime" or name in ("time_created", "time_updated"):
                value = graph_time(value)
            record[name] = value
        return record


class AdAccountsStream(AccountsStreamMixin, MetaStream):
    """The configured `ad_accounts`, or every account the token reaches (`me/adaccounts`)."""

    name = "ad_accounts"
    primary_keys = ("id",)
    sdk_class = AdAccount
    fields = (
        "id",
        "account_id",
        "name",
        "currency",
        "timezone_name",
        "timezone_offset_hours_utc",
        "account_status",
        "disable_reason",
        "created_time",
        "amount_spent",
        "balance",
        "spend_cap",
        "business",
        "business_name",
        "age",
        "is_personal",
    )

    def get_records(self, context: t.Any) -> t.Iterable[dict]:
        api = self._tap.api
        configured = self.config.get("ad_accounts") or []
        with scope(self.name, None):
            if not configured:
                found = User(fbid="me", api=api).get_ad_accounts(
                    fields=list(self.fields), params={"limit": self._tap.api.page_size}
                )
                rows = [a.export_all_data() for a in found]
                self.logger.info("The token reaches %d ad account(s)", len(rows))
                yield from (self.to_record(r) for r in rows)
                return
        for account_id in configured:
            try:
                with scope(self.name, account_id):
                    node = AdAccount(account_id, api=api).api_get(fields=list(self.fields))
            except AccountAccessError as error:
                self._tap.record_account_failure(self.name, error)
                continue
            yield self.to_record(node.export_all_data())

    def post_process(self, row: dict, context: t.Any = None) -> dict:
        row["account_id"] = row["id"]
        row["account_currency"] = row.get("currency")
        row["account_timezone"] = row.get("timezone_name")
        return row

    def get_child_context(self, record: dict, context: t.Any) -> dict | None:
        return self.account_context(
            Account(
                id=record["id"],
                currency=record["currency"],
                timezone=record["timezone_name"],
                created=record.get("created_time"),
            )
        )


class AccountEdgeStream(PerAccountStream, MetaStream):
    """One edge of the ad account (`act_…/campaigns` and the like), paged by cursor."""

    parent_stream_type = AdAccountsStream
    primary_keys = ("id",)
    edge: t.ClassVar[str]  # the AdAccount method, e.g. "get_campaigns"
    #: `<entity>.updated_time` is filtered server-side when set.
    filter_entity: t.ClassVar[str | None] = None
    status_class: t.ClassVar[type | None] = None

    def params(self, context: t.Any) -> dict[str, t.Any]:
        params: dict[str, t.Any] = {"limit": self._tap.api.page_size}
        if self.status_class is not None and self.config["include_deleted"]:
            params["effective_status"] = every_status(self.status_class)
        since = self.saved_bookmark(context)
        if since and self.filter_entity:
            params["filtering"] = [
                {
                    "field": f"{self.filter_entity}.updated_time",
                    "operator": "GREATER_THAN",
                    "value": epoch(since) - 1,
                }
            ]
        return params

    def get_account_records(self, context: t.Any) -> t.Iterable[dict]:
        account = AdAccount(context["account_id"], api=self._tap.api)
        with scope(self.name, context["account_id"]):
            cursor = getattr(account, self.edge)(
                fields=list(self.fields), params=self.params(context)
            )
            for item in cursor:
                yield self.to_record(item.export_all_data())


class CampaignsStream(AccountEdgeStream):
    name = "campaigns"
    sdk_class = Campaign
    edge = "get_campaigns"
    replication_key = "updated_time"
    filter_entity = "campaign"
    status_class = Campaign
    fields = (
        "id",
        "account_id",
        "name",
        "objective",
        "status",
        "configured_status",
        "effective_status",
        "buying_type",
        "bid_strategy",
        "daily_budget",
        "lifetime_budget",
        "budget_remaining",
        "spend_cap",
        "special_ad_categories",
        "start_time",
        "stop_time",
        "created_time",
        "updated_time",
        "pacing_type",
        "primary_attribution",
    )


class AdSetsStream(AccountEdgeStream):
    name = "adsets"
    sdk_class = AdSet
    edge = "get_ad_sets"
    replication_key = "updated_time"
    filter_entity = "adset"
    status_class = AdSet
    fields = (
        "id",
        "account_id",
        "campaign_id",
        "name",
        "status",
        "configured_status",
        "effective_status",
        "optimization_goal",
        "billing_event",
        "bid_strategy",
        "bid_amount",
        "daily_budget",
        "lifetime_budget",
        "budget_remaining",
        "targeting",
        "promoted_object",
        "attribution_spec",
        "destination_type",
        "start_time",
        "end_time",
        "created_time",
        "updated_time",
        "learning_stage_info",
    )


class AdsStream(AccountEdgeStream):
    name = "ads"
    sdk_class = Ad
    edge = "get_ads"
    replication_key = "updated_time"
    filter_entity = "ad"
    status_class = Ad
    fields = (
        "id",
        "account_id",
        "campaign_id",
        "adset_id",
        "name",
        "status",
        "configured_status",
        "effective_status",
        "creative",
        "tracking_specs",
        "conversion_specs",
        "created_time",
        "updated_time",
    )


class AudiencesStream(AccountEdgeStream):
    """Custom audiences and lookalikes; incremental on `time_updated` (unix seconds: Meta has
    no `updated_time` here and cannot filter on it, so older ones are skipped client-side)."""

    name = "audiences"
    sdk_class = CustomAudience
    edge = "get_custom_audiences"
    replication_key = "time_updated"
    fields = (
        "id",
        "account_id",
        "name",
        "description",
        "subtype",
        "lookalike_spec",
        "approximate_count_lower_bound",
        "approximate_count_upper_bound",
        "delivery_status",
        "operation_status",
        "data_source",
        "customer_file_source",
        "retention_days",
        "rule",
        "pixel_id",
        "time_created",
        "time_updated",
    )
    schema_overrides = {
        "time_created": {"type": ["string", "null"], "format": "date-time"},
        "time_updated": {"type": ["string", "null"], "format": "date-time"},
    }

    def get_account_records(self, context: t.Any) -> t.Iterable[dict]:
        since = self.saved_bookmark(context)
        for row in super().get_account_records(context):
            if since is None or (row.get("time_updated") or "") >= since:
                yield row


class AdCreativesStream(AccountEdgeStream):
    """Creatives (full table: Meta gives them no modification time); `ads.creative.id` links."""

    name = "ad_creatives"
    sdk_class = AdCreative
    edge = "get_ad_creatives"
    fields = (
        "id",
        "account_id",
        "name",
        "title",
        "body",
        "status",
        "object_type",
        "object_story_id",
        "effective_object_story_id",
        "object_story_spec",
        "asset_feed_spec",
        "call_to_action_type",
        "image_url",
        "image_hash",
        "thumbnail_url",
        "video_id",
        "url_tags",
        "link_url",
    )


class CustomConversionsStream(AccountEdgeStream):
    name = "custom_conversions"
    sdk_class = CustomConversion
    edge = "get_custom_conversions"
    fields = (
        "id",
        "account_id",
        "name",
        "custom_event_type",
        "rule",
        "event_source_type",
        "pixel",
        "creation_time",
        "first_fired_time",
        "last_fired_time",
        "is_archived",
        "default_conversion_value",
    )


class ImagesStream(AccountEdgeStream):
    name = "images"
    sdk_class = AdImage
    edge = "get_ad_images"
    fields = (
        "id",
        "account_id",
        "hash",
        "name",
        "url",
        "permalink_url",
        "width",
        "height",
        "original_width",
        "original_height",
        "status",
        "created_time",
        "updated_time",
    )


class VideosStream(AccountEdgeStream):
    name = "videos"
    sdk_class = AdVideo
    edge = "get_ad_videos"
    fields = (
        "id",
        "title",
        "description",
        "length",
        "source",
        "picture",
        "permalink_url",
        "status",
        "created_time",
        "updated_time",
        "published",
    )


class ActivitiesStream(AccountEdgeStream):
    """The account's change history, incremental on `event_time` (Meta's `since`)."""

    name = "activities"
    sdk_class = AdActivity
    edge = "get_activities"
    primary_keys = ("object_id", "event_type", "event_time")
    replication_key = "event_time"
    fields = (
        "event_time",
        "event_type",
        "translated_event_type",
        "object_id",
        "object_name",
        "object_type",
        "actor_id",
        "actor_name",
        "application_id",
        "application_name",
        "date_time_in_timezone",
        "extra_data",
    )

    def params(self, context: t.Any) -> dict[str, t.Any]:
        params = super().params(context)
        since = self.saved_bookmark(context)
        if since:
            params["since"] = epoch(since)
        return params


ENTITY_STREAMS = (
    CampaignsStream,
    AdSetsStream,
    AdsStream,
    AudiencesStream,
    AdCreativesStream,
    CustomConversionsStream,
    ImagesStream,
    VideosStream,
    ActivitiesStream,
)
