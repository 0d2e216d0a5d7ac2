"""TikTok's `total_metrics` against the rows read: a page that loses rows is named in a
warning, a clean read is not."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from tap_tiktok_ads.tap import TapTikTokAds

STREAMS = ["insights_campaign", "insights_advertiser"]
LOST = "rows were lost between the pages"


class _LossyProxy(BaseHTTPRequestHandler):
    """Forwards to the sandbox; drops the last row of every report page that has totals."""

    upstream = ""

    def do_GET(self) -> None:
        answer = requests.get(
            self.upstream + self.path, headers={"Access-Token": self.headers["Access-Token"]}
        )
        body = answer.content
        if "/report/integrated/get/" in self.path:
            parsed = json.loads(body)
            data = parsed.get("data") or {}
            if data.get("total_metrics") and data.get("list"):
                data["list"].pop()
                body = json.dumps(parsed).encode()
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def lossy_url(tiktok_url: str) -> Iterator[str]:
    handler = type("Proxy", (_LossyProxy,), {"upstream": tiktok_url})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_read_that_loses_rows_is_named(run_tap, make_config, lossy_url):
    config = make_config(api_url=lossy_url, advertisers_per_report=1, report_mode="sync")
    run = run_tap(config, STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    warnings = [line for line in run.stderr.splitlines() if LOST in line]
    named = {re.search(r"(insights_\w+), advertiser (\d+), ", line).groups() for line in warnings}
    advertisers = {r["advertiser_id"] for r in run.records["insights_campaign"]}
    assert named == {(stream, a) for stream in STREAMS for a in advertisers}
    assert len(warnings) == len(named)  # one line per report window
    assert all("impressions " in line and "spend " in line for line in warnings)
    assert "campaign_name" not in "".join(warnings)  # attributes are not totals


@pytest.mark.parametrize("per_report", [1, 5])
def test_a_clean_read_is_not(run_tap, make_config, per_report):
    run = run_tap(make_config(advertisers_per_report=per_report, report_mode="sync"), STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.records["insights_campaign"] and LOST not in run.stderr


def test_a_group_read_that_loses_rows_is_named(run_tap, make_config, lossy_url):
    run = run_tap(make_config(api_url=lossy_url, report_mode="sync"), ["insights_campaign"])
    assert run.returncode == 0, run.stderr[-3000:]
    assert "read together" in run.stderr
    (warning,) = [line for line in run.stderr.splitlines() if LOST in line]
    advertisers = {r["advertiser_id"] for r in run.records["insights_campaign"]}
    assert all(a in warning for a in advertisers) and "impressions " in warning
    assert "spend " not in warning  # several currencies: counts only


def test_totals_are_not_asked_of_tiktoks_own_sandbox(make_config):
    def check(api_url: str, stream: str) -> object:
        tap = TapTikTokAds(config=make_config(api_url=api_url), validate_config=False)
        return tap.streams[stream].totals_check()

    assert check("https://business-api.tiktok.com", "insights") is not None
    assert check("https://sandbox-ads.tiktok.com", "insights") is None
    assert check("https://business-api.tiktok.com", "insights_hourly") is None
    assert check("https://business-api.tiktok.com", "insights_audience_age") is None
