"""The sign-in emulator's aiohttp application."""

from __future__ import annotations

from aiohttp import web

from ads_sandbox.oauth.consent_pages import add_consent_routes
from ads_sandbox.oauth.grants import OAuthState


def build_app(oauth: OAuthState) -> web.Application:
    app = web.Application()
    add_consent_routes(app, oauth)
    return app
