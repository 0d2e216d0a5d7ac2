"""Helpers for other packages' tests: run `ads-sandbox serve` as a subprocess."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

# Generous: a shared machine under load starts and stops every emulator (TLS, gRPC, SDK
# imports) slowly; these only catch a server that hangs.
STARTUP_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0


def consent_command(*flags: str) -> list[str]:
    """A browser command for webbrowser (`%s` is the URL): the sandbox's headless consent,
    `--deny` or `--grant SCOPE,...` to answer otherwise than allowing everything."""
    return [sys.executable, "-m", "ads_sandbox", "consent", *flags, "%s"]


def _faults_arg(faults: str | Mapping[str, float] | None) -> list[str]:
    if not faults:
        return []
    if isinstance(faults, str):
        return ["--faults", faults]
    return ["--faults", ",".join(f"{name}={rate}" for name, rate in faults.items())]


def _read_line(proc: subprocess.Popen[bytes], timeout: float) -> bytes:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return buffer
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                return buffer
            buffer += chunk
    return buffer.split(b"\n", 1)[0]


@contextmanager
def running_sandbox(
    seed: int = 1,
    scale: str = "3x4x3x3x30",
    faults: str | Mapping[str, float] | None = None,
    extra_args: Sequence[str] = (),
) -> Iterator[dict[str, str]]:
    """Start `ads-sandbox serve`, yield its URLs ({"tiktok": "http://127.0.0.1:P"}), stop it.

    Raises RuntimeError (with the server's stderr) if it does not start, or does not stop
    cleanly with exit status 0 on SIGTERM.
    """
    command = [
        sys.executable,
        "-m",
        "ads_sandbox",
        "serve",
        "--seed",
        str(seed),
        "--scale",
        scale,
        *_faults_arg(faults),
        *extra_args,
    ]
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr)

        def server_log() -> str:
            stderr.seek(0)
            return stderr.read().decode(errors="replace")

        try:
            line = _read_line(proc, STARTUP_TIMEOUT)
            try:
                urls = json.loads(line)
            except ValueError:
                try:  # stdout closed early: the process is exiting, collect its status
                    exited: int | None = proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    exited = None
                    proc.kill()
                    proc.wait()
                problem = (
                    f"exited with status {exited}"
                    if exited is not None
                    else f"did not announce its URLs within {STARTUP_TIMEOUT:.0f}s"
                )
                raise RuntimeError(
                    f"ads-sandbox serve {problem}; stdout: {line!r}; stderr:\n{server_log()}"
                ) from None
            yield urls
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if proc.returncode != 0:
            raise RuntimeError(
                f"ads-sandbox serve exited with status {proc.returncode} on SIGTERM; "
                f"stderr:\n{server_log()}"
            )
