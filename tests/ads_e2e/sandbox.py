"""The sandbox for end-to-end tests: started through `ads_sandbox.testing.running_sandbox`,
plus its control endpoints."""

from __future__ import annotations

import contextlib
import json
import urllib.request
from collections.abc import Iterator, Mapping
from typing import Any

DEFAULT_SEED = 1
DEFAULT_SCALE = "3x4x3x3x30"
REPORT_PATH = "/open_api/v1.3/report/integrated/get/"


@contextlib.contextmanager
def running_sandbox(
    seed: int = DEFAULT_SEED,
    scale: str = DEFAULT_SCALE,
    faults: str | Mapping[str, float] | None = None,
) -> Iterator[dict[str, Any]]:
    """A sandbox serving `seed` and `scale`; yields {"tiktok": "http://127.0.0.1:P", ...}."""
    from ads_sandbox.testing import running_sandbox as sandbox_running

    with sandbox_running(seed=seed, scale=scale, faults=faults) as urls:
        yield urls


def _call(url: str, method: str = "GET", body: bytes | None = None) -> Any:
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def advance(base_url: str) -> Any:
    """POST /_sandbox/advance: late conversions grow for recent days (a new revision)."""
    return _call(f"{base_url.rstrip('/')}/_sandbox/advance", "POST", b"{}")


def deny_reporting(base_url: str, accounts: list[str]) -> Any:
    """POST /_sandbox/access: the app may not read these accounts' reports (empty: all)."""
    body = json.dumps({"deny_reporting": accounts}).encode()
    return _call(f"{base_url.rstrip('/')}/_sandbox/access", "POST", body)


def stats(base_url: str) -> dict[str, Any]:
    """GET /_sandbox/stats."""
    return _call(f"{base_url.rstrip('/')}/_sandbox/stats")


def request_count(stats_body: Mapping[str, Any], path: str = REPORT_PATH) -> int:
    """How many requests the stats count for `path` (keys may carry a method or a query)."""
    requests = stats_body.get("requests") or {}
    total = 0
    for key, count in requests.items():
        if path.rstrip("/") in str(key):
            total += int(count)
    return total
