import threading
import time

import pytest
from ads_kit.prefetch import prefetched


def test_results_come_in_order_with_bounded_read_ahead():
    started: list[int] = []
    lock = threading.Lock()

    def fetch(item: int) -> int:
        with lock:
            started.append(item)
        time.sleep(0.01 * (5 - item % 5))  # later items finish first
        return item * 10

    consumed = []
    for result in prefetched(fetch, range(12), ahead=2):
        consumed.append(result)
        with lock:
            # Never more than `ahead` fetches beyond the one just consumed.
            assert len(started) <= len(consumed) + 2
    assert consumed == [i * 10 for i in range(12)]


def test_a_failed_fetch_surfaces_in_order():
    def fetch(item: int) -> int:
        if item == 3:
            raise ValueError("page 3")
        return item

    results = []
    with pytest.raises(ValueError, match="page 3"):
        for result in prefetched(fetch, range(6), ahead=2):
            results.append(result)
    assert results == [0, 1, 2]
