"""Meta's token endpoints, served by the Graph API emulator as Graph serves them: the code
exchange of Facebook Login (app secret, the dialog's exact redirect_uri, the code_verifier
when the dialog took a challenge), the exchange for a long-lived token, and `debug_token`
with scopes and expiry. The dialog itself is the sign-in emulator's."""

from __future__ import annotations

import secrets

from aiohttp import web

from ads_sandbox.oauth.grants import OAuthState, pkce_matches

#: About sixty days, as Meta's long-lived user tokens.
LONG_LIVED_SECONDS = 5_184_000


def _oauth_error(message: str, code: int, subcode: int | None = None) -> web.Response:
    error: dict[str, object] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": secrets.token_urlsafe(8),
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return web.json_response({"error": error}, status=400)


def _token(oauth: OAuthState, app_id: str, scopes: tuple[str, ...], lifetime: float | None):
    value = oauth.issue("meta", app_id, scopes, lifetime, prefix="EAA")
    body: dict[str, object] = {"access_token": value, "token_type": "bearer"}
    if lifetime is not None:
        body["expires_in"] = int(lifetime)
    return web.json_response(body)


def add_meta_token_routes(app: web.Application, oauth: OAuthState) -> None:
    async def access_token(request: web.Request) -> web.Response:
        query = request.query
        app_id = query.get("client_id", "")
        if not app_id:
            return _oauth_error("Missing client_id parameter.", 101)
        if not query.get("client_secret"):
            return _oauth_error("Missing client_secret parameter.", 1)
        if query.get("grant_type") == "fb_exchange_token":
            short = oauth.usable("meta", query.get("fb_exchange_token"))
            if short is None or short.client_id != app_id:
                return _oauth_error("Error validating access token: Session has expired.", 190)
            return _token(oauth, app_id, short.scopes, LONG_LIVED_SECONDS)
        code = query.get("code", "")
        grant = oauth.grants.get(code)
        if grant is not None and grant.used:
            return _oauth_error("This authorization code has been used.", 100, 36009)
        if grant is not None and grant.consent.redirect_uri != query.get("redirect_uri"):
            return _oauth_error(
                "Error validating verification code. Please make sure your redirect_uri is "
                "identical to the one you used in the OAuth dialog request",
                100,
                36008,
            )
        grant = oauth.redeem("meta", code, app_id)
        if grant is None:
            return _oauth_error("Invalid verification code format.", 100)
        consent = grant.consent
        if consent.challenge and not pkce_matches(
            query.get("code_verifier", ""), consent.challenge, consent.challenge_method
        ):
            return _oauth_error("Invalid code verifier.", 100)
        return _token(oauth, app_id, grant.scopes, oauth.token_lifetime)

    async def debug_token(request: web.Request) -> web.Response:
        app_token = request.query.get("access_token", "")
        app_id, _, app_secret = app_token.partition("|")
        if not app_id or not app_secret:
            return _oauth_error("An access token is required to request this resource.", 104)
        token = oauth.token("meta", request.query.get("input_token"))
        if token is None:
            return web.json_response(
                {
                    "data": {
                        "error": {"code": 190, "message": "Invalid OAuth access token."},
                        "is_valid": False,
                        "scopes": [],
                    }
                }
            )
        return web.json_response(
            {
                "data": {
                    "app_id": token.client_id,
                    "type": token.kind,
                    "application": "ads-sandbox",
                    "expires_at": int(token.expires_at or 0),
                    "data_access_expires_at": int(token.issued_at + 90 * 86400),
                    "is_valid": oauth.usable("meta", request.query.get("input_token")) is not None,
                    "issued_at": int(token.issued_at),
                    "scopes": list(token.scopes),
                    "user_id": "10000000000001",
                }
            }
        )

    async def system_user_token(request: web.Request) -> web.Response:
        """A Business Manager system user's token that never expires (what an admin makes
        in Business Settings), for the app and scopes given."""
        body = await request.json()
        value = oauth.issue(
            "meta",
            str(body["app_id"]),
            tuple(body.get("scopes") or ("ads_read", "business_management")),
            None,
            kind="SYSTEM_USER",
            prefix="EAA",
        )
        return web.json_response({"access_token": value})

    version = r"{version:v\d+\.\d+}"
    app.router.add_get(f"/{version}/oauth/access_token", access_token)
    app.router.add_get(f"/{version}/debug_token", debug_token)
    app.router.add_post("/_sandbox/oauth/meta/system-user-token", system_user_token)
