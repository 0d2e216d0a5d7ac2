"""`ads-login google`: the installed-app authorization-code flow with PKCE (S256) and the
`adwords` scope, run by google-auth-oauthlib on a loopback redirect, giving a refresh token;
then the customers it reaches (ListAccessibleCustomers and the managers' clients)."""

from __future__ import annotations

import os
import typing as t
from dataclasses import dataclass
from urllib.parse import urlsplit

import click
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
from google.ads.googleads.errors import GoogleAdsException
from google_auth_oauthlib.flow import InstalledAppFlow
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from tap_google_ads.client import DEFAULT_API_URL, Connection
from tap_google_ads.credentials import TOKEN_URI, epoch
from tap_google_ads.fields import field_path, versions

ADWORDS_SCOPE = "https://www.googleapis.com/auth/adwords"
AUTH_URI = "https://accounts.google.com/o/oauth2/v2/auth"
#: What the account table shows of each customer: its own row, and managers' clients.
CUSTOMER_FIELDS = ("id", "descriptive_name", "currency_code", "time_zone", "manager")


@dataclass
class GoogleLogin:
    client_id: str
    client_secret: str
    #: Base of the authorization and token endpoints (the sandbox's `oauth` address); None
    #: for Google's own.
    oauth_url: str | None = None
    #: The developer token, stored with the OAuth tokens (it is a secret too).
    developer_token: str = ""
    api_url: str = DEFAULT_API_URL
    #: The PEM file the API's certificate is trusted through (the sandbox's `ca_cert`).
    ca_cert: str | None = None

    platform = "google"
    extractor = "tap-google-ads"
    accounts_setting = "customer_ids"
    credential_settings = ("client_id", "client_secret", "refresh_token", "developer_token")

    def secrets(self) -> list[str]:
        return [self.client_secret, self.developer_token]

    @property
    def endpoints(self) -> tuple[str, str]:
        if self.oauth_url is None:
            return AUTH_URI, TOKEN_URI
        base = self.oauth_url.rstrip("/")
        return f"{base}/o/oauth2/v2/auth", f"{base}/token"

    def _flow(self) -> InstalledAppFlow:
        auth_uri, token_uri = self.endpoints
        config = {
            "installed": {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "auth_uri": auth_uri,
                "token_uri": token_uri,
            }
        }
        return InstalledAppFlow.from_client_config(config, scopes=[ADWORDS_SCOPE])

    def sign_in(self, authorize: Authorizer) -> dict[str, t.Any]:
        token_uri = self.endpoints[1]
        # The scopes granted are checked below, with a message naming the missing one;
        # oauthlib would raise a bare Warning instead. Plain http is for a loopback sandbox.
        os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = "1"  # noqa: S105 - a flag
        if urlsplit(token_uri).hostname in ("127.0.0.1", "localhost"):
            os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
        flow = self._flow()
        try:
            if authorize.no_browser:
                flow.redirect_uri = f"http://127.0.0.1:{authorize.port or 8080}/"
                url, _ = flow.authorization_url(access_type="offline", prompt="consent")
                authorize.say(f"Open this URL in a browser and approve the access:\n\n  {url}\n")
                pasted = authorize.ask("Then paste the address the browser was sent to: ")
                # oauthlib wants https; the loopback redirect is plain http (RFC 8252).
                response = pasted.strip().replace("http://", "https://", 1)
                flow.fetch_token(authorization_response=response)
            else:
                flow.run_local_server(
                    host="127.0.0.1",
                    port=authorize.port,
                    timeout_seconds=authorize.wait,
                    authorization_prompt_message="Opening the sign-in page; if no browser "
                    "opens, visit:\n\n  {url}\n",
                    access_type="offline",
                    prompt="consent",
                )
        except OAuth2Error as error:
            detail = f"{error.error}: {error.description}" if error.description else error.error
            raise LoginError(
                f"Google refused the sign-in ({detail}): run ads-login again."
            ) from None
        credentials = flow.credentials
        missing = missing_scopes([ADWORDS_SCOPE], credentials.granted_scopes or [])
        if missing:
            raise LoginError(
                f"The sign-in did not grant {', '.join(missing)}: sign in again and allow "
                "access to Google Ads."
            )
        if not credentials.refresh_token:
            raise LoginError(
                "Google sent no refresh token: remove the app's access at "
                "myaccount.google.com/permissions and sign in again."
            )
        return {
            "platform": self.platform,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": credentials.refresh_token,
            "access_token": credentials.token,
            "expires_at": epoch(credentials.expiry),
            "token_uri": token_uri,
            "scope": list(credentials.granted_scopes or []),
            "developer_token": self.developer_token,
        }

    def accounts(self, entry: dict[str, t.Any]) -> list[Account]:
        """ListAccessibleCustomers, then each manager's clients (managers are not listed:
        their clients are what the tap reads)."""
        connection = Connection(
            {
                **entry,
                "api_url": self.api_url,
                "oauth_url": entry["token_uri"],
                "ca_cert_path": self.ca_cert,
            }
        )
        version = versions()[0]

        def rows(resource: str, customer: str, login: str | None) -> list[dict[str, t.Any]]:
            names = [f"{resource}.{name}" for name in CUSTOMER_FIELDS]
            readers = {n.split(".")[1]: field_path(version, n).reader() for n in names}  # type: ignore[union-attr]
            query = f"SELECT {', '.join(names)} FROM {resource}"  # noqa: S608 - GAQL
            found = connection.search(version, customer, query, login)
            return [{key: read(row) for key, read in readers.items()} for row in found]

        accounts: dict[str, Account] = {}
        try:
            for top in connection.accessible_customers(version):
                listed = rows("customer", top, None)
                if listed and listed[0]["manager"]:
                    listed = [c for c in rows("customer_client", top, top) if not c["manager"]]
                for customer in listed:
                    key = str(customer["id"])
                    accounts.setdefault(
                        key,
                        Account(
                            key,
                            str(customer["descriptive_name"] or ""),
                            str(customer["currency_code"] or "?"),
                            str(customer["time_zone"] or "?"),
                        ),
                    )
        except GoogleAdsException as error:
            first = error.failure.errors[0].message if error.failure.errors else str(error)
            raise LoginError(
                f"Google Ads refused listing the accounts ({first}): check the developer token."
            ) from None
        return list(accounts.values())


@click.command("google", help=__doc__)
@click.option("--client-id", envvar="GOOGLE_ADS_CLIENT_ID", required=True, help="OAuth client id.")
@secret_env_option("--secret-env", "GOOGLE_ADS_CLIENT_SECRET", "the OAuth client secret")
@secret_env_option("--developer-token-env", "GOOGLE_ADS_DEVELOPER_TOKEN", "the developer token")
@click.option(
    "--oauth-url", help="Base of the authorization and token endpoints (default Google's)."
)
@click.option("--api-url", default=DEFAULT_API_URL, show_default=True)
@click.option("--ca-cert", help="PEM file the API's certificate is trusted through.")
@login_options
def command(
    client_id: str,
    secret_env: str,
    developer_token_env: str,
    oauth_url: str | None,
    api_url: str,
    ca_cert: str | None,
    **options: t.Any,
) -> None:
    secret = read_secret(secret_env, "Client secret")
    developer = read_secret(developer_token_env, "Developer token")
    login = GoogleLogin(client_id, secret, oauth_url, developer, api_url, ca_cert)
    run_login(login, LoginOptions(**options))
