"""What the sign-in emulator remembers: pending consents, codes, tokens, refresh tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field

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
    issued_at: float = field(default_factory=time.time)
    used: bool = False


@dataclass
class Token:
    platform: str
    client_id: str
    scopes: tuple[str, ...]
    expires_at: float | None  # None: no expiry (TikTok's, Meta's system users')
    kind: str = "USER"
    issued_at: float = field(default_factory=time.time)

    def valid(self, now: float | None = None) -> bool:
        return self.expires_at is None or (now or time.time()) < self.expires_at


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

    def __init__(self, token_lifetime: float = 3600.0) -> None:
        self.token_lifetime = token_lifetime
        self.consents: dict[str, Consent] = {}
        self.grants: dict[str, Grant] = {}
        self.tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}

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
        self.grants[code] = Grant(consent, granted)
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
            or time.time() - grant.issued_at > CODE_SECONDS
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
    ) -> str:
        token = secrets.token_urlsafe(32)
        expires_at = None if lifetime is None else time.time() + lifetime
        self.tokens[token] = Token(platform, client_id, scopes, expires_at, kind)
        return token

    def token(self, platform: str, value: str | None) -> Token | None:
        """The token issued on `platform` under `value`, expired or not."""
        token = self.tokens.get(value or "")
        return token if token is not None and token.platform == platform else None

    def issue_refresh(self, client_id: str, scopes: tuple[str, ...], lifetime: float | None) -> str:
        value = f"1//{secrets.token_urlsafe(40)}"
        expires_at = None if lifetime is None else time.time() + lifetime
        self.refresh_tokens[value] = RefreshToken(client_id, scopes, expires_at)
        return value
