"""A bad config stops tap-tiktok-ads at start with one line naming the setting; a refused
token stops it with a fix, and the token itself is never printed."""

from __future__ import annotations

import json
import re

import pytest
from ads_e2e.tap import run_tap, sandbox_config

pytestmark = pytest.mark.e2e

SETTING_LINE = re.compile(r"Setting '([^']+)'")


def setting_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if SETTING_LINE.search(line)]


def _a_file(tmp_path):
    (tmp_path / "a-file").write_text("")
    return str(tmp_path / "a-file" / "dead.jsonl")


@pytest.mark.parametrize(
    ("change", "setting"),
    [
        ({"access_token": None}, "access_token"),
        ({"start_date": "2026-13-45", "date_range": None}, "start_date"),
        ({"start_date": "last tuesday", "date_range": None}, "start_date"),
        (
            {
                "date_range": {
                    "type": "custom",
                    "start_date": "2026-11-10",
                    "end_date": "2026-11-01",
                }
            },
            "date_range.end_date",
        ),
        ({"date_range": None, "start_date": "2999-01-01"}, "start_date"),
        ({"date_range": {"type": "custom", "start_date": "2999-01-01"}}, "date_range.start_date"),
        ({"end_date": "2026-11-01"}, "end_date"),
        ({"date_range": {"type": "last_n_days", "days": 10**9}}, "date_range.days"),
        ({"insights_lookback_days": 10**12}, "insights_lookback_days"),
        ({"custom_reports": {"name": "x"}}, "custom_reports"),
        ({"custom_reports": ["x"]}, "custom_reports.0"),
        ({"api_url": ""}, "api_url"),
        ({"api_url": "business-api.tiktok.com"}, "api_url"),
        ({"access_token": ""}, "access_token"),
        ({"access_token": "sandbox-token\n"}, "access_token"),
        ({"secret": " sandbox-secret"}, "secret"),
        ({"dead_letter_path": lambda tmp: str(tmp)}, "dead_letter_path"),
        ({"dead_letter_path": _a_file}, "dead_letter_path"),
    ],
    ids=[
        "missing-access_token",
        "start_date-month-13",
        "start_date-not-a-date",
        "custom-end-before-start",
        "future-start_date",
        "future-date_range-start",
        "end_date-beside-date_range",
        "huge-date_range-days",
        "huge-lookback",
        "custom_reports-object",
        "custom_reports-strings",
        "empty-api_url",
        "api_url-not-a-url",
        "empty-token",
        "token-with-line-break",
        "secret-with-space",
        "dead_letter_path-directory",
        "dead_letter_path-under-a-file",
    ],
)
def test_bad_setting_fails_at_start(tmp_path, change, setting):
    # Nothing listens on the api_url: the tap must stop before any request.
    config = sandbox_config("http://127.0.0.1:9")
    for key, value in change.items():
        value = value(tmp_path) if callable(value) else value
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))

    done = run_tap("--config", str(path), cwd=tmp_path, timeout=120)

    assert done.returncode != 0
    assert done.stdout == "", "no Singer output before the config is valid"
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    lines = setting_lines(done.stderr)
    assert len(lines) == 1, done.stderr[-3000:]
    assert f"'{setting}'" in lines[0], lines[0]
    for secret in ("sandbox-token", "sandbox-secret"):
        assert secret not in done.stderr


def test_invalid_token_stops_with_a_fix_and_never_prints_it(tmp_path, sandbox):
    token = "not-the-token"
    path = tmp_path / "config.json"
    path.write_text(json.dumps(sandbox_config(sandbox["tiktok"], access_token=token)))

    done = run_tap("--config", str(path), cwd=tmp_path, timeout=300)

    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert token not in output
    assert "access_token" in output, done.stderr[-3000:]
    assert re.search(r"re-?authori[sz]e|new token|valid token", output, re.IGNORECASE), done.stderr[
        -3000:
    ]
