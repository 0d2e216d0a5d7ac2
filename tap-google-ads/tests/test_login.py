"""Google sign-in against the sandbox: google-auth-oauthlib's loopback flow with PKCE, the
stored refresh token, refresh written back to the token store, and the failures: a denial,
a missing scope, a forged state, testing-mode refresh tokens dying after seven days."""

from __future__ import annotations

import webbrowser
from collections.abc import Iterator

import pytest
import requests
from ads_kit.errors import AuthenticationError
from ads_kit.login.authorize import LoginError
from ads_kit.login.cli import Authorizer
from ads_kit.login.refresh import StoredTokens
from ads_kit.login.store import StoreLocation, load_entry, open_store
from ads_sandbox.oauth.consent import answer
from ads_sandbox.testing import consent_command, running_sandbox
from tap_google_ads.credentials import refresh
from tap_google_ads.login import ADWORDS_SCOPE, GoogleLogin

CLIENT_ID = "1234-sandbox.apps.googleusercontent.com"
SECRET = "client-secret-9d8c7b6a"


@pytest.fixture(scope="module")
def oauth_url() -> Iterator[str]:
    args = ("--google-testing-app", "--token-lifetime", "900")
    with running_sandbox(scale="1x1x1x1x3", extra_args=args) as urls:
        yield urls["oauth"]


def consenting_browser(monkeypatch, *flags: str) -> None:
    """The browser google-auth-oauthlib opens: the sandbox's headless consent, in the
    background (as a user's browser is)."""
    command = consent_command(*flags)
    monkeypatch.setattr(webbrowser, "get", lambda using=None: webbrowser.BackgroundBrowser(command))


def login(oauth_url: str) -> GoogleLogin:
    return GoogleLogin(CLIENT_ID, SECRET, oauth_url)


def test_sign_in_through_the_loopback_then_refresh_written_back(oauth_url, monkeypatch, tmp_path):
    consenting_browser(monkeypatch)
    said: list[str] = []
    entry = login(oauth_url).sign_in(Authorizer(wait=120, say=said.append))
    assert entry["refresh_token"].startswith("1//") and entry["scope"] == [ADWORDS_SCOPE]
    assert entry["token_uri"] == f"{oauth_url}/token"

    location = StoreLocation(
        "google", "file", tmp_path / "d" / "t.fernet", tmp_path / "k" / "t.key"
    )
    open_store(location).save("google", entry)
    now = [entry["expires_at"] - 1000]
    tokens = StoredTokens(location, refresh, login_hint="ads-login google", clock=lambda: now[0])
    assert tokens.access_token() == entry["access_token"]
    now[0] = entry["expires_at"] - 60  # a long run reaches the token's last minutes
    renewed = tokens.access_token()
    assert renewed != entry["access_token"] and renewed.startswith("ya29.")
    stored = load_entry(location)
    assert stored["access_token"] == renewed and stored["expires_at"] > entry["expires_at"] - 60
    assert stored["refresh_token"] == entry["refresh_token"]


def test_testing_mode_refresh_tokens_die_after_seven_days(oauth_url, monkeypatch, tmp_path):
    consenting_browser(monkeypatch)
    entry = login(oauth_url).sign_in(Authorizer(wait=120))
    location = StoreLocation(
        "google", "file", tmp_path / "d" / "t.fernet", tmp_path / "k" / "t.key"
    )
    open_store(location).save("google", {**entry, "expires_at": 0})
    week = requests.post(f"{oauth_url}/_sandbox/oauth/clock", json={"advance_seconds": 7 * 86400})
    assert week.status_code == 200
    tokens = StoredTokens(location, refresh, login_hint="ads-login google")
    with pytest.raises(AuthenticationError) as error:
        tokens.access_token()
    message = str(error.value)
    assert "invalid_grant" in message and "in Testing" in message and "seven days" in message
    assert "Sign in again with `ads-login google`" in message and "resumable" in message


def test_a_denial_or_a_missing_scope_is_named(oauth_url, monkeypatch):
    consenting_browser(monkeypatch, "--deny")
    with pytest.raises(LoginError, match=r"Google refused the sign-in \(access_denied"):
        login(oauth_url).sign_in(Authorizer(wait=120))
    consenting_browser(monkeypatch, "--grant", "openid")
    with pytest.raises(
        LoginError, match=r"did not grant https://www\.googleapis\.com/auth/adwords"
    ):
        login(oauth_url).sign_in(Authorizer(wait=120))


def test_no_browser_reads_the_pasted_address_and_checks_its_state(oauth_url, monkeypatch):
    monkeypatch.setattr(webbrowser, "get", lambda using=None: pytest.fail("a browser opened"))
    said: list[str] = []

    def paste(prompt: str) -> str:
        url = said[-1].split()[-1]
        assert "code_challenge_method=S256" in url
        return answer(url)

    entry = login(oauth_url).sign_in(Authorizer(no_browser=True, say=said.append, ask=paste))
    assert entry["refresh_token"].startswith("1//")

    def forged(prompt: str) -> str:
        return paste(prompt).replace("state=", "state=forged")

    with pytest.raises(LoginError, match="mismatching_state"):
        login(oauth_url).sign_in(Authorizer(no_browser=True, say=said.append, ask=forged))
