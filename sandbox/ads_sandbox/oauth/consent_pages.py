"""The platforms' authorization dialogs: a consent page listing the access asked for, whose
answer (all of it, part of it, or a denial) redirects to the client with a single-use code."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NoReturn
from urllib.parse import urlencode, urlsplit

from aiohttp import web

from ads_sandbox.oauth.grants import Consent, OAuthState

#: TikTok's numeric permission tree, of which the sandbox app was given the first four.
TIKTOK_PERMISSIONS = {
    "1": "Ad Account Management",
    "2": "Ads Management",
    "3": "Audience Management",
    "4": "Reporting",
}


@dataclass(frozen=True)
class Dialog:
    platform: str
    client_param: str
    #: The query parameter naming the scopes, or None where the app's setup fixes them.
    scope_param: str | None
    scope_separator: str = ","
    #: The permissions asked for when the app's setup fixes them.
    app_scopes: tuple[str, ...] = ()
    #: Names the code is sent under in the redirect.
    code_params: tuple[str, ...] = ("code",)
    #: Whether the dialog takes `code_challenge` (TikTok's Marketing API flow has no PKCE).
    pkce: bool = True
    #: Extra parameters a denial carries besides `error=access_denied`.
    denial: tuple[tuple[str, str], ...] = ()


TIKTOK = Dialog(
    "tiktok",
    "app_id",
    None,
    app_scopes=tuple(TIKTOK_PERMISSIONS),
    code_params=("auth_code", "code"),
    pkce=False,
)
GOOGLE = Dialog("google", "client_id", "scope", " ")
META = Dialog(
    "meta",
    "client_id",
    "scope",
    ",",
    denial=(
        ("error_code", "200"),
        ("error_description", "Permissions error"),
        ("error_reason", "user_denied"),
    ),
)


def _page(title: str, body: str, status: int = 200) -> web.Response:
    return web.Response(
        status=status,
        text=f"<!doctype html><title>{html.escape(title)}</title>{body}",
        content_type="text/html",
    )


def _bad_request(message: str) -> web.Response:
    return _page("Error", f'<p class="error">{html.escape(message)}</p>', status=400)


def _loopback_or_https(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "https" or (
        parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")
    )


def _redirect(uri: str, params: Mapping[str, str]) -> NoReturn:
    separator = "&" if urlsplit(uri).query else "?"
    raise web.HTTPFound(f"{uri}{separator}{urlencode(params)}")


def add_consent_routes(app: web.Application, oauth: OAuthState) -> None:
    dialogs: dict[str, Dialog] = {}

    def dialog_handler(dialog: Dialog):
        async def show(request: web.Request) -> web.Response:
            query = request.query
            client_id = query.get(dialog.client_param, "")
            redirect_uri = query.get("redirect_uri", "")
            if not client_id:
                return _bad_request(f"Missing required parameter: {dialog.client_param}")
            if not redirect_uri or not _loopback_or_https(redirect_uri):
                return _bad_request("Invalid parameter: redirect_uri")
            if query.get("response_type", "code") != "code":
                return _bad_request("Unsupported response_type")
            if dialog.scope_param is None:
                scopes = dialog.app_scopes
            else:
                scopes = tuple(
                    s for s in query.get(dialog.scope_param, "").split(dialog.scope_separator) if s
                )
                if not scopes:
                    return _bad_request(f"Missing required parameter: {dialog.scope_param}")
            challenge = query.get("code_challenge") if dialog.pkce else None
            method = query.get("code_challenge_method") or ("plain" if challenge else None)
            if challenge and method not in ("S256", "plain"):
                return _bad_request("Invalid code_challenge_method")
            request_id = oauth.ask(
                Consent(
                    dialog.platform,
                    client_id,
                    redirect_uri,
                    query.get("state"),
                    scopes,
                    challenge,
                    method,
                )
            )
            dialogs[request_id] = dialog
            boxes = "".join(
                f'<label><input type="checkbox" name="scope" value="{html.escape(s)}" checked> '
                f"{html.escape(TIKTOK_PERMISSIONS.get(s, s))}</label><br>"
                for s in scopes
            )
            return _page(
                "Sign in",
                f"<p>{html.escape(dialog.platform)} app {html.escape(client_id)} asks for:</p>"
                f'<form method="post" action="/consent">'
                f'<input type="hidden" name="request" value="{request_id}">{boxes}'
                '<button name="decision" value="allow">Allow</button> '
                '<button name="decision" value="deny">Deny</button></form>',
            )

        return show

    async def answer(request: web.Request) -> web.Response:
        form = await request.post()
        request_id = str(form.get("request", ""))
        dialog = dialogs.pop(request_id, None)
        if dialog is None:
            return _bad_request("This consent request is unknown or was already answered.")
        if form.get("decision") != "allow":
            consent = oauth.deny(request_id)
            assert consent is not None
            params = {"error": "access_denied", **dict(dialog.denial)}
        else:
            scopes = tuple(str(value) for value in form.getall("scope", []))
            answered = oauth.answer(request_id, scopes)
            assert answered is not None
            consent, code = answered
            params = dict.fromkeys(dialog.code_params, code)
            if dialog.platform == "google":
                params["scope"] = " ".join(oauth.grants[code].scopes)
        if consent.state is not None:
            params["state"] = consent.state
        _redirect(consent.redirect_uri, params)

    app.router.add_get("/tiktok/portal/auth", dialog_handler(TIKTOK))
    app.router.add_get("/o/oauth2/v2/auth", dialog_handler(GOOGLE))
    app.router.add_get(r"/meta/{version:v\d+\.\d+}/dialog/oauth", dialog_handler(META))
    app.router.add_post("/consent", answer)
