"""Settings fail at start with one line naming the setting and what is allowed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from singer_sdk.exceptions import ConfigValidationError
from transform_unified.mapper import TransformUnified

EXECUTABLE = Path(sys.executable).parent / "transform-unified"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"fx_rate": {}}, "unknown setting 'fx_rate'; allowed settings: reporting_currency"),
        ({"reporting_currency": "usd"}, "reporting_currency: 'usd' is not a currency"),
        ({"fx_rates": {"Euro": "1.1"}}, "fx_rates.Euro: 'Euro' is not a currency"),
        ({"fx_rates": {"EUR": "abc"}}, "fx_rates.EUR: 'abc' is not a rate"),
        ({"fx_rates": {"EUR": "-1"}}, "fx_rates.EUR: '-1' is not a rate"),
        ({"fx_rates": {"EUR": True}}, "fx_rates.EUR: True is not a rate"),
        ({"fx_rates": {"EUR": {}}}, "fx_rates.EUR: empty"),
        ({"fx_rates": {"EUR": {"2025-02-30": "1"}}}, "fx_rates.EUR.2025-02-30: not a date"),
        ({"fx_rates": {"EUR": {"20250201": "1"}}}, "fx_rates.EUR.20250201: not a date"),
        ({"fx_rates": {"USD": "1.2"}}, "fx_rates.USD: the reporting currency converts"),
        (
            {"estimated_days": {"snapchat": 3}},
            "estimated_days.snapchat: unknown platform; allowed: tiktok, meta, google_ads",
        ),
        ({"estimated_days": {"tiktok": -1}}, "estimated_days.tiktok: -1; allowed: a whole"),
        ({"entity_cache_path": " "}, "entity_cache_path: empty"),
        (
            {"platform": "myspace"},
            "'myspace' is not one of ['tiktok', 'meta', 'google_ads'] in config['platform']",
        ),
    ],
)
def test_bad_settings(config, message, tmp_path):
    config.setdefault("entity_cache_path", str(tmp_path / "entities.json"))
    with pytest.raises(ConfigValidationError) as raised:
        TransformUnified(config=config)
    (error,) = raised.value.errors
    assert message in error
    assert "\n" not in error


def test_cli_reports_the_bad_setting_and_exits_nonzero(tmp_path):
    config = tmp_path / "config.json"
    config.write_text('{"fx_rates": {"EUR": "one"}}')
    result = subprocess.run(
        [EXECUTABLE, "--config", config],
        input="",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert "fx_rates.EUR: 'one' is not a rate; allowed: a positive decimal" in errors[0]
    assert result.stdout == ""


def test_cli_maps_stdin_to_stdout(tmp_path):
    lines = [
        '{"type":"SCHEMA","stream":"insights_campaign","schema":{"properties":'
        '{"advertiser_id":{"type":"string"}}},"key_properties":[]}',
        '{"type":"RECORD","stream":"insights_campaign","record":{"advertiser_id":"1",'
        '"account_currency":"USD","account_timezone":"UTC","campaign_id":"9",'
        '"stat_time_day":"2024-01-01","spend":0.1,"impressions":10,"clicks":1}}',
        '{"type":"STATE","value":{"a":1}}',
    ]
    result = subprocess.run(
        [EXECUTABLE],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    out = result.stdout.splitlines()
    assert '"spend":0.1,' in out[1] and '"cpc":0.100000,' in out[1]
    assert '"stream":"unified_run_summary"' in out[3]
    # The state gets the entities when there are some; here none were learnt.
    assert out[-1] == '{"type":"STATE","value":{"a":1}}'
    assert (tmp_path / ".transform-unified").is_dir() is False  # nothing learnt, nothing written


def test_about_lists_every_setting():
    result = subprocess.run(
        [EXECUTABLE, "--about", "--format=markdown"], capture_output=True, text=True, check=True
    )
    for setting in (
        "reporting_currency",
        "fx_rates",
        "entity_cache_path",
        "include_source_streams",
        "source_streams",
        "fx_rates_path",
        "stale_after_hours",
        "platform",
        "estimated_days",
    ):
        assert f"| {setting} |" in result.stdout
