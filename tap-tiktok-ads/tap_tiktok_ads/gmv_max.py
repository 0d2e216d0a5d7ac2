"""TikTok Shop GMV Max campaigns, which `campaign/get` and `report/integrated/get` never
return: `gmv_max_campaigns` (`gmv_max/campaign/get`) and `insights_gmv_max`
(`gmv_max/report/get`, campaign level, daily), per advertiser and per TikTok Shop of it
(`gmv_max/store/list`: the report takes one store at a time)."""

from __future__ import annotations

import typing as t

from ads_kit.accounts import ACCOUNT_PROPERTIES
from ads_kit.errors import AccountAccessError
from ads_kit.settings import report_types

from tap_tiktok_ads.client import PerAdvertiserStream, body_of, read_ahead
from tap_tiktok_ads.reports import readable_plan
from tap_tiktok_ads.streams import AdvertisersStream, EntityStream
from tap_tiktok_ads.values import as_decimal, as_integer, as_text, local_day

STORES_PATH = "/gmv_max/store/list/"
#: Both kinds of GMV Max campaign (the listing's `gmv_max_promotion_types`).
LISTING_TYPES = ["PRODUCT_GMV_MAX", "LIVE_GMV_MAX"]
#: Every campaign status the report's `campaign_statuses` takes (TikTok's SDK enum, at
#: most 4), so deleted campaigns' spend is read whatever TikTok's default.
EVERY_CAMPAIGN_STATUS = [
    "STATUS_DELIVERY_OK",
    "STATUS_DISABLE",
    "STATUS_NOT_DELIVERY",
    "STATUS_DELETE",
]
#: With `stat_time_day`, the report spans at most 30 days.
WINDOW_DAYS = 30
MONEY = ("cost", "net_cost", "cost_per_order", "gross_revenue")
METRICS = ("campaign_name", "cost", "net_cost", "orders", "cost_per_order", "gross_revenue", "roi")
REPORT_STREAM = "insights_gmv_max"


class GmvMaxCampaignsStream(EntityStream):
    """GMV Max campaigns, deleted ones too (a second listing asks for them) unless
    `include_deleted` is off; incremental on `modify_time`, filtered client-side."""

    name = "gmv_max_campaigns"
    path = "/gmv_max/campaign/get/"
    primary_keys = ("campaign_id",)
    page_size = 100  # the listing's maximum
    time_fields = ("create_time", "modify_time", "schedule_start_time", "schedule_end_time")
    id_fields = ("advertiser_id", "campaign_id", "store_id", "store_authorized_bc_id")
    _status: str | None = None

    def query(self, context: t.Any) -> dict[str, t.Any]:
        filtering: dict[str, t.Any] = {"gmv_max_promotion_types": LISTING_TYPES}
        if self._status:
            filtering["primary_status"] = self._status
        return {"advertiser_id": context["account_id"], "filtering": filtering}

    def get_account_records(self, context: t.Any) -> t.Iterable[dict]:
        seen: set[str] = set()
        for status in (None, "STATUS_DELETE") if self.include_deleted else (None,):
            self._status = status
            for row in super().get_account_records(context):
                if str(row["campaign_id"]) not in seen:
                    seen.add(str(row["campaign_id"]))
                    yield row
        self._status = None


class GmvMaxReportStream(PerAdvertiserStream):
    """Cost, orders and gross revenue of every GMV Max campaign by day, for each TikTok Shop
    the advertiser reaches; incremental on `stat_time_day` with `insights_lookback_days`."""

    name = REPORT_STREAM
    path = "/gmv_max/report/get/"
    parent_stream_type = AdvertisersStream
    primary_keys = ("advertiser_id", "store_id", "campaign_id", "stat_time_day")
    replication_key = "stat_time_day"
    schema: t.ClassVar[dict] = {
        "type": "object",
        "properties": {
            "advertiser_id": {"type": ["string"]},
            "store_id": {"type": ["string"]},
            "campaign_id": {"type": ["string"]},
            "stat_time_day": {"type": ["string"], "format": "date"},
            "campaign_name": {"type": ["string", "null"]},
            **{name: {"type": ["number", "null"]} for name in (*MONEY, "roi")},
            "orders": {"type": ["integer", "null"]},
            **ACCOUNT_PROPERTIES,
        },
    }

    def __init__(self, tap: t.Any) -> None:
        self.selected_by_default = "campaign_performance" in report_types(tap.config)
        super().__init__(tap)

    def stores(self, context: t.Any) -> list[str]:
        """The advertiser's TikTok Shops; none (named in a warning) when TikTok refuses the
        advertiser GMV Max access."""
        try:
            response = self.call(
                STORES_PATH, context, params={"advertiser_id": context["account_id"]}
            )
        except AccountAccessError as error:
            self.logger.warning(
                "%s, advertiser %s: its TikTok Shops cannot be listed (%s): no GMV Max "
                "campaigns read for it",
                self.name,
                context["account_id"],
                error,
            )
            return []
        stores = (body_of(response).get("data") or {}).get("store_list") or []
        return [str(store["store_id"]) for store in stores]

    def get_account_records(self, context: t.Any) -> t.Iterable[dict]:
        plan = readable_plan(self, context)
        if plan is None:
            return
        stores = self.stores(context)
        if not stores:
            # No row, so no bookmark: a shop added later is read from the start of the range.
            self.logger.info(
                "%s, advertiser %s: no TikTok Shop, so no GMV Max campaign",
                self.name,
                context["account_id"],
            )
            return
        self.logger.info(
            "%s, advertiser %s: %s to %s with the GMV Max report of %d TikTok Shop(s) (%s)",
            self.name,
            context["account_id"],
            plan.start,
            plan.end,
            len(stores),
            plan.reason,
        )
        finished = self.finished_slices(context)
        for store in stores:
            for start, end in plan.windows(WINDOW_DAYS):
                key = f"{store}:{start.isoformat()}:{end.isoformat()}"
                if key not in finished:
                    yield from self._window_rows(context, store, start.isoformat(), end.isoformat())
                    self.mark_slice_finished(context, key)
        self.forget_finished_slices(context)

    def _window_rows(self, context: t.Any, store: str, start: str, end: str) -> t.Iterable[dict]:
        query = {
            "advertiser_id": context["account_id"],
            "store_ids": [store],
            "dimensions": ["campaign_id", "stat_time_day"],
            "metrics": list(METRICS),
            "filtering": {"campaign_statuses": EVERY_CAMPAIGN_STATUS},
            "start_date": start,
            "end_date": end,
            "page_size": self.page_size,
        }

        def page(number: int) -> dict:
            return body_of(self.call(self.path, context, params={**query, "page": number}))

        for body in read_ahead(page(1), page, self._tap.rate_limits.concurrent_requests):
            for item in (body.get("data") or {}).get("list") or []:
                yield self.to_record(context, store, item["dimensions"], item["metrics"])

    @staticmethod
    def to_record(context: t.Any, store: str, dims: dict, metrics: dict) -> dict:
        return {
            "advertiser_id": context["account_id"],
            "store_id": store,
            "campaign_id": str(dims["campaign_id"]),
            "stat_time_day": local_day(dims["stat_time_day"]),
            "campaign_name": as_text(metrics.get("campaign_name")),
            **{name: as_decimal(metrics.get(name)) for name in (*MONEY, "roi")},
            "orders": as_integer(metrics.get("orders")),
        }


def warn_if_unread(tap: t.Any, context: dict) -> None:
    """When spend is read but `insights_gmv_max` is not selected, name the stream to select
    for an advertiser that has GMV Max campaigns (their spend is in no other stream)."""
    report = tap.streams.get(REPORT_STREAM)
    if report is None or report.selected:
        return
    if not any(getattr(s, "spec", None) and s.selected for s in tap.streams.values()):
        return
    try:
        response = report.call(
            GmvMaxCampaignsStream.path,
            context,
            params={
                "advertiser_id": context["account_id"],
                "filtering": {"gmv_max_promotion_types": LISTING_TYPES},
                "page_size": 1,
            },
        )
    except AccountAccessError:
        return  # no GMV Max access: no GMV Max campaigns
    except Exception as error:  # a check for a warning never stops the run
        report.logger.warning(
            "Advertiser %s: could not check for GMV Max campaigns (%s); their spend is only "
            "in stream '%s', which is not selected",
            context["account_id"],
            error,
            REPORT_STREAM,
        )
        return
    total = int(
        ((body_of(response).get("data") or {}).get("page_info") or {}).get("total_number", 0)
    )
    if total:
        report.logger.warning(
            "Advertiser %s has %d GMV Max campaign(s): TikTok reports their spend only in "
            "stream '%s', which is not selected, so it is missing from this run's totals. "
            "Select '%s' (and 'gmv_max_campaigns' for their names and statuses).",
            context["account_id"],
            total,
            REPORT_STREAM,
            REPORT_STREAM,
        )
