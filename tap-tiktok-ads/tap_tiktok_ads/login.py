"""`ads-login tiktok`: TikTok for Business's advertiser authorization. The advertiser approves
the app's permissions; the single-use auth code, with the app id and secret, gives a long-term
token (no expiry, no refresh token, no PKCE on this flow) and the advertisers it may read."""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import dataclass
from urllib.parse import urlencode

import click
import requests
from ads_kit.login.accounts_choice import Account
from ads_kit.login.authorize import LoginError, missing_scopes
from ads_kit.login.cli import (
    Authorizer,
    LoginOptions,
    login_options,
    read_secret,
    run_login,
    secret_env_option,
)

from tap_tiktok_ads.client import DEFAULT_API_URL, DEFAULT_API_VERSION, json_in_query

#: Permissions the tap's streams need: advertiser info, ads, audiences, reporting.
REQUIRED_PERMISSIONS = {
    1: "Ad Account Management",
    2: "Ads Management",
    3: "Audience Management",
    4: "Reporting",
}
INFO_BATCH = 100
TIMEOUT = 60


@dataclass
class TikTokLogin:
    app_id: str
    secret: str
    api_url: str = DEFAULT_API_URL
    oauth_url: str = DEFAULT_API_URL

    platform = "tiktok"
    extractor = "tap-tiktok-ads"
    accounts_setting = "advertiser_ids"
    credential_settings = ("access_token", "app_id", "secret")

    def secrets(self) -> list[str]:
        return [self.secret]

    def _api(self, path: str) -> str:
        return f"{self.api_url.rstrip('/')}/open_api/{DEFAULT_API_VERSION}/{path}"

    def _data(
        self, response: requests.Response, what: str, fix: str = "check the app id and secret"
    ) -> dict[str, t.Any]:
        try:
            body = response.json()
        except ValueError:
            raise LoginError(
                f"TikTok answered {what} with HTTP {response.status_code} and no JSON: check "
                "--api-url."
            ) from None
        if body.get("code") != 0:
            raise LoginError(
                f"TikTok refused {what} ({body.get('code')}: {body.get('message')}): {fix}."
            )
        return body.get("data") or {}

    def url_for(self, redirect_uri: str, state: str) -> str:
        query = urlencode({"app_id": self.app_id, "state": state, "redirect_uri": redirect_uri})
        return f"{self.oauth_url.rstrip('/')}/portal/auth?{query}"

    def sign_in(self, authorize: Authorizer) -> dict[str, t.Any]:
        params, _ = authorize(self.url_for)
        code = params.get("auth_code") or params.get("code")
        if not code:
            raise LoginError("TikTok's redirect carries no auth_code: run ads-login again.")
        response = requests.post(
            self._api("oauth2/access_token/"),
            json={"app_id": self.app_id, "secret": self.secret, "auth_code": code},
            timeout=TIMEOUT,
        )
        data = self._data(
            response,
            "the auth code",
            "check the app id and secret, and sign in again (a code works once, for a few minutes)",
        )
        missing = missing_scopes(REQUIRED_PERMISSIONS, data.get("scope") or [])
        if missing:
            names = ", ".join(f"{n} {REQUIRED_PERMISSIONS[n]}" for n in missing)
            raise LoginError(
                f"The authorization lacks permission(s) {names}: sign in again and approve "
                "them (or add them to the app in TikTok's developer portal)."
            )
        return {
            "platform": self.platform,
            "access_token": data["access_token"],
            "app_id": self.app_id,
            "secret": self.secret,
            "scope": data["scope"],
            "advertiser_ids": [str(a) for a in data.get("advertiser_ids") or []],
            "obtained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }

    def accounts(self, entry: dict[str, t.Any]) -> list[Account]:
        headers = {"Access-Token": entry["access_token"]}
        listed = (
            self._data(
                requests.get(
                    self._api("oauth2/advertiser/get/"),
                    params={"app_id": self.app_id, "secret": self.secret},
                    headers=headers,
                    timeout=TIMEOUT,
                ),
                "the advertiser list",
            ).get("list")
            or []
        )
        ids = [str(row["advertiser_id"]) for row in listed]
        info: dict[str, dict[str, t.Any]] = {}
        for start in range(0, len(ids), INFO_BATCH):
            rows = (
                self._data(
                    requests.get(
                        self._api("advertiser/info/"),
                        params=json_in_query(
                            {
                                "advertiser_ids": ids[start : start + INFO_BATCH],
                                "fields": ["advertiser_id", "name", "currency", "timezone"],
                            }
                        ),
                        headers=headers,
                        timeout=TIMEOUT,
                    ),
                    "the advertisers' details",
                ).get("list")
                or []
            )
            info.update({str(row["advertiser_id"]): row for row in rows})
        return [
            Account(
                advertiser_id,
                str(info.get(advertiser_id, {}).get("name") or row.get("advertiser_name") or ""),
                str(info.get(advertiser_id, {}).get("currency") or "?"),
                str(info.get(advertiser_id, {}).get("timezone") or "?"),
            )
            for advertiser_id, row in zip(ids, listed, strict=True)
        ]


@click.command("tiktok", help=__doc__)
@click.option("--app-id", envvar="TIKTOK_APP_ID", required=True, help="The app's id.")
@secret_env_option("--secret-env", "TIKTOK_APP_SECRET", "the app's secret")
@click.option("--api-url", default=DEFAULT_API_URL, show_default=True)
@click.option(
    "--oauth-url",
    default=DEFAULT_API_URL,
    show_default=True,
    help="Host of the authorization page (…/portal/auth).",
)
@login_options
def command(app_id: str, secret_env: str, api_url: str, oauth_url: str, **options: t.Any) -> None:
    secret = read_secret(secret_env, "App secret")
    run_login(TikTokLogin(app_id, secret, api_url, oauth_url), LoginOptions(**options))
