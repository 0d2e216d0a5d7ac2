"""The plain facebook-business SDK pointed at a Meta emulator (no tap code)."""

from __future__ import annotations

import time
from typing import Any

from facebook_business.adobjects.adreportrun import AdReportRun
from facebook_business.api import FacebookAdsApi, FacebookSession

END = "2025-03-31"
SCALE = "3x4x3x3x30"
TOKEN = "sandbox-token"
FAST = ("--end-date", END, "--meta-job-seconds", "0.3", "--meta-job-seconds-per-1000-rows", "0.1")


def sdk_api(url: str, token: str = TOKEN, version: str = "v26.0") -> FacebookAdsApi:
    session = FacebookSession(app_id="1234", app_secret="app-secret", access_token=token)
    session.GRAPH = url  # the instance attribute wins over the class's graph.facebook.com
    return FacebookAdsApi(session, api_version=version)


def wait_for(job: AdReportRun, timeout: float = 120.0) -> list[tuple[str, int]]:
    """Poll a report run until it ends; returns the (status, percent) pairs seen."""
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.api_get()
        state = (
            job[AdReportRun.Field.async_status],
            job[AdReportRun.Field.async_percent_completion],
        )
        if not seen or seen[-1] != state:
            seen.append(state)
        if state[0] in ("Job Completed", "Job Failed", "Job Skipped"):
            return seen
        time.sleep(0.05)
    raise AssertionError(f"report run stuck: {seen}")


def purchases(row: dict[str, Any], key: str = "value", field: str = "actions") -> str | None:
    for stat in row.get(field, ()):
        if stat["action_type"] == "offsite_conversion.fb_pixel_purchase":
            return stat.get(key)
    return None
