"""`oauth2/access_token/`, `oauth2/advertiser/get/` and `advertiser/info/`."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ads_sandbox.oauth.consent_pages import TIKTOK_PERMISSIONS
from ads_sandbox.tiktok.context import Call
from ads_sandbox.tiktok.envelope import (
    ADVERTISER_NOT_FOUND,
    APP_MISMATCH,
    AUTH_CODE_INVALID,
    ApiError,
    param_error,
)
from ads_sandbox.tiktok.params import page_info
from ads_sandbox.tiktok.timefmt import money_number
from ads_sandbox.world import Account

ADVERTISER_FIELDS = (
    "advertiser_id",
    "name",
    "company",
    "status",
    "role",
    "currency",
    "timezone",
    "display_timezone",
    "country",
    "language",
    "industry",
    "balance",
    "create_time",
    "email",
    "contacter",
    "telephone_number",
    "cellphone_number",
    "address",
    "description",
    "license_no",
    "license_url",
    "promotion_area",
    "promotion_center_province",
    "promotion_center_city",
    "rejection_reason",
    "advertiser_account_type",
)


def _advertiser(account: Account) -> dict[str, Any]:
    n = account.index + 1
    return {
        "advertiser_id": account.id,
        "name": account.name,
        "company": account.company,
        "status": "STATUS_ENABLE",
        "role": "ROLE_ADVERTISER",
        "currency": account.currency,
        "timezone": account.timezone,
        "display_timezone": account.timezone,
        "country": account.profile.country,
        "language": account.profile.language,
        "industry": "290304",
        "balance": money_number(10_000 * n * 10**account.digits, account.digits),
        "create_time": account.create_time,
        "email": f"a***{n}@example.com",
        "contacter": "S***x",
        "telephone_number": "+1 555***0100",
        "cellphone_number": "+1 555***0101",
        "address": f"{n} Sandbox Street",
        "description": "Synthetic advertiser served by ads-sandbox",
        "license_no": "",
        "license_url": "",
        "promotion_area": "0",
        "promotion_center_province": None,
        "promotion_center_city": None,
        "rejection_reason": "",
        "advertiser_account_type": "AUCTION",
    }


#: Auth codes the sandbox accepts besides those its consent page issues, as if an advertiser
#: had just approved every permission of the app.
AUTH_CODE_PREFIX = "sandbox-auth-"


def access_token(call: Call) -> web.Response:
    """Exchange a single-use auth code for a long-term token (no expiry, no refresh token)
    reaching every advertiser, with the permissions the advertiser approved."""
    app_id = call.params.string("app_id", required=True) or ""
    call.params.string("secret", required=True)
    code = call.params.string("auth_code", required=True) or ""
    emulator = call.emulator
    grant = emulator.oauth.redeem("tiktok", code, app_id)
    if grant is not None:
        scopes = grant.scopes
    elif code.startswith(AUTH_CODE_PREFIX) and code not in emulator.used_auth_codes:
        emulator.used_auth_codes.add(code)
        scopes = tuple(TIKTOK_PERMISSIONS)
    else:
        raise ApiError(AUTH_CODE_INVALID, "The auth_code is invalid, expired or already used.")
    token = emulator.oauth.issue("tiktok", app_id, scopes, lifetime=None)
    accounts = emulator.state.world.accounts
    return call.ok(
        {
            "access_token": token,
            "advertiser_ids": [account.id for account in accounts],
            "scope": [int(scope) for scope in scopes],
        }
    )


def oauth_advertisers(call: Call) -> web.Response:
    """The token's advertisers; 40113 when `app_id` is not the app the token was issued to
    (the sandbox's own test token belongs to no exchange and is taken with any app)."""
    app_id = call.params.string("app_id", required=True)
    call.params.string("secret", required=True)
    issued = call.emulator.oauth.usable("tiktok", call.request.headers.get("Access-Token"))
    if issued is not None and issued.client_id != app_id:
        raise ApiError(APP_MISMATCH, "The app_id is inconsistent with the token's app information.")
    accounts = call.emulator.state.world.accounts
    return call.ok({"list": [{"advertiser_id": a.id, "advertiser_name": a.name} for a in accounts]})


#: The user the sandbox's tokens belong to (`user/info/`), as TikTok shows it: email masked.
TOKEN_USER = {
    "core_user_id": "7100000000000000001",
    "display_name": "Sandbox Agency",
    "email": "s***x@example.com",
    "avatar_url": "https://p16-sign-sg.tiktokcdn.com/avatar/sandbox-user.jpeg",
}


def user_info(call: Call) -> web.Response:
    """The token's user: many clients check a token with this call."""
    world = call.emulator.state.world
    created = min(account.create_time for account in world.accounts) - 86_400
    return call.ok({**TOKEN_USER, "create_time": created})


def business_centers(call: Call) -> web.Response:
    """`bc/get/`: the one Business Center owning every advertiser of the world."""
    page, page_size = call.params.page(50)
    accounts = call.emulator.state.world.accounts
    first = accounts[0]
    rows = [
        {
            "bc_info": {
                "bc_id": "7200000000000000001",
                "name": "Sandbox Agency BC",
                "company": first.company,
                "currency": first.currency,
                "registered_area": first.profile.country,
                "status": "ENABLE",
                "timezone": first.timezone,
                "type": "NORMAL",
            },
            "user_role": "ADMIN",
            "ext_user_role": {"finance_role": "MANAGER"},
        }
    ]
    return call.ok(
        {
            "list": rows[(page - 1) * page_size : page * page_size],
            "page_info": page_info(page, page_size, 1),
        }
    )


def advertiser_info(call: Call) -> web.Response:
    ids = call.params.string_list("advertiser_ids", required=True, max_items=100)
    fields = call.params.string_list("fields")
    unknown = [f for f in fields if f not in ADVERTISER_FIELDS]
    if unknown:
        raise param_error(f"fields: Invalid field(s): {unknown}.")
    world = call.emulator.state.world
    rows = []
    for advertiser_id in ids:
        account = world.account(advertiser_id)
        if account is None:
            raise ApiError(ADVERTISER_NOT_FOUND, f"Advertiser {advertiser_id} does not exist.")
        row = _advertiser(account)
        rows.append({f: row[f] for f in fields} if fields else row)
    return call.ok({"list": rows})
