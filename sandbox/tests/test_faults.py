"""Fault parsing, deterministic decisions, and faulted serving."""

import time
from decimal import Decimal
from typing import Any

import pytest
import requests
from ads_sandbox.faults import FaultInjector, FaultSpecError, parse_faults
from ads_sandbox.testing import running_sandbox
from ads_sandbox.truth import truth_rows

from .conftest import END, TikTok

SCALE = "2x2x2x2x10"
ARGS = ("--end-date", END.isoformat(), "--tiktok-qps", "100000", "--tiktok-qpm", "10000000")


def test_parse_faults() -> None:
    assert parse_faults("rate_limit=0.2, timeout,disconnect=1") == {
        "rate_limit": 0.2,
        "timeout": 0.1,
        "disconnect": 1.0,
    }
    assert parse_faults("") == {}
    with pytest.raises(FaultSpecError, match="unknown fault 'flood'"):
        parse_faults("flood=0.1")
    with pytest.raises(FaultSpecError, match="from 0 to 1"):
        parse_faults("timeout=2")
    with pytest.raises(FaultSpecError, match="not a number"):
        parse_faults("timeout=often")


def _sequence(seed: int, rates: dict[str, float], signatures: list[bytes]) -> list[str | None]:
    injector = FaultInjector(seed, rates)
    out = []
    for sig in signatures:
        fault = injector.draw(sig, ("rate_limit", "server_error", "timeout"))
        out.append(fault.name if fault else None)
    return out


def test_decisions_are_deterministic_per_seed() -> None:
    signatures = [f"GET /x?page={i % 7}".encode() for i in range(300)]
    rates = {"rate_limit": 0.2, "server_error": 0.2, "timeout": 0.1}
    first = _sequence(5, rates, signatures)
    assert first == _sequence(5, rates, signatures)
    assert first != _sequence(6, rates, signatures)
    assert {"rate_limit", "server_error", "timeout", None} == set(first)


def test_a_request_is_never_faulted_three_times_in_a_row() -> None:
    injector = FaultInjector(1, {"server_error": 1.0})
    outcomes = [injector.draw(b"GET /same", ("server_error",)) for _ in range(9)]
    assert [o is not None for o in outcomes] == [True, True, False] * 3
    injector = FaultInjector(2, {"rate_limit": 0.6, "timeout": 0.3})
    for sig in (b"a", b"b", b"c"):
        streak = 0
        for _ in range(300):
            hit = injector.draw(sig, ("rate_limit", "timeout")) is not None
            streak = streak + 1 if hit else 0
            assert streak <= 2
    assert injector.injected["rate_limit"] > injector.injected["timeout"] > 0


def _load_with_retries(api: TikTok, advertiser: str) -> list[dict[str, Any]]:
    """What a correct tap does: retry retryable codes, HTTP 5xx and broken reads."""
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        for _ in range(10):
            try:
                response = api.raw(
                    "report/integrated/get/",
                    advertiser_id=advertiser,
                    report_type="BASIC",
                    data_level="AUCTION_ADVERTISER",
                    dimensions=["stat_time_day"],
                    metrics=["spend", "impressions", "conversion"],
                    start_date="2025-03-22",
                    end_date=END.isoformat(),
                    page=page,
                    page_size=3,
                )
            except requests.RequestException:  # broken connection or incomplete body
                continue
            if response.status_code >= 500:
                continue
            body = response.json()
            if body["code"] in (40100, 40016, 50000, 50002, 51001, 51305, 60001):
                continue
            assert body["code"] == 0, body
            break
        else:
            raise AssertionError("retries exhausted")
        rows.extend(body["data"]["list"])
        if page >= body["data"]["page_info"]["total_page"]:
            return rows
        page += 1


def test_a_retrying_client_loads_exactly_the_truth() -> None:
    faults = "rate_limit=0.25,server_error=0.25,disconnect=0.2"
    with running_sandbox(scale=SCALE, faults=faults, extra_args=ARGS) as urls:
        api = TikTok(urls["tiktok"])
        loaded = []
        for advertiser in _advertisers(api):
            for r in _load_with_retries(api, advertiser):
                day, m = r["dimensions"]["stat_time_day"][:10], r["metrics"]
                loaded.append((advertiser, day, Decimal(m["spend"]), int(m["conversion"])))
        stats = api.control("stats")
    truth = [
        (r["account_id"], r["date"], r["spend"], r["conversions"])
        for r in truth_rows("tiktok", 1, SCALE, END, gmv_max=False)
    ]
    assert loaded == truth
    assert set(stats["faults_injected"]) == {"rate_limit", "server_error", "disconnect"}


def _advertisers(api: TikTok) -> list[str]:
    for _ in range(10):
        try:
            body = api.get("oauth2/advertiser/get/", app_id="a", secret="s")
        except (requests.RequestException, AssertionError):
            continue
        if body["code"] == 0:
            return [a["advertiser_id"] for a in body["data"]["list"]]
    raise AssertionError("could not list advertisers")


def test_server_error_flavours() -> None:
    with running_sandbox(scale="1x1x1x1x3", faults="server_error=1", extra_args=ARGS) as urls:
        api = TikTok(urls["tiktok"])
        seen = set()
        for i in range(40):
            response = api.raw("oauth2/advertiser/get/", app_id=str(i), secret="s")
            if response.status_code == 200:
                seen.add(response.json()["code"])
            else:
                seen.add(response.status_code)
        assert seen == {50000, 50002, 51001, 51305, 60001, 503, 500}


def test_timeout_fault_delays_then_answers() -> None:
    args = (*ARGS, "--fault-timeout-seconds", "2")
    with running_sandbox(scale="1x1x1x1x3", faults="timeout=1", extra_args=args) as urls:
        api = TikTok(urls["tiktok"])
        with pytest.raises(requests.Timeout):
            api.session.get(api.base + "oauth2/advertiser/get/?app_id=a&secret=s", timeout=0.2)
        started = time.monotonic()
        body = api.get("oauth2/advertiser/get/", app_id="a", secret="s")  # second try: slow
        assert body["code"] == 0 and time.monotonic() - started >= 1.9
        injected = api.stats()["faults_injected"]["timeout"]
        assert api.get("oauth2/advertiser/get/", app_id="a", secret="s")["code"] == 0
        # Third try: never faulted, so no delay was served (counted, not timed: a loaded
        # machine must not fail this).
        assert api.stats()["faults_injected"]["timeout"] == injected


def test_token_expiry_sunset_and_deprecated_field() -> None:
    with running_sandbox(scale="1x1x1x1x3", faults="token_expiry=1", extra_args=ARGS) as urls:
        api = TikTok(urls["tiktok"])
        body = api.get("oauth2/advertiser/get/", app_id="a", secret="s")
        assert body["code"] == 40102 and "expired" in body["message"]

    with running_sandbox(scale="1x1x1x1x3", faults="sunset_version", extra_args=ARGS) as urls:
        old, new = TikTok(urls["tiktok"]), TikTok(urls["tiktok"], version="v1.4")
        for _ in range(3):
            assert old.get("oauth2/advertiser/get/", app_id="a", secret="s")["code"] == 40051
        advertiser = new.advertisers()[0]
        assert new.ok("campaign/get/", advertiser_id=advertiser)["list"]

    with running_sandbox(scale="1x1x1x1x3", faults="deprecated_field=1", extra_args=ARGS) as urls:
        api = TikTok(urls["tiktok"])
        advertiser = api.advertisers()[0]
        params = dict(
            advertiser_id=advertiser,
            report_type="BASIC",
            data_level="AUCTION_ADVERTISER",
            dimensions=["stat_time_day"],
            start_date="2025-03-30",
            end_date="2025-03-31",
        )
        codes = [
            api.get("report/integrated/get/", **params, metrics=["spend", "real_time_conversion"])[
                "code"
            ]
            for _ in range(3)
        ]
        assert codes == [41002, 41002, 0]
        assert api.get("report/integrated/get/", **params, metrics=["spend"])["code"] == 0


def test_control_endpoints_switch_faults_and_count() -> None:
    with running_sandbox(scale="1x1x1x1x3", extra_args=ARGS) as urls:
        api = TikTok(urls["tiktok"])
        assert api.get("oauth2/advertiser/get/", app_id="a", secret="s")["code"] == 0
        assert api.control("faults", {"rate_limit": 1.0}) == {"faults": {"rate_limit": 1.0}}
        assert api.get("oauth2/advertiser/get/", app_id="b", secret="s")["code"] in (40100, 40016)
        stats = api.control("stats")
        assert stats["faults_injected"] == {"rate_limit": 1}
        assert stats["requests"] == {"/open_api/v1.3/oauth2/advertiser/get/": 2}
        assert api.control("faults", {}) == {"faults": {}}
        assert api.get("oauth2/advertiser/get/", app_id="c", secret="s")["code"] == 0
        bad = api.session.post(f"{api.url}/_sandbox/faults", json={"meteor": 1}, timeout=5)
        assert bad.status_code == 400 and "meteor" in bad.json()["error"]
        reset = api.control("reset-stats")
        assert (
            reset["requests"] == {} and reset["faults_injected"] == {} and reset["rows_served"] == 0
        )
