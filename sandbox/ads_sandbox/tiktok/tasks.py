"""Asynchronous reports: `report/task/create|check|download|cancel/`."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from ads_sandbox.tiktok.context import Call
from ads_sandbox.tiktok.envelope import TASK_ERROR, TASK_NOT_READY, ApiError, param_error
from ads_sandbox.tiktok.report_query import ReportQuery, parse_report_query
from ads_sandbox.tiktok.reports import MAX_ADVERTISERS, advertiser_accounts, money_metrics
from ads_sandbox.world import Account

FAILURE_MESSAGE = "Task failed: an internal error occurred while generating the report."


@dataclass(slots=True)
class Task:
    id: str
    account: Account
    query: ReportQuery
    revision: int
    translate: bool
    created: float
    fails: bool
    canceled: bool = False
    csv: str | None = None
    rows: int = 0
    #: A multi-advertiser task's advertisers (`advertiser_ids`), the first being `account`.
    members: tuple[Account, ...] = ()


class TaskStore:
    """Tasks go QUEUING -> PROCESSING -> SUCCESS (or FAILED) as task_seconds pass."""

    def __init__(self, task_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.task_seconds = task_seconds
        self._clock = clock
        self._tasks: dict[str, Task] = {}
        self._ids = itertools.count(7_400_000_000_000_000_001)

    def add(
        self,
        accounts: list[Account],
        query: ReportQuery,
        revision: int,
        translate: bool,
        fails: bool,
    ) -> Task:
        task = Task(
            str(next(self._ids)), accounts[0], query, revision, translate, self._clock(), fails
        )
        task.members = tuple(accounts)
        self._tasks[task.id] = task
        return task

    def find(self, account: Account, task_id: str) -> Task:
        task = self._tasks.get(task_id)
        if task is None or account.id not in {member.id for member in task.members}:
            raise ApiError(TASK_ERROR, f"Task {task_id} does not exist.")
        return task

    def status(self, task: Task) -> str:
        if task.canceled:
            return "CANCELED"
        elapsed = self._clock() - task.created
        if elapsed < self.task_seconds * 0.3:
            return "QUEUING"
        if elapsed < self.task_seconds:
            return "PROCESSING"
        return "FAILED" if task.fails else "SUCCESS"


def create(call: Call) -> web.Response:
    ids = call.params.string_list("advertiser_ids", max_items=MAX_ADVERTISERS)
    accounts = advertiser_accounts(call, ids) if ids else [call.reporting_advertiser()]
    query = parse_report_query(call.params, asynchronous=True)
    if len(accounts) > 1 and query.report_type not in ("BASIC", "AUDIENCE"):
        raise param_error("advertiser_ids: only BASIC and AUDIENCE reports take several.")
    output_format = call.params.string("output_format") or "CSV_STRING"
    if output_format != "CSV_STRING":
        raise param_error(f"output_format: {output_format} is not available here; use CSV_STRING.")
    translate = call.params.boolean("enable_report_title_translation", True)
    emulator = call.emulator
    signature = b"task|" + call.request.path.encode() + b"|" + call.body
    fails = emulator.state.faults.draw(signature, ("job_failure",)) is not None
    task = emulator.tasks.add(accounts, query, emulator.state.world.revision, translate, fails)
    return call.ok({"task_id": task.id})


def _task(call: Call) -> Task:
    account = call.advertiser()
    task_id = call.params.string("task_id", required=True)
    assert task_id is not None
    return call.emulator.tasks.find(account, task_id)


def check(call: Call) -> web.Response:
    task = _task(call)
    status = call.emulator.tasks.status(task)
    data = {"task_id": task.id, "status": status}
    if status == "FAILED":
        data["message"] = FAILURE_MESSAGE
    return call.ok(data)


def download(call: Call) -> web.Response:
    task = _task(call)
    emulator = call.emulator
    status = emulator.tasks.status(task)
    if status == "FAILED":
        raise ApiError(TASK_ERROR, FAILURE_MESSAGE)
    if status == "CANCELED":
        raise ApiError(TASK_ERROR, f"Task {task.id} was canceled.")
    if status != "SUCCESS":
        raise ApiError(TASK_NOT_READY, "Task is not ready.")
    if task.csv is None:
        parts, task.rows = [], 0
        for number, member in enumerate(task.members):
            result = emulator.reports.compute(member, task.query, task.revision, truncate=False)
            extra, money = None, None
            if len(task.members) > 1:  # as the synchronous report over several advertisers
                extra = {
                    "advertiser_id": member.id,
                    "currency": member.currency,
                    "timezone": member.timezone,
                }
                if not task.query.has_id_dimension:
                    extra = dict.fromkeys(extra, "0")
                money = frozenset(money_metrics(task.query))
            parts.append(result.csv_text(task.translate, extra, number == 0, money))
            task.rows += len(result)
        task.csv = "".join(parts)
    emulator.state.rows_served += task.rows
    response = web.Response(text=task.csv, content_type="text/csv", charset="utf-8")
    response.headers["X-Tt-Logid"] = call.request_id
    return response


def cancel(call: Call) -> web.Response:
    task = _task(call)
    status = call.emulator.tasks.status(task)
    if status not in ("QUEUING", "PROCESSING"):
        raise ApiError(TASK_ERROR, f"Task {task.id} can not be canceled in status {status}.")
    task.canceled = True
    return call.ok({"task_id": task.id, "status": "CANCELED"})
