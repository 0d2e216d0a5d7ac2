"""TikTok for Business sign-in against the sandbox, with plain HTTP: the advertiser
authorization page, its single-use auth code and the exchange for a long-term token."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from ads_sandbox.oauth.consent import answer

REDIRECT = "http://127.0.0.1:9/callback"


def auth_url(urls: dict, **params: str) -> str:
    query = {"app_id": "7300000000000000001", "state": "st-1", "redirect_uri": REDIRECT, **params}
    return f"{urls['oauth']}/tiktok/portal/auth?{urlencode(query)}"


def redirected(location: str) -> dict[str, str]:
    assert location.startswith(REDIRECT + "?"), location
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def exchange(api, code: str, app_id: str = "7300000000000000001") -> dict:
    return api.post("oauth2/access_token/", {"app_id": app_id, "secret": "s", "auth_code": code})


def test_the_ready_line_names_the_sign_in_emulator(sandbox_urls):
    assert sandbox_urls["oauth"].startswith("http://127.0.0.1:")


def test_approved_authorization_gives_a_long_term_token(sandbox_urls, api):
    page = requests.get(auth_url(sandbox_urls), timeout=10)
    assert page.status_code == 200
    for permission in ("Ad Account Management", "Ads Management", "Audience Management"):
        assert permission in page.text
    params = redirected(answer(auth_url(sandbox_urls)))
    assert params["state"] == "st-1"
    assert params["auth_code"] == params["code"]

    body = exchange(api, params["auth_code"])
    assert body["code"] == 0, body
    data = body["data"]
    assert data["scope"] == [1, 2, 3, 4]
    assert "refresh_token" not in data and "expires_in" not in data
    assert data["advertiser_ids"] == api.advertisers()
    listed = api.get(
        "oauth2/advertiser/get/",
        token=data["access_token"],
        app_id="7300000000000000001",
        secret="s",
    )
    assert listed["code"] == 0 and len(listed["data"]["list"]) == len(data["advertiser_ids"])

    assert exchange(api, params["auth_code"])["code"] == 40110, "an auth code is single-use"


def test_a_code_is_bound_to_its_app(sandbox_urls, api):
    code = redirected(answer(auth_url(sandbox_urls)))["auth_code"]
    assert exchange(api, code, app_id="7300000000000000999")["code"] == 40110


def test_fewer_permissions_and_a_denial(sandbox_urls, api):
    code = redirected(answer(auth_url(sandbox_urls), grant=["1", "4"]))["auth_code"]
    assert exchange(api, code)["data"]["scope"] == [1, 4]

    denied = redirected(answer(auth_url(sandbox_urls), deny=True))
    assert denied == {"error": "access_denied", "state": "st-1"}


def test_malformed_authorization_requests(sandbox_urls):
    for params, message in (
        ({"app_id": ""}, "app_id"),
        ({"redirect_uri": "http://example.com/cb"}, "redirect_uri"),
        ({"redirect_uri": ""}, "redirect_uri"),
    ):
        page = requests.get(auth_url(sandbox_urls, **params), timeout=10)
        assert page.status_code == 400 and message in page.text
    stale = requests.post(
        f"{sandbox_urls['oauth']}/consent",
        data={"request": "unknown", "decision": "allow"},
        allow_redirects=False,
        timeout=10,
    )
    assert stale.status_code == 400
