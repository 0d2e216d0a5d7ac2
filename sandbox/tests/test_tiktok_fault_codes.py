"""Throttle faults speak both of TikTok's app throttles (server errors: test_faults.py)."""

from ads_sandbox.testing import running_sandbox

from .conftest import END, TikTok


def _answers(faults: str) -> set[int]:
    """Body codes (or HTTP statuses) of 60 distinct requests, each faulted."""
    with running_sandbox(
        scale="1x1x1x1x3", faults=faults, extra_args=("--end-date", END.isoformat())
    ) as urls:
        api = TikTok(urls["tiktok"])
        seen = set()
        for page in range(1, 61):
            response = api.raw("oauth2/advertiser/get/", app_id="a", secret="s", page=page)
            seen.add(
                response.json()["code"] if response.status_code == 200 else response.status_code
            )
        return seen


def test_throttles_are_the_app_and_the_endpoint_codes() -> None:
    assert _answers("rate_limit=1") == {40100, 40016}
