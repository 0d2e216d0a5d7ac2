"""The token refresh hook the taps call: the stored entry's access token, refreshed before it
expires (also in the middle of a long run) and written back to the store; a refresh the
platform refuses stops the run saying how to sign in again."""

from __future__ import annotations

import threading
import time
import typing as t
from collections.abc import Callable, Mapping

from ads_kit.errors import AuthenticationError
from ads_kit.login.store import StoreLocation, TokenStoreError, open_store, secret_values
from ads_kit.redaction import install_log_redaction

#: Refresh this long before the expiry, so no request leaves with a token about to die.
DEFAULT_MARGIN_SECONDS = 300.0


class RefreshRefused(Exception):
    """The platform refused the refresh; the message says why (e.g. invalid_grant)."""


#: refresh(entry) -> the entry's new fields: `access_token` and `expires_at` (epoch seconds).
Refresher = Callable[[Mapping[str, t.Any]], Mapping[str, t.Any]]


class StoredTokens:
    """One token store entry, shared by every thread of a run."""

    def __init__(
        self,
        location: StoreLocation,
        refresh: Refresher,
        *,
        login_hint: str,
        margin_seconds: float = DEFAULT_MARGIN_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.location = location
        self._store = open_store(location)
        self._refresh = refresh
        self._login_hint = login_hint
        self._margin = margin_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self.entry = self._store.load(location.name) or {}
        self.refreshes = 0
        install_log_redaction(secret_values(self.entry))

    def _expiring(self, entry: Mapping[str, t.Any]) -> bool:
        expires_at = entry.get("expires_at")
        return expires_at is not None and float(expires_at) - self._margin <= self._clock()

    def access_token(self, refused: str | None = None) -> str:
        """A token valid for at least the margin, refreshed (and saved) when needed; also
        when the platform `refused` the current one as expired before its time."""
        with self._lock:
            stale = refused is not None and refused == self.entry.get("access_token")
            if stale or not self.entry.get("access_token") or self._expiring(self.entry):
                self.entry = self._store.update(
                    self.location.name, lambda current: self._renewed(current, refused)
                )
            return str(self.entry["access_token"])

    def _renewed(
        self, current: dict[str, t.Any] | None, refused: str | None
    ) -> Mapping[str, t.Any]:
        if current is None:
            raise TokenStoreError(
                f"No tokens named {self.location.name!r} in the token store any more: sign in "
                f"again with `{self._login_hint}`."
            )
        token = current.get("access_token")
        if token and token != refused and not self._expiring(current):
            return current  # another process refreshed it meanwhile
        try:
            fields = self._refresh(current)
        except RefreshRefused as error:
            raise AuthenticationError(
                f"{error} Sign in again with `{self._login_hint}`; the state saved so far is "
                "resumable."
            ) from None
        install_log_redaction(secret_values(fields))
        self.refreshes += 1
        return {**current, **fields}
