"""report/integrated/get: numbers, levels, filters, validation."""

import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from ads_sandbox.testing import running_sandbox
from ads_sandbox.truth import truth_rows
from ads_sandbox.world import World

from .conftest import END, FAST, SCALE, TikTok, status_all

WINDOW = {"start_date": "2025-03-02", "end_date": END.isoformat()}
TOTALS = ["spend", "impressions", "clicks", "conversion", "total_purchase_value"]


def report(api: TikTok, advertiser: str, level: str, dims: list[str], **params: Any) -> list[dict]:
    params = {**WINDOW, **params}
    return api.all_pages(
        "report/integrated/get/",
        advertiser_id=advertiser,
        report_type=params.pop("report_type", "BASIC"),
        data_level=level,
        dimensions=dims,
        metrics=params.pop("metrics", TOTALS),
        **params,
    )


def _sum(rows: list[dict], key: Any = lambda r: None) -> dict[Any, tuple]:
    out: dict[Any, list] = defaultdict(lambda: [Decimal(0)] * len(TOTALS))
    for row in rows:
        acc = out[key(row)]
        for i, m in enumerate(TOTALS):
            acc[i] += Decimal(row["metrics"][m])
    return {k: tuple(v) for k, v in out.items()}


def test_truth_equals_advertiser_level_report(api: TikTok, advertisers: list[str]) -> None:
    revision = api.control("stats")["revision"]
    truth = truth_rows("tiktok", 1, SCALE, END, revision, gmv_max=False)
    served = []
    for advertiser in advertisers:
        for row in report(
            api, advertiser, "AUCTION_ADVERTISER", ["advertiser_id", "stat_time_day"]
        ):
            m = row["metrics"]
            served.append(
                {
                    "account_id": row["dimensions"]["advertiser_id"],
                    "date": row["dimensions"]["stat_time_day"][:10],
                    "spend": Decimal(m["spend"]),
                    "impressions": int(m["impressions"]),
                    "clicks": int(m["clicks"]),
                    "conversions": int(m["conversion"]),
                    "conversion_value": Decimal(m["total_purchase_value"]),
                }
            )
            assert row["dimensions"]["stat_time_day"].endswith(" 00:00:00")
    expected = [{k: r[k] for k in served[0]} for r in truth]
    assert sorted(served, key=lambda r: (r["account_id"], r["date"])) == sorted(
        expected, key=lambda r: (r["account_id"], r["date"])
    )


def test_money_strings_follow_currency_decimals(api: TikTok, advertisers: list[str]) -> None:
    usd, jpy = advertisers[0], advertisers[1]
    metrics = ["spend", "cpc", "cpm", "ctr", "impressions", "currency"]
    for row in report(api, usd, "AUCTION_CAMPAIGN", ["campaign_id"], metrics=metrics):
        m = row["metrics"]
        assert m["currency"] == "USD" and m["spend"].count(".") == 1
        assert len(m["spend"].split(".")[1]) == 2 and len(m["ctr"].split(".")[1]) == 2
        assert all(isinstance(v, str) for v in m.values())
    for row in report(api, jpy, "AUCTION_CAMPAIGN", ["campaign_id"], metrics=metrics):
        assert "." not in row["metrics"]["spend"] and "." not in row["metrics"]["cpm"]


def test_levels_add_up(api: TikTok, advertisers: list[str]) -> None:
    for advertiser in advertisers:
        ads = report(
            api,
            advertiser,
            "AUCTION_AD",
            ["ad_id", "stat_time_day"],
            metrics=[*TOTALS, "campaign_id", "adgroup_id"],
            filtering=status_all("ad_status"),
        )
        campaigns = report(
            api,
            advertiser,
            "AUCTION_CAMPAIGN",
            ["campaign_id", "stat_time_day"],
            filtering=status_all("campaign_status"),
        )
        total = report(api, advertiser, "AUCTION_ADVERTISER", ["stat_time_day"])
        by_campaign_day = _sum(
            ads, lambda r: (r["metrics"]["campaign_id"], r["dimensions"]["stat_time_day"])
        )
        assert by_campaign_day == _sum(
            campaigns, lambda r: (r["dimensions"]["campaign_id"], r["dimensions"]["stat_time_day"])
        )
        assert _sum(ads) == _sum(total)


def test_status_not_delete_default_hides_deleted_spend(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[0]
    campaigns = api.all_pages(
        "campaign/get/", advertiser_id=advertiser, filtering={"primary_status": "STATUS_DELETE"}
    )
    deleted = {c["campaign_id"] for c in campaigns}
    default = report(api, advertiser, "AUCTION_CAMPAIGN", ["campaign_id"])
    everything = report(
        api,
        advertiser,
        "AUCTION_CAMPAIGN",
        ["campaign_id"],
        filtering=status_all("campaign_status"),
    )
    only_deleted = report(
        api,
        advertiser,
        "AUCTION_CAMPAIGN",
        ["campaign_id"],
        filtering=[
            {
                "field_name": "campaign_status",
                "filter_type": "IN",
                "filter_value": '["STATUS_DELETE"]',
            }
        ],
    )
    assert {r["dimensions"]["campaign_id"] for r in only_deleted} == deleted
    assert not deleted & {r["dimensions"]["campaign_id"] for r in default}
    spend = lambda rows: sum(Decimal(r["metrics"]["spend"]) for r in rows)  # noqa: E731
    assert spend(only_deleted) > 0
    assert spend(default) + spend(only_deleted) == spend(everything)
    ads_default = report(api, advertiser, "AUCTION_AD", ["ad_id"])
    ads_all = report(api, advertiser, "AUCTION_AD", ["ad_id"], filtering=status_all("ad_status"))
    assert (
        spend(ads_default)
        < spend(ads_all)
        == spend(report(api, advertiser, "AUCTION_ADVERTISER", ["advertiser_id"]))
    )


@pytest.mark.parametrize(
    ("account", "day", "hours"),
    [(2, "2025-03-30", 24), (0, "2025-03-09", 23)],  # Los Angeles skips 02:00 on 2025-03-09
)
def test_hourly_rows_sum_to_the_day(
    api: TikTok, advertisers: list[str], account: int, day: str, hours: int
) -> None:
    advertiser = advertisers[account]
    span = {"start_date": day, "end_date": day}
    hourly = report(api, advertiser, "AUCTION_AD", ["ad_id", "stat_time_hour"], **span)
    daily = report(api, advertiser, "AUCTION_AD", ["ad_id", "stat_time_day"], **span)
    assert {r["dimensions"]["stat_time_hour"][:10] for r in hourly} == {day}
    assert len({r["dimensions"]["stat_time_hour"][11:] for r in hourly}) == hours
    assert _sum(hourly, lambda r: r["dimensions"]["ad_id"]) == _sum(
        daily, lambda r: r["dimensions"]["ad_id"]
    )


@pytest.mark.parametrize(
    "dims", [["age"], ["gender", "age"], ["country_code", "platform", "placement"]]
)
def test_audience_breakdowns_sum_to_basic(
    api: TikTok, advertisers: list[str], dims: list[str]
) -> None:
    advertiser = advertisers[1]
    audience = report(
        api, advertiser, "AUCTION_AD", ["ad_id", "stat_time_day", *dims], report_type="AUDIENCE"
    )
    basic = report(api, advertiser, "AUCTION_AD", ["ad_id", "stat_time_day"])
    key = lambda r: (r["dimensions"]["ad_id"], r["dimensions"]["stat_time_day"])  # noqa: E731
    assert _sum(audience, key) == _sum(basic, key)
    cells = {tuple(r["dimensions"][d] for d in dims) for r in audience}
    assert len(cells) > 1
    assert all(int(r["metrics"]["impressions"]) > 0 for r in audience)


def test_paging_is_stable_and_complete(api: TikTok, advertisers: list[str]) -> None:
    whole = report(api, advertisers[0], "AUCTION_AD", ["ad_id", "stat_time_day"])
    paged = []
    page = 1
    while True:
        data = api.ok(
            "report/integrated/get/",
            advertiser_id=advertisers[0],
            report_type="BASIC",
            data_level="AUCTION_AD",
            dimensions=["ad_id", "stat_time_day"],
            metrics=TOTALS,
            page=page,
            page_size=37,
            **WINDOW,
        )
        paged.extend(data["list"])
        if page >= data["page_info"]["total_page"]:
            break
        page += 1
    assert paged == whole


def test_metric_formats_and_attributes(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[0]
    metrics = [
        "spend",
        "impressions",
        "clicks",
        "ctr",
        "cpc",
        "cpm",
        "conversion",
        "cost_per_conversion",
        "conversion_rate",
        "reach",
        "frequency",
        "real_time_conversion",
        "complete_payment",
        "video_play_actions",
        "likes",
        "comments",
        "shares",
        "follows",
        "secondary_goal_result",
        "campaign_name",
        "campaign_id",
        "adgroup_name",
        "adgroup_id",
        "ad_name",
        "ad_text",
        "objective_type",
        "currency",
    ]
    rows = report(api, advertiser, "AUCTION_AD", ["ad_id", "stat_time_day"], metrics=metrics)
    ads = {a["ad_id"]: a for a in api.all_pages("ad/get/", advertiser_id=advertiser)}
    for row in rows:
        m = row["metrics"]
        ad = ads[row["dimensions"]["ad_id"]]
        assert (m["campaign_id"], m["adgroup_id"], m["ad_name"], m["ad_text"]) == (
            ad["campaign_id"],
            ad["adgroup_id"],
            ad["ad_name"],
            ad["ad_text"],
        )
        imp, clk, conv = int(m["impressions"]), int(m["clicks"]), int(m["conversion"])
        assert m["secondary_goal_result"] == "-"
        # A zero denominator gives zero, as TikTok sends it (sandbox/README.md).
        assert Decimal(m["cpc"]) == 0 if clk == 0 else Decimal(m["cpc"]) > 0
        assert (
            Decimal(m["cost_per_conversion"]) == 0
            if conv == 0
            else Decimal(m["cost_per_conversion"]) > 0
        )
        assert Decimal(m["conversion_rate"]) == 0 if clk == 0 else m["conversion_rate"] != "-"
        expected_ctr = (Decimal(clk) * 100 / imp).quantize(Decimal("0.01"), "ROUND_HALF_UP")
        assert Decimal(m["ctr"]) == expected_ctr
        assert 0 < int(m["reach"]) <= imp
        assert int(m["real_time_conversion"]) >= conv


def test_attribute_metrics_only_where_they_make_sense(api: TikTok, advertisers: list[str]) -> None:
    advertiser = advertisers[0]
    base = {"advertiser_id": advertiser, "report_type": "BASIC", **WINDOW}
    bad = api.get(
        "report/integrated/get/",
        **base,
        data_level="AUCTION_CAMPAIGN",
        dimensions=["campaign_id"],
        metrics=["spend", "ad_name", "adgroup_id"],
    )
    assert bad["code"] == 40002 and "['ad_name', 'adgroup_id']" in bad["message"]
    cash = api.get(
        "report/integrated/get/",
        **base,
        data_level="AUCTION_CAMPAIGN",
        dimensions=["campaign_id"],
        metrics=["cash_spend"],
    )
    assert cash["code"] == 40002
    rows = report(
        api,
        advertiser,
        "AUCTION_ADVERTISER",
        ["advertiser_id"],
        metrics=["spend", "cash_spend", "voucher_spend"],
    )
    m = rows[0]["metrics"]
    assert Decimal(m["cash_spend"]) + Decimal(m["voucher_spend"]) == Decimal(m["spend"])


CONFLICT = "Conflict occurs. The input params including metrics and dimensions have no relation."


def _error(api: TikTok, advertiser: str, **overrides: Any) -> dict:
    params = {
        "advertiser_id": advertiser,
        "report_type": "BASIC",
        "data_level": "AUCTION_AD",
        "dimensions": ["ad_id", "stat_time_day"],
        "metrics": ["spend"],
        **WINDOW,
        **overrides,
    }
    return api.get("report/integrated/get/", **{k: v for k, v in params.items() if v is not None})


def test_validation_errors(api: TikTok, advertisers: list[str]) -> None:
    adv = advertisers[0]
    invalid = _error(api, adv, metrics=["spend", "x", "placement"])
    assert (invalid["code"], invalid["message"], invalid["data"]) == (
        40002,
        "Please correct the information in invalid metric fields and try again. "
        "Invalid metric fields: ['x', 'placement'].",
        {},
    )
    assert _error(api, adv, start_date="2025-03-01")["code"] == 40002  # 31 days
    assert _error(api, adv, start_date="2025-03-02")["code"] == 0  # 30 days
    assert _error(api, adv, start_date="2025-04-02")["code"] == 40002  # start after end
    hourly = {"dimensions": ["ad_id", "stat_time_hour"]}
    assert _error(api, adv, **hourly, start_date="2025-03-30")["code"] == 40002
    assert _error(api, adv, **hourly, start_date="2025-03-31")["code"] == 0
    no_time = {"dimensions": ["ad_id"], "end_date": "2025-12-31"}
    assert _error(api, adv, **no_time, start_date="2024-12-31")["code"] == 40002  # 366 days
    assert _error(api, adv, **no_time, start_date="2025-01-01")["code"] == 0
    conflict = _error(
        api,
        adv,
        report_type="AUDIENCE",
        dimensions=["ad_id", "age", "stat_time_hour"],
        start_date="2025-03-31",
    )
    assert conflict["message"] == CONFLICT
    # Reach in hourly reports works in production (connectors read it), cash spend does not.
    assert _error(api, adv, **hourly, start_date="2025-03-31", metrics=["reach"])["code"] == 0
    day_only = {"data_level": "AUCTION_ADVERTISER", "metrics": ["cash_spend"]}
    hourly_cash = _error(
        api,
        adv,
        **day_only,
        dimensions=["advertiser_id", "stat_time_hour"],
        start_date="2025-03-31",
    )
    assert hourly_cash["message"] == CONFLICT
    assert _error(api, adv, dimensions=["ad_id", "stat_time_day", "country_code"])["code"] == 0
    broken_down = _error(
        api, adv, dimensions=["ad_id", "country_code"], metrics=["paid_engaged_view"]
    )
    assert broken_down["message"] == CONFLICT
    assert (
        _error(
            api, adv, report_type="AUDIENCE", dimensions=["ad_id", "age"], metrics=["frequency"]
        )["code"]
        == 40002
    )
    assert _error(api, adv, report_type="CATALOG")["code"] == 40002
    assert _error(api, adv, data_level=None)["message"].startswith("data_level")
    assert _error(api, adv, dimensions=None)["message"].startswith("dimensions")
    assert _error(api, adv, dimensions=["campaign_id", "stat_time_day"])["code"] == 40002
    assert _error(api, adv, dimensions=["ad_id", "age"])["code"] == 40002  # BASIC with age
    assert _error(api, adv, page_size=1001)["code"] == 40002
    too_many = [
        {
            "field_name": "ad_ids",
            "filter_type": "IN",
            "filter_value": str([str(i) for i in range(101)]).replace("'", '"'),
        }
    ]
    assert _error(api, adv, filtering=too_many)["code"] == 40002
    not_string = [{"field_name": "ad_status", "filter_type": "IN", "filter_value": ["STATUS_ALL"]}]
    assert _error(api, adv, filtering=not_string)["code"] == 40002


def test_default_metrics_lifetime_and_v12_filters_param(
    api: TikTok, advertisers: list[str]
) -> None:
    adv = advertisers[0]
    rows = api.ok(
        "report/integrated/get/",
        advertiser_id=adv,
        report_type="BASIC",
        data_level="AUCTION_AD",
        dimensions=["ad_id"],
        query_lifetime="true",
        page_size=1000,
        filters=status_all("ad_status"),
    )["list"]
    assert rows and set(rows[0]["metrics"]) == {"spend", "impressions"}
    ranged = report(api, adv, "AUCTION_AD", ["ad_id"], metrics=["spend", "impressions"])
    assert rows == ranged  # lifetime == the whole window; `filters` (v1.2) changed nothing
    # Lifetime takes no country breakdown, and cash or voucher spend only by day.
    lifetime = dict(advertiser_id=adv, report_type="BASIC", query_lifetime="true")
    by_country = api.get(
        "report/integrated/get/",
        **lifetime,
        data_level="AUCTION_AD",
        dimensions=["ad_id", "country_code"],
    )
    assert by_country["code"] == 40002 and "country_code" in by_country["message"]
    for metric in ("cash_spend", "voucher_spend"):
        refused = api.get(
            "report/integrated/get/",
            **lifetime,
            data_level="AUCTION_ADVERTISER",
            dimensions=["advertiser_id"],
            metrics=["spend", metric],
        )
        assert refused["code"] == 40002 and refused["message"].startswith("Conflict occurs")
    # By day at advertiser level they are served.
    assert api.ok(
        "report/integrated/get/",
        advertiser_id=adv,
        report_type="BASIC",
        data_level="AUCTION_ADVERTISER",
        dimensions=["advertiser_id", "stat_time_day"],
        metrics=["cash_spend"],
        start_date=END.isoformat(),
        end_date=END.isoformat(),
    )["list"]


def test_ad_filters_select_rows(api: TikTok, advertisers: list[str]) -> None:
    adv = advertisers[0]
    groups = api.all_pages("adgroup/get/", advertiser_id=adv)
    wanted = [g["adgroup_id"] for g in groups[:2]]
    rows = report(
        api,
        adv,
        "AUCTION_AD",
        ["ad_id"],
        metrics=["spend", "adgroup_id"],
        filtering=[
            {"field_name": "adgroup_ids", "filter_type": "IN", "filter_value": json.dumps(wanted)}
        ],
    )
    assert rows and {r["metrics"]["adgroup_id"] for r in rows} <= set(wanted)


def test_sync_ad_limit_truncates_to_newest_ads() -> None:
    with running_sandbox(
        scale="1x3x2x3x5", extra_args=("--end-date", END.isoformat(), "--sync-ad-limit", "5", *FAST)
    ) as urls:
        api = TikTok(urls["tiktok"])
        adv = api.advertisers()[0]
        params = dict(
            advertiser_id=adv,
            report_type="BASIC",
            data_level="AUCTION_AD",
            dimensions=["ad_id"],
            metrics=["spend"],
            start_date="2025-03-27",
            end_date="2025-03-31",
            filtering=status_all("ad_status"),
            page_size=1000,
        )
        response = api.raw("report/integrated/get/", **params)
        rows = response.json()["data"]["list"]
        assert len(rows) == 5
        assert "only return the top 5" in response.headers["X-Tt-Ads-Throttle"]
        world = World("tiktok", 1, "1x3x2x3x5", END)
        account = world.accounts[0]
        ads = world.entities(account).ads
        delivering = [ads[i] for i in sorted({ad for _, ad, _ in world.rows(account)})]
        newest = sorted(delivering, key=lambda a: (a.create_time, a.id), reverse=True)[:5]
        assert len(delivering) > 5
        assert {r["dimensions"]["ad_id"] for r in rows} == {a.id for a in newest}
        campaign = api.raw(
            "report/integrated/get/",
            **{**params, "data_level": "AUCTION_CAMPAIGN", "dimensions": ["campaign_id"]},
        )
        assert "X-Tt-Ads-Throttle" not in campaign.headers


def test_not_in_filters_leave_out_what_in_keeps(api: TikTok, advertisers: list[str]) -> None:
    """NOT_IN on ids and objective types, as TikTok's filtering takes it: the rows it leaves
    out are those IN keeps, and together they are the whole report."""
    adv = advertisers[0]
    picked = api.all_pages("campaign/get/", advertiser_id=adv)[0]

    def spend(field: str, kind: str, values: list[str]) -> dict[str, Decimal]:
        rows = report(
            api,
            adv,
            "AUCTION_CAMPAIGN",
            ["campaign_id"],
            metrics=["spend"],
            filtering=[
                *status_all("campaign_status"),
                {"field_name": field, "filter_type": kind, "filter_value": json.dumps(values)},
            ],
        )
        return {r["dimensions"]["campaign_id"]: Decimal(r["metrics"]["spend"]) for r in rows}

    everything = report(
        api,
        adv,
        "AUCTION_CAMPAIGN",
        ["campaign_id"],
        metrics=["spend"],
        filtering=status_all("campaign_status"),
    )
    whole = {r["dimensions"]["campaign_id"]: Decimal(r["metrics"]["spend"]) for r in everything}
    for field, values in (
        ("campaign_ids", [picked["campaign_id"]]),
        ("objective_type", [picked["objective_type"]]),
    ):
        kept, left = spend(field, "IN", values), spend(field, "NOT_IN", values)
        assert kept and left, field
        assert not kept.keys() & left.keys()
        assert kept | left == whole
