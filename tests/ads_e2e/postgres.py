"""A real PostgreSQL server from Debian's binaries in a temporary directory.

initdb and postgres refuse to run as root, so as root the server runs as an unprivileged
user (`nobody` unless ADS_TEST_PG_USER names another) owning the data and socket directories.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    dbname: str
    socket_dir: str

    def conninfo(self, dbname: str | None = None) -> str:
        return (
            f"host={self.host} port={self.port} user={self.user} "
            f"dbname={dbname or self.dbname} connect_timeout=10"
        )

    def create_database(self, name: str) -> str:
        """A new, empty database; returns its name."""
        import psycopg

        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ValueError(f"not a plain database name: {name!r}")
        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return name


def find_bindir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin with initdb, or PG_BINDIR."""
    if os.environ.get("PG_BINDIR"):
        candidates = [os.environ["PG_BINDIR"]]
    else:
        found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
        found.sort(key=lambda path: int(re.sub(r"\D", "", path.split("/")[4]) or 0))
        candidates = [os.path.dirname(path) for path in reversed(found)]
        pg_config = shutil.which("pg_config")
        if pg_config:
            bindir = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=False
            ).stdout.strip()
            candidates.append(bindir)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): "
        "apt-get install postgresql, or set PG_BINDIR"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(command: list[str], user: pwd.struct_passwd | None, log: Path) -> None:
    kwargs = {}
    if user is not None:
        kwargs = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    if user is not None:
        env["HOME"] = "/tmp"
    with log.open("ab") as out:
        done = subprocess.run(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
            timeout=180,
            **kwargs,
        )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited {done.returncode}:\n{log.read_text()[-3000:]}"
        )


@contextlib.contextmanager
def running_postgres(dbname: str = "ads_test") -> Iterator[PostgresServer]:
    """Start a throwaway server on 127.0.0.1, yield it, stop it and remove its files."""
    bindir = find_bindir()
    user = None
    if os.geteuid() == 0:
        user = pwd.getpwnam(os.environ.get("ADS_TEST_PG_USER", "nobody"))
    # Not under pytest's basetemp: that folder is private to root, and the server's user
    # must reach its own directories.
    base = Path(tempfile.mkdtemp(prefix="ads-postgres-"))
    base.chmod(0o755)
    data, sockets, logs = base / "data", base / "socket", base / "logs"
    for folder in (data, sockets, logs):
        folder.mkdir(mode=0o700)
        if user is not None:
            os.chown(folder, user.pw_uid, user.pw_gid)
    log = logs / "commands.log"
    superuser = "postgres"
    started = False
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                superuser,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
            user,
            log,
        )
        for attempt in range(5):
            port = free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=50 -c shared_buffers=32MB"
            )
            try:
                _run(
                    [
                        str(bindir / "pg_ctl"),
                        "-D",
                        str(data),
                        "-o",
                        options,
                        "-l",
                        str(logs / "postgres.log"),
                        "-w",
                        "-t",
                        "60",
                        "start",
                    ],
                    user,
                    log,
                )
                started = True
                break
            except RuntimeError:
                if attempt == 4:
                    raise
                time.sleep(0.5)
        server = PostgresServer("127.0.0.1", port, superuser, dbname, str(sockets))
        server.create_database(dbname)
        yield server
    finally:
        if started:
            with contextlib.suppress(Exception):
                _run(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], user, log
                )
        shutil.rmtree(base, ignore_errors=True)
