"""Secrets under Meltano: failed `meltano run`s print none of them in any output (plain and
JSON logs at debug level, the state, dead letters, Meltano's system database and run logs),
the Redis URL is a sensitive setting, and the sandbox environment never falls back to the
real API."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import uuid

import pytest
from ads_e2e.meltano import MELTANO, ROOT
from ads_e2e.sandbox import request_count, stats

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("meltano")]

BLOCKS = ("tap-tiktok-ads", "transform-unified", "target-duckdb")
LOG_FORMATS = (
    ("--log-level=debug",),
    ("--log-level=debug", "--log-format=plain"),
    ("--log-level=debug", "--log-format=json"),
)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def distinct(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:12]}"


def leaks(project, secrets: list[str], outputs: list[str], since: float) -> list[str]:
    """Where any of `secrets` occurs: the given outputs, the state, the dead letters, the
    system database and Meltano's run logs written since `since`."""
    state = project.meltano("state", "get", "sandbox:tap-tiktok-ads-to-target-duckdb")
    places = {f"output {n}": text for n, text in enumerate(outputs)}
    places["meltano state get"] = state.output
    files = [project.workdir / "dead-letters.jsonl", project.workdir / "meltano.db"]
    files += [
        path
        for path in (ROOT / ".meltano" / "logs").rglob("*")
        if path.is_file() and path.stat().st_mtime >= since
    ]
    for path in files:
        if path.exists():
            places[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    return [
        f"{secret} in {name}"
        for name, text in places.items()
        for secret in secrets
        if secret in text
    ]


def failed_runs(project, *needles: str) -> list[str]:
    """The outputs of one `meltano run` per log format, each failed naming `needles`."""
    outputs = []
    for flags in LOG_FORMATS:
        run = project.meltano(*flags, "run", *BLOCKS)
        assert run.returncode != 0
        for needle in needles:
            assert needle in run.output, run.output[-4000:]
        outputs.append(run.output)
    return outputs


def test_a_failed_request_prints_no_credential(meltano_project):
    secrets = [distinct("tok"), distinct("app"), distinct("secret")]
    meltano_project.env.update(
        ADS_SANDBOX_TIKTOK_URL=f"http://127.0.0.1:{closed_port()}",
        TAP_TIKTOK_ADS_ACCESS_TOKEN=secrets[0],
        TAP_TIKTOK_ADS_APP_ID=secrets[1],
        TAP_TIKTOK_ADS_SECRET=secrets[2],
        TAP_TIKTOK_ADS_RATE_LIMITING=json.dumps({"max_retries": 0}),
    )
    since = time.time() - 1
    outputs = failed_runs(meltano_project, "Cannot connect to http://127.0.0.1", "api_url")
    assert (meltano_project.workdir / "dead-letters.jsonl").exists(), "the failure is recorded"
    assert leaks(meltano_project, secrets, outputs, since) == []


def test_a_successful_run_prints_no_credential(meltano_project, sandbox_factory):
    secrets = [distinct("app"), distinct("secret")]  # the sandbox takes any app id and secret
    urls = sandbox_factory(scale="2x2x1x1x5")
    meltano_project.set_sandbox(urls)
    meltano_project.env.update(TAP_TIKTOK_ADS_APP_ID=secrets[0], TAP_TIKTOK_ADS_SECRET=secrets[1])
    since = time.time() - 1
    run = meltano_project.meltano("--log-level=debug", "--log-format=json", "run", *BLOCKS)
    run.check()
    sent = request_count(stats(urls["tiktok"]), "/open_api/v1.3/oauth2/advertiser/get/")
    assert sent >= 1, "the app id and secret were sent"
    found = leaks(meltano_project, secrets, [run.output], since)
    warehouse = meltano_project.duckdb_path.read_bytes().decode("utf-8", errors="replace")
    assert found == [] and not any(secret in warehouse for secret in secrets)


def test_an_unreachable_redis_prints_no_password(meltano_project, sandbox):
    password = distinct("redispw")
    meltano_project.set_sandbox(sandbox)
    meltano_project.env["TAP_TIKTOK_ADS_RATE_LIMITING_REDIS_URL"] = (
        f"redis://:{password}@127.0.0.1:{closed_port()}/0"
    )
    since = time.time() - 1
    outputs = failed_runs(meltano_project, "rate_limiting.redis_url")
    assert leaks(meltano_project, [password], outputs, since) == []


def test_the_sandbox_environment_never_reaches_the_real_api(meltano_project):
    meltano_project.env.pop("ADS_SANDBOX_TIKTOK_URL", None)
    run = meltano_project.run(*BLOCKS)
    assert run.returncode != 0
    assert "'ADS_SANDBOX_TIKTOK_URL' referenced but not set" in run.output, run.output[-4000:]
    assert "business-api.tiktok.com" not in run.output and "Retrying" not in run.output


def test_the_redis_url_is_a_sensitive_setting(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "meltano.yml", project / "meltano.yml")
    password = distinct("redispw")
    url = f"redis://:{password}@redis.example.com:6379/0"
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("MELTANO_", "TAP_"))
    }
    env.update(
        MELTANO_DATABASE_URI=f"sqlite:///{tmp_path / 'meltano.db'}",
        MELTANO_SEND_ANONYMOUS_USAGE_STATS="false",
        ADS_SANDBOX_TIKTOK_URL="http://127.0.0.1:9",
    )

    def meltano(*args: str) -> str:
        done = subprocess.run(
            [str(MELTANO), *args], cwd=project, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout + done.stderr

    meltano("config", "set", "tap-tiktok-ads", "rate_limiting.redis_url", url)
    listed = meltano("config", "list", "tap-tiktok-ads")
    given = _json_part(meltano("invoke", "--dump=config", "tap-tiktok-ads"))

    assert password not in (project / "meltano.yml").read_text()
    assert password in (project / ".env").read_text()
    assert password not in listed and "rate_limiting.redis_url" in listed
    assert given["rate_limiting"]["redis_url"] == url, "the tap still gets it in rate_limiting"


def _json_part(output: str) -> dict:
    """The JSON object in a command's output, after Meltano's log lines."""
    start = output.index("{")
    return json.JSONDecoder().raw_decode(output[start:])[0]
