"""`ads-login meta` end to end against the sandbox: Facebook Login through the loopback
redirect, the long-lived token checked with debug_token, the ad accounts picked into the
Meltano project, `meltano run tap-meta-ads` with `token_store` only; a system user's token
as the no-browser alternative; the failures in one line."""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pytest
import requests
from ads_e2e.meltano import MeltanoProject
from ads_e2e.signin import SignIn, browser, last_line

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]

APP_ID = "1200000000000001"
SECRET = "meta-app-secret-8e2d41"


def meta(tmp_path: Path, urls: dict, **env: str) -> SignIn:
    args = ["--app-id", APP_ID, "--graph-url", urls["meta"], "--oauth-url", f"{urls['oauth']}/meta"]
    return SignIn(tmp_path, "meta", "tap-meta-ads", args, {"META_APP_SECRET": SECRET, **env})


def test_sign_in_pick_accounts_and_run_with_the_token_store(tmp_path, sandbox):
    signin = meta(tmp_path, sandbox)
    done = signin.into_project("--accounts", "1,2")
    assert done.returncode == 0, done.stderr
    entry = signin.entry()
    assert entry["scope"] == ["ads_read", "business_management"] and entry["app_secret"] == SECRET
    assert 59 * 86400 < entry["expires_at"] - time.time() <= 60 * 86400
    assert "JPY" in done.stderr and "Asia/Tokyo" in done.stderr  # the table of accounts

    config = signin.sandbox_config()
    assert config["token_store"] == signin.token_store_setting()
    assert not {"access_token", "app_id", "app_secret"} & set(config)
    picked = config["ad_accounts"]
    assert len(picked) == 2 and all(a.startswith("act_") for a in picked)

    project = MeltanoProject(tmp_path / "run", root=signin.project)
    project.set_sandbox(sandbox)
    run = project.run("tap-meta-ads", "target-duckdb").check()
    with duckdb.connect(str(project.duckdb_path), read_only=True) as db:
        read = {row[0] for row in db.execute("SELECT id FROM tap_meta_ads.ad_accounts").fetchall()}
        insights = db.execute("SELECT count(*) FROM tap_meta_ads.insights_campaign").fetchone()[0]
    assert read == set(picked) and insights > 0
    assert signin.leaks([entry["access_token"], SECRET], done.stderr, run.output) == []


def test_a_system_user_token_needs_no_browser(tmp_path, sandbox):
    made = requests.post(
        f"{sandbox['meta']}/_sandbox/oauth/meta/system-user-token",
        json={"app_id": APP_ID},
        timeout=10,
    ).json()["access_token"]
    signin = meta(tmp_path, sandbox, META_SYSTEM_USER_TOKEN=made)
    config_file = tmp_path / "tap.json"
    done = signin.run(
        "--system-user-token-env",
        "META_SYSTEM_USER_TOKEN",
        "--all",
        "--config-file",
        str(config_file),
        browser_command="false",
    )
    assert done.returncode == 0, done.stderr
    entry = signin.entry()
    assert entry["token_type"] == "SYSTEM_USER" and entry["expires_at"] is None
    assert entry["access_token"] == made
    config = json.loads(config_file.read_text())
    assert config["ad_accounts"] == [] and config["token_store"]["name"] == "meta"
    assert made not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--deny",), "not approved (access_denied: Permissions error)"),
        (("--grant", "business_management"), "lacks the permission(s) ads_read"),
    ],
    ids=["denied", "no-ads_read"],
)
def test_consent_failures_end_in_one_line(tmp_path, sandbox, flags, message):
    signin = meta(tmp_path, sandbox)
    done = signin.run(
        "--all", "--config-file", str(tmp_path / "c.json"), browser_command=browser(*flags)
    )
    assert message in last_line(done)
    assert not signin.store_path.exists()
