"""The async report-job runner every platform's report jobs go through.

A platform implements `ReportJob` (one job: start it, fetch its rows, split it) and
`JobPlatform` (poll many jobs in one pass, say how many more may start now). The runner keeps
jobs in flight up to a limit the platform can lower while it runs, polls them together,
logs progress in percent, gives each job a deadline, restarts failed, expired and overdue
jobs within a budget, then splits them (at once when the platform says the job asks for too
much), and skips the slices an interrupted run finished, split parts included.
"""

from __future__ import annotations

import abc
import enum
import logging
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass

from ads_kit.errors import StopError


class JobState(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    EXPIRED = "expired"


@dataclass(frozen=True)
class JobStatus:
    state: JobState
    #: 0-100 where the platform says.
    percent: float | None = None
    message: str = ""
    #: The platform said the job asks for too much data: split it instead of restarting.
    too_large: bool = False


class ReportJob(abc.ABC):
    """One platform report job over one slice (an account, a date range, a level, fields)."""

    #: Stable id of the slice, the same in every run: finished slices are skipped on resume.
    key: str

    @abc.abstractmethod
    def start(self) -> None:
        """Submit the job (again, after a failure: a fresh submission)."""

    @abc.abstractmethod
    def results(self) -> Iterable[dict]:
        """The finished job's rows."""

    def split(self) -> list[ReportJob]:
        """Smaller jobs covering the same slice (shorter dates, a lower level, fewer fields),
        or [] when this one cannot be split."""
        return []


class JobPlatform(abc.ABC):
    """What the runner asks of the platform beyond a single job."""

    @abc.abstractmethod
    def poll(self, jobs: list[ReportJob]) -> dict[str, JobStatus]:
        """The status of each job, by key, in one pass (batched where the platform can)."""

    def capacity(self) -> int | None:
        """How many more jobs may start now (the platform's own throttle); None: no limit."""
        return None


class JobFailedError(StopError):
    """A job failed every restart and could not be split further."""


@dataclass
class _Running:
    job: ReportJob
    started: float
    restarts: int = 0
    percent: float = 0.0


class JobRunner:
    """Runs report jobs to completion; rows come back per job as each one finishes."""

    def __init__(
        self,
        platform: JobPlatform,
        *,
        max_in_flight: int,
        job_timeout_seconds: float,
        max_restarts: int,
        logger: logging.Logger,
        label: str,
        first_poll_seconds: float = 0.5,
        longest_poll_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.platform = platform
        self.max_in_flight = max(1, max_in_flight)
        self.job_timeout_seconds = job_timeout_seconds
        self.max_restarts = max_restarts
        self.logger = logger
        self.label = label
        self.first_poll_seconds = first_poll_seconds
        self.longest_poll_seconds = longest_poll_seconds
        self._clock = clock
        self._sleep = sleep
        #: The most jobs in flight at once, for benchmarks and tests.
        self.peak_in_flight = 0

    def run(
        self, jobs: Iterable[ReportJob], finished: Collection[str] = ()
    ) -> Iterator[tuple[ReportJob, Iterable[dict]]]:
        """(job, rows) for every job not in `finished`, in the order the jobs finish.

        Consume each job's rows before asking for the next job: the caller records the slice
        as finished once its rows are out.
        """
        waiting = [job for job in jobs if job.key not in finished]
        if finished:
            self.logger.info(
                "%s: %d slice(s) finished by an earlier run are skipped", self.label, len(finished)
            )
        total = len(waiting)
        done = 0
        running: dict[str, _Running] = {}
        restarts: dict[str, int] = {}
        pause = self.first_poll_seconds
        while waiting or running:
            self._start_more(waiting, running, restarts)
            if not running:
                # The platform has no room now: wait for it.
                self._sleep(pause)
                pause = min(pause * 1.5, self.longest_poll_seconds)
                continue
            statuses = self.platform.poll([entry.job for entry in running.values()])
            progressed = False
            for key, entry in list(running.items()):
                status = statuses.get(key, JobStatus(JobState.RUNNING))
                if status.percent is not None:
                    entry.percent = status.percent
                if status.state is JobState.COMPLETED:
                    del running[key]
                    done += 1
                    progressed = True
                    yield entry.job, entry.job.results()
                    self._log_progress(done, total, running)
                elif status.state in (JobState.FAILED, JobState.EXPIRED):
                    del running[key]
                    progressed = True
                    reason = status.message or status.state.value
                    parts = self._retry(entry, reason, restarts, status.too_large)
                    waiting[:0] = [part for part in parts if part.key not in finished]
                elif self._clock() - entry.started > self.job_timeout_seconds:
                    del running[key]
                    progressed = True
                    reason = f"no result after {self.job_timeout_seconds:g} s"
                    parts = self._retry(entry, reason, restarts)
                    waiting[:0] = [part for part in parts if part.key not in finished]
            total = done + len(waiting) + len(running)
            if running and not progressed:
                self._log_progress(done, total, running)
                self._sleep(pause)
                pause = min(pause * 1.5, self.longest_poll_seconds)
            else:
                pause = self.first_poll_seconds

    def _start_more(
        self, waiting: list[ReportJob], running: dict[str, _Running], restarts: dict[str, int]
    ) -> None:
        room = self.max_in_flight - len(running)
        capacity = self.platform.capacity()
        if capacity is not None:
            room = min(room, capacity)
        while waiting and room > 0:
            job = waiting.pop(0)
            job.start()
            running[job.key] = _Running(job, self._clock(), restarts.get(job.key, 0))
            room -= 1
        self.peak_in_flight = max(self.peak_in_flight, len(running))

    def _retry(
        self, entry: _Running, reason: str, restarts: dict[str, int], too_large: bool = False
    ) -> list[ReportJob]:
        """The job again while restarts are left (none when it asks for too much), then its
        parts; JobFailedError when none."""
        job = entry.job
        if entry.restarts < self.max_restarts and not too_large:
            self.logger.warning(
                "%s: job %s failed (%s); starting it again (restart %d of %d)",
                self.label,
                job.key,
                reason,
                entry.restarts + 1,
                self.max_restarts,
            )
            restarts[job.key] = entry.restarts + 1
            return [job]
        parts = job.split()
        if not parts:
            msg = (
                f"{self.label}: job {job.key} failed {entry.restarts + 1} time(s) ({reason}) "
                "and cannot be split further; the state saved so far is resumable"
            )
            raise JobFailedError(msg)
        self.logger.warning(
            "%s: job %s failed %d time(s) (%s); splitting it into %d smaller job(s)",
            self.label,
            job.key,
            entry.restarts + 1,
            reason,
            len(parts),
        )
        return parts

    def _log_progress(self, done: int, total: int, running: dict[str, _Running]) -> None:
        share = (done + sum(entry.percent for entry in running.values()) / 100) / max(total, 1)
        self.logger.info(
            "%s: %d of %d job(s) done, %d running (%.0f%%)",
            self.label,
            done,
            total,
            len(running),
            100 * share,
        )
