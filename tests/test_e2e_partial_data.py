"""Partial data from what the tap says: an advertiser whose reports the app may not read,
through `tap-tiktok-ads | transform-unified`. The tap names it in its STATE (ads-kit's
`account_failures` entry) and fails at the end; the mapper's `unified_run_summary` warns
`partial_data` for that platform, account and stream, and for no account that was read."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from ads_e2e.tap import TAP, sandbox_config
from compare_truth import load_truth

pytestmark = pytest.mark.e2e

SEED, SCALE = 3, "3x2x1x1x5"
SELECTED = ("advertisers", "campaigns", "insights_campaign")
MAPPER = str(Path(sys.executable).parent / "transform-unified")


def deny_reporting(base_url: str, accounts: list[str]) -> None:
    request = urllib.request.Request(
        f"{base_url}/_sandbox/access",
        data=json.dumps({"deny_reporting": accounts}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).read()


def tap_arguments(work: Path, tiktok_url: str) -> list[str]:
    config = work / "tap.json"
    config.write_text(json.dumps(sandbox_config(tiktok_url)))
    discovered = subprocess.run(
        [TAP, "--config", str(config), "--discover"], capture_output=True, check=True
    )
    catalog = json.loads(discovered.stdout)
    for entry in catalog["streams"]:
        for item in entry["metadata"]:
            if item["breadcrumb"] == []:
                item["metadata"]["selected"] = entry["tap_stream_id"] in SELECTED
    (work / "catalog.json").write_text(json.dumps(catalog))
    return ["--config", str(config), "--catalog", str(work / "catalog.json")]


def test_an_account_the_tap_could_not_read_is_partial_the_others_are_not(sandbox_factory, tmp_path):
    urls = sandbox_factory(seed=SEED, scale=SCALE)
    accounts = sorted({account for (_, account, _) in load_truth("tiktok", SEED, SCALE).values})
    denied = accounts[0]
    deny_reporting(urls["tiktok"], [denied])
    (tmp_path / "mapper.json").write_text(
        json.dumps({"entity_cache_path": str(tmp_path / "entities.json")})
    )
    with (tmp_path / "tap.log").open("w") as tap_log:
        tap = subprocess.Popen(
            [TAP, *tap_arguments(tmp_path, urls["tiktok"])],
            stdout=subprocess.PIPE,
            stderr=tap_log,
        )
        mapped = subprocess.run(
            [MAPPER, "--config", str(tmp_path / "mapper.json")],
            stdin=tap.stdout,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert tap.stdout is not None
        tap.stdout.close()
        tap_status = tap.wait(timeout=300)
    assert tap_status != 0  # the run fails at the end, naming the account ...
    assert denied in (tmp_path / "tap.log").read_text()
    assert mapped.returncode == 0, mapped.stderr[-3000:]  # ... and the mapper says so

    messages = [json.loads(line) for line in mapped.stdout.splitlines()]
    summaries = {
        (m["record"]["platform"], m["record"]["account_id"]): m["record"]
        for m in messages
        if m["type"] == "RECORD" and m["stream"] == "unified_run_summary"
    }
    warnings = {
        scope: {w["kind"]: w["message"] for w in row["warnings"]}
        for scope, row in summaries.items()
    }
    message = warnings[("tiktok", denied)]["partial_data"]
    assert f"tiktok account {denied}" in message and "stream 'insights_campaign'" in message
    for account in accounts[1:]:
        assert summaries[("tiktok", account)]["rows_out"] > 0
        assert "partial_data" not in warnings[("tiktok", account)]
    states = [m["value"] for m in messages if m["type"] == "STATE"]
    failures = states[-1]["bookmarks"]["account_failures"]  # passed on to the target
    assert set(failures) == {denied} and "sandbox-token" not in mapped.stdout
