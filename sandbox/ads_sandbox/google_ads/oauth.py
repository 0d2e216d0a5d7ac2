"""Google's OAuth 2.0 token endpoint (`POST /token`, the refresh-token grant) and the access
tokens it issues, which the gRPC emulator checks."""

from __future__ import annotations

import secrets
import time
from urllib.parse import parse_qs

import orjson
from aiohttp import web

SCOPE = "https://www.googleapis.com/auth/adwords"
TOKEN_PATH = "/token"  # noqa: S105 - a path, not a secret


class TokenStore:
    def __init__(self, refresh_token: str, lifetime_seconds: int = 3599) -> None:
        self.refresh_token = refresh_token
        self.lifetime = lifetime_seconds
        self._expiry: dict[str, float] = {}
        self.issued = 0

    def issue(self) -> tuple[str, int]:
        token = "ya29.sandbox-" + secrets.token_urlsafe(24)
        self._expiry[token] = time.monotonic() + self.lifetime
        self.issued += 1
        return token, self.lifetime

    def state(self, token: str) -> str:
        """ "valid", "expired" or "invalid"."""
        expiry = self._expiry.get(token)
        if expiry is None:
            return "invalid"
        return "valid" if time.monotonic() < expiry else "expired"

    def expire(self, token: str) -> None:
        if token in self._expiry:
            self._expiry[token] = 0.0


def _error(status: int, error: str, description: str) -> web.Response:
    body = orjson.dumps({"error": error, "error_description": description})
    return web.Response(status=status, body=body, content_type="application/json")


def add_token_route(app: web.Application, tokens: TokenStore) -> None:
    async def token(request: web.Request) -> web.Response:
        form = {k: v[0] for k, v in parse_qs((await request.read()).decode()).items()}
        if form.get("grant_type") != "refresh_token":
            return _error(400, "unsupported_grant_type", "Invalid grant_type.")
        if not form.get("client_id"):
            return _error(401, "invalid_client", "The OAuth client was not found.")
        if form.get("refresh_token") != tokens.refresh_token:
            return _error(400, "invalid_grant", "Token has been expired or revoked.")
        access, lifetime = tokens.issue()
        body = {
            "access_token": access,
            "expires_in": lifetime,
            "scope": SCOPE,
            "token_type": "Bearer",
        }
        return web.Response(body=orjson.dumps(body), content_type="application/json")

    app.router.add_post(TOKEN_PATH, token)
