"""`ads-login tiktok` end to end against the sandbox: the browser's consent (headless), the
loopback redirect, the exchange, account picking written into a Meltano project, then
`meltano run` with `token_store` only; and the failures, each in one line. No token or secret
reaches any file but the token store."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import duckdb
import pytest
from ads_e2e.meltano import MeltanoProject
from ads_e2e.signin import SignIn, browser, last_line

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]

APP_ID = "7300000000000000001"
SECRET = "app-secret-5b1f0c9e7d3a"


def tiktok(tmp_path: Path, urls: dict) -> SignIn:
    args = [
        "--app-id",
        APP_ID,
        "--api-url",
        urls["tiktok"],
        "--oauth-url",
        f"{urls['oauth']}/tiktok",
    ]
    return SignIn(tmp_path, "tiktok", "tap-tiktok-ads", args, {"TIKTOK_APP_SECRET": SECRET})


def test_sign_in_pick_accounts_and_run_with_the_token_store(tmp_path, sandbox):
    signin = tiktok(tmp_path, sandbox)
    done = signin.into_project("--accounts", "1,3")
    assert done.returncode == 0, done.stderr
    entry = signin.entry()
    token = entry["access_token"]
    assert entry["scope"] == [1, 2, 3, 4] and entry["secret"] == SECRET
    advertisers = entry["advertiser_ids"]
    for advertiser in advertisers:
        assert advertiser in done.stderr  # the table of accounts
    assert "USD" in done.stderr and "Pacific/Auckland" in done.stderr

    config = signin.sandbox_config()
    assert config["advertiser_ids"] == [advertisers[0], advertisers[2]]
    assert config["token_store"] == signin.token_store_setting()
    assert not {"access_token", "app_id", "secret"} & set(config)

    work = tmp_path / "run"
    project = MeltanoProject(work, root=signin.project)
    project.set_sandbox(sandbox)
    run = project.run("tap-tiktok-ads", "target-duckdb").check()
    with duckdb.connect(str(project.duckdb_path), read_only=True) as db:
        read = {
            row[0]
            for row in db.execute("SELECT advertiser_id FROM tap_tiktok_ads.advertisers").fetchall()
        }
        reported = db.execute("SELECT count(*) FROM tap_tiktok_ads.insights_campaign").fetchone()[0]
    assert read == {advertisers[0], advertisers[2]}
    assert reported > 0

    # Security: the token and the app secret are in the token store and nowhere else.
    assert stat.S_IMODE(signin.store_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(signin.key_file.stat().st_mode) == 0o600
    raw = signin.store_path.read_bytes()
    assert token.encode() not in raw and SECRET.encode() not in raw
    assert project.duckdb_path.exists()
    assert signin.leaks([token, SECRET], done.stdout, done.stderr, run.output) == []


def test_no_browser_paste_into_a_config_file(tmp_path, sandbox):
    signin = tiktok(tmp_path, sandbox)
    config_file = tmp_path / "tap.json"
    config_file.write_text('{"start_date": "2026-01-01", "access_token": "old-pasted-token"}')
    status, err = signin.pasting(config_file)
    assert status == 0, err
    config = json.loads(config_file.read_text())
    assert config["advertiser_ids"] == [] and "access_token" not in config
    assert config["start_date"] == "2026-01-01"
    assert config["token_store"]["name"] == "tiktok"
    assert signin.entry()["access_token"] not in config_file.read_text()


def test_a_forged_state_in_the_pasted_address_is_refused(tmp_path, sandbox):
    signin = tiktok(tmp_path, sandbox)
    status, err = signin.pasting(
        tmp_path / "c.json", lambda location: location.replace("state=", "state=forged")
    )
    assert status == 1
    assert "state does not match" in err.strip().splitlines()[-1]
    assert not signin.store_path.exists()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--deny",), "not approved (access_denied)"),
        (("--grant", "1,2,4"), "lacks permission(s) 3 Audience Management"),
    ],
    ids=["denied", "fewer-permissions"],
)
def test_consent_failures_end_in_one_line_and_store_nothing(tmp_path, sandbox, flags, message):
    signin = tiktok(tmp_path, sandbox)
    done = signin.run(
        "--all", "--config-file", str(tmp_path / "c.json"), browser_command=browser(*flags)
    )
    assert message in last_line(done)
    assert not signin.store_path.exists() and not (tmp_path / "c.json").exists()


def test_unknown_accounts_are_named(tmp_path, sandbox):
    signin = tiktok(tmp_path, sandbox)
    done = signin.run("--accounts", "9999999", "--config-file", str(tmp_path / "c.json"))
    assert "Not among the accounts this sign-in reaches: 9999999" in last_line(done)
    assert not signin.store_path.exists()
