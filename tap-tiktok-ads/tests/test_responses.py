"""How the tap reads TikTok's HTTP answers before their `code`: status codes, bodies that are
not JSON, partial successes."""

from __future__ import annotations

import json
import logging

import pytest
import requests
from ads_kit.errors import InvalidRequestError, RetryableError
from tap_tiktok_ads.tap import TapTikTokAds

CONFIG = {"access_token": "x-token", "advertiser_ids": ["7000001"], "start_date": "2026-01-01"}
URL = "https://business-api.tiktok.com/open_api/v1.3/campaign/get/?advertiser_id=7000001"


def answer(status: int, body: bytes, content_type: str = "application/json") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.url = URL
    response.headers["Content-Type"] = content_type
    response.request = requests.Request("GET", URL).prepare()
    return response


@pytest.fixture
def stream():
    return TapTikTokAds(config=CONFIG, setup_mapper=False).streams["campaigns"]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_throttled_and_server_errors_are_retried(stream, status):
    with pytest.raises(RetryableError, match=f"HTTP {status}"):
        stream.validate_response(answer(status, b"<html>busy</html>", "text/html"))


def test_a_missing_path_names_the_settings_that_build_it(stream):
    with pytest.raises(InvalidRequestError) as raised:
        stream.validate_response(answer(404, b"Not Found", "text/plain"))
    message = str(raised.value)
    assert "/open_api/v1.3/campaign/get/" in message
    assert "`api_url`" in message and "`api_version`" in message


def test_other_client_errors_stop(stream):
    with pytest.raises(InvalidRequestError, match="HTTP 400"):
        stream.validate_response(answer(400, b"bad", "text/plain"))


def test_a_200_that_is_not_json_is_retried(stream):
    with pytest.raises(RetryableError, match="not JSON"):
        stream.validate_response(answer(200, b"<html>gateway</html>", "text/html"))


def test_a_partial_success_passes_with_a_warning(stream, caplog):
    body = {"code": 20001, "message": "2 of 3 ids failed", "data": {"list": [{"a": 1}]}}
    with caplog.at_level(logging.WARNING):
        stream.validate_response(answer(200, json.dumps(body).encode()))
    assert list(stream.parse_response(answer(200, json.dumps(body).encode()))) == [{"a": 1}]
    (record,) = [r for r in caplog.records if "partial success" in r.getMessage()]
    assert record.levelno == logging.WARNING and "2 of 3 ids failed" in record.getMessage()
