"""Transport, envelope, auth and account endpoints of the TikTok emulator."""

import requests
from ads_sandbox.world import World

from .conftest import END, SCALE, TikTok


def test_envelope_and_logid_header(api: TikTok) -> None:
    response = api.raw("oauth2/advertiser/get/", app_id="a", secret="s")
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"code", "message", "request_id", "data"}
    assert body["code"] == 0 and body["message"] == "OK"
    assert response.headers["X-Tt-Logid"] == body["request_id"]
    for header in ("Retry-After", "X-RateLimit-Limit"):
        assert header not in response.headers


def test_missing_trailing_slash_is_a_real_404(api: TikTok) -> None:
    response = api.session.get(api.base + "campaign/get", headers={"Access-Token": "x"})
    assert response.status_code == 404


def test_wrong_method_is_a_real_405(api: TikTok) -> None:
    assert api.session.post(api.base + "campaign/get/").status_code == 405
    assert api.session.get(api.base + "report/task/create/").status_code == 405


def test_token_errors_and_no_echo(api: TikTok, advertisers: list[str]) -> None:
    missing = api.get("campaign/get/", token=None, advertiser_id=advertisers[0])
    assert missing["code"] == 40104 and missing["data"] == {}
    assert "Access-Token" in missing["message"]
    secret = "my-very-secret-token-123"
    wrong = api.raw("campaign/get/", token=secret, advertiser_id=advertisers[0])
    assert wrong.status_code == 200
    assert wrong.json()["code"] == 40105
    assert secret not in wrong.text


def test_advertiser_listing_matches_the_world(api: TikTok) -> None:
    data = api.ok("oauth2/advertiser/get/", app_id="123", secret="anything")
    world = World("tiktok", 1, SCALE, END)
    assert [(a["advertiser_id"], a["advertiser_name"]) for a in data["list"]] == [
        (a.id, a.name) for a in world.accounts
    ]
    missing = api.get("oauth2/advertiser/get/", app_id="123")
    assert missing["code"] == 40002 and "secret" in missing["message"]


def test_advertiser_info(api: TikTok, advertisers: list[str]) -> None:
    data = api.ok("advertiser/info/", advertiser_ids=advertisers)
    rows = {r["advertiser_id"]: r for r in data["list"]}
    assert [rows[a]["currency"] for a in advertisers] == ["USD", "JPY", "NZD"]
    assert rows[advertisers[2]]["timezone"] == "Pacific/Auckland"
    assert all(
        isinstance(r["create_time"], int) and r["status"] == "STATUS_ENABLE" for r in rows.values()
    )
    some = api.ok("advertiser/info/", advertiser_ids=advertisers[:1], fields=["name", "currency"])
    assert some["list"] == [{"name": rows[advertisers[0]]["name"], "currency": "USD"}]
    assert api.get("advertiser/info/", advertiser_ids=["7000000000000000000"])["code"] == 40300
    assert api.get("advertiser/info/")["code"] == 40002


def test_json_params_must_be_valid(api: TikTok, advertisers: list[str]) -> None:
    response = api.session.get(
        api.base + "advertiser/info/",
        params={"advertiser_ids": "[not json"},
        headers={"Access-Token": "sandbox-token"},
    )
    body = response.json()
    assert body["code"] == 40002 and "advertiser_ids" in body["message"]


def test_get_with_json_body_is_accepted(api: TikTok, advertisers: list[str]) -> None:
    response = requests.get(
        api.base + "advertiser/info/",
        json={"advertiser_ids": advertisers[:2]},
        headers={"Access-Token": "sandbox-token"},
        timeout=10,
    )
    assert [r["advertiser_id"] for r in response.json()["data"]["list"]] == advertisers[:2]


def test_unknown_advertiser_on_data_endpoints(api: TikTok) -> None:
    body = api.get("campaign/get/", advertiser_id="7123456789012345678")
    assert body["code"] == 40001 and body["data"] == {}


def test_auth_code_exchange_issues_a_working_single_use_token(api: TikTok) -> None:
    body = {"app_id": "123", "secret": "s", "auth_code": "sandbox-auth-1"}
    data = api.post("oauth2/access_token/", body, token="")["data"]
    world = World("tiktok", 1, SCALE, END)
    assert data["advertiser_ids"] == [a.id for a in world.accounts]
    assert data["scope"] == [1, 2, 3, 4]
    listed = api.get("oauth2/advertiser/get/", token=data["access_token"], app_id="123", secret="s")
    assert listed["code"] == 0
    # Another app's id with this token: TikTok's 40113 (Airbyte #80210's setup failure).
    other = api.get("oauth2/advertiser/get/", token=data["access_token"], app_id="1", secret="s")
    assert other["code"] == 40113 and "inconsistent" in other["message"]
    reused = api.post("oauth2/access_token/", body, token="")
    assert reused["code"] == 40110 and reused["data"] == {}
    unknown = api.post("oauth2/access_token/", {**body, "auth_code": "made-up"}, token="")
    assert unknown["code"] == 40110
    missing = api.post("oauth2/access_token/", {"app_id": "1", "secret": "s"}, token="")
    assert missing["code"] == 40002 and "auth_code" in missing["message"]
