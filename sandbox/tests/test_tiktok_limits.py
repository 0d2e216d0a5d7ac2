"""The per-app rate limiter."""

import time

from ads_sandbox.testing import running_sandbox
from ads_sandbox.tiktok.ratelimit import AppLimiter

from .conftest import END, TikTok


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_qps_qpm_and_penalty() -> None:
    clock = Clock()
    limiter = AppLimiter(qps=2, qpm=5, qpd=100, penalty_seconds=300, clock=clock, wall=clock)
    assert [limiter.check() for _ in range(3)] == [None, None, "QPS limit"]
    clock.now += 1
    assert [limiter.check() for _ in range(2)] == [None, None]
    clock.now += 1
    assert limiter.check() is None
    assert limiter.check() == "QPM limit: suspended for 300 seconds"
    clock.now += 100
    assert limiter.check() == "QPM limit: suspended for 200 seconds"
    clock.now += 200
    assert limiter.check() is None


def test_qpd_resets_at_utc_midnight() -> None:
    clock = Clock()
    clock.now = 86_400 * 10 + 100
    limiter = AppLimiter(qps=100, qpm=100, qpd=3, penalty_seconds=300, clock=clock, wall=clock)
    for _ in range(3):
        clock.now += 2
        assert limiter.check() is None
    assert limiter.check() == "QPD limit: resets at 00:00:00 UTC"
    clock.now = 86_400 * 11
    assert limiter.check() is None


def test_server_answers_40100_when_exceeded() -> None:
    args = (
        "--end-date",
        END.isoformat(),
        "--tiktok-qps",
        "3",
        "--tiktok-qpm",
        "8",
        "--qpm-penalty-seconds",
        "1",
    )
    with running_sandbox(scale="1x1x1x1x3", extra_args=args) as urls:
        api = TikTok(urls["tiktok"])
        bodies = [api.get("oauth2/advertiser/get/", app_id="a", secret="s") for _ in range(5)]
        codes = [b["code"] for b in bodies]
        assert codes.count(0) == 3 and codes.count(40100) == 2
        limited = next(b for b in bodies if b["code"] == 40100)
        assert limited["message"].startswith("Due to too many requests, requests from App [")
        # TikTok's message names no window: QPS, QPM and QPD refusals read the same.
        assert limited["message"].endswith("are temporarily restricted.")
        time.sleep(1.05)
        codes = []
        for _ in range(6):  # 3 admitted above + 5 more reach the QPM of 8
            codes.append(api.get("oauth2/advertiser/get/", app_id="a", secret="s")["code"])
            time.sleep(0.34)
        assert codes == [0, 0, 0, 0, 0, 40100]
        response = api.raw("oauth2/advertiser/get/", app_id="a", secret="s")
        body = response.json()
        assert body["code"] == 40100 and body["message"] == limited["message"]
        # Nor does any header say how long to wait.
        assert response.status_code == 200 and "Retry-After" not in response.headers
        assert not [h for h in response.headers if h.lower().startswith("x-ratelimit")]
        time.sleep(1.05)
        assert api.get("oauth2/advertiser/get/", app_id="a", secret="s")["code"] == 0


def test_task_create_has_its_own_limit() -> None:
    args = ("--end-date", END.isoformat(), "--tiktok-qps", "1000", "--tiktok-qpm", "100000")
    with running_sandbox(scale="1x1x1x1x3", extra_args=args) as urls:
        api = TikTok(urls["tiktok"])
        adv = api.advertisers()[0]
        body = {
            "advertiser_id": adv,
            "report_type": "BASIC",
            "data_level": "AUCTION_ADVERTISER",
            "dimensions": ["stat_time_day"],
            "start_date": "2025-03-29",
            "end_date": "2025-03-31",
        }
        codes = [api.post("report/task/create/", body)["code"] for _ in range(3)]
        assert codes == [0, 0, 40100]


def test_advertiser_limit_is_per_advertiser_and_path() -> None:
    from ads_sandbox.tiktok.ratelimit import AdvertiserLimiter

    clock = Clock()
    limiter = AdvertiserLimiter(qps=2, clock=clock)
    assert [limiter.admits("7001", "ad/get/") for _ in range(3)] == [True, True, False]
    assert limiter.admits("7002", "ad/get/") and limiter.admits("7001", "campaign/get/")
    clock.now += 1
    assert limiter.admits("7001", "ad/get/")
    assert all(AdvertiserLimiter(qps=0, clock=clock).admits("7001", "x") for _ in range(50))


def test_advertiser_limit_answers_40133() -> None:
    extra = ("--end-date", END.isoformat(), "--tiktok-advertiser-qps", "1")
    with running_sandbox(scale="1x1x1x1x3", extra_args=extra) as urls:
        api = TikTok(urls["tiktok"])
        (advertiser,) = [
            row["advertiser_id"]
            for row in api.get("oauth2/advertiser/get/", app_id="a", secret="s")["data"]["list"]
        ]
        codes = [api.get("campaign/get/", advertiser_id=advertiser)["code"] for _ in range(3)]
        assert 40133 in codes and codes[0] == 0
