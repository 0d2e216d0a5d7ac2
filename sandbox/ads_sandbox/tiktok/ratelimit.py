"""TikTok's per-app request limits: per second, per minute (with a suspension), per UTC day."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable


class AppLimiter:
    def __init__(
        self,
        qps: int,
        qpm: int,
        qpd: int,
        penalty_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.qps, self.qpm, self.qpd = qps, qpm, qpd
        self.penalty_seconds = penalty_seconds
        self._clock = clock
        self._wall = wall
        self._second: deque[float] = deque()
        self._minute: deque[float] = deque()
        self._day = -1
        self._day_count = 0
        self._suspended_until = 0.0

    def check(self) -> str | None:
        """Admit a request (None) or name the window that refuses it; refusals are not counted."""
        now = self._clock()
        if now < self._suspended_until:
            return f"QPM limit: suspended for {math.ceil(self._suspended_until - now)} seconds"
        day = int(self._wall() // 86_400)
        if day != self._day:
            self._day, self._day_count = day, 0
        while self._second and self._second[0] <= now - 1:
            self._second.popleft()
        while self._minute and self._minute[0] <= now - 60:
            self._minute.popleft()
        if self._day_count >= self.qpd:
            return "QPD limit: resets at 00:00:00 UTC"
        if len(self._minute) >= self.qpm:
            # The suspension outlasts the minute window, so the app starts afresh after it.
            self._suspended_until = now + self.penalty_seconds
            self._minute.clear()
            self._second.clear()
            return f"QPM limit: suspended for {math.ceil(self.penalty_seconds)} seconds"
        if len(self._second) >= self.qps:
            return "QPS limit"
        self._second.append(now)
        self._minute.append(now)
        self._day_count += 1
        return None


class AdvertiserLimiter:
    """TikTok's per-advertiser limit on one path (code 40133); 0 requests per second is off."""

    def __init__(self, qps: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.qps = qps
        self._clock = clock
        self._seconds: dict[tuple[str, str], deque[float]] = {}

    def admits(self, advertiser_id: str, path: str) -> bool:
        """Admit one request of this advertiser on this path, or refuse it (not counted)."""
        if not self.qps:
            return True
        now = self._clock()
        window = self._seconds.setdefault((advertiser_id, path), deque())
        while window and window[0] <= now - 1:
            window.popleft()
        if len(window) >= self.qps:
            return False
        window.append(now)
        return True
