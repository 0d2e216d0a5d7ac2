"""The job runner driven with a fake platform: no network, a fake clock."""

from __future__ import annotations

import logging

import pytest
from ads_kit.jobs import JobFailedError, JobPlatform, JobRunner, JobState, JobStatus, ReportJob


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class FakeJob(ReportJob):
    """A job over days [first, last]; `script` says what each submission does."""

    def __init__(self, platform: FakePlatform, first: int, last: int) -> None:
        self.platform, self.first, self.last = platform, first, last
        self.key = f"days:{first}-{last}"
        self.submissions = 0

    def start(self) -> None:
        self.submissions += 1
        self.platform.started.append(self.key)
        self.started_at = self.platform.clock()

    def results(self):
        return [{"day": day} for day in range(self.first, self.last + 1)]

    def split(self) -> list[ReportJob]:
        if self.first == self.last:
            return []
        middle = (self.first + self.last) // 2
        return [
            FakeJob(self.platform, self.first, middle),
            FakeJob(self.platform, middle + 1, self.last),
        ]


class FakePlatform(JobPlatform):
    """Jobs take `seconds_per_day` times their days; `fail` maps a key to the number of
    submissions that fail (`"never"`: hangs forever; `"expire"`: expires once)."""

    def __init__(self, clock: Clock, seconds_per_day: float = 1.0, fail=None, room=None) -> None:
        self.clock, self.seconds_per_day = clock, seconds_per_day
        self.fail = dict(fail or {})
        self.room = room
        self.started: list[str] = []
        self.polls = 0

    def poll(self, jobs):
        self.polls += 1
        statuses = {}
        for job in jobs:
            rule = self.fail.get(job.key)
            if rule == "never":
                statuses[job.key] = JobStatus(JobState.RUNNING, 10)
                continue
            if rule == "expire" and job.submissions == 1:
                statuses[job.key] = JobStatus(JobState.EXPIRED, None, "expired")
                continue
            if isinstance(rule, int) and job.submissions <= rule:
                statuses[job.key] = JobStatus(JobState.FAILED, None, "Job Failed")
                continue
            if rule == "too_large":
                statuses[job.key] = JobStatus(JobState.FAILED, None, "too much", too_large=True)
                continue
            elapsed = self.clock() - job.started_at
            needed = self.seconds_per_day * (job.last - job.first + 1)
            if elapsed >= needed:
                statuses[job.key] = JobStatus(JobState.COMPLETED, 100)
            else:
                statuses[job.key] = JobStatus(JobState.RUNNING, 100 * elapsed / needed)
        return statuses

    def capacity(self):
        return None if self.room is None else self.room(self)


def runner(platform: FakePlatform, clock: Clock, **options) -> JobRunner:
    settings = {"max_in_flight": 3, "job_timeout_seconds": 1000, "max_restarts": 2} | options
    return JobRunner(
        platform,
        logger=logging.getLogger("test"),
        label="insights, account 1",
        clock=clock,
        sleep=clock.sleep,
        **settings,
    )


def days_of(results) -> list[int]:
    return sorted(row["day"] for _, rows in results for row in rows)


def test_slow_jobs_run_side_by_side_up_to_the_limit_and_every_row_comes_back():
    clock = Clock()
    platform = FakePlatform(clock, seconds_per_day=2)
    jobs = [FakeJob(platform, day, day + 9) for day in range(0, 60, 10)]
    run = runner(platform, clock)
    assert days_of(run.run(jobs)) == list(range(60))
    assert run.peak_in_flight == 3
    # Six 20-second jobs three at a time take about two rounds, not six.
    assert clock.now < 6 * 20


def test_failed_jobs_are_restarted_then_split_until_they_succeed():
    clock = Clock()
    platform = FakePlatform(clock, fail={"days:0-9": 3, "days:0-4": 3})
    run = runner(platform, clock, max_restarts=2)
    assert days_of(run.run([FakeJob(platform, 0, 9)])) == list(range(10))
    assert platform.started.count("days:0-9") == 3
    assert "days:5-9" in platform.started and "days:0-2" in platform.started


def test_an_expired_job_is_started_again():
    clock = Clock()
    platform = FakePlatform(clock, fail={"days:0-1": "expire"})
    assert days_of(runner(platform, clock).run([FakeJob(platform, 0, 1)])) == [0, 1]
    assert platform.started == ["days:0-1", "days:0-1"]


def test_a_job_past_its_deadline_is_restarted_and_at_last_split():
    clock = Clock()
    platform = FakePlatform(clock, fail={"days:0-3": "never"})
    run = runner(platform, clock, job_timeout_seconds=60, max_restarts=1)
    assert days_of(run.run([FakeJob(platform, 0, 3)])) == [0, 1, 2, 3]
    assert platform.started[:2] == ["days:0-3", "days:0-3"]
    assert set(platform.started[2:]) == {"days:0-1", "days:2-3"}


def test_a_job_that_cannot_be_split_fails_with_a_clear_message():
    clock = Clock()
    platform = FakePlatform(clock, fail={"days:4-4": 99})
    with pytest.raises(JobFailedError, match=r"days:4-4 failed 3 time\(s\).*resumable"):
        list(runner(platform, clock).run([FakeJob(platform, 4, 4)]))


def test_the_platform_can_lower_the_limit_while_jobs_run():
    clock = Clock()
    platform = FakePlatform(clock, room=lambda p: 1 if p.polls < 5 else 0 if p.polls < 8 else 5)
    run = runner(platform, clock, max_in_flight=4)
    assert days_of(run.run([FakeJob(platform, d, d) for d in range(8)])) == list(range(8))
    assert run.peak_in_flight <= 4


def test_an_interrupted_run_resumes_after_its_finished_slices():
    clock = Clock()
    platform = FakePlatform(clock)
    jobs = [FakeJob(platform, day, day) for day in range(5)]
    finished = []
    for job, rows in runner(platform, clock, max_in_flight=1).run(jobs):
        list(rows)
        finished.append(job.key)
        if len(finished) == 2:
            break  # the process is killed here
    platform.started.clear()
    again = [FakeJob(platform, day, day) for day in range(5)]
    resumed = list(runner(platform, clock).run(again, finished=set(finished)))
    assert days_of(resumed) == [2, 3, 4]
    assert sorted(platform.started) == ["days:2-2", "days:3-3", "days:4-4"]


def test_a_job_asking_for_too_much_is_split_at_once():
    clock = Clock()
    platform = FakePlatform(clock, fail={"days:0-3": "too_large"})
    run = runner(platform, clock, max_restarts=5)
    assert days_of(run.run([FakeJob(platform, 0, 3)])) == [0, 1, 2, 3]
    assert platform.started.count("days:0-3") == 1


def test_a_resumed_run_skips_the_finished_parts_of_a_split_job():
    clock = Clock()
    platform = FakePlatform(clock, fail={"days:0-3": "too_large", "days:0-1": "too_large"})
    finished = {"days:2-3", "days:0-0"}
    resumed = list(runner(platform, clock).run([FakeJob(platform, 0, 3)], finished=finished))
    assert days_of(resumed) == [1]
    assert platform.started == ["days:0-3", "days:0-1", "days:1-1"]


def test_progress_is_logged_in_percent(caplog):
    clock = Clock()
    platform = FakePlatform(clock, seconds_per_day=10)
    with caplog.at_level(logging.INFO):
        list(runner(platform, clock).run([FakeJob(platform, 0, 1), FakeJob(platform, 2, 3)]))
    lines = [r.getMessage() for r in caplog.records if "job(s) done" in r.getMessage()]
    assert lines[-1].endswith("(100%)")
    assert any("0 of 2 job(s) done, 2 running" in line and "%)" in line for line in lines)
