"""Realistic answer times: a round trip drawn around a typical one, longer for bigger answers.

A real API answers a page of 1,000 report rows in a few hundred milliseconds to a second, and
small lookups faster; without that a local emulator answers in 2-5 ms and hides how a client
behaves over a network (its pacing, read-ahead and rate limits). `median_ms` is the median
time of a full page (about 256 KiB of JSON); a small answer takes about a third of it. The
spread is log-normal (most answers near the median, a few slow ones), seeded so a run is
repeatable.
"""

from __future__ import annotations

import math
import random

FULL_PAGE_BYTES = 256 * 1024
SMALL_SHARE = 0.3
SPREAD = 0.35  # sigma of the log-normal factor: p95 about 1.8 times the median


class Latency:
    def __init__(self, median_ms: float, seed: int) -> None:
        self.median_ms = median_ms
        self._random = random.Random(f"latency|{seed}")

    def __bool__(self) -> bool:
        return self.median_ms > 0

    def seconds(self, answer_bytes: int) -> float:
        """How long to hold an answer of this size before sending it."""
        if self.median_ms <= 0:
            return 0.0
        size = SMALL_SHARE + (1 - SMALL_SHARE) * min(answer_bytes / FULL_PAGE_BYTES, 4.0)
        factor = math.exp(self._random.gauss(0.0, SPREAD))
        return self.median_ms * size * factor / 1000
