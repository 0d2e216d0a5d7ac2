"""Meta sign-in against the sandbox: the dialog through the loopback redirect, the code and
long-lived exchanges, debug_token's scopes and expiry; system-user tokens; the failures."""

from __future__ import annotations

import time
import webbrowser
from collections.abc import Iterator

import pytest
import requests
from ads_kit.login import authorize as authorization
from ads_kit.login.authorize import LoginError
from ads_kit.login.cli import Authorizer
from ads_sandbox.testing import consent_command, running_sandbox
from tap_meta_ads.login import MetaLogin

APP_ID = "1200000000000001"


@pytest.fixture(scope="module")
def urls() -> Iterator[dict[str, str]]:
    with running_sandbox(scale="1x1x1x1x3") as urls:
        yield urls


def consenting_browser(monkeypatch, *flags: str) -> None:
    command = consent_command(*flags)
    monkeypatch.setattr(
        authorization.webbrowser, "open", webbrowser.BackgroundBrowser(command).open
    )


def login(urls: dict, **kwargs) -> MetaLogin:
    return MetaLogin(
        APP_ID,
        "app-secret-41c2",
        graph_url=urls["meta"],
        oauth_url=f"{urls['oauth']}/meta",
        **kwargs,
    )


def test_sign_in_gives_a_checked_long_lived_token(urls, monkeypatch):
    consenting_browser(monkeypatch)
    said: list[str] = []
    entry = login(urls).sign_in(Authorizer(wait=120, say=said.append))
    assert entry["scope"] == ["ads_read", "business_management"]
    assert entry["token_type"] == "USER" and entry["access_token"].startswith("EAA")
    assert 59 * 86400 < entry["expires_at"] - time.time() <= 60 * 86400
    assert "code_challenge_method=S256" in said[0]
    assert not [line for line in said if line.startswith("Warning")]


def test_without_business_management_a_warning_without_ads_read_an_error(urls, monkeypatch):
    consenting_browser(monkeypatch, "--grant", "ads_read")
    said: list[str] = []
    entry = login(urls).sign_in(Authorizer(wait=120, say=said.append))
    assert entry["scope"] == ["ads_read"]
    assert any("business_management was not granted" in line for line in said)

    consenting_browser(monkeypatch, "--grant", "business_management")
    with pytest.raises(LoginError, match=r"lacks the permission\(s\) ads_read"):
        login(urls).sign_in(Authorizer(wait=120))


def test_a_denial(urls, monkeypatch):
    consenting_browser(monkeypatch, "--deny")
    with pytest.raises(LoginError, match=r"not approved \(access_denied: Permissions error\)"):
        login(urls).sign_in(Authorizer(wait=120))


def test_system_user_tokens_need_no_browser_and_never_expire(urls, monkeypatch):
    monkeypatch.setattr(authorization.webbrowser, "open", lambda url: pytest.fail("a browser"))
    made = requests.post(
        f"{urls['meta']}/_sandbox/oauth/meta/system-user-token", json={"app_id": APP_ID}, timeout=10
    ).json()["access_token"]
    entry = login(urls, system_user_token=made).sign_in(Authorizer())
    assert entry["token_type"] == "SYSTEM_USER" and entry["expires_at"] is None
    with pytest.raises(LoginError, match="Meta says the token is Invalid OAuth access token"):
        login(urls, system_user_token="EAAmadeup").sign_in(Authorizer())
    other = requests.post(
        f"{urls['meta']}/_sandbox/oauth/meta/system-user-token", json={"app_id": "99"}, timeout=10
    ).json()["access_token"]
    with pytest.raises(LoginError, match="belongs to app 99"):
        login(urls, system_user_token=other).sign_in(Authorizer())
