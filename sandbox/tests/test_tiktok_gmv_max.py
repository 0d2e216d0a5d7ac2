"""GMV Max over plain HTTP (requests, no tap code): the store list, the campaign listing and
`gmv_max/report/get/`, their shapes, limits and errors; GMV Max spend is in the truth and
nowhere in `report/integrated/get` or `campaign/get`."""

from __future__ import annotations

import time
from collections import defaultdict
from decimal import Decimal

from ads_sandbox.truth import truth_rows
from ads_sandbox.world import World

from .conftest import END, SCALE, TikTok, status_all

WINDOW = {"start_date": "2025-03-02", "end_date": END.isoformat()}
ALL_STATUSES = ["STATUS_DELIVERY_OK", "STATUS_DISABLE", "STATUS_NOT_DELIVERY", "STATUS_DELETE"]
METRICS = ["cost", "orders", "gross_revenue", "roi", "cost_per_order", "campaign_name"]


def _stores(api: TikTok, advertiser: str) -> list[dict]:
    return api.ok("gmv_max/store/list/", advertiser_id=advertiser)["store_list"]


def _report(api: TikTok, advertiser: str, store: str, **params) -> dict:
    query = {
        "advertiser_id": advertiser,
        "store_ids": [store],
        "dimensions": ["campaign_id", "stat_time_day"],
        "metrics": METRICS,
        "filtering": {"campaign_statuses": ALL_STATUSES},
        "page_size": 1000,
        **WINDOW,
        **params,
    }
    while True:  # the report's own limit is 8 a second: wait out a 40100 as a client must
        body = api.get("gmv_max/report/get/", **query)
        if body["code"] != 40100:
            return body
        time.sleep(1)


def test_stores_campaigns_and_the_daily_report_equal_the_world(
    api: TikTok, advertisers: list[str]
) -> None:
    world = World("tiktok", 1, SCALE, END)
    with_shop = 0
    for advertiser in advertisers:
        account = world.account(advertiser)
        shop = world.shop(account)
        stores = _stores(api, advertiser)
        if shop is None:
            assert stores == []
            continue
        with_shop += 1
        assert [s["store_id"] for s in stores] == [shop.store.id]
        assert stores[0]["is_gmv_max_available"] is True
        listed = api.ok(
            "gmv_max/campaign/get/",
            advertiser_id=advertiser,
            filtering={"gmv_max_promotion_types": ["PRODUCT_GMV_MAX", "LIVE_GMV_MAX"]},
            page_size=100,
        )
        deleted = api.ok(
            "gmv_max/campaign/get/",
            advertiser_id=advertiser,
            filtering={"primary_status": "STATUS_DELETE"},
        )
        names = {c["campaign_id"]: c for c in listed["list"] + deleted["list"]}
        assert set(names) == {c.id for c in shop.campaigns}
        assert all(c["store_id"] == shop.store.id for c in names.values())
        assert {c["shopping_ads_type"] for c in names.values()} == {"PRODUCT", "LIVE"}

        body = _report(api, advertiser, shop.store.id, enable_total_metrics=True)
        assert body["code"] == 0, body
        data = body["data"]
        assert data["page_info"]["total_page"] == 1
        served = defaultdict(lambda: [Decimal(0), 0, Decimal(0)])
        for row in data["list"]:
            assert set(row["dimensions"]) == {"campaign_id", "stat_time_day"}
            assert row["dimensions"]["stat_time_day"].endswith(" 00:00:00")
            m = row["metrics"]
            assert all(isinstance(v, str) for v in m.values())  # TikTok's strings
            assert m["campaign_name"] == names[row["dimensions"]["campaign_id"]]["campaign_name"]
            acc = served[row["dimensions"]["stat_time_day"][:10]]
            acc[0] += Decimal(m["cost"])
            acc[1] += int(m["orders"])
            acc[2] += Decimal(m["gross_revenue"])
        expected = defaultdict(lambda: [Decimal(0), 0, Decimal(0)])
        first = account.day_of(END) - 29
        for r in world.gmv_max_rows(account, first):
            acc = expected[account.date_at(r.day).isoformat()]
            acc[0] += Decimal(r.cost) / 10**account.digits
            acc[1] += r.orders
            acc[2] += Decimal(r.gross_revenue) / 10**account.digits
        assert served == expected
        totals = data["total_metrics"]
        assert Decimal(totals["cost"]) == sum(v[0] for v in served.values())
        assert int(totals["orders"]) == sum(v[1] for v in served.values())
        if account.currency == "JPY":
            assert all("." not in row["metrics"]["cost"] for row in data["list"])
    assert with_shop == 2  # the USD and JPY accounts of the default scale; NZD has none


def test_gmv_max_spend_is_in_the_truth_but_not_in_the_integrated_report(
    api: TikTok, advertisers: list[str]
) -> None:
    world = World("tiktok", 1, SCALE, END)
    full = {(r["account_id"], r["date"]): r["spend"] for r in truth_rows("tiktok", 1, SCALE, END)}
    plain = {
        (r["account_id"], r["date"]): r["spend"]
        for r in truth_rows("tiktok", 1, SCALE, END, gmv_max=False)
    }
    for advertiser in advertisers:
        account = world.account(advertiser)
        rows = api.all_pages(
            "report/integrated/get/",
            advertiser_id=advertiser,
            report_type="BASIC",
            data_level="AUCTION_CAMPAIGN",
            dimensions=["campaign_id", "stat_time_day"],
            metrics=["spend"],
            filtering=status_all("campaign_status"),
            **WINDOW,
        )
        gmv_ids = {c.id for c in (world.shop(account).campaigns if world.shop(account) else ())}
        assert not gmv_ids & {r["dimensions"]["campaign_id"] for r in rows}
        campaigns = api.all_pages(
            "campaign/get/", advertiser_id=advertiser, filtering={"primary_status": "STATUS_ALL"}
        )
        assert not gmv_ids & {c["campaign_id"] for c in campaigns}
        integrated = defaultdict(Decimal)
        for r in rows:
            integrated[r["dimensions"]["stat_time_day"][:10]] += Decimal(r["metrics"]["spend"])
        gmv = defaultdict(Decimal)
        for r in world.gmv_max_rows(account):
            gmv[account.date_at(r.day).isoformat()] += Decimal(r.cost) / 10**account.digits
        for day, spend in integrated.items():
            assert spend == plain[(advertiser, day)]
            assert full[(advertiser, day)] == spend + gmv.get(day, 0)
        assert bool(gmv) == (world.shop(account) is not None)


def test_deleted_campaigns_only_when_asked_and_paging(api: TikTok, advertisers: list[str]) -> None:
    world = World("tiktok", 1, SCALE, END)
    account = next(
        a
        for a in map(world.account, advertisers)
        if world.shop(a) and any(c.deleted for c in world.shop(a).campaigns)
    )
    store = world.shop(account).store.id
    deleted = {c.id for c in world.shop(account).campaigns if c.deleted}
    default = _report(api, account.id, store, filtering={})["data"]["list"]
    assert default and not deleted & {r["dimensions"]["campaign_id"] for r in default}
    every = _report(api, account.id, store)["data"]
    assert deleted <= {r["dimensions"]["campaign_id"] for r in every["list"]}
    paged, page = [], 1
    while True:
        data = _report(api, account.id, store, page=page, page_size=7)["data"]
        assert data["page_info"]["page_size"] == 7
        paged += data["list"]
        if page >= data["page_info"]["total_page"]:
            break
        page += 1
    assert paged == every["list"]


def test_errors_have_tiktoks_codes(api: TikTok, advertisers: list[str]) -> None:
    world = World("tiktok", 1, SCALE, END)
    account = next(a for a in map(world.account, advertisers) if world.shop(a))
    store = world.shop(account).store.id
    no_store = next(a for a in map(world.account, advertisers) if not world.shop(a))

    def code(body: dict) -> tuple[int, str]:
        assert body["data"] == {}
        return body["code"], body["message"]

    cases = [
        ({"store_ids": []}, 40002, "store_ids"),
        ({"store_ids": [store, store]}, 40002, "store_ids"),
        ({"metrics": ["spend"]}, 40002, "Invalid metric fields: ['spend']"),
        ({"metrics": ["product_impressions"]}, 40002, "Conflict"),
        ({"dimensions": ["stat_time_day"], "metrics": ["campaign_name"]}, 40002, "Conflict"),
        ({"dimensions": ["ad_id"]}, 40002, "dimensions"),
        ({"start_date": "2025-02-01"}, 40002, "at most 30 days"),
        ({"page_size": 1001}, 40002, "page_size"),
        ({"filtering": {"campaign_statuses": ["STATUS_NOPE"]}}, 40002, "campaign_statuses"),
    ]
    for params, expected, text in cases:
        got, message = code(_report(api, account.id, store, **params))
        assert (got, text in message) == (expected, True), (params, message)
    # A year without a time dimension is fine, 366 days are not.
    ok = _report(api, account.id, store, dimensions=["campaign_id"], start_date="2024-04-01")
    assert ok["code"] == 0 and len(ok["data"]["list"]) == len(world.shop(account).campaigns)
    assert (
        code(_report(api, account.id, store, dimensions=["campaign_id"], start_date="2024-03-30"))[
            0
        ]
        == 40002
    )
    # A store of another advertiser, an advertiser without a store, an unknown advertiser.
    assert code(_report(api, no_store.id, store))[0] == 40001
    assert code(_report(api, "7999999999999999999", store))[0] == 40001
    # TikTok's envelope on a missing token, 404 without the trailing slash.
    assert api.get("gmv_max/report/get/", token=None, advertiser_id=account.id)["code"] == 40104
    assert api.raw("gmv_max/report/get", advertiser_id=account.id).status_code == 404


def test_the_report_has_its_own_limit_of_8_a_second(api: TikTok, advertisers: list[str]) -> None:
    world = World("tiktok", 1, SCALE, END)
    account = next(a for a in map(world.account, advertisers) if world.shop(a))
    query = {
        "advertiser_id": account.id,
        "store_ids": [world.shop(account).store.id],
        "dimensions": ["campaign_id"],
        "metrics": ["cost"],
        **WINDOW,
    }
    time.sleep(1.1)
    codes = [api.get("gmv_max/report/get/", **query)["code"] for _ in range(12)]
    refused = [c for c in codes if c]
    # 8 admitted within a second, then TikTok's bare 40100 (unless the machine is so slow
    # that a second passed in between, which only admits more).
    assert codes.count(0) >= 8 and set(refused) <= {40100}
    if refused:
        body = api.get("gmv_max/report/get/", **query)
        assert body["code"] in (0, 40100)
        if body["code"]:
            assert "temporarily restricted" in body["message"]
    # The app's other endpoints are not held back by the report's own limit.
    assert api.get("gmv_max/store/list/", advertiser_id=account.id)["code"] == 0
