"""TikTok's asynchronous report tasks: create, poll, download the CSV.

Tasks have their own limit (2 per second, 60 per minute, 4,500 per day at every tier), so
creation goes through a pacer of its own besides the app-wide one.
"""

from __future__ import annotations

import csv
import io
import time
import typing as t

from ads_kit.errors import RetryableError
from ads_kit.pacing import RequestPacer

from tap_tiktok_ads.client import body_of

if t.TYPE_CHECKING:
    from tap_tiktok_ads.reports import ReportStream

TASK_RATES = [(2, 1), (60, 60), (4500, 86400)]
NOT_READY = 40201
FIRST_POLL_SECONDS = 0.5
LONGEST_POLL_SECONDS = 30.0


class ReportTaskFailed(RetryableError):
    """TikTok ended the task as FAILED; a new task usually succeeds."""


class ReportTasks:
    """Runs report tasks for one stream through its request layer."""

    def __init__(self, stream: ReportStream, pacer: RequestPacer) -> None:
        self.stream = stream
        self.pacer = pacer

    def rows(self, query: dict[str, t.Any], context: t.Any) -> t.Iterator[dict[str, str]]:
        """The task's rows as CSV dictionaries (header names are the API's field names)."""
        tries = self.stream._tap.rate_limits.max_retries + 1
        for attempt in range(1, tries + 1):
            try:
                text = self._run(query, context)
                break
            except ReportTaskFailed as failure:
                self.stream.logger.warning(
                    "%s: report task failed (%s); creating a new one (try %d of %d)",
                    self.stream.name,
                    failure,
                    attempt,
                    tries,
                )
                if attempt == tries:
                    raise
        yield from csv.DictReader(io.StringIO(text))

    def _run(self, query: dict[str, t.Any], context: t.Any) -> str:
        body = {
            **query,
            "output_format": "CSV_STRING",
            "enable_report_title_translation": False,
        }
        with self.pacer.slot():
            created = self.stream.call("/report/task/create/", context, body=body)
        task_id = body_of(created)["data"]["task_id"]
        self._wait(task_id, query["advertiser_id"], context)
        download = self.stream.call(
            "/report/task/download/",
            context,
            params={"advertiser_id": query["advertiser_id"], "task_id": task_id},
        )
        return download.text

    def _wait(self, task_id: str, advertiser_id: str, context: t.Any) -> None:
        started = time.monotonic()
        pause = FIRST_POLL_SECONDS
        while True:
            checked = self.stream.call(
                "/report/task/check/",
                context,
                params={"advertiser_id": advertiser_id, "task_id": task_id},
            )
            data = body_of(checked)["data"]
            status = str(data.get("status", "")).upper()
            if status == "SUCCESS":
                return
            if status in ("FAILED", "FAIL"):
                raise ReportTaskFailed(f"task {task_id}: {data.get('message') or status}")
            self.stream.logger.info(
                "%s: report task %s is %s after %.0f s",
                self.stream.name,
                task_id,
                status or "pending",
                time.monotonic() - started,
            )
            time.sleep(pause)
            pause = min(pause * 1.5, LONGEST_POLL_SECONDS)
