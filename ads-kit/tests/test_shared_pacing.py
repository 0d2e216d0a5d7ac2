"""Budgets shared through a real Redis, as parallel shards of one app would share them
(the `redis_url` fixture, a redis-server of this test's own, is the repository root's)."""

from __future__ import annotations

import shutil
import threading
import time
import uuid

import pytest
from ads_kit.pacing import RequestPacer

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs Debian's redis-server (scripts/test.sh)"
)


def test_two_pacers_on_one_key_share_the_budget(redis_url):
    # Two pacers stand for two processes of one app: together they get 4 requests a second,
    # so 12 requests need three windows (alone, each pacer's 6 would need two).
    pacers = [RequestPacer([(4, 1)], key="app-1", redis_url=redis_url) for _ in range(2)]

    def work(pacer: RequestPacer) -> None:
        for _ in range(6):
            with pacer.slot():
                pass

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(pacer,)) for pacer in pacers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - started >= 1.9


def test_other_keys_have_their_own_budget(redis_url):
    # Budgets of 3 an hour: whether a fourth request may go never depends on the clock.
    suffix = uuid.uuid4().hex[:8]
    first = RequestPacer([(3, 3600)], key=f"app-a-{suffix}", redis_url=redis_url)
    again = RequestPacer([(3, 3600)], key=f"app-a-{suffix}", redis_url=redis_url)
    second = RequestPacer([(3, 3600)], key=f"app-b-{suffix}", redis_url=redis_url)
    for _ in range(3):
        with first.slot():
            pass
    assert not again._limiter.try_acquire(again.key, blocking=False), "one key, one budget"
    assert all(second._limiter.try_acquire(second.key, blocking=False) for _ in range(3))
    assert not second._limiter.try_acquire(second.key, blocking=False)


def test_a_pause_one_process_learns_holds_the_others_too(redis_url):
    learner = RequestPacer([(100, 1)], key="app-p", redis_url=redis_url)
    other = RequestPacer([(100, 1)], key="app-p", redis_url=redis_url)
    learner.pause(0.6)
    started = time.monotonic()
    with other.slot():
        pass
    assert time.monotonic() - started >= 0.5


def test_an_accounts_pause_holds_only_that_account(redis_url):
    learner = RequestPacer([(100, 1)], key="app-q", redis_url=redis_url)
    other = RequestPacer([(100, 1)], key="app-q", redis_url=redis_url)
    learner.pause(0.6, account="7001")
    # The pause is the account's: the app's own key and other accounts' are untouched.
    assert other._redis.get("app-q:pause") is None
    assert other._redis.get("app-q:pause:7002") is None
    started = time.monotonic()
    with other.slot("7001"):
        pass
    assert time.monotonic() - started >= 0.5
