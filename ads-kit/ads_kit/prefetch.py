"""Fetching the next pages while the current one is being processed.

The SDK reads pages one after another; a page's network wait then adds to its processing
time. Here up to `ahead` fetches run in worker threads (the pacer still holds them to the
rate budgets and to `concurrent_requests`), and results come back in order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def prefetched(fetch: Callable[[T], R], items: Iterable[T], ahead: int) -> Iterator[R]:
    """`fetch(item)` for every item, in order, with up to `ahead` fetches running early."""
    pool = ThreadPoolExecutor(max_workers=max(1, ahead), thread_name_prefix="prefetch")
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(fetch, item))
            if len(pending) > ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
