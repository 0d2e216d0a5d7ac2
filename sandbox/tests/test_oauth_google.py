"""Google's sign-in against the sandbox, driven by the official clients only
(google-auth-oauthlib's Flow, google-auth's Credentials): PKCE enforced, refresh, and refresh
tokens that expire (testing-mode apps, after seven days) or are revoked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from ads_sandbox.oauth.consent import answer
from ads_sandbox.testing import running_sandbox
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError, OAuth2Error

ADWORDS = "https://www.googleapis.com/auth/adwords"
CLIENT_ID = "1234-sandbox.apps.googleusercontent.com"
REDIRECT = "http://127.0.0.1:9/"


@pytest.fixture(scope="module")
def oauth_url() -> Iterator[str]:
    args = ("--google-testing-app", "--token-lifetime", "600")
    with running_sandbox(scale="1x1x1x1x3", extra_args=args) as urls:
        yield urls["oauth"]


@pytest.fixture(autouse=True)
def _loopback_http(monkeypatch):
    # oauthlib refuses http token URLs unless told; the sandbox serves plain http on loopback.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


def flow_for(oauth_url: str, scopes=(ADWORDS,)) -> Flow:
    config = {
        "installed": {
            "client_id": CLIENT_ID,
            "client_secret": "sandbox-client-secret",
            "auth_uri": f"{oauth_url}/o/oauth2/v2/auth",
            "token_uri": f"{oauth_url}/token",
        }
    }
    return Flow.from_client_config(config, scopes=list(scopes), redirect_uri=REDIRECT)


def approve(flow: Flow, **consent) -> str:
    url, _ = flow.authorization_url(access_type="offline")
    assert "code_challenge=" in url and "code_challenge_method=S256" in url
    return answer(url, **consent)


def credentials(oauth_url: str, refresh_token: str, client_id: str = CLIENT_ID) -> Credentials:
    return Credentials(
        None,
        refresh_token=refresh_token,
        client_id=client_id,
        client_secret="sandbox-client-secret",
        token_uri=f"{oauth_url}/token",
    )


def test_code_exchange_with_pkce_then_refresh(oauth_url):
    flow = flow_for(oauth_url)
    flow.fetch_token(authorization_response=approve(flow))
    signed_in = flow.credentials
    assert signed_in.token.startswith("ya29.") and signed_in.refresh_token.startswith("1//")
    assert signed_in.granted_scopes == [ADWORDS]
    lifetime = (signed_in.expiry - signed_in.expiry.utcnow()).total_seconds()
    assert 500 < lifetime < 601  # expires_in is 600

    refreshed = credentials(oauth_url, signed_in.refresh_token)
    refreshed.refresh(Request())
    assert refreshed.token.startswith("ya29.") and refreshed.token != signed_in.token
    assert refreshed.valid


def test_a_wrong_or_missing_code_verifier_is_refused(oauth_url):
    flow = flow_for(oauth_url)
    location = approve(flow)
    flow.code_verifier = "x" * 64
    with pytest.raises(InvalidGrantError, match="Invalid code verifier"):
        flow.fetch_token(authorization_response=location)

    flow = flow_for(oauth_url)
    location = approve(flow)
    flow.code_verifier = None
    with pytest.raises(OAuth2Error, match="code_verifier is missing"):
        flow.fetch_token(authorization_response=location)


def test_codes_are_single_use_and_bound_to_their_redirect(oauth_url):
    flow = flow_for(oauth_url)
    location = approve(flow)
    flow.fetch_token(authorization_response=location)
    with pytest.raises(InvalidGrantError):
        flow.fetch_token(authorization_response=location)

    flow = flow_for(oauth_url)
    location = approve(flow)
    flow.redirect_uri = "http://127.0.0.1:10/"
    with pytest.raises(OAuth2Error, match="redirect_uri_mismatch"):
        flow.fetch_token(authorization_response=location)


def test_fewer_scopes_and_a_denial(oauth_url, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")
    email = "https://www.googleapis.com/auth/userinfo.email"
    flow = flow_for(oauth_url, scopes=(email, ADWORDS))
    flow.fetch_token(authorization_response=approve(flow, grant=[email]))
    assert flow.credentials.granted_scopes == [email]

    denied = approve(flow_for(oauth_url), deny=True)
    assert "error=access_denied" in denied and "code=" not in denied


def test_testing_mode_refresh_tokens_expire_after_seven_days(oauth_url):
    flow = flow_for(oauth_url)
    flow.fetch_token(authorization_response=approve(flow))
    refresh_token = flow.credentials.refresh_token
    credentials(oauth_url, refresh_token).refresh(Request())

    days = requests.post(f"{oauth_url}/_sandbox/oauth/clock", json={"advance_seconds": 6 * 86400})
    assert days.status_code == 200
    credentials(oauth_url, refresh_token).refresh(Request())
    requests.post(f"{oauth_url}/_sandbox/oauth/clock", json={"advance_seconds": 86400})
    with pytest.raises(RefreshError, match="invalid_grant: Token has been expired or revoked"):
        credentials(oauth_url, refresh_token).refresh(Request())


def test_revoked_refresh_tokens_and_other_clients_are_refused(oauth_url):
    flow = flow_for(oauth_url)
    flow.fetch_token(authorization_response=approve(flow))
    refresh_token = flow.credentials.refresh_token
    with pytest.raises(RefreshError, match="invalid_grant"):
        credentials(oauth_url, refresh_token, client_id="another-client").refresh(Request())

    revoked = requests.post(f"{oauth_url}/revoke", params={"token": refresh_token})
    assert revoked.status_code == 200
    with pytest.raises(RefreshError, match="invalid_grant: Token has been expired or revoked"):
        credentials(oauth_url, refresh_token).refresh(Request())
    again = requests.post(f"{oauth_url}/revoke", params={"token": refresh_token})
    assert again.status_code == 200  # a revoked token is still known


def test_the_default_refresh_token_works_for_any_client(oauth_url):
    default = credentials(oauth_url, "sandbox-refresh", client_id="any-client")
    default.refresh(Request())
    assert default.valid
    with pytest.raises(RefreshError, match="invalid_grant"):
        credentials(oauth_url, "1//made-up").refresh(Request())
