"""`ads-login google` end to end against the sandbox: google-auth-oauthlib's loopback flow
with PKCE, the customers picked into the Meltano project, then `meltano run tap-google-ads`
with `token_store` only while access tokens last seconds: they are renewed in the middle of
the run and written back to the store. A refused refresh token stops the run saying how to
sign in again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import requests
from ads_e2e.meltano import MeltanoProject
from ads_e2e.signin import SignIn, browser, last_line
from ads_sandbox.testing import running_sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]

CLIENT_ID = "4321-desktop.apps.googleusercontent.com"
SECRET = "google-client-secret-3c7e"
#: google-auth renews a token 225 s before its expiry: one of 200 s is stale at once, so
#: every call of the run renews it (however fast the machine), through the token store.
SHORT_LIFETIME = "200"


@pytest.fixture
def urls() -> Iterator[dict[str, str]]:
    args = ("--token-lifetime", SHORT_LIFETIME, "--google-testing-app")
    with running_sandbox(scale="2x2x2x2x5", extra_args=args) as urls:
        yield urls


def google(tmp_path: Path, urls: dict) -> SignIn:
    args = [
        "--client-id",
        CLIENT_ID,
        "--oauth-url",
        urls["oauth"],
        "--api-url",
        urls["google_ads"],
        "--ca-cert",
        urls["ca_cert"],
    ]
    env = {"GOOGLE_ADS_CLIENT_SECRET": SECRET, "GOOGLE_ADS_DEVELOPER_TOKEN": "sandbox-dev"}
    return SignIn(tmp_path, "google", "tap-google-ads", args, env)


def test_sign_in_then_a_run_renewing_its_tokens_midway(tmp_path, urls):
    signin = google(tmp_path, urls)
    done = signin.into_project("--all")
    assert done.returncode == 0, done.stderr
    entry = signin.entry()
    assert entry["refresh_token"].startswith("1//") and entry["developer_token"] == "sandbox-dev"
    config = signin.sandbox_config()
    assert config["token_store"] == signin.token_store_setting()
    assert config["customer_ids"] == []
    assert not {"client_id", "client_secret", "refresh_token", "developer_token"} & set(config)

    project = MeltanoProject(tmp_path / "run", root=signin.project)
    project.set_sandbox(urls)
    run = project.run("tap-google-ads", "target-duckdb").check()
    renewals = run.output.count("Access token renewed")
    assert renewals >= 2, f"{renewals} renewal(s) in the run:\n{run.output[-4000:]}"
    stored = signin.entry()
    assert stored["access_token"] != entry["access_token"]
    assert stored["expires_at"] > entry["expires_at"]
    assert stored["refresh_token"] == entry["refresh_token"]
    with duckdb.connect(str(project.duckdb_path), read_only=True) as db:
        performance = db.execute("SELECT count(*) FROM tap_google_ads.campaign_performance")
        performance = performance.fetchone()[0]
    assert performance > 0
    secrets = [entry["access_token"], stored["access_token"], entry["refresh_token"], SECRET]
    assert signin.leaks(secrets, done.stderr, run.output) == []

    # A week later the testing-mode app's refresh token is dead: the run says what to do.
    week = requests.post(
        f"{urls['oauth']}/_sandbox/oauth/clock", json={"advance_seconds": 7 * 86400}, timeout=10
    )
    assert week.status_code == 200
    failed = project.run("tap-google-ads", "target-duckdb")
    assert failed.returncode != 0
    assert "invalid_grant" in failed.output and "in Testing" in failed.output
    assert "Sign in again with `ads-login google`" in failed.output


def test_a_denied_sign_in_ends_in_one_line(tmp_path, urls):
    signin = google(tmp_path, urls)
    done = signin.run(
        "--all", "--config-file", str(tmp_path / "c.json"), browser_command=browser("--deny")
    )
    assert "Google refused the sign-in (access_denied" in last_line(done)
    assert not signin.store_path.exists()
