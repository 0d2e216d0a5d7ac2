from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import requests
from ads_sandbox.google_ads.tls import ca_cert_path
from ads_sandbox.testing import running_sandbox

# gRPC reads its trusted roots once per process, before the first secure channel: the
# sandboxes' shared CA must be in place before any test builds a Google Ads client.
os.environ["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"] = str(ca_cert_path())

END = date(2025, 3, 31)
SCALE = "3x4x3x3x30"
TOKEN = "sandbox-token"
FAST = ("--tiktok-qps", "100000", "--tiktok-qpm", "10000000", "--task-seconds", "0.3")


class TikTok:
    """A thin client for the emulator: JSON-encodes list/dict query params like a real tap."""

    def __init__(self, url: str, version: str = "v1.3") -> None:
        self.url = url
        self.base = f"{url}/open_api/{version}/"
        self.session = requests.Session()

    def raw(self, resource: str, token: str | None = TOKEN, **params: Any) -> requests.Response:
        headers = {"Access-Token": token} if token is not None else {}
        query = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
        return self.session.get(self.base + resource, params=query, headers=headers, timeout=30)

    def get(self, resource: str, token: str | None = TOKEN, **params: Any) -> dict[str, Any]:
        response = self.raw(resource, token, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, resource: str, body: dict[str, Any], token: str = TOKEN) -> dict[str, Any]:
        response = self.session.post(
            self.base + resource, json=body, headers={"Access-Token": token}, timeout=30
        )
        assert response.status_code == 200, response.text
        return response.json()

    def stats(self) -> dict[str, Any]:
        """The emulator's counters (GET /_sandbox/stats)."""
        return self.session.get(f"{self.url}/_sandbox/stats", timeout=30).json()

    def ok(self, resource: str, **params: Any) -> dict[str, Any]:
        body = self.get(resource, **params)
        assert body["code"] == 0, body
        return body["data"]

    def all_pages(self, resource: str, **params: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            data = self.ok(resource, page=page, page_size=params.pop("page_size", 1000), **params)
            rows.extend(data["list"])
            if page >= data["page_info"]["total_page"]:
                return rows
            page += 1

    def advertisers(self) -> list[str]:
        data = self.ok("oauth2/advertiser/get/", app_id="app", secret="secret")
        return [a["advertiser_id"] for a in data["list"]]

    def control(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        if body is None and path == "stats":
            return self.session.get(f"{self.url}/_sandbox/stats", timeout=10).json()
        response = self.session.post(f"{self.url}/_sandbox/{path}", json=body or {}, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()


def status_all(*fields: str) -> list[dict[str, str]]:
    return [
        {"field_name": f, "filter_type": "IN", "filter_value": '["STATUS_ALL"]'} for f in fields
    ]


@pytest.fixture(scope="session")
def sandbox_urls() -> Iterator[dict[str, str]]:
    """The ready line of the session's sandbox."""
    with running_sandbox(scale=SCALE, extra_args=("--end-date", END.isoformat(), *FAST)) as urls:
        yield urls


@pytest.fixture(scope="session")
def sandbox_url(sandbox_urls: dict[str, str]) -> str:
    return sandbox_urls["tiktok"]


@pytest.fixture()
def api(sandbox_url: str) -> TikTok:
    return TikTok(sandbox_url)


@pytest.fixture(scope="session")
def advertisers(sandbox_url: str) -> list[str]:
    return TikTok(sandbox_url).advertisers()
