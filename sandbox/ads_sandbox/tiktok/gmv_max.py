"""TikTok Shop GMV Max: `gmv_max/store/list/`, `gmv_max/campaign/get/`, `gmv_max/report/get/`.

Shapes and limits as TikTok's reference and its SDKs define them (the official
`tiktok-business-api-sdk` `yml_files/gmv_max_report_get.yml` and `gmv_max_store_list.yml`;
the request and response models of bububa/tiktok-business, written from TikTok's GMV Max
pages): the report takes exactly one store in `store_ids`, at most 3 dimensions and 100
metrics, `page_size` up to 1,000; its days span at most 30 with `stat_time_day`, 365 without;
the campaign listing pages by up to 100. GMV Max campaigns are never in `campaign/get/` nor
in `report/integrated/get/`: only here. The emulator serves campaign-level reports
(dimensions from `advertiser_id`, `campaign_id`, `stat_time_day`); the item, live room and
hourly breakdowns are refused naming the dimension (narrower than TikTok, recorded in the
tap's audit table).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from aiohttp import web

from ads_sandbox.money import format_minor, ratio_minor
from ads_sandbox.tiktok.context import Call
from ads_sandbox.tiktok.envelope import NO_PERMISSION, ApiError, param_error
from ads_sandbox.tiktok.params import filtering_strings, page_info
from ads_sandbox.tiktok.timefmt import money_number, utc_text
from ads_sandbox.world import Account
from ads_sandbox.world.shop import AccountShop, GmvMaxCampaign, GmvMaxRow

REPORT_PATH = "gmv_max/report/get/"
#: `/gmv_max/report/get/`'s own limits on the Basic tier (QPS, QPM, QPD).
REPORT_LIMITS = (8, 240, 20_000)
MAX_DIMENSIONS = 3
MAX_METRICS = 100
MAX_SPAN = {"stat_time_day": 30, None: 365}
#: Every dimension TikTok documents for the GMV Max report, and those served here.
DIMENSIONS = frozenset(
    {
        "advertiser_id",
        "campaign_id",
        "stat_time_day",
        "stat_time_hour",
        "item_group_id",
        "item_id",
        "room_id",
        "duration",
    }
)
SERVED_DIMENSIONS = frozenset({"advertiser_id", "campaign_id", "stat_time_day"})
#: Campaign-level performance metrics (money in the advertiser's currency).
PERFORMANCE = ("cost", "net_cost", "orders", "cost_per_order", "gross_revenue", "roi")
#: Campaign attributes, with the `campaign_id` dimension.
ATTRIBUTES = (
    "campaign_id",
    "campaign_name",
    "operation_status",
    "schedule_type",
    "schedule_start_time",
    "schedule_end_time",
    "bid_type",
    "target_roi_budget",
    "max_delivery_budget",
    "roas_bid",
)
#: Metrics TikTok has only for products, creatives, live rooms or every shop: refused at
#: campaign level with the conflict message.
OTHER_LEVELS = frozenset(
    {
        "product_name",
        "item_group_id",
        "product_image_url",
        "product_status",
        "title",
        "item_id",
        "tt_account_name",
        "tt_account_profile_image_url",
        "tt_account_authorization_type",
        "shop_content_type",
        "identity_id",
        "creative_delivery_status",
        "product_impressions",
        "product_clicks",
        "product_click_rate",
        "ad_click_rate",
        "ad_conversion_rate",
        "ad_video_view_rate_2s",
        "ad_video_view_rate_6s",
        "ad_video_view_rate_p25",
        "ad_video_view_rate_p50",
        "ad_video_view_rate_p75",
        "ad_video_view_rate_p100",
        "live_name",
        "live_status",
        "live_launched_time",
        "live_duration",
        "live_views",
        "cost_per_live_view",
        "10_second_live_views",
        "cost_per_10_second_live_views",
        "live_follows",
        "all_shops_orders",
        "all_shops_gross_revenue",
        "all_shops_roi",
        "all_shops_cost_per_order",
    }
)
CONFLICT = "Conflict occurs. The input params including metrics and dimensions have no relation."
#: `filtering.campaign_statuses` (the SDK's enum, plus STATUS_ALL); deleted campaigns are
#: left out unless asked for, as on TikTok's other reports.
CAMPAIGN_STATUSES = frozenset(
    {"STATUS_DELIVERY_OK", "STATUS_DISABLE", "STATUS_NOT_DELIVERY", "STATUS_DELETE", "STATUS_ALL"}
)
PROMOTION_TYPES = frozenset({"PRODUCT", "LIVE"})
LISTING_TYPES = {"PRODUCT_GMV_MAX": "PRODUCT", "LIVE_GMV_MAX": "LIVE"}
#: Filters of products, creatives and live rooms: they need those dimensions.
ITEM_FILTERS = (
    "item_group_ids",
    "item_ids",
    "room_ids",
    "creative_types",
    "creative_delivery_statuses",
    "search_word",
)
LISTING_STATUSES = frozenset(
    {"STATUS_DELIVERY_OK", "STATUS_DISABLE", "STATUS_DELETE", "STATUS_ALL", "STATUS_NOT_DELETE"}
)


def _shop(call: Call, account: Account) -> AccountShop | None:
    return call.emulator.state.world.shop(account)


def store_list(call: Call) -> web.Response:
    account = call.advertiser()
    shop = _shop(call, account)
    stores = []
    if shop is not None:
        store = shop.store
        stores.append(
            {
                "store_id": store.id,
                "store_name": store.name,
                "store_code": store.code,
                "store_status": "ACTIVE",
                "is_gmv_max_available": True,
                "is_owner_bc": True,
                "store_authorized_bc_id": store.authorized_bc_id,
                "store_authorized_bc_info": {
                    "bc_id": store.authorized_bc_id,
                    "bc_name": f"{account.company} BC",
                    "bc_profile_image": "",
                    "user_role": "ADMIN",
                },
                "targeting_region_codes": [store.region],
                "thumbnail_url": f"https://example.invalid/shop/{store.id}.png",
                "exclusive_authorized_advertiser_info": {
                    "advertiser_id": account.id,
                    "advertiser_name": account.name,
                    "advertiser_status": "STATUS_ENABLE",
                },
            }
        )
    return call.ok({"store_list": stores})


def _campaign(account: Account, c: GmvMaxCampaign) -> dict[str, Any]:
    return {
        "advertiser_id": account.id,
        "campaign_id": c.id,
        "campaign_name": c.name,
        "objective_type": "PRODUCT_SALES",
        "operation_status": "DISABLE" if c.deleted else "ENABLE",
        "secondary_status": "CAMPAIGN_STATUS_DELETE" if c.deleted else "CAMPAIGN_STATUS_ENABLE",
        "store_id": c.store_id,
        "shopping_ads_type": c.promotion_type,
        "product_specific_type": "ALL" if c.promotion_type == "PRODUCT" else "UNSET",
        "optimization_goal": "VALUE",
        "deep_bid_type": "VO_MIN_ROAS",
        "roas_bid": c.roas_bid_hundredths / 100,
        "budget": money_number(c.budget, account.digits),
        "schedule_type": "SCHEDULE_FROM_NOW",
        "schedule_start_time": utc_text(c.create_time),
        "placements": ["PLACEMENT_TIKTOK"],
        "roi_protection_enabled": False,
        "create_time": utc_text(c.create_time),
        "modify_time": utc_text(c.modify_time),
    }


def campaign_get(call: Call) -> web.Response:
    account = call.advertiser()
    params = call.params
    filtering = params.json_object("filtering") or {}
    page, page_size = params.page(100)
    fields = params.string_list("fields")
    types = _enum_list(filtering, "gmv_max_promotion_types", LISTING_TYPES, 2)
    stores = set(_ids(filtering, "store_ids", 10))
    ids = set(_ids(filtering, "campaign_ids", 100))
    name = filtering.get("campaign_name")
    status = filtering.get("primary_status") or "STATUS_NOT_DELETE"
    if status not in LISTING_STATUSES:
        raise param_error(f"filtering.primary_status: Must be one of {sorted(LISTING_STATUSES)}.")
    shop = _shop(call, account)
    chosen = [
        c
        for c in (shop.campaigns if shop else ())
        if (not types or c.promotion_type in {LISTING_TYPES[t] for t in types})
        and (not stores or c.store_id in stores)
        and (not ids or c.id in ids)
        and (not isinstance(name, str) or name.lower() in c.name.lower())
        and _listed(c, status)
    ]
    chosen.sort(key=lambda c: c.id, reverse=True)  # newest first, as campaign/get
    rows = [_campaign(account, c) for c in chosen[(page - 1) * page_size : page * page_size]]
    if fields:
        rows = [{k: v for k, v in row.items() if k in fields} for row in rows]
    return call.ok({"list": rows, "page_info": page_info(page, page_size, len(chosen))})


def _listed(c: GmvMaxCampaign, status: str) -> bool:
    if status == "STATUS_ALL":
        return True
    if status == "STATUS_DELETE":
        return c.deleted
    if status == "STATUS_DISABLE":
        return False  # the sandbox pauses no GMV Max campaign
    return not c.deleted


def report_get(call: Call) -> web.Response:
    account = call.reporting_advertiser()
    params = call.params
    stores = params.string_list("store_ids", required=True, max_items=1)
    shop = _shop(call, account)
    if shop is None or stores[0] != shop.store.id:
        raise ApiError(
            NO_PERMISSION,
            f"Advertiser {account.id} has no permission to access TikTok Shop {stores[0]}.",
        )
    dims = params.string_list("dimensions", required=True, max_items=MAX_DIMENSIONS)
    unknown = [d for d in dims if d not in DIMENSIONS]
    if unknown:
        raise param_error(f"dimensions: Invalid dimension fields: {unknown}.")
    unserved = [d for d in dims if d not in SERVED_DIMENSIONS]
    if unserved:
        raise param_error(
            f"dimensions: {unserved} are not served by this sandbox (campaign-level reports only)."
        )
    metrics = params.string_list("metrics", required=True, max_items=MAX_METRICS)
    _check_metrics(metrics, dims)
    start = params.day("start_date", required=True)
    end = params.day("end_date", required=True)
    assert start is not None and end is not None
    if start > end:
        raise param_error("start_date must be earlier than or equal to end_date.")
    time_dim = "stat_time_day" if "stat_time_day" in dims else None
    span = (end - start).days + 1
    if span > MAX_SPAN[time_dim]:
        raise param_error(
            f"The time span between start_date and end_date must be at most "
            f"{MAX_SPAN[time_dim]} days; it is {span} days."
        )
    chosen = _filtered_campaigns(shop, params.json_object("filtering") or {})
    page, page_size = params.page(1000)
    world = call.emulator.state.world
    facts = world.gmv_max_rows(account, account.day_of(start), account.day_of(end))
    groups = _group(account, shop, dims, (r for r in facts if r.campaign_index in chosen))
    keys = sorted(groups)
    rows = [
        {
            "dimensions": dict(key),
            "metrics": _metrics(account, metrics, groups[key], shop, dict(key).get("campaign_id")),
        }
        for key in keys[(page - 1) * page_size : page * page_size]
    ]
    call.emulator.state.rows_served += len(rows)
    data: dict[str, Any] = {"list": rows, "page_info": page_info(page, page_size, len(keys))}
    if params.boolean("enable_total_metrics", False):
        data["total_metrics"] = _metrics(
            account, metrics, [r for rows_ in groups.values() for r in rows_], shop, None
        )
    return call.ok(data)


def _check_metrics(metrics: list[str], dims: list[str]) -> None:
    known = set(PERFORMANCE) | set(ATTRIBUTES) | OTHER_LEVELS
    invalid = [m for m in metrics if m not in known]
    if invalid:
        raise param_error(
            "Please correct the information in invalid metric fields and try again. "
            f"Invalid metric fields: {invalid}."
        )
    if any(m in OTHER_LEVELS for m in metrics) or (
        "campaign_id" not in dims and any(m in ATTRIBUTES for m in metrics)
    ):
        raise param_error(CONFLICT)


def _filtered_campaigns(shop: AccountShop, filtering: dict[str, Any]) -> set[int]:
    for name in ITEM_FILTERS:
        if filtering.get(name) not in (None, [], ""):
            raise param_error(f"filtering.{name}: needs an item, product or live room dimension.")
    ids = set(_ids(filtering, "campaign_ids", 100))
    statuses = set(_enum_list(filtering, "campaign_statuses", CAMPAIGN_STATUSES, 5))
    types = set(_enum_list(filtering, "gmv_max_promotion_types", PROMOTION_TYPES, 2))
    name = filtering.get("campaign_name")
    deleted_too = bool(statuses & {"STATUS_DELETE", "STATUS_ALL"})
    live_too = not statuses or bool(statuses - {"STATUS_DELETE"})
    return {
        c.index
        for c in shop.campaigns
        if (not ids or c.id in ids)
        and (not types or c.promotion_type in types)
        and (not isinstance(name, str) or name.lower() in c.name.lower())
        and (deleted_too if c.deleted else live_too)
    }


def _ids(filtering: dict[str, Any], name: str, limit: int) -> list[str]:
    return filtering_strings(filtering, name, limit) or []


def _enum_list(
    filtering: dict[str, Any], name: str, allowed: Iterable[str], limit: int
) -> list[str]:
    values = _ids(filtering, name, limit)
    bad = [v for v in values if v not in allowed]
    if bad:
        raise param_error(f"filtering.{name}: {bad} not in {sorted(allowed)}.")
    return values


def _group(
    account: Account, shop: AccountShop, dims: list[str], rows: Iterable[GmvMaxRow]
) -> dict[tuple[tuple[str, str], ...], list[GmvMaxRow]]:
    groups: dict[tuple[tuple[str, str], ...], list[GmvMaxRow]] = {}
    for row in rows:
        key = []
        for dim in dims:
            if dim == "advertiser_id":
                key.append((dim, account.id))
            elif dim == "campaign_id":
                key.append((dim, shop.campaigns[row.campaign_index].id))
            else:
                day = account.first_date + timedelta(days=row.day)
                key.append((dim, f"{day.isoformat()} 00:00:00"))
        groups.setdefault(tuple(key), []).append(row)
    return groups


def _metrics(
    account: Account,
    metrics: list[str],
    rows: list[GmvMaxRow],
    shop: AccountShop,
    campaign_id: str | None,
) -> dict[str, str]:
    digits = account.digits
    cost = sum(r.cost for r in rows)
    orders = sum(r.orders for r in rows)
    revenue = sum(r.gross_revenue for r in rows)
    campaign = next((c for c in shop.campaigns if c.id == campaign_id), None)
    values = {
        "cost": format_minor(cost, digits),
        "net_cost": format_minor(cost, digits),
        "orders": str(orders),
        "gross_revenue": format_minor(revenue, digits),
        "cost_per_order": format_minor(ratio_minor(cost, orders), digits) if orders else "0",
        "roi": str(Decimal(ratio_minor(revenue * 100, cost)) / 100) if cost else "0",
    }
    out = {}
    for name in metrics:
        if name in values:
            out[name] = values[name]
        elif campaign is None:
            out[name] = "-"
        else:
            out[name] = _attribute(account, campaign, name)
    return out


def _attribute(account: Account, c: GmvMaxCampaign, name: str) -> str:
    return {
        "campaign_id": c.id,
        "campaign_name": c.name,
        "operation_status": "DISABLE" if c.deleted else "ENABLE",
        "schedule_type": "SCHEDULE_FROM_NOW",
        "schedule_start_time": utc_text(c.create_time),
        "schedule_end_time": "-",
        "bid_type": "TARGET_ROI",
        "target_roi_budget": format_minor(c.budget, account.digits),
        "max_delivery_budget": "-",
        "roas_bid": str(Decimal(c.roas_bid_hundredths) / 100),
    }[name]
