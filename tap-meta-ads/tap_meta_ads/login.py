"""Meta's sign-in: Facebook Login's code flow with the app secret (a PKCE challenge is sent
too, which the dialog accepts), the exchange for a long-lived token (about 60 days), and
`debug_token` for its scopes and expiry. A Business Manager system user's token is the
no-expiry alternative: it is checked the same way and stored without a browser."""

from __future__ import annotations

import os
import time
import typing as t
from dataclasses import dataclass, field
from urllib.parse import urlencode

import click
import requests
from ads_kit.login.accounts_choice import Account
from ads_kit.login.authorize import LoginError, missing_scopes, pkce_pair
from ads_kit.login.cli import (
    Authorizer,
    LoginOptions,
    login_options,
    read_secret,
    run_login,
    secret_env_option,
)
from ads_kit.login.setting import WARN_DAYS
from facebook_business import apiconfig

from tap_meta_ads.client import DEFAULT_API_URL as GRAPH_URL

DIALOG_URL = "https://www.facebook.com"
API_VERSION = apiconfig.ads_api_config["API_VERSION"]
PAGE_SIZE = 100
REQUIRED_SCOPES = ("ads_read",)
#: Needed for ad accounts a Business Manager owns; asked for, and named when refused.
BUSINESS_SCOPE = "business_management"
TIMEOUT = 60


@dataclass
class MetaLogin:
    app_id: str
    app_secret: str
    graph_url: str = GRAPH_URL
    oauth_url: str = DIALOG_URL
    api_version: str = API_VERSION
    #: A system user's token to check and store instead of signing in through the dialog.
    system_user_token: str | None = None
    _verifier: str = field(default="", repr=False)

    platform = "meta"
    extractor = "tap-meta-ads"
    accounts_setting = "ad_accounts"
    credential_settings = ("access_token", "app_id", "app_secret")

    def secrets(self) -> list[str]:
        return [self.app_secret, self.system_user_token or ""]

    def _graph(self, path: str, **params: str) -> dict[str, t.Any]:
        response = requests.get(
            f"{self.graph_url.rstrip('/')}/{self.api_version}/{path}",
            params=params,
            timeout=TIMEOUT,
        )
        try:
            body = response.json()
        except ValueError:
            raise LoginError(
                f"Meta answered {path} with HTTP {response.status_code} and no JSON: check "
                "--graph-url."
            ) from None
        error = body.get("error") if isinstance(body, dict) else None
        if error:
            raise LoginError(
                f"Meta refused {path} (#{error.get('code')}: {error.get('message')}): check the "
                "app id and secret, then run ads-login again."
            )
        return body

    def url_for(self, redirect_uri: str, state: str) -> str:
        self._verifier, challenge = pkce_pair()
        query = {
            "client_id": self.app_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "response_type": "code",
            "scope": ",".join((*REQUIRED_SCOPES, BUSINESS_SCOPE)),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{self.oauth_url.rstrip('/')}/{self.api_version}/dialog/oauth?{urlencode(query)}"

    def _user_token(self, authorize: Authorizer) -> str:
        params, redirect_uri = authorize(self.url_for)
        if not params.get("code"):
            raise LoginError("Meta's redirect carries no code: run ads-login again.")
        short = self._graph(
            "oauth/access_token",
            client_id=self.app_id,
            client_secret=self.app_secret,
            redirect_uri=redirect_uri,
            code=params["code"],
            code_verifier=self._verifier,
        )["access_token"]
        return self._graph(
            "oauth/access_token",
            grant_type="fb_exchange_token",
            client_id=self.app_id,
            client_secret=self.app_secret,
            fb_exchange_token=short,
        )["access_token"]

    def sign_in(self, authorize: Authorizer) -> dict[str, t.Any]:
        token = self.system_user_token or self._user_token(authorize)
        info = (
            self._graph(
                "debug_token", input_token=token, access_token=f"{self.app_id}|{self.app_secret}"
            ).get("data")
            or {}
        )
        if not info.get("is_valid"):
            reason = (info.get("error") or {}).get("message") or "not valid"
            raise LoginError(f"Meta says the token is {reason.rstrip('.')}: sign in again.")
        if str(info.get("app_id")) != self.app_id:
            raise LoginError(f"The token belongs to app {info.get('app_id')}, not {self.app_id}.")
        scopes = list(info.get("scopes") or [])
        missing = missing_scopes(REQUIRED_SCOPES, scopes)
        if missing:
            raise LoginError(
                f"The token lacks the permission(s) {', '.join(missing)}: sign in again and "
                "allow them (or give the system user those permissions)."
            )
        if BUSINESS_SCOPE not in scopes:
            authorize.say(
                f"Warning: {BUSINESS_SCOPE} was not granted: ad accounts a Business Manager owns "
                "cannot be read with this token."
            )
        expires_at = int(info.get("expires_at") or 0) or None
        if expires_at is not None and expires_at - time.time() <= WARN_DAYS * 86400:
            authorize.say("Warning: this token expires within a week; sign in again soon.")
        return {
            "platform": self.platform,
            "access_token": token,
            "app_id": self.app_id,
            "app_secret": self.app_secret,
            "token_type": info.get("type"),
            "expires_at": expires_at,
            "scope": scopes,
        }

    def accounts(self, entry: dict[str, t.Any]) -> list[Account]:
        """`me/adaccounts`, every page."""
        found: list[Account] = []
        params = {
            "fields": "account_id,name,currency,timezone_name",
            "limit": str(PAGE_SIZE),
            "access_token": entry["access_token"],
        }
        path: str | None = "me/adaccounts"
        while path:
            body = self._graph(path, **params)
            found += [
                Account(
                    str(node["id"]),
                    str(node.get("name") or ""),
                    str(node.get("currency") or "?"),
                    str(node.get("timezone_name") or "?"),
                )
                for node in body.get("data") or []
            ]
            after = ((body.get("paging") or {}).get("cursors") or {}).get("after")
            path = "me/adaccounts" if after and (body.get("paging") or {}).get("next") else None
            params["after"] = after or ""
        return found


@click.command("meta", help=__doc__)
@click.option("--app-id", envvar="META_APP_ID", required=True, help="The app's id.")
@secret_env_option("--secret-env", "META_APP_SECRET", "the app's secret")
@click.option(
    "--system-user-token-env",
    help="Environment variable holding a system user's token: checked and stored instead of "
    "signing in through the browser.",
)
@click.option("--graph-url", default=GRAPH_URL, show_default=True)
@click.option("--oauth-url", default=DIALOG_URL, show_default=True, help="Host of the dialog.")
@click.option("--api-version", default=API_VERSION, show_default=True)
@login_options
def command(
    app_id: str,
    secret_env: str,
    system_user_token_env: str | None,
    graph_url: str,
    oauth_url: str,
    api_version: str,
    **options: t.Any,
) -> None:
    secret = read_secret(secret_env, "App secret")
    system_user = os.environ.get(system_user_token_env) if system_user_token_env else None
    if system_user_token_env and not system_user:
        raise click.ClickException(f"The environment variable {system_user_token_env} is not set.")
    login = MetaLogin(app_id, secret, graph_url, oauth_url, api_version, system_user)
    run_login(login, LoginOptions(**options))
