"""campaign/adgroup/ad get and custom audiences."""

from typing import Any

from .conftest import TikTok


def _all(api: TikTok, resource: str, advertiser: str, **params: Any) -> list[dict[str, Any]]:
    return api.all_pages(resource, advertiser_id=advertiser, **params)


def test_deleted_objects_hidden_by_default(api: TikTok, advertisers: list[str]) -> None:
    for advertiser in advertisers:
        for resource, prefix in (
            ("campaign/get/", "CAMPAIGN"),
            ("adgroup/get/", "ADGROUP"),
            ("ad/get/", "AD"),
        ):
            default = _all(api, resource, advertiser)
            everything = _all(api, resource, advertiser, filtering={"primary_status": "STATUS_ALL"})
            deleted = _all(api, resource, advertiser, filtering={"primary_status": "STATUS_DELETE"})
            smart_deleted = _all(  # an Upgraded Smart+ campaign may be the one deleted
                api,
                f"smart_plus/{resource}",
                advertiser,
                filtering={"primary_status": "STATUS_DELETE"},
            )
            assert deleted or smart_deleted, (resource, advertiser)
            assert len(default) + len(deleted) == len(everything)
            assert all("DELETE" not in r["secondary_status"] for r in default)
            assert all("DELETE" in r["secondary_status"] for r in deleted)
            via_secondary = _all(
                api, resource, advertiser, filtering={"secondary_status": f"{prefix}_STATUS_ALL"}
            )
            assert len(via_secondary) == len(everything)


def test_children_of_deleted_campaigns_are_deleted(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[0]
    campaigns = _all(api, "campaign/get/", advertiser, filtering={"primary_status": "STATUS_ALL"})
    dead = {
        c["campaign_id"] for c in campaigns if c["secondary_status"] == "CAMPAIGN_STATUS_DELETE"
    }
    ads = _all(api, "ad/get/", advertiser, filtering={"primary_status": "STATUS_ALL"})
    for ad in ads:
        if ad["campaign_id"] in dead:
            assert ad["secondary_status"] == "AD_STATUS_CAMPAIGN_DELETE"


def test_paging_order_and_page_info(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[1]
    everything = api.ok("ad/get/", advertiser_id=advertiser, page_size=1000)
    ids = [a["ad_id"] for a in everything["list"]]
    assert ids == sorted(ids, reverse=True)
    total = everything["page_info"]["total_number"]
    pages = []
    for page in range(1, -(-total // 7) + 1):
        data = api.ok("ad/get/", advertiser_id=advertiser, page=page, page_size=7)
        assert data["page_info"] == {
            "page": page,
            "page_size": 7,
            "total_number": total,
            "total_page": -(-total // 7),
        }
        pages.extend(a["ad_id"] for a in data["list"])
    assert pages == ids


def test_filters_and_fields(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[0]
    campaigns = _all(api, "campaign/get/", advertiser)
    wanted = campaigns[0]["campaign_id"]
    groups = _all(
        api,
        "adgroup/get/",
        advertiser,
        filtering={"campaign_ids": [wanted]},
        fields=["adgroup_id", "campaign_id", "budget"],
    )
    assert groups and all(set(g) == {"adgroup_id", "campaign_id", "budget"} for g in groups)
    assert {g["campaign_id"] for g in groups} == {wanted}
    too_many = api.get(
        "ad/get/", advertiser_id=advertiser, filtering={"ad_ids": [str(i) for i in range(101)]}
    )
    assert too_many["code"] == 40002 and "ad_ids" in too_many["message"]
    assert api.get("ad/get/", advertiser_id=advertiser, page_size=1001)["code"] == 40002
    assert api.get("ad/get/", advertiser_id=advertiser, page_size=0)["code"] == 40002
    assert api.get("campaign/get/", advertiser_id=advertiser, fields=["nope"])["code"] == 40002
    assert api.get("campaign/get/")["message"] == "advertiser_id: Missing data for required field."


def test_entity_shapes(api: TikTok, advertisers: list[str]) -> None:
    jpy = advertisers[1]
    campaign = api.ok("campaign/get/", advertiser_id=jpy)["list"][0]
    assert campaign["objective_type"] in {
        "TRAFFIC",
        "WEB_CONVERSIONS",
        "APP_PROMOTION",
        "REACH",
        "VIDEO_VIEWS",
        "LEAD_GENERATION",
        "PRODUCT_SALES",
        "ENGAGEMENT",
    }
    assert campaign["operation_status"] in ("ENABLE", "DISABLE")
    assert isinstance(campaign["budget"], float) and campaign["budget"] == int(campaign["budget"])
    assert campaign["create_time"] <= campaign["modify_time"]
    group = api.ok("adgroup/get/", advertiser_id=jpy)["list"][0]
    assert set(group["placements"]) <= {
        "PLACEMENT_TIKTOK",
        "PLACEMENT_PANGLE",
        "PLACEMENT_GLOBAL_APP_BUNDLE",
    }
    assert all(a.startswith("AGE_") for a in group["age_groups"])
    ad = api.ok("ad/get/", advertiser_id=jpy)["list"][0]
    for key in ("ad_name", "ad_text", "ad_format", "call_to_action", "landing_page_url"):
        assert ad[key]


def test_audiences(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[0]
    listed = api.all_pages("dmp/custom_audience/list/", advertiser_id=advertiser, page_size=100)
    kinds = {a["audience_type"] for a in listed}
    assert {"Customer File", "Lookalike Audience", "Engagement"} <= kinds
    assert (
        api.get("dmp/custom_audience/list/", advertiser_id=advertiser, page_size=101)["code"]
        == 40002
    )
    ids = [a["audience_id"] for a in listed]
    details = api.ok("dmp/custom_audience/get/", advertiser_id=advertiser, custom_audience_ids=ids)
    for item in details["list"]:
        info = item["audience_details"]
        if info["audience_type"] == "Lookalike Audience":
            assert info["source_audience_id"] in ids
        else:
            assert "source_audience_id" not in info
        assert item["audience_history"]
    assert api.get("dmp/custom_audience/get/", advertiser_id=advertiser)["code"] == 40002
