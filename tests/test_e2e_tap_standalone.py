"""tap-tiktok-ads on its own, as `pip install ./tap-tiktok-ads` gives it: --about, --discover,
and a run with --config, --catalog (some streams selected) and --state, producing valid
Singer output."""

from __future__ import annotations

import json

import pytest
from ads_e2e.tap import run_tap, sandbox_config
from jsonschema import Draft7Validator

pytestmark = pytest.mark.e2e

SELECTED = ("advertisers", "campaigns", "insights_campaign")


def singer_messages(stdout: str) -> list[dict]:
    messages = []
    for number, line in enumerate(stdout.splitlines(), 1):
        message = json.loads(line)  # every line of stdout is one JSON message
        assert message.get("type") in {"SCHEMA", "RECORD", "STATE", "ACTIVATE_VERSION", "BATCH"}, (
            f"line {number}: {line[:200]}"
        )
        messages.append(message)
    return messages


def check_singer_stream(messages: list[dict]) -> dict[str, int]:
    """Every RECORD follows its stream's SCHEMA and is valid against it; returns the record
    count per stream."""
    validators: dict[str, Draft7Validator] = {}
    counts: dict[str, int] = {}
    for message in messages:
        if message["type"] == "SCHEMA":
            Draft7Validator.check_schema(message["schema"])
            assert isinstance(message.get("key_properties"), list)
            validators[message["stream"]] = Draft7Validator(message["schema"])
        elif message["type"] == "RECORD":
            stream = message["stream"]
            assert stream in validators, f"RECORD of {stream} before its SCHEMA"
            errors = [error.message for error in validators[stream].iter_errors(message["record"])]
            assert not errors, f"{stream} record invalid: {errors[:3]} in {message['record']}"
            counts[stream] = counts.get(stream, 0) + 1
        elif message["type"] == "STATE":
            assert isinstance(message["value"], dict)
    return counts


def test_about_markdown(tmp_path):
    done = run_tap("--about", "--format=markdown", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.lstrip().startswith("# `tap-tiktok-ads`")
    for setting in (
        "access_token",
        "advertiser_ids",
        "start_date",
        "insights_lookback_days",
        "rate_limiting",
    ):
        assert f"| {setting} " in done.stdout, setting


def test_discover_select_and_run_with_state(tmp_path, sandbox):
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(sandbox_config(sandbox["tiktok"])))

    discovered = run_tap("--config", str(config_path), "--discover", cwd=tmp_path)
    assert discovered.returncode == 0, discovered.stderr[-3000:]
    catalog = json.loads(discovered.stdout)
    streams = {entry["tap_stream_id"]: entry for entry in catalog["streams"]}
    for name in ("advertisers", "campaigns", "adgroups", "ads", "audiences", "insights"):
        assert name in streams, f"{name} missing from the catalog: {sorted(streams)}"
    for entry in catalog["streams"]:
        Draft7Validator.check_schema(entry["schema"])
        assert any(item["breadcrumb"] == [] for item in entry["metadata"]), entry["tap_stream_id"]
        for item in entry["metadata"]:
            if item["breadcrumb"] == []:
                item["metadata"]["selected"] = entry["tap_stream_id"] in SELECTED
    catalog_path = tmp_path / "catalog.json"
    catalog_path.write_text(json.dumps(catalog))

    first = run_tap("--config", str(config_path), "--catalog", str(catalog_path), cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-5000:]
    messages = singer_messages(first.stdout)
    counts = check_singer_stream(messages)
    assert set(counts) == set(SELECTED), counts
    schemas = {m["stream"] for m in messages if m["type"] == "SCHEMA"}
    assert schemas <= set(SELECTED), schemas
    states = [m["value"] for m in messages if m["type"] == "STATE"]
    assert states, "no STATE message"
    assert "insights_campaign" in states[-1].get("bookmarks", {}), states[-1]

    state_path = tmp_path / "state.json"
    state_path.write_text(json.dumps(states[-1]))
    second = run_tap(
        "--config",
        str(config_path),
        "--catalog",
        str(catalog_path),
        "--state",
        str(state_path),
        cwd=tmp_path,
    )
    assert second.returncode == 0, second.stderr[-5000:]
    counts = check_singer_stream(singer_messages(second.stdout))
    assert counts.get("insights_campaign"), counts
