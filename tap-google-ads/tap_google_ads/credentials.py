"""Credentials of a run that reads `token_store`: google-auth's refresh goes through the
token store, so a token renewed in the middle of a run is written back, and one another
process renewed is used as is. Refresh tokens of apps whose consent screen is still in
Testing die after seven days: the `invalid_grant` that follows is named as such."""

from __future__ import annotations

import datetime as dt
import logging
import typing as t
from collections.abc import Mapping

from ads_kit.login.refresh import RefreshRefused, StoredTokens
from ads_kit.login.store import StoreLocation
from google.auth import _helpers
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials

TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 - a URL
#: The tap's logger (the SDK names it after the tap).
LOGGER = logging.getLogger("tap-google-ads")
TESTING_APP_HINT = (
    "If the app's OAuth consent screen is External and in Testing, Google ends its refresh "
    "tokens after seven days: publish the app (In production) to keep them."
)


def epoch(expiry: dt.datetime | None) -> float | None:
    """google-auth's expiry is a naive UTC datetime."""
    return None if expiry is None else expiry.replace(tzinfo=dt.UTC).timestamp()


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
    return {"access_token": credentials.token, "expires_at": epoch(credentials.expiry)}


class StoreBackedCredentials(Credentials):
    """google-auth credentials refreshed through the token store entry of `token_store`."""

    def __init__(self, location: StoreLocation, scopes: list[str]) -> None:
        # The same margin as google-auth's own, so both agree on when a token is stale.
        margin = _helpers.REFRESH_THRESHOLD.total_seconds()
        self._tokens = StoredTokens(
            location, refresh, login_hint="ads-login google", margin_seconds=margin
        )
        entry = self._tokens.entry
        super().__init__(
            None,
            refresh_token=entry["refresh_token"],
            client_id=entry["client_id"],
            client_secret=entry["client_secret"],
            token_uri=entry.get("token_uri") or TOKEN_URI,
            scopes=scopes,
        )
        self._handed_out: str | None = None

    @property
    def refreshes(self) -> int:
        return self._tokens.refreshes

    def refresh(self, request: t.Any) -> None:
        # A token dropped after OAUTH_TOKEN_EXPIRED is renewed even if its clock says valid.
        refused = self._handed_out if self.token is None else None
        before = self._tokens.refreshes
        token = self._tokens.access_token(refused)
        expires_at = self._tokens.entry.get("expires_at")
        if self._tokens.refreshes != before:
            LOGGER.info(
                "Access token renewed, valid until %s UTC; written back to the token store %r.",
                dt.datetime.fromtimestamp(float(expires_at or 0), dt.UTC).strftime("%H:%M:%S"),
                self._tokens.location.name,
            )
        self.token = self._handed_out = token
        self.expiry = (
            dt.datetime.fromtimestamp(float(expires_at), dt.UTC).replace(tzinfo=None)
            if expires_at
            else None
        )
