"""The Meta emulator's errors, limits and faults, seen through the plain SDK."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest
import requests
from ads_sandbox.testing import running_sandbox
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.user import User
from facebook_business.exceptions import FacebookRequestError

from .meta_sdk import FAST, SCALE, sdk_api, wait_for

ACCOUNT_FIELDS = ["id", "currency"]


@pytest.fixture(scope="module")
def meta_url() -> Iterator[str]:
    with running_sandbox(scale=SCALE, extra_args=(*FAST, "--fault-timeout-seconds", "0.5")) as urls:
        yield urls["meta"]


@pytest.fixture()
def faults(meta_url: str) -> Iterator[Any]:
    def set_faults(rates: dict[str, float]) -> None:
        response = requests.post(f"{meta_url}/_sandbox/faults", json=rates, timeout=10)
        assert response.status_code == 200, response.text

    yield set_faults
    set_faults({})


def _first_account(url: str) -> str:
    return User(fbid="me", api=sdk_api(url)).get_ad_accounts(fields=["id"])[0]["id"]


def _error(call: Any) -> FacebookRequestError:
    with pytest.raises(FacebookRequestError) as caught:
        call()
    return caught.value


def test_unknown_insights_field_is_100_naming_it(meta_url: str) -> None:
    account = AdAccount(_first_account(meta_url), api=sdk_api(meta_url))
    error = _error(lambda: list(account.get_insights(fields=["spend", "no_such_metric"])))
    assert error.api_error_code() == 100 and error.http_status() == 400
    assert "nonexisting field (no_such_metric)" in error.api_error_message()
    assert error.body()["error"]["fbtrace_id"]


def test_unknown_breakdown_and_window_name_the_allowed_values(meta_url: str) -> None:
    account = AdAccount(_first_account(meta_url), api=sdk_api(meta_url))
    error = _error(
        lambda: list(account.get_insights(fields=["spend"], params={"breakdowns": ["shoe_size"]}))
    )
    assert error.api_error_code() == 100 and "publisher_platform" in error.api_error_message()
    error = _error(
        lambda: list(
            account.get_insights(
                fields=["spend"], params={"action_attribution_windows": ["7d_view_1d_click"]}
            )
        )
    )
    assert "must be one of the following values" in error.api_error_message()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_breakdown_meta_removed_is_refused_at_every_version(meta_url: str, method: str) -> None:
    """dma: gone since 2026-06-22 on GET and POST insights (comscore_market replaces it)."""
    params = {"breakdowns": ["dma"], "time_range": {"since": "2025-03-01", "until": "2025-03-02"}}
    for version in ("v25.0", "v26.0"):
        account = AdAccount(_first_account(meta_url), api=sdk_api(meta_url, version=version))
        error = _error(
            lambda account=account: account.get_insights(
                fields=["spend"], params=params, is_async=method == "POST"
            )
        )
        assert error.api_error_code() == 100 and error.http_status() == 400
        message = error.api_error_message()
        assert "breakdowns[0] must be one of the following values" in message
        allowed = message.split(": ", 1)[1].split(", ")
        assert "comscore_market" in allowed and "dma" not in allowed
    rows = list(
        account.get_insights(fields=["spend"], params={**params, "breakdowns": ["comscore_market"]})
    )
    assert rows and all(row["comscore_market"] for row in rows)


def test_a_synchronous_query_too_large_times_out_one_way_or_the_other() -> None:
    """Code 2 / 1504038 or code 100 / 1504018, "Request Timed Out"; async answers it."""
    with running_sandbox(scale=SCALE, extra_args=(*FAST, "--meta-sync-row-limit", "5")) as urls:
        account = AdAccount(_first_account(urls["meta"]), api=sdk_api(urls["meta"]))
        params = {"level": "ad", "time_range": {"since": "2025-03-01", "until": "2025-03-07"}}
        seen = set()
        for _ in range(2):
            error = _error(lambda: account.get_insights(fields=["spend"], params=params))
            assert error.api_error_message() == "Request Timed Out"
            seen.add((error.api_error_code(), error.api_error_subcode()))
        assert seen == {(2, 1504038), (100, 1504018)}
        job = account.get_insights(fields=["spend"], params=params, is_async=True)
        assert wait_for(job)[-1][0] == "Job Completed" and len(list(job.get_result())) > 5


def test_retired_version_answers_2635(meta_url: str) -> None:
    account = AdAccount(_first_account(meta_url), api=sdk_api(meta_url, version="v22.0"))
    error = _error(lambda: account.api_get(fields=ACCOUNT_FIELDS))
    assert error.api_error_code() == 2635 and "v26.0" in error.api_error_message()


def test_bad_token_is_190(meta_url: str) -> None:
    error = _error(lambda: User(fbid="me", api=sdk_api(meta_url, token="nope")).get_ad_accounts())
    assert error.api_error_code() == 190


def test_usage_headers_on_success(meta_url: str) -> None:
    account_id = _first_account(meta_url)
    api = sdk_api(meta_url)
    cursor = AdAccount(account_id, api=api).get_insights(fields=["spend"])
    headers = cursor.headers()
    buc = orjson.loads(headers["x-business-use-case-usage"])
    assert list(buc) == [account_id.removeprefix("act_")]
    assert buc[account_id.removeprefix("act_")][0]["type"] == "ads_insights"
    assert {"acc_id_util_pct", "app_id_util_pct"} <= orjson.loads(
        headers["x-fb-ads-insights-throttle"]
    ).keys()
    assert "call_count" in orjson.loads(headers["x-app-usage"])
    assert "acc_id_util_pct" in orjson.loads(headers["x-ad-account-usage"])


def test_account_limit_refuses_with_buc_code_and_regain_time() -> None:
    with running_sandbox(
        scale="1x2x1x1x3", extra_args=(*FAST, "--meta-account-calls", "3")
    ) as urls:
        api = sdk_api(urls["meta"])
        account = AdAccount(_first_account(urls["meta"]), api=api)
        for _ in range(3):
            account.get_campaigns(fields=["id"])
        error = _error(lambda: account.get_campaigns(fields=["id"]))
        assert error.api_error_code() == 80004 and error.api_transient_error()
        usage = orjson.loads(error.http_headers()["x-business-use-case-usage"])
        entry = next(iter(usage.values()))[0]
        assert entry["call_count"] == 100 and entry["estimated_time_to_regain_access"] >= 1


@pytest.mark.parametrize(
    ("fault", "codes"),
    [
        ("rate_limit", {4, 17, 32, 613, 80000, 80003, 80004, 80014}),
        ("server_error", {1, 2, 100}),
        ("token_expiry", {190}),
    ],
)
def test_request_faults_have_meta_codes(
    meta_url: str, faults: Any, fault: str, codes: set[int]
) -> None:
    api = sdk_api(meta_url)
    account = AdAccount(_first_account(meta_url), api=api)
    faults({fault: 1.0})
    seen = set()
    fields = [
        "spend",
        {"rate_limit": "clicks", "server_error": "ctr", "token_expiry": "cpm"}[fault],
    ]
    for day in range(1, 30):  # requests no other test sends: faults never hit one thrice
        try:
            account.get_insights(
                fields=fields,
                params={
                    "time_range": {"since": f"2025-03-{day:02d}", "until": f"2025-03-{day:02d}"}
                },
            )
        except FacebookRequestError as error:
            seen.add(error.api_error_code())
            if fault == "rate_limit":
                assert error.api_transient_error()
                assert "x-business-use-case-usage" in error.http_headers()
            if fault == "token_expiry":
                assert error.api_error_subcode() == 463
    assert seen and seen <= codes | {None}
    if fault == "rate_limit":
        assert len(seen) >= 4


def test_a_whole_batch_can_time_out_with_960_and_goes_through_again(
    meta_url: str, faults: Any
) -> None:
    api = sdk_api(meta_url)
    account = AdAccount(_first_account(meta_url), api=api)
    faults({"server_error": 1.0})
    timeouts = 0
    for limit in range(1, 25):
        batch = api.new_batch()
        batch.add_request(AdAccount(account.get_id(), api=api).get_campaigns(
            fields=["id"], params={"limit": limit}, pending=True))  # fmt: skip
        for _ in range(10):  # other server_error answers come too: retried like 960
            try:
                batch.execute()
                break
            except FacebookRequestError as error:
                if error.api_error_code() == 960:
                    assert error.http_status() == 400 and error.api_transient_error()
                    timeouts += 1
        else:
            raise AssertionError("the same batch failed ten times in a row")
    assert timeouts > 0


def test_audience_rules_make_big_pages_too_heavy(meta_url: str) -> None:
    account = AdAccount(_first_account(meta_url), api=sdk_api(meta_url))
    fields = ["id", "name", "rule"]
    error = _error(lambda: account.get_custom_audiences(fields=fields, params={"limit": 500}))
    assert error.api_error_code() == 1 and error.http_status() == 500
    assert "reduce the amount of data" in error.api_error_message()
    small = list(account.get_custom_audiences(fields=fields, params={"limit": 50}))
    assert any("rule" in a for a in small)
    assert list(account.get_custom_audiences(fields=["id", "name"], params={"limit": 500}))


def test_a_retried_request_gets_through(meta_url: str, faults: Any) -> None:
    account = AdAccount(_first_account(meta_url), api=sdk_api(meta_url))
    faults({"server_error": 1.0})
    failures = 0
    while True:
        try:
            account.api_get(fields=ACCOUNT_FIELDS)
            break
        except FacebookRequestError:
            failures += 1
    assert 1 <= failures <= 2


def test_job_failure_and_deprecated_field_and_sunset(meta_url: str, faults: Any) -> None:
    api = sdk_api(meta_url)
    account = AdAccount(_first_account(meta_url), api=api)
    faults({"job_failure": 1.0, "deprecated_field": 1.0, "sunset_version": 1.0})
    error = _error(lambda: account.api_get(fields=ACCOUNT_FIELDS))
    assert error.api_error_code() == 2635 and "v27.0" in error.api_error_message()
    api = sdk_api(meta_url, version="v27.0")
    account = AdAccount(account.get_id(), api=api)
    error = _error(lambda: list(account.get_insights(fields=["spend", "estimated_ad_recallers"])))
    assert "nonexisting field (estimated_ad_recallers)" in error.api_error_message()
    outcomes = set()
    for day in range(1, 13):
        params = {"time_range": {"since": f"2025-03-{day:02d}", "until": f"2025-03-{day:02d}"}}
        job = account.get_insights(fields=["spend"], params=params, is_async=True)
        try:
            job.api_get()
        except FacebookRequestError as race:  # right after creation: 100/33, then it is there
            assert race.api_error_code() == 100 and race.api_error_subcode() == 33
            final = wait_for(job)[-1][0]
            assert final == "Job Completed" and list(job.get_result())
            outcomes.add("not found once")
            continue
        final = wait_for(job)[-1][0]
        assert final in ("Job Failed", "Job Skipped")
        if final == "Job Failed":
            assert job["error_code"] == -2 and job["error_message"]
        outcomes.add(final)
    assert "not found once" in outcomes and "Job Failed" in outcomes


def test_disconnect_and_timeout_reach_the_client(meta_url: str, faults: Any) -> None:
    api = sdk_api(meta_url)
    account = AdAccount(_first_account(meta_url), api=api)
    faults({"disconnect": 1.0})
    broken = (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)
    with pytest.raises(broken):
        account.api_get(fields=ACCOUNT_FIELDS)
    faults({"timeout": 1.0})
    api._session.timeout = 0.2
    with pytest.raises(requests.exceptions.Timeout):
        AdAccount(account.get_id(), api=api).api_get(fields=["id", "name"])


def test_a_job_asking_for_too_much_fails_with_code_1(meta_url: str) -> None:
    api = sdk_api(meta_url)
    account = AdAccount(_first_account(meta_url), api=api)
    params = {"level": "ad", "date_preset": "last_7d", "time_increment": 1}
    fields = ["ad_id", "spend", "impressions", "clicks"]
    rows = len(list(account.get_insights(fields=["ad_id"], params={**params, "limit": 500})))
    assert rows > 1
    limits = f"{meta_url}/_sandbox/meta/limits"
    requests.post(limits, json={"max_job_cells": rows * len(fields) - 1}, timeout=10)
    try:
        job = account.get_insights(fields=fields, params=dict(params), is_async=True)
        assert wait_for(job)[-1][0] == "Job Failed"
        assert job["error_code"] == 1 and "reduce the amount of data" in job["error_message"]
        error = _error(lambda: list(job.get_result()))
        assert error.api_error_code() == 2601 and error.api_error_subcode() == 1815107
        # (the SDK writes `fields` into the params it is given: a fresh dict each call)
        half = account.get_insights(fields=fields[:2], params=dict(params), is_async=True)
        assert wait_for(half)[-1][0] == "Job Completed"
        assert len(list(half.get_result(params={"limit": 500}))) == rows
    finally:
        requests.post(limits, json={"max_job_cells": 0}, timeout=10)
    assert requests.post(limits, json={"max_job_cells": -1}, timeout=10).status_code == 400


REFUSED = [
    (["platform_position"], [], "action_type, platform_position"),
    (["mmm", "age"], [], "action_type, mmm, age"),
    (["mmm"], ["action_device"], "action_device, mmm"),
    (["image_asset", "country"], ["action_type"], "action_type, image_asset, country"),
    (["image_asset", "body_asset"], [], "action_type, image_asset, body_asset"),
    (["age", "country"], [], "action_type, age, country"),
    (["publisher_platform", "age"], [], "action_type, publisher_platform, age"),
    (["country"], ["action_device"], "action_device, country"),
]
ANSWERED = [
    ["publisher_platform", "platform_position"],
    ["mmm"],
    ["image_asset", "age", "gender"],
    ["age", "gender"],
    ["country", "region"],
    ["publisher_platform", "platform_position", "impression_device"],
    ["publisher_platform", "device_platform"],
    # unclear in Meta's documents, so answered (see breakdown_rules.py)
    ["impression_device"],
    ["hourly_stats_aggregated_by_advertiser_time_zone", "publisher_platform"],
    ["product_id", "age"],
]


@pytest.mark.parametrize(("breakdowns", "action_breakdowns", "columns"), REFUSED)
def test_invalid_breakdown_combinations_are_refused_as_meta_does(
    meta_url: str, breakdowns: list[str], action_breakdowns: list[str], columns: str
) -> None:
    account = AdAccount(_first_account(meta_url), api=sdk_api(meta_url))
    params = {"breakdowns": breakdowns, "action_breakdowns": action_breakdowns}
    error = _error(lambda: list(account.get_insights(fields=["spend"], params=params)))
    assert error.api_error_code() == 100 and error.http_status() == 400
    assert error.api_error_message() == (
        f"(#100) Current combination of data breakdown columns ({columns}) is invalid"
    )
    error = _error(lambda: account.get_insights(fields=["spend"], params=params, is_async=True))
    assert error.api_error_code() == 100


@pytest.mark.parametrize("breakdowns", ANSWERED, ids="+".join)
def test_valid_or_undocumented_combinations_are_answered(
    meta_url: str, breakdowns: list[str]
) -> None:
    account = AdAccount(_first_account(meta_url), api=sdk_api(meta_url))
    params = {"breakdowns": breakdowns, "date_preset": "last_7d", "limit": 500}
    rows = list(account.get_insights(fields=["spend"], params=params))
    assert rows and all(b in rows[0] for b in breakdowns)
