import threading
import time

from ads_kit.pacing import RequestPacer, binding_rates


def test_burst_is_held_to_its_window():
    pacer = RequestPacer([(5, 0.5)], key="t-burst")
    started = time.monotonic()
    for _ in range(10):
        with pacer.slot():
            pass
    # Ten requests at five per half second need at least one full window of waiting.
    assert time.monotonic() - started >= 0.45


def test_concurrency_slots_cap_requests_in_flight():
    pacer = RequestPacer([(1000, 1)], key="t-conc", concurrency=2)
    in_flight = peak = 0
    lock = threading.Lock()

    def work():
        nonlocal in_flight, peak
        with pacer.slot():
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            time.sleep(0.05)
            with lock:
                in_flight -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 2


def test_only_binding_budgets_are_kept():
    assert binding_rates([(50, 1), (100000, 60), (10**6, 3600)]) == [(50, 1)]
    assert binding_rates([(10, 1), (600, 60), (36000, 3600)]) == [(10, 1)]
    assert binding_rates([(10, 1), (5, 60)]) == [(5, 60)]
    assert binding_rates([(10, 1), (300, 60), (6000, 3600)]) == [(10, 1), (300, 60), (6000, 3600)]
    RequestPacer([(50, 1), (100000, 60), (10**6, 3600)], key="t-redundant")


def test_a_pause_holds_every_request_of_the_key_in_this_process():
    import time

    pacer = RequestPacer([(100, 1)], key="paused")
    pacer.pause(0.3)
    started = time.monotonic()
    with pacer.slot():
        pass
    assert time.monotonic() - started >= 0.25
