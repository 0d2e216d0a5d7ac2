"""`dmp/custom_audience/list/` and `dmp/custom_audience/get/`."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ads_sandbox.tiktok.context import Call
from ads_sandbox.tiktok.params import page_info
from ads_sandbox.tiktok.timefmt import utc_text
from ads_sandbox.tiktok.vocab import AUDIENCE_TYPE, LOCATION_IDS
from ads_sandbox.world.model import Account, Audience

_YEAR = 365 * 86_400


def _summary(a: Audience) -> dict[str, Any]:
    return {
        "audience_id": a.id,
        "name": a.name,
        "audience_type": AUDIENCE_TYPE[a.kind],
        "cover_num": a.size,
        "is_valid": True,
        "is_expiring": False,
        "expired_time": utc_text(a.create_time + _YEAR),
        "create_time": utc_text(a.create_time),
        "shared": False,
        "is_creator": True,
        "calculate_type": None,
    }


def _details(account: Account, a: Audience) -> dict[str, Any]:
    details = {
        **_summary(a),
        "audience_sub_type": "NORMAL",
        "audience_size": a.size,
        "owner_id": account.id,
        "rule": None,
        "msg": "",
    }
    if a.kind == "lookalike":
        details.update(
            source_audience_id=a.source_audience_id,
            location_ids=[LOCATION_IDS[account.profile.country]],
            placements=["PLACEMENT_TIKTOK"],
            mobile_os="ALL",
            is_auto_refresh=True,
            audience_enhancement="BALANCED",
            enhancement_status="SUCCESS",
            error_msg="",
        )
    return details


def _history(a: Audience, size: int) -> list[dict[str, Any]]:
    entries = [
        {
            "action": "CREATE",
            "action_detail": "Audience created",
            "editor": "Sandbox Admin",
            "opt_time": utc_text(a.create_time),
            "msg": "",
        }
    ]
    if a.modify_time > a.create_time:
        entries.append(
            {
                "action": "UPDATE",
                "action_detail": "Audience refreshed",
                "editor": "Sandbox Admin",
                "opt_time": utc_text(a.modify_time),
                "msg": "",
            }
        )
    return entries[::-1][:size]


def list_audiences(call: Call) -> web.Response:
    account = call.advertiser()
    wanted = set(call.params.string_list("custom_audience_ids", max_items=100))
    page, page_size = call.params.page(100)
    audiences = call.emulator.state.world.entities(account).audiences
    selected = sorted(
        (a for a in audiences if not wanted or a.id in wanted), key=lambda a: a.id, reverse=True
    )
    rows = [_summary(a) for a in selected[(page - 1) * page_size : page * page_size]]
    return call.ok({"list": rows, "page_info": page_info(page, page_size, len(selected))})


def get_audiences(call: Call) -> web.Response:
    account = call.advertiser()
    wanted = call.params.string_list("custom_audience_ids", required=True, max_items=100)
    history_size = call.params.integer("history_size", 100, 1, 100)
    by_id = {a.id: a for a in call.emulator.state.world.entities(account).audiences}
    rows = [
        {
            "audience_details": _details(account, by_id[i]),
            "audience_history": _history(by_id[i], history_size),
        }
        for i in wanted
        if i in by_id
    ]
    return call.ok({"list": rows})
