"""`report/integrated/get/`: the synchronous report."""

from __future__ import annotations

from aiohttp import web

from ads_sandbox.tiktok.context import Call
from ads_sandbox.tiktok.params import page_info
from ads_sandbox.tiktok.report_query import parse_report_query


def integrated_get(call: Call) -> web.Response:
    account = call.advertiser()
    query = parse_report_query(call.params, asynchronous=False)
    page, page_size = call.params.page(1000)
    emulator = call.emulator
    result = emulator.reports.result(account, query, emulator.state.world.revision, truncate=True)
    rows = result.json_rows((page - 1) * page_size, page * page_size)
    emulator.state.rows_served += len(rows)
    headers = {"X-Tt-Ads-Throttle": result.throttle} if result.throttle else None
    return call.ok(
        {"list": rows, "page_info": page_info(page, page_size, len(result))}, headers=headers
    )
