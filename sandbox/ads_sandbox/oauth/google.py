"""Google's token endpoint (`oauth2.googleapis.com/token`, here `POST /token`) and revocation
(`/revoke`): the code exchange with PKCE enforced when the authorization carried a challenge,
refresh, and the errors google-auth turns into `RefreshError` (refresh tokens of apps in
testing mode expire after seven days; revoked ones are refused alike). The Google Ads
emulator checks the access tokens issued here (`GoogleAccessTokens`)."""

from __future__ import annotations

import base64
from urllib.parse import unquote_plus

from aiohttp import web
from multidict import MultiDictProxy

from ads_sandbox.oauth.grants import OAuthState, pkce_matches

ADWORDS_SCOPE = "https://www.googleapis.com/auth/adwords"
EXPIRED_OR_REVOKED = "Token has been expired or revoked."
#: Refresh tokens of apps whose consent screen is External and in Testing.
TESTING_APP_REFRESH_SECONDS = 7 * 24 * 3600


def _error(error: str, description: str, status: int = 400) -> web.Response:
    return web.json_response({"error": error, "error_description": description}, status=status)


def _token_response(oauth: OAuthState, client_id: str, scopes: tuple[str, ...], refresh: str):
    access = oauth.issue(
        "google", client_id, scopes, oauth.token_lifetime, refresh_token=refresh, prefix="ya29."
    )
    return {
        "access_token": access,
        "expires_in": int(oauth.token_lifetime),
        "scope": " ".join(scopes),
        "token_type": "Bearer",
    }


def _exchange_code(oauth: OAuthState, form: MultiDictProxy, client_id: str) -> web.Response:
    code = form.get("code", "")
    grant = oauth.grants.get(code)
    if grant is not None and grant.consent.challenge and not form.get("code_verifier"):
        return _error("invalid_request", "code_verifier is missing.")
    if grant is not None and grant.consent.redirect_uri != form.get("redirect_uri"):
        return _error("redirect_uri_mismatch", "Bad Request")
    grant = oauth.redeem("google", code, client_id)
    if grant is None:
        return _error("invalid_grant", "Malformed auth code.")
    consent = grant.consent
    if consent.challenge and not pkce_matches(
        str(form.get("code_verifier")), consent.challenge, consent.challenge_method
    ):
        return _error("invalid_grant", "Invalid code verifier.")
    refresh = oauth.issue_refresh(client_id, grant.scopes)
    body = _token_response(oauth, client_id, grant.scopes, refresh)
    return web.json_response({**body, "refresh_token": refresh})


def _refresh(
    oauth: OAuthState, form: MultiDictProxy, client_id: str, default_refresh_token: str
) -> web.Response:
    value = str(form.get("refresh_token", ""))
    if not value:
        return _error("invalid_request", "Missing required parameter: refresh_token")
    if value == default_refresh_token:
        return web.json_response(_token_response(oauth, client_id, (ADWORDS_SCOPE,), value))
    refresh = oauth.refresh_usable(value)
    if refresh is None or refresh.client_id != client_id:
        return _error("invalid_grant", EXPIRED_OR_REVOKED)
    return web.json_response(_token_response(oauth, client_id, refresh.scopes, value))


def _basic_credentials(request: web.Request) -> tuple[str, str] | None:
    """Client id and secret from HTTP Basic authentication (RFC 6749 2.3.1), which
    requests-oauthlib sends and Google accepts besides form fields."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None
    return unquote_plus(client_id), unquote_plus(secret)


class GoogleAccessTokens:
    """What the Google Ads emulator asks about a bearer token."""

    def __init__(self, oauth: OAuthState) -> None:
        self.oauth = oauth

    def state(self, value: str) -> str:
        """ "valid", "expired" or "invalid" (unknown or revoked)."""
        token = self.oauth.token("google", value)
        if token is None or token.revoked:
            return "invalid"
        return "valid" if self.oauth.usable("google", value) else "expired"

    def expire(self, value: str) -> None:
        """The token_expiry fault: the token dies now."""
        token = self.oauth.token("google", value)
        if token is not None:
            token.expires_at = self.oauth.now()


def add_google_routes(app: web.Application, oauth: OAuthState, default_refresh_token: str) -> None:
    """`default_refresh_token` works for any client, without a sign-in (DESIGN's default)."""

    async def token(request: web.Request) -> web.Response:
        form = await request.post()
        client_id, secret = _basic_credentials(request) or (
            str(form.get("client_id", "")),
            str(form.get("client_secret", "")),
        )
        if not client_id:
            return _error("invalid_request", "Could not determine client ID from request.")
        if not secret:
            return _error("invalid_client", "client_secret is missing.", status=401)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return _exchange_code(oauth, form, client_id)
        if grant_type == "refresh_token":
            return _refresh(oauth, form, client_id, default_refresh_token)
        return _error("unsupported_grant_type", f"Invalid grant_type: {grant_type}")

    async def revoke(request: web.Request) -> web.Response:
        form = await request.post()
        value = str(request.query.get("token") or form.get("token") or "")
        if not oauth.revoke(value):
            return _error("invalid_token", "Token expired or revoked")
        return web.json_response({})

    app.router.add_post("/token", token)
    app.router.add_post("/revoke", revoke)
