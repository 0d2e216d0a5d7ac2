"""TikTok's asynchronous report tasks as jobs of the ads-kit job runner: create, check,
download the CSV.

Task creation has its own limit (2 per second, 60 per minute, 4,500 per day at every tier),
so it goes through a pacer of its own besides the app-wide one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import typing as t

from ads_kit.jobs import JobPlatform, JobState, JobStatus, ReportJob
from ads_kit.pacing import RequestPacer

from tap_tiktok_ads.client import body_of

if t.TYPE_CHECKING:
    from tap_tiktok_ads.reports import ReportStream

TASK_RATES = [(2, 1), (60, 60), (4500, 86400)]
#: TikTok does not publish how many tasks may run at once; a few keep the queue short.
TASKS_IN_FLIGHT = 3
#: A task with no result after this long is created again.
TASK_TIMEOUT_SECONDS = 1800.0
_STATES = {"SUCCESS": JobState.COMPLETED, "FAILED": JobState.FAILED, "FAIL": JobState.FAILED}


class ReportTask(ReportJob):
    """One report task: one advertiser's report over one date window."""

    def __init__(
        self,
        stream: ReportStream,
        context: t.Any,
        start: dt.date,
        end: dt.date,
        pacer: RequestPacer,
    ) -> None:
        self.stream, self.context, self.window, self.pacer = stream, context, (start, end), pacer
        self.key = f"task:{start.isoformat()}:{end.isoformat()}"
        self.task_id: str | None = None

    @property
    def advertiser_id(self) -> str:
        return self.context["account_id"]

    def start(self) -> None:
        query = self.stream.report_query(self.advertiser_id, *self.window)
        body = {**query, "output_format": "CSV_STRING", "enable_report_title_translation": False}
        with self.pacer.slot():
            created = self.stream.call("/report/task/create/", self.context, body=body)
        self.task_id = str(body_of(created)["data"]["task_id"])

    def status(self) -> JobStatus:
        checked = self.stream.call(
            "/report/task/check/",
            self.context,
            params={"advertiser_id": self.advertiser_id, "task_id": self.task_id},
        )
        data = body_of(checked)["data"]
        status = str(data.get("status", "")).upper()
        return JobStatus(_STATES.get(status, JobState.RUNNING), None, data.get("message") or status)

    def results(self) -> t.Iterator[dict[str, str]]:
        """The task's rows as CSV dictionaries (header names are the API's field names)."""
        download = self.stream.call(
            "/report/task/download/",
            self.context,
            params={"advertiser_id": self.advertiser_id, "task_id": self.task_id},
        )
        return csv.DictReader(io.StringIO(download.text))

    def split(self) -> list[ReportJob]:
        """Two tasks over the window's halves."""
        start, end = self.window
        if start == end:
            return []
        middle = start + (end - start) // 2
        return [
            ReportTask(self.stream, self.context, start, middle, self.pacer),
            ReportTask(self.stream, self.context, middle + dt.timedelta(days=1), end, self.pacer),
        ]


class ReportTasks(JobPlatform):
    """TikTok has no batch check: each running task is checked in turn."""

    def poll(self, jobs: list[ReportJob]) -> dict[str, JobStatus]:
        return {job.key: t.cast(ReportTask, job).status() for job in jobs}
