"""Google's sign-in: the installed-app authorization-code flow with PKCE (S256) and the
`adwords` scope, run by google-auth-oauthlib on a loopback redirect, giving a refresh token;
and the refresh the tap's runs call. Refresh tokens of apps whose consent screen is still in
Testing die after seven days: the `invalid_grant` that follows is named as such."""

from __future__ import annotations

import datetime as dt
import os
import typing as t
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from ads_kit.login.authorize import LoginError, missing_scopes
from ads_kit.login.cli import Authorizer
from ads_kit.login.refresh import RefreshRefused
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import InstalledAppFlow
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

ADWORDS_SCOPE = "https://www.googleapis.com/auth/adwords"
AUTH_URI = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 - a URL
TESTING_APP_HINT = (
    "If the app's OAuth consent screen is External and in Testing, Google ends its refresh "
    "tokens after seven days: publish the app (In production) to keep them."
)


def _epoch(expiry: dt.datetime | None) -> float | None:
    """google-auth's expiry is a naive UTC datetime."""
    return None if expiry is None else expiry.replace(tzinfo=dt.UTC).timestamp()


@dataclass
class GoogleLogin:
    client_id: str
    client_secret: str
    #: Base of the authorization and token endpoints (the sandbox's `{oauth}/google`); None
    #: for Google's own.
    oauth_url: str | None = None

    platform = "google"
    extractor = "tap-google-ads"
    accounts_setting = "customer_ids"
    credential_settings = ("client_id", "client_secret", "refresh_token")

    def secrets(self) -> list[str]:
        return [self.client_secret]

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
            "expires_at": _epoch(credentials.expiry),
            "token_uri": token_uri,
            "scope": list(credentials.granted_scopes or []),
        }


def refresh(entry: Mapping[str, t.Any]) -> dict[str, t.Any]:
    """A new access token from the stored refresh token (the `StoredTokens` refresher)."""
    credentials = Credentials(
        None,
        refresh_token=entry["refresh_token"],
        client_id=entry["client_id"],
        client_secret=entry["client_secret"],
        token_uri=entry.get("token_uri") or TOKEN_URI,
    )
    try:
        credentials.refresh(Request())
    except RefreshError as error:
        if "invalid_grant" in str(error):
            raise RefreshRefused(
                f"Google refused the stored refresh token (invalid_grant: it has expired or "
                f"been revoked). {TESTING_APP_HINT}"
            ) from None
        raise RefreshRefused(f"Google refused the refresh ({error}).") from None
    return {"access_token": credentials.token, "expires_at": _epoch(credentials.expiry)}
