"""The Meta emulator driven by the plain facebook-business SDK: accounts, object edges,
synchronous and asynchronous insights, batch requests. No tap code."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from ads_sandbox.testing import running_sandbox
from ads_sandbox.truth import truth_rows
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adsinsights import AdsInsights
from facebook_business.adobjects.campaign import Campaign
from facebook_business.adobjects.user import User
from facebook_business.api import FacebookAdsApi
from facebook_business.exceptions import FacebookRequestError

from .meta_sdk import END, FAST, SCALE, purchases, sdk_api, wait_for

ALL_CAMPAIGN_STATUSES = sorted(
    v for k, v in vars(Campaign.EffectiveStatus).items() if not k.startswith("_")
)

#: Fields the SDK lists that Meta stopped serving in v19 (the fact sheet, section 4).
RETIRED = {"age_targeting", "gender_targeting", "labels", "location"} | {
    f"estimated_ad_{what}_{bound}_bound"
    for what in ("recall_rate", "recallers")
    for bound in ("lower", "upper")
}


@pytest.fixture(scope="module")
def meta_url() -> Iterator[str]:
    with running_sandbox(scale=SCALE, extra_args=FAST) as urls:
        yield urls["meta"]


@pytest.fixture()
def api(meta_url: str) -> FacebookAdsApi:
    return sdk_api(meta_url)


def _accounts(api: FacebookAdsApi) -> list[dict[str, Any]]:
    fields = ["id", "account_id", "name", "currency", "timezone_name", "created_time"]
    return [dict(a) for a in User(fbid="me", api=api).get_ad_accounts(fields=fields)]


def test_accounts_the_token_reaches(api: FacebookAdsApi) -> None:
    accounts = _accounts(api)
    truth = {
        r["account_id"]: (r["currency"], r["timezone"])
        for r in truth_rows("meta", 1, SCALE, _end())
    }
    assert {a["id"]: (a["currency"], a["timezone_name"]) for a in accounts} == truth
    assert all(a["id"] == "act_" + a["account_id"] for a in accounts)
    assert {a["currency"] for a in accounts} >= {"USD", "JPY"}
    # Graph timestamps: the account's offset without a colon.
    assert all(
        a["created_time"][-5] in "+-" and ":" not in a["created_time"][-5:] for a in accounts
    )


def _end():
    from datetime import date

    return date.fromisoformat(END)


def test_campaigns_paged_by_cursor_with_and_without_deleted(api: FacebookAdsApi) -> None:
    account = AdAccount(_accounts(api)[0]["id"], api=api)
    fields = ["id", "name", "effective_status", "updated_time", "daily_budget", "lifetime_budget"]
    every = list(
        account.get_campaigns(
            fields=fields, params={"effective_status": ALL_CAMPAIGN_STATUSES, "limit": 3}
        )
    )
    default = list(account.get_campaigns(fields=fields, params={"limit": 3}))
    assert len(every) == 4 and len({c["id"] for c in every}) == 4
    gone = [c for c in every if c["effective_status"] in ("DELETED", "ARCHIVED")]
    assert gone, "the world has a deleted campaign in every account of this scale"
    assert {c["id"] for c in default} == {c["id"] for c in every} - {c["id"] for c in gone}
    for campaign in every:
        budget = campaign.get("daily_budget") or campaign["lifetime_budget"]
        assert budget.isdigit()  # minor units as a string


def test_updated_time_filter(api: FacebookAdsApi) -> None:
    from datetime import datetime

    account = AdAccount(_accounts(api)[1]["id"], api=api)
    rows = list(
        account.get_ads(
            fields=["id", "updated_time"],
            params={
                "effective_status": [
                    "ACTIVE",
                    "PAUSED",
                    "DELETED",
                    "ARCHIVED",
                    "ADSET_PAUSED",
                    "CAMPAIGN_PAUSED",
                ],
                "limit": 100,
            },
        )
    )
    times = sorted(
        int(datetime.strptime(r["updated_time"], "%Y-%m-%dT%H:%M:%S%z").timestamp()) for r in rows
    )
    middle = times[len(times) // 2]
    newer = list(
        account.get_ads(
            fields=["id", "updated_time"],
            params={
                "filtering": [
                    {"field": "ad.updated_time", "operator": "GREATER_THAN", "value": middle}
                ],
                "effective_status": [
                    "ACTIVE",
                    "PAUSED",
                    "DELETED",
                    "ARCHIVED",
                    "ADSET_PAUSED",
                    "CAMPAIGN_PAUSED",
                ],
            },
        )
    )
    assert len(newer) == sum(1 for t in times if t > middle) > 0


def _per_day(rows: list[Any]) -> dict[str, list[Decimal]]:
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 5)
    for row in rows:
        t = totals[row["date_start"]]
        t[0] += Decimal(row["spend"])
        t[1] += int(row["impressions"])
        t[2] += int(row["clicks"])
        t[3] += int(purchases(row) or 0)
        t[4] += Decimal(purchases(row, field="action_values") or 0)
    return dict(totals)


INSIGHT_FIELDS = ["ad_id", "spend", "impressions", "clicks", "actions", "action_values"]
EVERY_AD = [
    {
        "field": "ad.effective_status",
        "operator": "IN",
        "value": sorted(
            v
            for k, v in vars(
                __import__("facebook_business.adobjects.ad", fromlist=["Ad"]).Ad.EffectiveStatus
            ).items()
            if not k.startswith("_")
        ),
    }
]


def test_sync_and_async_insights_equal_the_truth(api: FacebookAdsApi) -> None:
    truth = truth_rows("meta", 1, SCALE, _end())
    for account in _accounts(api):
        expected = {
            r["date"]: [
                r["spend"],
                r["impressions"],
                r["clicks"],
                r["conversions"],
                r["conversion_value"],
            ]
            for r in truth
            if r["account_id"] == account["id"]
        }
        since, until = min(expected), max(expected)
        params = {
            "level": "ad",
            "time_range": {"since": since, "until": until},
            "time_increment": 1,
            "filtering": EVERY_AD,
            "limit": 500,
        }
        ad_account = AdAccount(account["id"], api=api)
        sync_rows = [dict(r) for r in ad_account.get_insights(fields=INSIGHT_FIELDS, params=params)]
        assert _per_day(sync_rows) == expected
        job = ad_account.get_insights(fields=INSIGHT_FIELDS, params=params, is_async=True)
        states = wait_for(job)
        assert states[-1] == ("Job Completed", 100)
        async_rows = [dict(r) for r in job.get_result(params={"limit": 250})]
        assert async_rows == sync_rows


def test_without_status_filter_deleted_ads_are_left_out(api: FacebookAdsApi) -> None:
    account = AdAccount(_accounts(api)[0]["id"], api=api)
    params = {"level": "ad", "date_preset": "maximum", "limit": 1000}
    default = list(account.get_insights(fields=["ad_id", "spend"], params=params))
    every = list(
        account.get_insights(fields=["ad_id", "spend"], params={**params, "filtering": EVERY_AD})
    )
    account_level = list(account.get_insights(fields=["spend"], params={"date_preset": "maximum"}))
    total = sum(Decimal(r["spend"]) for r in every)
    assert sum(Decimal(r["spend"]) for r in default) < total
    assert Decimal(account_level[0]["spend"]) == total


def test_batch_polls_jobs_and_reads_nodes(api: FacebookAdsApi) -> None:
    account = AdAccount(_accounts(api)[2]["id"], api=api)
    jobs = [
        account.get_insights(
            fields=["campaign_id", "spend"],
            params={"level": "campaign", "time_range": {"since": d, "until": d}},
            is_async=True,
        )
        for d in ("2025-03-01", "2025-03-02", "2025-03-03")
    ]
    answers: list[dict[str, Any]] = []
    batch = api.new_batch()
    for job in jobs:
        batch.add_request(job.api_get(pending=True), success=lambda r: answers.append(r.json()))
    assert batch.execute() is None
    assert [a["id"] for a in answers] == [j["id"] for j in jobs]
    assert all(a["async_status"].startswith("Job ") for a in answers)
    headers = []
    nodes = api.new_batch()
    campaigns = list(account.get_campaigns(fields=["id"]))
    for campaign in campaigns:
        nodes.add_request(
            Campaign(campaign["id"], api=api).api_get(fields=["name", "objective"], pending=True),
            success=lambda r: headers.append((r.json(), r.headers())),
        )
    nodes.execute()
    assert [h[0]["id"] for h in headers] == [c["id"] for c in campaigns]
    assert all(h[0]["objective"].startswith("OUTCOME_") for h in headers)
    # Each sub-response carries the usage headers too.
    assert all(any(x["name"] == "x-business-use-case-usage" for x in h[1]) for h in headers)


def test_every_sdk_insights_field_meta_serves_is_accepted(api: FacebookAdsApi) -> None:
    every = sorted(
        v for k, v in vars(AdsInsights.Field).items() if not k.startswith("_") and v not in RETIRED
    )
    account = AdAccount(_accounts(api)[0]["id"], api=api)
    rows = list(
        account.get_insights(
            fields=every,
            params={"level": "ad", "date_preset": "last_7d", "filtering": EVERY_AD, "limit": 50},
        )
    )
    assert rows
    row = rows[0]
    assert isinstance(row["actions"], list) and isinstance(row["spend"], str)
    assert set(row) <= set(every) | {"date_start", "date_stop"}


@pytest.mark.parametrize("name", sorted(RETIRED))
def test_fields_meta_retired_in_v19_are_refused_as_nonexisting(
    api: FacebookAdsApi, name: str
) -> None:
    account = AdAccount(_accounts(api)[0]["id"], api=api)
    with pytest.raises(FacebookRequestError) as caught:
        account.get_insights(fields=["spend", name], params={"date_preset": "last_7d"})
    assert caught.value.api_error_code() == 100 and caught.value.http_status() == 400
    assert f"Tried accessing nonexisting field ({name})" in caught.value.api_error_message()
