"""`--latency-ms`: answers take a realistic time, longer for bigger answers."""

from __future__ import annotations

import statistics
import time

from ads_sandbox.latency import FULL_PAGE_BYTES, Latency
from ads_sandbox.testing import running_sandbox

from .conftest import FAST, TikTok


def test_bigger_answers_take_longer_around_the_median():
    latency = Latency(400, seed=1)
    small = [latency.seconds(2_000) for _ in range(2000)]
    full = [latency.seconds(FULL_PAGE_BYTES) for _ in range(2000)]
    assert 0.3 < statistics.median(full) < 0.5  # around 400 ms
    assert statistics.median(small) < statistics.median(full) / 2
    assert max(full) > 1.5 * statistics.median(full)  # a tail of slow answers
    assert not Latency(0, seed=1) and Latency(0, seed=1).seconds(FULL_PAGE_BYTES) == 0


def test_the_emulator_holds_answers():
    with running_sandbox(scale="1x2x1x1x3", extra_args=(*FAST, "--latency-ms", "200")) as urls:
        api = TikTok(urls["tiktok"])
        api.advertisers()  # warm up the connection
        started = time.perf_counter()
        for _ in range(10):
            api.advertisers()
        mean = (time.perf_counter() - started) / 10
    # Small answers: about 0.3 x 200 ms each; only a lower bound (a busy machine is slower).
    assert mean >= 0.03
