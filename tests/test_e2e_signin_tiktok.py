"""`ads-login tiktok` end to end against the sandbox: the browser's consent (headless), the
loopback redirect, the exchange, account picking written into a Meltano project, then
`meltano run` with `token_store` only; and the failures, each in one line. No token or secret
reaches any file but the token store."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from ads_e2e.meltano import ROOT, MeltanoProject
from ads_kit.login.store import StoreLocation, load_entry
from ads_sandbox.oauth.consent import answer
from ads_sandbox.testing import consent_command

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]

BIN = Path(sys.executable).parent
APP_ID = "7300000000000000001"
SECRET = "app-secret-5b1f0c9e7d3a"


def browser(*flags: str) -> str:
    """A BROWSER command (webbrowser's): the sandbox's headless consent, in the background."""
    return " ".join([*consent_command(*flags), "&"])


class SignIn:
    def __init__(self, tmp_path: Path, urls: dict) -> None:
        self.tmp = tmp_path
        self.urls = urls
        self.project = tmp_path / "project"
        self.project.mkdir()
        shutil.copy(ROOT / "meltano.yml", self.project / "meltano.yml")
        (self.project / ".meltano").symlink_to(ROOT / ".meltano")
        self.store_path = tmp_path / "data" / "tokens.fernet"
        self.key_file = tmp_path / "keys" / "tokens.key"

    def command(self, *args: str) -> list[str]:
        return [
            str(BIN / "ads-login"),
            "tiktok",
            "--app-id",
            APP_ID,
            "--api-url",
            self.urls["tiktok"],
            "--oauth-url",
            f"{self.urls['oauth']}/tiktok",
            "--store-path",
            str(self.store_path),
            "--key-file",
            str(self.key_file),
            *args,
        ]

    def env(self, browser_command: str | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MELTANO_", "TAP_"))}
        env.update(TIKTOK_APP_SECRET=SECRET, MELTANO_DATABASE_URI=f"sqlite:///{self.tmp}/m.db")
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        if browser_command:
            env["BROWSER"] = browser_command
        return env

    def run(self, *args: str, browser_command: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.command(*args),
            env=self.env(browser_command or browser()),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def pasting(self, config_file: Path, edit=lambda location: location) -> tuple[int, str]:
        """`--no-browser`: the URL printed is approved in a browser elsewhere (the headless
        consent), the address it was sent to pasted back after `edit`; (status, stderr)."""
        proc = subprocess.Popen(
            self.command("--no-browser", "--all", "--config-file", str(config_file)),
            env=self.env(),
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdin and proc.stderr
        url = next(line.strip() for line in proc.stderr if line.strip().startswith("http"))
        proc.stdin.write(edit(answer(url)) + "\n")
        proc.stdin.close()
        err = proc.stderr.read()
        return proc.wait(timeout=600), err

    def entry(self, name: str = "tiktok") -> dict:
        return load_entry(StoreLocation(name, "file", self.store_path, self.key_file))

    def sandbox_config(self) -> dict:
        project = yaml.safe_load((self.project / "meltano.yml").read_text())
        sandbox = next(e for e in project["environments"] if e["name"] == "sandbox")
        return next(
            p for p in sandbox["config"]["plugins"]["extractors"] if p["name"] == "tap-tiktok-ads"
        )["config"]


def last_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr.strip().splitlines()[-1]


def files_under(*folders: Path) -> list[Path]:
    return [
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    ]


def test_sign_in_pick_accounts_and_run_with_the_token_store(tmp_path, sandbox):
    signin = SignIn(tmp_path, sandbox)
    done = signin.run(
        "--meltano-project", str(signin.project), "--environment", "sandbox", "--accounts", "1,3"
    )
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
    assert config["token_store"] == {
        "name": "tiktok",
        "backend": "file",
        "path": str(signin.store_path),
        "key_file": str(signin.key_file),
    }
    assert not {"access_token", "app_id", "secret"} & set(config)

    work = tmp_path / "run"
    project = MeltanoProject(work, root=signin.project)
    project.set_sandbox(sandbox)
    run = project.run("tap-tiktok-ads", "target-duckdb").check()
    with duckdb.connect(str(project.duckdb_path), read_only=True) as db:
        read = {
            row[0] for row in db.execute("SELECT advertiser_id FROM ads.advertisers").fetchall()
        }
        reported = db.execute("SELECT count(*) FROM ads.insights_campaign").fetchone()[0]
    assert read == {advertisers[0], advertisers[2]}
    assert reported > 0

    # Security: the token and the app secret are in the token store and nowhere else.
    assert stat.S_IMODE(signin.store_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(signin.key_file.stat().st_mode) == 0o600
    secrets = [token.encode(), SECRET.encode()]
    raw = signin.store_path.read_bytes()
    assert not any(secret in raw for secret in secrets)
    meltano_run_dir = ROOT / ".meltano" / "run" / "tap-tiktok-ads"
    written = [
        path
        for path in files_under(tmp_path, meltano_run_dir)
        if path not in (signin.store_path, signin.key_file)
    ]
    assert any(path.name == "m.db" for path in written) and project.duckdb_path in written
    leaks = [str(path) for path in written if any(s in path.read_bytes() for s in secrets)]
    assert leaks == []
    outputs = done.stdout + done.stderr + run.output
    assert token not in outputs and SECRET not in outputs


def test_no_browser_paste_into_a_config_file(tmp_path, sandbox):
    signin = SignIn(tmp_path, sandbox)
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
    signin = SignIn(tmp_path, sandbox)
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
    signin = SignIn(tmp_path, sandbox)
    done = signin.run(
        "--all", "--config-file", str(tmp_path / "c.json"), browser_command=browser(*flags)
    )
    assert message in last_line(done)
    assert not signin.store_path.exists() and not (tmp_path / "c.json").exists()


def test_unknown_accounts_are_named(tmp_path, sandbox):
    signin = SignIn(tmp_path, sandbox)
    done = signin.run("--accounts", "9999999", "--config-file", str(tmp_path / "c.json"))
    assert "Not among the accounts this sign-in reaches: 9999999" in last_line(done)
    assert not signin.store_path.exists()
