"""`report/integrated/get/`: the synchronous report, for one advertiser (`advertiser_id`) or
up to five of one TikTok for Business user (`advertiser_ids`, BASIC and AUDIENCE reports).

With `advertiser_ids`, as TikTok documents it: every row's metrics carry `advertiser_id`,
`currency` and `timezone`; dates and hours stay each advertiser's own unless
`multi_adv_report_in_utc_time` is true, which buckets every advertiser's delivery by UTC
days and hours (start and end dates then UTC days too); report tasks take `advertiser_ids`
too, their CSV with the three columns added; money has no padding decimals ("100"
for 100.00, "5.5" for 5.50); without an ID dimension those three are "0" and cost metrics "-";
more than 20,000 ads together set `X-Tt-Ads-Throttle` (TikTok then returns the newest 20,000
across the advertisers, unevenly: a client must read them one by one).

`enable_total_metrics` adds `data.total_metrics`, the totals over every page (of the rows
served, so within the 20,000-ad limit), on BASIC reports whose dimensions are one ID
dimension and/or `stat_time_day` (TikTok ignores it otherwise): sums for counts, spend and
values, the other metrics from the sums, `"-"` for attributes; over several advertisers
(mixed currencies) the sums, `"-"` for everything else and for `advertiser_id`, `currency`,
`timezone`.
"""

from __future__ import annotations

from decimal import Decimal

from aiohttp import web

from ads_sandbox.tiktok.catalog import CATALOG
from ads_sandbox.tiktok.context import Call, refuse_reporting
from ads_sandbox.tiktok.envelope import NO_PERMISSION, ApiError, param_error
from ads_sandbox.tiktok.params import page_info
from ads_sandbox.tiktok.report_engine import ReportResult, throttle_message, unpadded
from ads_sandbox.tiktok.report_query import (
    AD_ID_V2,
    ID_DIMENSIONS,
    ReportQuery,
    parse_report_query,
)
from ads_sandbox.world import Account

MAX_ADVERTISERS = 5


def integrated_get(call: Call) -> web.Response:
    ids = call.params.string_list("advertiser_ids", max_items=MAX_ADVERTISERS)
    if ids:
        return _multi_advertiser(call, ids)
    account = call.reporting_advertiser()
    query = parse_report_query(call.params, asynchronous=False)
    page, page_size = call.params.page(1000)
    emulator = call.emulator
    result = emulator.reports.result(account, query, emulator.state.world.revision, truncate=True)
    rows = result.json_rows((page - 1) * page_size, page * page_size)
    emulator.state.rows_served += len(rows)
    headers = {"X-Tt-Ads-Throttle": result.throttle} if result.throttle else None
    data = {"list": rows, "page_info": page_info(page, page_size, len(result))}
    if _wants_totals(call, query):
        data["total_metrics"] = {name: str(value) for name, value in result.totals.items()}
    return call.ok(data, headers=headers)


def _wants_totals(call: Call, query: ReportQuery) -> bool:
    """`enable_total_metrics`, where TikTok serves it: BASIC, one ID dimension and/or the day."""
    if not call.params.boolean("enable_total_metrics", False) or query.report_type != "BASIC":
        return False
    dims = set(query.dimensions)
    return (
        bool(dims)
        and dims <= {*ID_DIMENSIONS, AD_ID_V2, "stat_time_day"}
        and len(dims & {*ID_DIMENSIONS, AD_ID_V2}) <= 1
    )


def money_metrics(query: ReportQuery) -> list[str]:
    """The query's money metrics, which TikTok writes unpadded for several advertisers."""
    return [m for m in query.metrics if CATALOG[m].value == "money"]


def advertiser_accounts(call: Call, ids: list[str]) -> list[Account]:
    """The advertisers of `advertiser_ids`; 40001 naming one the token cannot reach."""
    world = call.emulator.state.world
    accounts = []
    for advertiser_id in dict.fromkeys(ids):
        account = world.account(advertiser_id)
        if account is None:
            raise ApiError(
                NO_PERMISSION,
                f"Advertiser {advertiser_id} has not granted you permission for this resource.",
            )
        refuse_reporting(call.emulator.state.reporting_denied, account.id)
        accounts.append(account)
    return accounts


def _multi_advertiser(call: Call, ids: list[str]) -> web.Response:
    accounts = advertiser_accounts(call, ids)
    utc = call.params.boolean("multi_adv_report_in_utc_time", False)
    query = parse_report_query(call.params, asynchronous=False, utc=utc)
    if query.report_type not in ("BASIC", "AUDIENCE"):
        raise param_error("advertiser_ids: only BASIC and AUDIENCE reports take several.")
    page, page_size = call.params.page(1000)
    emulator = call.emulator
    revision = emulator.state.world.revision
    limit = emulator.reports.sync_ad_limit
    parts: list[tuple[Account, ReportResult]] = [
        (account, emulator.reports.result(account, query, revision, truncate=True))
        for account in accounts
    ]
    throttle = next((r.throttle for _, r in parts if r.throttle), None)
    if query.depth == 3 and sum(r.ad_count for _, r in parts) > limit:
        throttle = throttle_message(limit)
    start, stop = (page - 1) * page_size, page * page_size
    rows: list[dict] = []
    offset = 0
    money = money_metrics(query)
    for account, result in parts:
        if offset + len(result) > start and offset < stop:
            for row in result.json_rows(max(0, start - offset), stop - offset):
                metrics = row["metrics"]
                if query.has_id_dimension:
                    for name in money:
                        metrics[name] = unpadded(metrics[name])
                    extra = {
                        "advertiser_id": account.id,
                        "currency": account.currency,
                        "timezone": account.timezone,
                    }
                else:
                    metrics.update(dict.fromkeys(money, "-"))
                    extra = dict.fromkeys(("advertiser_id", "currency", "timezone"), "0")
                metrics.update(extra)
                rows.append(row)
        offset += len(result)
    emulator.state.rows_served += len(rows)
    headers = {"X-Tt-Ads-Throttle": throttle} if throttle else None
    data = {"list": rows, "page_info": page_info(page, page_size, offset)}
    if _wants_totals(call, query):
        data["total_metrics"] = _multi_totals(parts, money, query.has_id_dimension)
    return call.ok(data, headers=headers)


def _multi_totals(
    parts: list[tuple[Account, ReportResult]], money: list[str], has_id: bool
) -> dict[str, str]:
    """Totals over several advertisers: sums of the summable metrics, "-" for the rest."""
    first = parts[0][1].totals
    totals: dict[str, str] = {}
    for name in first:
        values = [result.totals[name] for _, result in parts]
        if any(isinstance(value, str) for value in values) or (name in money and not has_id):
            totals[name] = "-"
        else:
            total = str(sum(values, Decimal(0)))
            totals[name] = unpadded(total) if name in money else total
    totals.update(dict.fromkeys(("advertiser_id", "currency", "timezone"), "-"))
    return totals
