"""Asynchronous insights: `AdReportRun` jobs whose run time grows with their rows.

A job is "Job Not Started", then "Job Started", "Job Running" with a growing
`async_percent_completion`, and ends "Job Completed" (or "Job Failed"/"Job Skipped" when the
job_failure fault picked it, or when it asks for more rows x fields than `max_cells`: then it
fails with code 1, "Please reduce the amount of data", as Meta's large reports do). Only so many
run at once per ad account and per app; the share in use is what `x-fb-ads-insights-throttle`
reports.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from ads_sandbox.meta.errors import APP_LIMIT, REDUCE_DATA, UNKNOWN, GraphError
from ads_sandbox.meta.insights import InsightsQuery, InsightsResult
from ads_sandbox.meta.objects import bare
from ads_sandbox.world import Account


@dataclass(frozen=True, slots=True)
class JobSettings:
    base_seconds: float = 1.0
    seconds_per_1000_rows: float = 0.2
    per_account: int = 10
    per_app: int = 50
    #: Rows x fields a job may compute before it fails asking for less (0: no bound).
    max_cells: int = 0


#: (error_code, error_subcode, error_message) of a failed run.
RANDOM_FAILURE = (-2, 2490547, "Async job failed: an unexpected error occurred")
TOO_LARGE = (UNKNOWN, None, REDUCE_DATA)


@dataclass(slots=True)
class ReportRun:
    id: str
    account: Account
    query: InsightsQuery
    result: InsightsResult
    created: float
    created_epoch: int
    duration: float
    failure: str | None  # None, "Job Failed" or "Job Skipped"
    error: tuple[int, int | None, str] = RANDOM_FAILURE
    #: Its first read answers 100/33, as Meta does right after creating a run (a race that
    #: singer-io/tap-facebook retries).
    not_found_once: bool = False


class JobStore:
    def __init__(self, settings: JobSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._runs: dict[str, ReportRun] = {}
        self._ids = itertools.count(6_012_345_678_900_001)
        #: The bound of JobSettings.max_cells, changed at run time by the control endpoint.
        self.max_cells = settings.max_cells

    def running(self, account_id: str | None = None) -> int:
        now = self._clock()
        return sum(
            1
            for run in self._runs.values()
            if now - run.created < run.duration
            and (account_id is None or run.account.id == account_id)
        )

    def throttle_header(self, account_id: str | None) -> str:
        s = self.settings
        acc = 100 * self.running(account_id) / s.per_account if account_id else 0
        app = 100 * self.running() / s.per_app
        return orjson.dumps(
            {
                "app_id_util_pct": round(app, 2),
                "acc_id_util_pct": round(acc, 2),
                "ads_api_access_tier": "standard_access",
            }
        ).decode()

    def start(
        self, account: Account, query: InsightsQuery, result: InsightsResult, failure: str | None
    ) -> ReportRun:
        s = self.settings
        if self.running(account.id) >= s.per_account or self.running() >= s.per_app:
            raise GraphError(
                APP_LIMIT,
                "(#4) There have been too many insights requests for this ad-account. Please "
                "wait a bit and try again.",
                subcode=1504022,
                transient=True,
                headers={"x-fb-ads-insights-throttle": self.throttle_header(account.id)},
            )
        error = RANDOM_FAILURE
        if self.max_cells and len(result) * max(1, len(query.fields)) > self.max_cells:
            failure, error = "Job Failed", TOO_LARGE
        run = ReportRun(
            id=str(next(self._ids)),
            account=account,
            query=query,
            result=result,
            created=self._clock(),
            created_epoch=int(time.time()),
            duration=s.base_seconds + len(result) * s.seconds_per_1000_rows / 1000,
            failure=failure,
            error=error,
        )
        self._runs[run.id] = run
        return run

    def find(self, run_id: str) -> ReportRun | None:
        return self._runs.get(run_id)

    def status(self, run: ReportRun) -> tuple[str, int]:
        fraction = (self._clock() - run.created) / run.duration if run.duration else 1.0
        if fraction >= 1:
            return (run.failure or "Job Completed"), (100 if run.failure is None else 50)
        if fraction < 0.1:
            return "Job Not Started", 0
        if fraction < 0.25:
            return "Job Started", 0
        return "Job Running", min(99, int(fraction * 100))

    def node(self, run: ReportRun) -> dict[str, Any]:
        status, percent = self.status(run)
        since = min(r[0] for r in run.query.ranges) if run.query.ranges else None
        until = max(r[1] for r in run.query.ranges) if run.query.ranges else None
        done = status in ("Job Completed", "Job Failed", "Job Skipped")
        node: dict[str, Any] = {
            "id": run.id,
            "account_id": bare(run.account),
            "time_ref": run.created_epoch,
            "async_status": status,
            "async_percent_completion": percent,
            "is_running": not done,
            "date_start": since.isoformat() if since else None,
            "date_stop": until.isoformat() if until else None,
            "emails": [],
            "friendly_name": "",
            "schedule_id": "",
            "is_bookmarked": False,
            "is_async_export": 0,
            **run.query.echo(),
        }
        if done:
            node["time_completed"] = run.created_epoch + int(run.duration)
        if status == "Job Failed":
            code, subcode, message = run.error
            node.update(
                error_code=code,
                error_message=message,
                error_user_title="Report failed",
                error_user_msg="The report could not be computed. Try again or ask for less.",
            )
            if subcode is not None:
                node["error_subcode"] = subcode
        return node
