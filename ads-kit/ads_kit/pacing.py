"""Client-side request pacing from the `rate_limiting` settings.

A sliding-window limiter (pyrate-limiter) holds every request to the per-second burst and
the per-minute and per-hour budgets, in this process or, with `redis_url`, across every
process that shares the same key. A semaphore caps requests in flight. When the platform
says the budget is spent, `pause` holds every request of the key (or of one account) until
the wait it asked for is over, in every process sharing the Redis, so they wait instead of
each running into the limit.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pyrate_limiter import InMemoryBucket, Limiter, Rate, RedisBucket


@dataclass(frozen=True)
class RateLimits:
    """The resolved `rate_limiting` block of a tap's config."""

    requests_per_hour: int
    requests_per_minute: int
    burst: int
    concurrent_requests: int
    backoff_multiplier: float
    max_retries: int
    max_wait_seconds: float
    redis_url: str | None = None

    @classmethod
    def from_config(cls, block: Mapping[str, object] | None, defaults: RateLimits) -> RateLimits:
        """Overlay the user's block on the platform's defaults (config numbers may arrive as
        Decimal; each value takes its default's type)."""
        values = dict(defaults.__dict__)
        for key, value in (block or {}).items():
            if value is not None:
                default = values[key]
                values[key] = value if default is None else type(default)(value)
        return cls(**values)


def binding_rates(rates: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Drop budgets another one already enforces, shortest window first.

    A longer window whose average rate is no lower than a shorter one's never binds, nor does
    a shorter window allowing as many requests as a longer one (pyrate-limiter also refuses
    such lists).
    """
    kept: list[tuple[int, float]] = []
    for limit, seconds in sorted(rates, key=lambda rate: rate[1]):
        if kept and limit / seconds >= kept[-1][0] / kept[-1][1]:
            continue
        while kept and kept[-1][0] >= limit:
            kept.pop()
        kept.append((limit, seconds))
    return kept


class RequestPacer:
    """Blocks each request until every budget allows it.

    `rates` are (requests, per seconds) pairs; with `redis_url` the budgets live in Redis under
    `key`, shared by every process using that key.
    """

    def __init__(
        self,
        rates: list[tuple[int, float]],
        *,
        key: str,
        concurrency: int = 1,
        redis_url: str | None = None,
    ) -> None:
        bucket_rates = [Rate(limit, int(seconds * 1000)) for limit, seconds in binding_rates(rates)]
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url)
            bucket = RedisBucket.init(bucket_rates, self._redis, key)
        else:
            bucket = InMemoryBucket(bucket_rates)
        self._limiter = Limiter(bucket)
        self._slots = threading.BoundedSemaphore(concurrency)
        self.key = key
        self._paused_until: dict[str, float] = {}

    @classmethod
    def from_limits(cls, limits: RateLimits, key: str) -> RequestPacer:
        """The pacer of a tap's `rate_limiting` settings."""
        return cls(
            [(limits.burst, 1), (limits.requests_per_minute, 60), (limits.requests_per_hour, 3600)],
            key=key,
            concurrency=limits.concurrent_requests,
            redis_url=limits.redis_url,
        )

    @contextlib.contextmanager
    def slot(self, account: str | None = None) -> Iterator[None]:
        """Wait out any pause, then for a concurrency slot and a rate budget, and hold the
        slot for one request (about `account`, where the platform limits per account)."""
        self._wait_out_pauses(account)
        with self._slots:
            self._limiter.try_acquire(self.key, blocking=True)
            yield

    def pause(self, seconds: float, account: str | None = None) -> None:
        """Hold every request of this key (or of `account`) for `seconds`, here and in
        every process sharing the Redis."""
        name = self._pause_name(account)
        until = time.time() + seconds
        self._paused_until[name] = max(self._paused_until.get(name, 0.0), until)
        if self._redis is not None:
            self._redis.eval(_RAISE_PAUSE, 1, name, repr(until), max(1, int(seconds * 1000)))

    def _pause_name(self, account: str | None) -> str:
        return f"{self.key}:pause" if account is None else f"{self.key}:pause:{account}"

    def _wait_out_pauses(self, account: str | None) -> None:
        names = [self._pause_name(None)] + ([self._pause_name(account)] if account else [])
        while True:
            until = max(self._paused_until.get(name, 0.0) for name in names)
            if self._redis is not None:
                shared = [float(v) for v in self._redis.mget(names) if v is not None]
                until = max([until, *shared])
            wait = until - time.time()
            if wait <= 0:
                return
            time.sleep(min(wait, 5.0))


#: Keep the later of the stored and the new pause end; the key expires with the pause.
_RAISE_PAUSE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
"""
