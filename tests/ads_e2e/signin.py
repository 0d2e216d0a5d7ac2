"""`ads-login PLATFORM` for the end-to-end tests: a copy of the Meltano project (sharing the
repository's .meltano/), a token store of the test's own, the sandbox's headless consent as
the browser, and the checks that no secret reached a file but the store."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml
from ads_kit.login.store import StoreLocation, load_entry
from ads_sandbox.oauth.consent import answer
from ads_sandbox.testing import consent_command

from ads_e2e.meltano import ROOT

BIN = Path(sys.executable).parent


def browser(*flags: str) -> str:
    """A BROWSER command (webbrowser's): the sandbox's headless consent, in the background."""
    return " ".join([*consent_command(*flags), "&"])


class SignIn:
    """`ads-login PLATFORM PLATFORM_ARGS...` with this test's project and store."""

    def __init__(
        self,
        tmp_path: Path,
        platform: str,
        extractor: str,
        platform_args: Sequence[str],
        env: dict[str, str],
    ) -> None:
        self.tmp = tmp_path
        self.platform = platform
        self.extractor = extractor
        self.platform_args = list(platform_args)
        self.extra_env = env
        self.project = tmp_path / "project"
        self.project.mkdir()
        shutil.copy(ROOT / "meltano.yml", self.project / "meltano.yml")
        (self.project / ".meltano").symlink_to(ROOT / ".meltano")
        self.store_path = tmp_path / "data" / "tokens.fernet"
        self.key_file = tmp_path / "keys" / "tokens.key"

    def command(self, *args: str) -> list[str]:
        return [
            str(BIN / "ads-login"),
            self.platform,
            *self.platform_args,
            "--store-path",
            str(self.store_path),
            "--key-file",
            str(self.key_file),
            *args,
        ]

    def env(self, browser_command: str | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MELTANO_", "TAP_"))}
        env.update(self.extra_env, MELTANO_DATABASE_URI=f"sqlite:///{self.tmp}/m.db")
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

    def into_project(self, *args: str) -> subprocess.CompletedProcess:
        """Sign in and write the settings into the project's sandbox environment."""
        return self.run("--meltano-project", str(self.project), "--environment", "sandbox", *args)

    def pasting(
        self, config_file: Path, edit: Callable[[str], str] = lambda location: location
    ) -> tuple[int, str]:
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

    def entry(self) -> dict:
        return load_entry(StoreLocation(self.platform, "file", self.store_path, self.key_file))

    def sandbox_config(self) -> dict:
        """The extractor's config in the project's sandbox environment."""
        project = yaml.safe_load((self.project / "meltano.yml").read_text())
        sandbox = next(e for e in project["environments"] if e["name"] == "sandbox")
        extractors = sandbox["config"]["plugins"]["extractors"]
        return next(p for p in extractors if p["name"] == self.extractor)["config"]

    def token_store_setting(self) -> dict:
        return {
            "name": self.platform,
            "backend": "file",
            "path": str(self.store_path),
            "key_file": str(self.key_file),
        }

    def leaks(self, secrets: Sequence[str], *outputs: str) -> list[str]:
        """Files this test's runs wrote (its folder, Meltano's run folder of the extractor)
        other than the store, and outputs, that hold any of `secrets`."""
        needles = [secret.encode() for secret in secrets]
        folders = (self.tmp, ROOT / ".meltano" / "run" / self.extractor)
        written = [
            path
            for folder in folders
            for path in folder.rglob("*")
            if path.is_file()
            and not path.is_symlink()
            and path not in (self.store_path, self.key_file)
        ]
        assert any(path.name == "m.db" for path in written), "no system database was written"
        found = [str(path) for path in written if any(n in path.read_bytes() for n in needles)]
        found += [
            f"output {i}" for i, text in enumerate(outputs) if any(s in text for s in secrets)
        ]
        return found


def last_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr.strip().splitlines()[-1]
