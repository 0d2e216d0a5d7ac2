"""Partial data from what the taps say: an advertiser whose reports the app may not read,
through `tap-tiktok-ads | transform-unified`. The tap names it in its STATE (ads-kit's
`account_failures` entry) and fails at the end; the mapper's `unified_run_summary` warns
`partial_data` for that platform, account and stream, and for no account that was read."""

from __future__ import annotations

import pytest
from ads_e2e.mapper import tap_through_mapper
from ads_e2e.sandbox import deny_reporting
from ads_e2e.tap import sandbox_config
from compare_truth import load_truth

pytestmark = pytest.mark.e2e

SEED, SCALE = 3, "3x2x1x1x5"
SELECTED = ("advertisers", "campaigns", "insights_campaign")


def test_an_account_the_tap_could_not_read_is_partial_the_others_are_not(sandbox_factory, tmp_path):
    urls = sandbox_factory(seed=SEED, scale=SCALE)
    accounts = sorted({account for (_, account, _) in load_truth("tiktok", SEED, SCALE).values})
    denied = accounts[0]
    deny_reporting(urls["tiktok"], [denied])
    piped = tap_through_mapper("tap-tiktok-ads", sandbox_config(urls["tiktok"]), SELECTED, tmp_path)
    assert piped.tap_status != 0 and denied in piped.tap_log  # the run fails, naming it ...
    assert piped.mapper.returncode == 0, piped.mapper.stderr[-3000:]  # ... the mapper says so

    summaries = piped.summaries()
    warnings = {
        scope: {w["kind"]: w["message"] for w in row["warnings"]}
        for scope, row in summaries.items()
    }
    message = warnings[("tiktok", denied)]["partial_data"]
    assert f"tiktok account {denied}" in message and "stream 'insights_campaign'" in message
    for account in accounts[1:]:
        assert summaries[("tiktok", account)]["rows_out"] > 0
        assert "partial_data" not in warnings[("tiktok", account)]
    failures = piped.states[-1]["bookmarks"]["account_failures"]  # passed on to the target
    assert set(failures) == {denied} and "sandbox-token" not in piped.mapper.stdout
