"""Facebook Login against the sandbox, with plain HTTP: the dialog, the code exchange with
the app secret (and the code_verifier of a challenge), the long-lived exchange, debug_token."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from ads_sandbox.oauth.consent import answer
from ads_sandbox.testing import running_sandbox

APP_ID = "1200000000000001"
REDIRECT = "http://127.0.0.1:9/"
VERIFIER = "v" * 50


@pytest.fixture(scope="module")
def urls() -> Iterator[dict[str, str]]:
    with running_sandbox(scale="1x1x1x1x3", extra_args=("--token-lifetime", "7200")) as urls:
        yield urls


def challenge(verifier: str = VERIFIER) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def code_for(urls: dict, **consent) -> dict[str, str]:
    query = {
        "client_id": APP_ID,
        "redirect_uri": REDIRECT,
        "state": "st-9",
        "response_type": "code",
        "scope": "ads_read,business_management",
        "code_challenge": challenge(),
        "code_challenge_method": "S256",
    }
    location = answer(f"{urls['oauth']}/meta/v26.0/dialog/oauth?{urlencode(query)}", **consent)
    assert location.startswith(REDIRECT)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def graph(urls: dict, path: str, **params) -> requests.Response:
    """The Graph API emulator serves the token endpoints, as graph.facebook.com does."""
    return requests.get(f"{urls['meta']}/v26.0/{path}", params=params, timeout=10)


def exchange(urls: dict, code: str, **extra) -> requests.Response:
    params = {
        "client_id": APP_ID,
        "client_secret": "app-secret",
        "redirect_uri": REDIRECT,
        "code": code,
        "code_verifier": VERIFIER,
        **extra,
    }
    return graph(urls, "oauth/access_token", **params)


def debug(urls: dict, token: str) -> dict:
    body = graph(urls, "debug_token", input_token=token, access_token=f"{APP_ID}|app-secret")
    assert body.status_code == 200
    return body.json()["data"]


def test_code_flow_long_lived_exchange_and_debug_token(urls):
    params = code_for(urls)
    assert params["state"] == "st-9"
    short = exchange(urls, params["code"])
    assert short.status_code == 200, short.text
    assert short.json()["expires_in"] == 7200 and short.json()["token_type"] == "bearer"
    again = exchange(urls, params["code"]).json()["error"]
    assert again["code"] == 100 and again["error_subcode"] == 36009

    long_lived = graph(
        urls,
        "oauth/access_token",
        grant_type="fb_exchange_token",
        client_id=APP_ID,
        client_secret="app-secret",
        fb_exchange_token=short.json()["access_token"],
    ).json()
    assert long_lived["expires_in"] == 5_184_000
    data = debug(urls, long_lived["access_token"])
    assert data["is_valid"] is True and data["type"] == "USER" and data["app_id"] == APP_ID
    assert data["scopes"] == ["ads_read", "business_management"]
    assert data["expires_at"] - data["issued_at"] == 5_184_000
    accounts = graph(urls, "me/adaccounts", access_token=long_lived["access_token"])
    assert accounts.status_code == 200 and accounts.json()["data"]


def test_the_exchange_checks_redirect_verifier_and_secret(urls):
    wrong_redirect = exchange(urls, code_for(urls)["code"], redirect_uri="http://127.0.0.1:8/")
    assert wrong_redirect.json()["error"]["error_subcode"] == 36008
    wrong_verifier = exchange(urls, code_for(urls)["code"], code_verifier="w" * 50)
    assert wrong_verifier.status_code == 400
    assert wrong_verifier.json()["error"]["message"] == "Invalid code verifier."
    no_secret = exchange(urls, code_for(urls)["code"], client_secret="")
    assert no_secret.json()["error"]["code"] == 1


def test_fewer_scopes_a_denial_and_unknown_tokens(urls):
    token = exchange(urls, code_for(urls, grant=["ads_read"])["code"]).json()
    assert debug(urls, token["access_token"])["scopes"] == ["ads_read"]
    denied = code_for(urls, deny=True)
    assert denied["error"] == "access_denied" and denied["error_reason"] == "user_denied"
    assert debug(urls, "EAAmadeup")["is_valid"] is False


def test_system_user_tokens_never_expire(urls):
    made = requests.post(
        f"{urls['meta']}/_sandbox/oauth/meta/system-user-token", json={"app_id": APP_ID}, timeout=10
    ).json()
    data = debug(urls, made["access_token"])
    assert data["type"] == "SYSTEM_USER" and data["expires_at"] == 0 and data["is_valid"]


def test_an_expired_short_token_cannot_be_exchanged(urls):
    short = exchange(urls, code_for(urls)["code"]).json()["access_token"]
    requests.post(
        f"{urls['oauth']}/_sandbox/oauth/clock", json={"advance_seconds": 7201}, timeout=10
    )
    refused = graph(
        urls,
        "oauth/access_token",
        grant_type="fb_exchange_token",
        client_id=APP_ID,
        client_secret="app-secret",
        fb_exchange_token=short,
    ).json()
    assert refused["error"]["code"] == 190
    assert debug(urls, short)["is_valid"] is False
    expired = graph(urls, "me/adaccounts", access_token=short).json()["error"]
    assert expired["code"] == 190 and expired["error_subcode"] == 463
