"""Meltano runs from the repository's project, isolated per test through the environment.

Each test gets its own system database (and so its own state), warehouse file, dead letters
and mapper entity cache under its tmp_path. The catalog Meltano writes under
.meltano/run/tap-tiktok-ads/ is shared by every run of the project, so runs take a lock:
one Meltano run at a time across pytest's workers.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MELTANO = BIN / "meltano"
#: The mapper's entity cache path, from the environment (a plugin-level setting of `unified`).
ENTITY_CACHE_ENV = "UNIFIED_ENTITY_CACHE_PATH"
SHARED_ENTITY_CACHE = ROOT / ".meltano" / "run" / "transform-unified" / "entities.json"
LOCK_FILE = ROOT / ".meltano" / "e2e-tests.lock"
RUN_TIMEOUT = float(os.environ.get("ADS_TEST_MELTANO_TIMEOUT", "900"))


@dataclass
class MeltanoResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def check(self) -> MeltanoResult:
        assert self.returncode == 0, (
            f"meltano {' '.join(self.args)} exited {self.returncode} after "
            f"{self.seconds:.0f} s; the end of its output:\n{self.output[-6000:]}"
        )
        return self

    def report_ranges(self, stream: str | None = None) -> list[tuple[str, str, str, str]]:
        """(stream, advertiser, start, end) of each report read, from the tap's log lines
        "insights_campaign, advertiser X: 2026-11-17 to 2026-11-24 with ..."."""
        pattern = re.compile(
            r"(?P<stream>[a-z_]+), advertiser (?P<advertiser>\d+): "
            r"(?P<start>\d{4}-\d{2}-\d{2}) to (?P<end>\d{4}-\d{2}-\d{2}) with "
        )
        found = [
            (m["stream"], m["advertiser"], m["start"], m["end"])
            for m in pattern.finditer(self.output)
        ]
        return [item for item in found if stream is None or item[0] == stream]


def entity_cache_isolated() -> bool:
    """Whether ENTITY_CACHE_ENV takes effect: not when the mapping's own config in
    meltano.yml fixes entity_cache_path (a mapping's config wins over the environment)."""
    import yaml

    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    for mapper in project.get("plugins", {}).get("mappers", []):
        for mapping in mapper.get("mappings") or []:
            if "entity_cache_path" in (mapping.get("config") or {}):
                return False
    return True


@contextlib.contextmanager
def meltano_lock() -> Iterator[None]:
    LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
    with LOCK_FILE.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class MeltanoProject:
    """`meltano` in the repository's project with this test's own system DB and outputs."""

    def __init__(
        self, workdir: Path, env: Mapping[str, str] | None = None, root: Path = ROOT
    ) -> None:
        #: The project's folder (a copy of meltano.yml sharing the repository's .meltano/).
        self.root = root
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.duckdb_path = self.workdir / "warehouse.duckdb"
        self.entity_cache = self.workdir / "entities.json"
        self.env = {
            "MELTANO_DATABASE_URI": f"sqlite:///{self.workdir / 'meltano.db'}",
            "MELTANO_ENVIRONMENT": "sandbox",
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            "TARGET_DUCKDB_FILEPATH": str(self.duckdb_path),
            "TAP_TIKTOK_ADS_DEAD_LETTER_PATH": str(self.workdir / "dead-letters.jsonl"),
            "TAP_META_ADS_DEAD_LETTER_PATH": str(self.workdir / "dead-letters-meta.jsonl"),
            "TAP_GOOGLE_ADS_DEAD_LETTER_PATH": str(self.workdir / "dead-letters-google.jsonl"),
            "TAP_GOOGLE_ADS_FIELD_CACHE_DIR": str(self.workdir / "google-fields"),
            ENTITY_CACHE_ENV: str(self.entity_cache),
            **(env or {}),
        }
        self.first_run = True

    def set_sandbox(self, urls: Mapping[str, str]) -> None:
        self.env["ADS_SANDBOX_TIKTOK_URL"] = urls["tiktok"]
        if "meta" in urls:
            self.env["ADS_SANDBOX_META_URL"] = urls["meta"]
        if "google_ads" in urls:
            self.env["ADS_SANDBOX_GOOGLE_ADS_URL"] = urls["google_ads"]
            self.env["ADS_SANDBOX_OAUTH_URL"] = urls["oauth"]
            self.env["ADS_SANDBOX_CA_CERT"] = urls["ca_cert"]

    def set_postgres(self, host: str, port: int, user: str, dbname: str) -> None:
        # The test server trusts every local connection; target-postgres refuses to start
        # without some password all the same.
        values = {
            "HOST": host,
            "PORT": str(port),
            "USER": user,
            "DATABASE": dbname,
            "PASSWORD": "unused-with-trust-auth",
        }
        for name, value in values.items():
            self.env[f"TARGET_POSTGRES_{name}"] = value
        self.env.update(
            POSTGRES_HOST=host,
            POSTGRES_PORT=str(port),
            POSTGRES_USER=user,
            POSTGRES_DB=dbname,
            POSTGRES_PASSWORD=values["PASSWORD"],
        )

    def process_env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("MELTANO_", "TAP_", "TARGET_", "UNIFIED_"))
        }
        env.update(self.env)
        env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        return env

    def meltano(self, *args: str, timeout: float = RUN_TIMEOUT) -> MeltanoResult:
        """One meltano command, under the lock; output captured, never raised on."""
        command = [str(MELTANO), *args]
        with meltano_lock():
            if self.first_run and not entity_cache_isolated():
                # The shared cache would carry another test's campaigns into this one.
                SHARED_ENTITY_CACHE.unlink(missing_ok=True)
            self.first_run = False
            started = time.monotonic()
            try:
                done = subprocess.run(
                    command,
                    cwd=self.root,
                    env=self.process_env(),
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired as expired:
                return MeltanoResult(
                    list(args),
                    -1,
                    _text(expired.stdout),
                    _text(expired.stderr) + f"\nTIMEOUT after {timeout} s",
                    time.monotonic() - started,
                )
        result = MeltanoResult(
            list(args), done.returncode, done.stdout, done.stderr, time.monotonic() - started
        )
        log = self.workdir / "meltano.log"
        with log.open("a") as out:
            out.write(
                f"$ meltano {' '.join(args)}  -> {result.returncode} "
                f"({result.seconds:.1f} s)\n{result.output}\n"
            )
        return result

    def run(
        self, *blocks: str, state_id: str | None = None, extra: Sequence[str] = ()
    ) -> MeltanoResult:
        """`meltano run BLOCKS...`; the default state ID keeps a later run incremental."""
        args = ["run", *extra]
        if state_id:
            args += ["--state-id", state_id]
        return self.meltano(*args, *blocks)


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value
