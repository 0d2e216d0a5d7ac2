"""The endpoints real clients call besides reports and entities: the token's user, Business
Centers, the asset library, creative portfolios and pixels."""

from __future__ import annotations

from ads_sandbox.world import Scale, World

from .conftest import END, SCALE, TikTok


def test_user_info_names_the_tokens_user(api: TikTok) -> None:
    user = api.ok("user/info/")
    assert set(user) >= {"core_user_id", "display_name", "email", "create_time"}
    assert "***" in user["email"] and isinstance(user["create_time"], int)
    assert api.get("user/info/", token="wrong")["code"] == 40105


def test_business_centers(api: TikTok) -> None:
    data = api.ok("bc/get/")
    (center,) = data["list"]
    assert center["bc_info"]["bc_id"] and center["user_role"] == "ADMIN"
    assert api.get("bc/get/", page_size=51)["code"] == 40002


def test_the_asset_library_holds_every_ads_creative(api: TikTok, advertisers: list[str]) -> None:
    world = World("tiktok", 1, Scale.parse(SCALE), END)
    for advertiser in advertisers:
        ads = world.entities(world.account(advertiser)).ads
        for kind, key, fmt in (("image", "image_id", "image"), ("video", "video_id", "video")):
            listed = api.all_pages(
                f"file/{kind}/ad/search/", advertiser_id=advertiser, page_size=100
            )
            assert sorted(a[key] for a in listed) == sorted(
                ad.creative_id for ad in ads if ad.format == fmt
            )
            ids = [a[key] for a in listed[:3]]
            info = api.ok(f"file/{kind}/ad/info/", advertiser_id=advertiser, **{f"{key}s": ids})
            assert [a[key] for a in info["list"]] == ids
            assert all(a["create_time"].endswith("Z") for a in info["list"])
            one = api.ok(
                f"file/{kind}/ad/search/",
                advertiser_id=advertiser,
                filtering={f"{key}s": ids[:1]},
            )
            assert [a[key] for a in one["list"]] == ids[:1]
    adv = advertisers[0]
    assert api.get("file/image/ad/search/", advertiser_id=adv, page_size=101)["code"] == 40002
    too_many = [str(i) for i in range(61)]
    assert api.get("file/video/ad/info/", advertiser_id=adv, video_ids=too_many)["code"] == 40002


def test_pixels_and_portfolios_come_under_their_own_keys(api: TikTok, advertisers: list[str]):
    for advertiser in advertisers:
        data = api.ok("pixel/list/", advertiser_id=advertiser, page_size=20)
        assert "list" not in data and data["pixels"]
        assert data["page_info"]["total_number"] == len(data["pixels"])
        pixel = data["pixels"][0]
        assert pixel["pixel_code"] and pixel["events"][0]["event_type"] == "PAGE_VIEW"
        portfolios = api.ok("creative/portfolio/list/", advertiser_id=advertiser)
        assert portfolios["creative_portfolios"][0]["creative_portfolio_id"]
    assert api.get("pixel/list/", advertiser_id=advertisers[0], page_size=21)["code"] == 40002
