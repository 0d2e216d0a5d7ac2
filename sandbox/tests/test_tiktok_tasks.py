"""Asynchronous report tasks."""

import csv
import io
import time
from typing import Any

from ads_sandbox.testing import running_sandbox

from .conftest import END, FAST, TikTok, status_all

BODY = {
    "report_type": "BASIC",
    "data_level": "AUCTION_AD",
    "dimensions": ["ad_id", "stat_time_day"],
    "metrics": ["spend", "impressions", "clicks", "ad_text", "ctr"],
    "start_date": "2025-01-01",  # longer than the sync 30-day limit
    "end_date": END.isoformat(),
    "filtering": status_all("ad_status"),
}


def _wait(api: TikTok, advertiser: str, task_id: str) -> list[str]:
    seen = []
    for _ in range(100):
        status = api.ok("report/task/check/", advertiser_id=advertiser, task_id=task_id)["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in ("SUCCESS", "FAILED"):
            return seen
        time.sleep(0.05)
    raise AssertionError(f"task stuck in {seen}")


def _post_create(api: TikTok, body: dict[str, Any]) -> dict[str, Any]:
    """task/create allows 2 calls per second: wait and retry like a client must."""
    for _ in range(20):
        answer = api.post("report/task/create/", body)
        if answer["code"] != 40100:
            return answer
        time.sleep(0.25)
    raise AssertionError("task/create stayed rate limited")


def _create(api: TikTok, advertiser: str, **extra: Any) -> str:
    body = _post_create(api, {**BODY, "advertiser_id": advertiser, **extra})
    assert body["code"] == 0, body
    return body["data"]["task_id"]


def test_lifecycle_and_csv_matches_sync(api: TikTok, advertisers: list[str]) -> None:
    adv = advertisers[1]
    task_id = _create(api, adv, enable_report_title_translation=False)
    early = api.get("report/task/download/", advertiser_id=adv, task_id=task_id)
    assert early["code"] == 40201 and early["message"] == "Task is not ready."
    states = _wait(api, adv, task_id)
    assert states[0] in ("QUEUING", "PROCESSING") and states[-1] == "SUCCESS"
    response = api.raw("report/task/download/", advertiser_id=adv, task_id=task_id)
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == BODY["dimensions"] + BODY["metrics"]
    sync = api.all_pages(
        "report/integrated/get/",
        advertiser_id=adv,
        **{**BODY, "start_date": "2025-03-02"},
    )
    assert [r["dimensions"]["ad_id"] for r in sync] == [r[0] for r in rows[1:]]
    assert [list(r["metrics"].values()) for r in sync] == [r[2:] for r in rows[1:]]


def test_titles_are_translated_by_default(api: TikTok, advertisers: list[str]) -> None:
    adv = advertisers[0]
    task_id = _create(
        api,
        adv,
        report_type="AUDIENCE",
        dimensions=["ad_id", "gender"],
        metrics=["spend", "impressions"],
    )
    _wait(api, adv, task_id)
    text = api.raw("report/task/download/", advertiser_id=adv, task_id=task_id).text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Ad ID", "Gender", "Cost", "Impression"]
    assert {r[1] for r in rows[1:]} <= {"male", "female", "unknown"}


def test_task_errors(api: TikTok, advertisers: list[str]) -> None:
    adv = advertisers[0]
    unknown = api.get("report/task/check/", advertiser_id=adv, task_id="123")
    assert unknown["code"] == 40200
    bad = _post_create(api, {**BODY, "advertiser_id": adv, "start_date": "2024-01-01"})
    assert bad["code"] == 40002  # more than 365 days
    task_id = _create(api, adv)
    other = api.get("report/task/check/", advertiser_id=advertisers[1], task_id=task_id)
    assert other["code"] == 40200
    cancel = api.post("report/task/cancel/", {"advertiser_id": adv, "task_id": task_id})
    assert cancel["data"]["status"] == "CANCELED"
    assert api.get("report/task/download/", advertiser_id=adv, task_id=task_id)["code"] == 40200


def test_job_failure_fails_tasks_but_never_three_times_in_a_row() -> None:
    args = ("--end-date", END.isoformat(), *FAST, "--task-seconds", "0")
    with running_sandbox(scale="1x2x2x2x10", faults="job_failure=1", extra_args=args) as urls:
        api = TikTok(urls["tiktok"])
        adv = api.advertisers()[0]
        outcomes = []
        for _ in range(3):
            task_id = _create(api, adv)
            check = api.ok("report/task/check/", advertiser_id=adv, task_id=task_id)
            outcomes.append(check["status"])
            if check["status"] == "FAILED":
                assert check["message"]
                assert (
                    api.get("report/task/download/", advertiser_id=adv, task_id=task_id)["code"]
                    == 40200
                )
        assert outcomes == ["FAILED", "FAILED", "SUCCESS"]
