"""The sign-in emulator's aiohttp application."""

from __future__ import annotations

import orjson
from aiohttp import web

from ads_sandbox.oauth.consent_pages import add_consent_routes
from ads_sandbox.oauth.google import add_google_routes
from ads_sandbox.oauth.grants import OAuthState


def build_app(oauth: OAuthState, default_refresh_token: str) -> web.Application:
    app = web.Application()
    add_consent_routes(app, oauth)
    add_google_routes(app, oauth, default_refresh_token)

    async def clock(request: web.Request) -> web.Response:
        """`{"advance_seconds": N}`: time passes for codes and tokens (a week in a test)."""
        body = orjson.loads(await request.read() or b"{}")
        oauth.clock_offset += float(body.get("advance_seconds", 0))
        return web.json_response({"clock_offset": oauth.clock_offset})

    app.router.add_post("/_sandbox/oauth/clock", clock)
    return app
