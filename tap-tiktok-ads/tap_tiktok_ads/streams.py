"""TikTok's entity streams: advertisers (the parent of every other stream), campaigns,
ad groups, ads, audiences, and the asset library's images, videos and pixels."""

from __future__ import annotations

import contextlib
import datetime as dt
import typing as t
from pathlib import Path

import requests
from ads_kit.accounts import Account, AccountsStreamMixin
from ads_kit.errors import AccountAccessError
from ads_kit.sharding import in_shard
from singer_sdk import SchemaDirectory, StreamSchema

from tap_tiktok_ads.client import PerAdvertiserStream, TikTokStream, body_of, json_in_query
from tap_tiktok_ads.values import utc_timestamp

SCHEMAS = Path(__file__).parent / "schemas"
#: Listings leave deleted objects out unless asked for every status.
EVERY_STATUS = {"primary_status": "STATUS_ALL"}
ID_BATCH = 100


class AdvertisersStream(AccountsStreamMixin, TikTokStream):
    """`advertiser/info` for the configured advertisers, or every one the token reaches."""

    name = "advertisers"
    path = "/advertiser/info/"
    primary_keys = ("advertiser_id",)
    schema = StreamSchema(SchemaDirectory(SCHEMAS))

    def get_records(self, context: t.Any) -> t.Iterable[dict]:
        configured = [str(i) for i in self.config.get("advertiser_ids") or ()]
        repeated = sorted({i for i in configured if configured.count(i) > 1})
        if repeated:
            self.logger.warning(
                "Setting 'advertiser_ids' lists %s more than once; each is read once",
                ", ".join(repeated),
            )
        listed = configured or self._authorized_advertisers()
        ids = in_shard(listed, self.config)
        self.logger.info(
            "Reading %d advertiser(s)%s",
            len(ids),
            f" of {len(set(listed))}: shard {self.config['shard_index']} of "
            f"{self.config['shard_count']}"
            if self.config["shard_count"] > 1
            else "",
        )
        for start in range(0, len(ids), ID_BATCH):
            yield from self._info(ids[start : start + ID_BATCH])

    def _info(self, ids: list[str]) -> t.Iterable[dict]:
        try:
            rows = list(self.request_records({"advertiser_ids": ids}))
        except AccountAccessError as error:
            if len(ids) == 1:
                self._tap.record_account_failure(self.name, AccountAccessError(ids[0], str(error)))
                return
            # One bad id fails the whole batch: ask one by one to find it.
            for advertiser_id in ids:
                yield from self._info([advertiser_id])
            return
        # Known before their turn, so report streams can read several advertisers together.
        for row in rows:
            with contextlib.suppress(AccountAccessError):  # reported with its child context
                self._tap.accounts.register(self._account(row))
        yield from rows

    def _authorized_advertisers(self) -> list[str]:
        """Every advertiser the token may access (app id and secret are checked at start)."""
        response = self.call(
            "/oauth2/advertiser/get/",
            None,
            params={"app_id": self.config["app_id"], "secret": self.config["secret"]},
        )
        return [str(row["advertiser_id"]) for row in body_of(response)["data"]["list"]]

    def get_url_params(self, context: t.Any, next_page_token: int | None) -> dict:
        return json_in_query({"advertiser_ids": context["advertiser_ids"]})

    def get_new_paginator(self) -> None:
        return None

    def post_process(self, row: dict, context: t.Any = None) -> dict:
        row["advertiser_id"] = str(row["advertiser_id"])
        created = row.get("create_time")
        if isinstance(created, int | float):
            row["create_time"] = dt.datetime.fromtimestamp(created, dt.UTC).isoformat()
        row["account_id"] = row["advertiser_id"]
        row["account_currency"] = row.get("currency")
        row["account_timezone"] = row.get("timezone")
        return row

    @staticmethod
    def _account(row: dict) -> Account:
        created = row.get("create_time")
        if isinstance(created, int | float):
            created = dt.datetime.fromtimestamp(created, dt.UTC).isoformat()
        return Account(
            id=str(row["advertiser_id"]),
            currency=row["currency"],
            timezone=row["timezone"],
            created=created,
        )

    def get_child_context(self, record: dict, context: t.Any) -> dict | None:
        child = self.account_context(self._account(record))
        if child is not None:
            self._tap.advertiser_ready(child)
        return child


class ModifiedSinceStream(PerAdvertiserStream):
    """A listing TikTok cannot filter on modification time: every run lists all objects and
    emits those modified since the bookmark."""

    parent_stream_type = AdvertisersStream
    replication_key = "modify_time"
    schema = StreamSchema(SchemaDirectory(SCHEMAS))
    #: Fields holding times ("YYYY-MM-DD HH:MM:SS" or ISO 8601, UTC) and ids.
    time_fields: t.ClassVar[tuple[str, ...]] = ("create_time", "modify_time")
    id_fields: t.ClassVar[tuple[str, ...]] = ("advertiser_id",)

    def get_account_records(self, context: t.Any) -> t.Iterable[dict]:
        since = self.saved_bookmark(context)
        for row in super().get_account_records(context):
            modified = utc_timestamp(row.get("modify_time"))
            if since is None or modified is None or modified >= since:
                yield row

    def post_process(self, row: dict, context: t.Any = None) -> dict | None:
        for key in self.time_fields:
            if key in row:
                row[key] = utc_timestamp(row[key])
        for key in self.id_fields:
            if row.get(key) is not None:
                row[key] = str(row[key])  # v1.3 ids are strings past 2^53; never numbers
        row.setdefault("advertiser_id", context["account_id"])  # asset rows do not name it
        return super().post_process(row, context)


class EntityStream(ModifiedSinceStream):
    """Campaigns, ad groups, ads: deleted ones too unless `include_deleted` is off."""

    time_fields = ("create_time", "modify_time", "schedule_start_time", "schedule_end_time")
    id_fields = ("advertiser_id", "campaign_id", "adgroup_id", "ad_id")

    def query(self, context: t.Any) -> dict[str, t.Any]:
        params = super().query(context)
        if self.include_deleted:
            params["filtering"] = EVERY_STATUS
        return params


class CampaignsStream(EntityStream):
    name = "campaigns"
    path = "/campaign/get/"
    primary_keys = ("campaign_id",)


class AdgroupsStream(EntityStream):
    name = "adgroups"
    path = "/adgroup/get/"
    primary_keys = ("adgroup_id",)


class AdsStream(EntityStream):
    name = "ads"
    path = "/ad/get/"
    primary_keys = ("ad_id",)


class AudiencesStream(PerAdvertiserStream):
    """Custom audiences and lookalikes: the DMP list, enriched with each audience's details
    (lookalike source, size). Full table: the API has no modification time to filter on."""

    name = "audiences"
    path = "/dmp/custom_audience/list/"
    primary_keys = ("audience_id",)
    schema = StreamSchema(SchemaDirectory(SCHEMAS))
    parent_stream_type = AdvertisersStream
    page_size = 100

    def get_account_records(self, context: t.Any) -> t.Iterable[dict]:
        page: list[dict] = []
        for row in super().get_account_records(context):
            page.append(row)
            if len(page) == ID_BATCH:
                yield from self._with_details(page, context)
                page = []
        yield from self._with_details(page, context)

    def _with_details(self, rows: list[dict], context: t.Any) -> t.Iterable[dict]:
        if not rows:
            return
        response = self.call(
            "/dmp/custom_audience/get/",
            context,
            params={
                "advertiser_id": context["account_id"],
                "custom_audience_ids": [str(row["audience_id"]) for row in rows],
            },
        )
        details = {}
        for item in body_of(response)["data"].get("list") or []:
            audience = item.get("audience_details") or item
            details[str(audience["audience_id"])] = audience
        for row in rows:
            merged = {**row, **details.get(str(row["audience_id"]), {})}
            for key in ("create_time", "expired_time"):
                if key in merged:
                    merged[key] = utc_timestamp(merged[key])
            merged["audience_id"] = str(merged["audience_id"])
            yield merged


class ImagesStream(ModifiedSinceStream):
    """The advertiser's image library (`file/image/ad/search`), 100 a page at most."""

    name = "images"
    path = "/file/image/ad/search/"
    primary_keys = ("image_id",)
    page_size = 100


class VideosStream(ModifiedSinceStream):
    """The advertiser's video library (`file/video/ad/search`), 100 a page at most."""

    name = "videos"
    path = "/file/video/ad/search/"
    primary_keys = ("video_id",)
    page_size = 100


class PixelsStream(PerAdvertiserStream):
    """The advertiser's pixels and their events (`pixel/list`, 20 a page at most, the list
    under `data.pixels`). Full table: pixels have no modification time."""

    name = "pixels"
    path = "/pixel/list/"
    primary_keys = ("pixel_id",)
    schema = StreamSchema(SchemaDirectory(SCHEMAS))
    parent_stream_type = AdvertisersStream
    page_size = 20

    def parse_response(self, response: requests.Response) -> t.Iterable[dict]:
        yield from (body_of(response).get("data") or {}).get("pixels") or []

    def post_process(self, row: dict, context: t.Any = None) -> dict | None:
        row["pixel_id"] = str(row["pixel_id"])
        row["create_time"] = utc_timestamp(row.get("create_time"))
        row.setdefault("advertiser_id", context["account_id"])
        return super().post_process(row, context)
