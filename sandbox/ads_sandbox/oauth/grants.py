"""What the sign-in emulator remembers: pending consents, codes, tokens, refresh tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass

#: Real platforms give codes minutes; ten is the common figure.
CODE_SECONDS = 600.0


@dataclass
class Consent:
    """An authorization request waiting for the user's answer on the consent page."""

    platform: str
    client_id: str
    redirect_uri: str
    state: str | None
    scopes: tuple[str, ...]
    challenge: str | None = None
    challenge_method: str | None = None


@dataclass
class Grant:
    """What an authorization code stands for once the user approved."""

    consent: Consent
    scopes: tuple[str, ...]
    issued_at: float
    used: bool = False


@dataclass
class Token:
    platform: str
    client_id: str
    scopes: tuple[str, ...]
    expires_at: float | None  # None: no expiry (TikTok's, Meta's system users')
    issued_at: float
    kind: str = "USER"
    #: The refresh token it was issued from: revoking that revokes it too.
    refresh_token: str | None = None
    revoked: bool = False


@dataclass
class RefreshToken:
    client_id: str
    scopes: tuple[str, ...]
    expires_at: float | None
    revoked: bool = False


def pkce_matches(verifier: str, challenge: str, method: str | None) -> bool:
    if (method or "plain") == "S256":
        digest = hashlib.sha256(verifier.encode()).digest()
        verifier = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return secrets.compare_digest(verifier, challenge)


class OAuthState:
    """Shared by the sign-in emulator and the API emulators of one `serve` process."""

    def __init__(
        self, token_lifetime: float = 3600.0, refresh_lifetime: float | None = None
    ) -> None:
        self.token_lifetime = token_lifetime
        #: None: refresh tokens live until revoked; Google's apps in testing mode: 7 days.
        self.refresh_lifetime = refresh_lifetime
        #: Seconds the sandbox's clock runs ahead of the real one (`/_sandbox/oauth/clock`).
        self.clock_offset = 0.0
        self.consents: dict[str, Consent] = {}
        self.grants: dict[str, Grant] = {}
        self.tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}

    def now(self) -> float:
        return time.time() + self.clock_offset

    def ask(self, consent: Consent) -> str:
        """Park a request until the consent page is answered; returns its id."""
        request_id = secrets.token_urlsafe(16)
        self.consents[request_id] = consent
        return request_id

    def answer(self, request_id: str, scopes: tuple[str, ...]) -> tuple[Consent, str] | None:
        """The user approved `scopes` (of those asked): a new single-use code."""
        consent = self.consents.pop(request_id, None)
        if consent is None:
            return None
        code = f"{consent.platform}-code-{secrets.token_urlsafe(24)}"
        granted = tuple(scope for scope in consent.scopes if scope in scopes)
        self.grants[code] = Grant(consent, granted, self.now())
        return consent, code

    def deny(self, request_id: str) -> Consent | None:
        return self.consents.pop(request_id, None)

    def redeem(self, platform: str, code: str, client_id: str) -> Grant | None:
        """The grant of an unused, unexpired code of this platform and client; used up."""
        grant = self.grants.get(code)
        if (
            grant is None
            or grant.used
            or grant.consent.platform != platform
            or grant.consent.client_id != client_id
            or self.now() - grant.issued_at > CODE_SECONDS
        ):
            return None
        grant.used = True
        return grant

    def issue(
        self,
        platform: str,
        client_id: str,
        scopes: tuple[str, ...],
        lifetime: float | None,
        kind: str = "USER",
        refresh_token: str | None = None,
        prefix: str = "",
    ) -> str:
        token = prefix + secrets.token_urlsafe(32)
        now = self.now()
        expires_at = None if lifetime is None else now + lifetime
        self.tokens[token] = Token(
            platform, client_id, scopes, expires_at, now, kind, refresh_token
        )
        return token

    def token(self, platform: str, value: str | None) -> Token | None:
        """The token issued on `platform` under `value`, expired or not."""
        token = self.tokens.get(value or "")
        return token if token is not None and token.platform == platform else None

    def usable(self, platform: str, value: str | None) -> Token | None:
        """The token when it is neither expired nor revoked."""
        token = self.token(platform, value)
        if token is None or token.revoked:
            return None
        if token.expires_at is not None and self.now() >= token.expires_at:
            return None
        return token

    def issue_refresh(self, client_id: str, scopes: tuple[str, ...]) -> str:
        value = f"1//{secrets.token_urlsafe(40)}"
        lifetime = self.refresh_lifetime
        expires_at = None if lifetime is None else self.now() + lifetime
        self.refresh_tokens[value] = RefreshToken(client_id, scopes, expires_at)
        return value

    def refresh_usable(self, value: str) -> RefreshToken | None:
        refresh = self.refresh_tokens.get(value)
        if refresh is None or refresh.revoked:
            return None
        if refresh.expires_at is not None and self.now() >= refresh.expires_at:
            return None
        return refresh

    def revoke(self, value: str) -> bool:
        """Revoke a refresh token (and every access token issued from it) or an access token."""
        if value in self.refresh_tokens:
            self.refresh_tokens[value].revoked = True
            for token in self.tokens.values():
                if token.refresh_token == value:
                    token.revoked = True
            return True
        if value in self.tokens:
            self.tokens[value].revoked = True
            return True
        return False
