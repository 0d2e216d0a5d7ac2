"""A run that cannot go on ends in one error line saying what to fix (the traceback only at
debug level); what a run would silently ignore is named in a warning."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import requests
from tiktok_tap_runner import TAP


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "| ERROR" in line or "CRITICAL" in line]


def assert_one_line(run, *needles: str) -> str:
    """The run failed, without a traceback, and its last line is an error naming the fix."""
    assert run.returncode != 0
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    line = run.stderr.strip().splitlines()[-1]
    assert line in error_lines(run.stderr), run.stderr[-3000:]
    for needle in needles:
        assert needle in line, line
    return line


@pytest.fixture
def tap_files(tmp_path, make_config):
    """tap(config overrides, state=..., catalog=..., env=...) -> CompletedProcess."""

    def tap(
        state: str | None = None,
        catalog: str | None = None,
        env: dict | None = None,
        discover: bool = False,
        **overrides,
    ) -> subprocess.CompletedProcess:
        config = tmp_path / "config.json"
        config.write_text(json.dumps(make_config(**overrides)))
        command = [TAP, "--config", str(config), *(["--discover"] if discover else [])]
        for flag, text in (("--state", state), ("--catalog", catalog)):
            if text is not None:
                path = tmp_path / f"{flag[2:]}.json"
                path.write_text(text)
                command += [flag, str(path)]
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, **(env or {})},
            check=False,
        )

    return tap


def selecting(tap_files, *streams: str, extra: tuple[dict, ...] = ()) -> str:
    """A discovered catalog selecting `streams`, plus `extra` entries, as text."""
    discovered = tap_files(discover=True)
    catalog = json.loads(discovered.stdout)
    for entry in catalog["streams"]:
        for item in entry["metadata"]:
            if item["breadcrumb"] == []:
                item["metadata"]["selected"] = entry["tap_stream_id"] in streams
    catalog["streams"] += list(extra)
    return json.dumps(catalog)


@pytest.mark.parametrize(
    ("state", "needles"),
    [
        ("", ("state.json", "empty")),
        ('{"bookmarks": ', ("state.json", "not valid JSON")),
        ("[]", ("state.json", "JSON object")),
        (
            json.dumps(
                {
                    "bookmarks": {
                        "insights": {
                            "partitions": [
                                {
                                    "context": {"account_id": "1"},
                                    "replication_key": "stat_time_day",
                                    "replication_key_value": "last tuesday",
                                }
                            ]
                        }
                    }
                }
            ),
            ("state.json", "not a date", "insights", "'last tuesday'"),
        ),
    ],
    ids=["empty", "corrupt", "not-an-object", "bookmark-not-a-date"],
)
def test_an_unusable_state_file_is_named(tap_files, state, needles):
    assert_one_line(tap_files(state=state), *needles)


@pytest.mark.parametrize(
    ("catalog", "needles"),
    [
        ('{"streams": [', ("catalog.json", "not valid JSON")),
        ('{"streams": [{"schema": {}}]}', ("catalog.json", "not a Singer catalog", "--discover")),
        ('{"stream": []}', ("catalog.json", "not a Singer catalog")),
    ],
    ids=["corrupt", "entry-without-id", "no-streams"],
)
def test_a_broken_catalog_is_named(tap_files, catalog, needles):
    assert_one_line(tap_files(catalog=catalog), *needles)


def test_the_traceback_is_kept_at_debug_level(tap_files):
    run = tap_files(state="[]", env={"TAP_TIKTOK_ADS_LOGLEVEL": "DEBUG"})
    assert run.returncode != 0
    assert "Traceback" in run.stderr and "RunInputError" in run.stderr


@pytest.mark.parametrize(
    ("overrides", "needles"),
    [
        ({"access_token": "wrong-token-4321"}, ("40105", "access_token")),
        ({"api_url": "http://127.0.0.1:9"}, ("http://127.0.0.1:9", "api_url")),
        ({"api_version": "v9.9"}, ("404", "api_version")),
        (
            {"rate_limiting": {"redis_url": "redis://:pw-in-url-55@127.0.0.1:9/0"}},
            ("rate_limiting.redis_url",),
        ),
    ],
    ids=["wrong-token", "nothing-listens", "unknown-api_version", "redis-unreachable"],
)
def test_runtime_failures_end_in_one_line_naming_the_fix(tap_files, overrides, needles):
    run = tap_files(
        **{**overrides, "rate_limiting": {"max_retries": 0, **overrides.get("rate_limiting", {})}}
    )
    line = assert_one_line(run, *needles)
    assert "wrong-token-4321" not in run.stderr and "pw-in-url-55" not in run.stderr, line


def test_what_a_run_would_ignore_is_named_in_a_warning(tap_files):
    bookmark = {"replication_key": "stat_time_day", "replication_key_value": "2026-11-20"}
    state = {
        "singer_state": {
            "bookmarks": {
                "insights_campaign": {
                    "partitions": [
                        {"context": {"advertiser_id": "7000000000000000001"}, **bookmark}
                    ]
                },
                "insights_retired": bookmark,
            }
        }
    }
    unknown = {"tap_stream_id": "insights_retired", "stream": "insights_retired", "schema": {}}
    catalog = selecting(tap_files, "insights_campaign", extra=(unknown,))
    run = tap_files(state=json.dumps(state), catalog=catalog, start_date="2026-11-20")
    assert run.returncode == 0, run.stderr[-3000:]
    warnings = [line for line in run.stderr.splitlines() if "| WARNING" in line]
    assert any("Meltano's wrapped form" in line for line in warnings)
    assert any(
        "insights_campaign has 1 partition(s) keyed by advertiser_id" in line for line in warnings
    )
    assert any("bookmarks of streams this tap does not have" in line for line in warnings)
    assert any("catalog names stream insights_retired" in line for line in warnings)


def test_a_token_of_another_app_is_named_with_the_app_settings(tap_files, tiktok_url):
    """Airbyte #80210: listing the advertisers with an `app_id` the token was not issued to
    is TikTok's 40113; the run ends saying to check app_id and secret."""
    exchange = {"app_id": "sandbox-app", "secret": "sandbox-secret", "auth_code": "sandbox-auth-9"}
    answer = requests.post(
        f"{tiktok_url}/open_api/v1.3/oauth2/access_token/", json=exchange, timeout=10
    )
    token = answer.json()["data"]["access_token"]
    run = tap_files(access_token=token, app_id="another-app", advertiser_ids=[])
    assert_one_line(run, "40113", "`app_id` and `secret`")
    assert token not in run.stderr
    assert tap_files(access_token=token, advertiser_ids=[]).returncode == 0
