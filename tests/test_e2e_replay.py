"""Dead letters replayed once the cause is fixed: an advertiser whose reports the app may not
read fails (the others load), its calls are in the dead-letter file; access is granted, and
`ads-replay` loads what they return through the same mapper into the same Postgres."""

from __future__ import annotations

import json
import subprocess

import pytest
from ads_e2e.meltano import BIN, ROOT, meltano_lock
from ads_e2e.sandbox import DEFAULT_SCALE, DEFAULT_SEED, deny_reporting
from compare_truth import ALL_METRICS, compare, load_postgres, load_truth

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.xdist_group("meltano")]

BLOCKS = ("tap-tiktok-ads", "transform-unified", "target-postgres")


def test_a_replay_loads_what_failed_once_the_cause_is_fixed(sandbox, meltano_project, postgres_db):
    meltano_project.set_sandbox(sandbox)
    meltano_project.set_postgres(
        postgres_db.host, postgres_db.port, postgres_db.user, postgres_db.dbname
    )
    truth = load_truth("tiktok", DEFAULT_SEED, DEFAULT_SCALE, revision=0)
    denied = sorted({account for (platform, account, _) in truth.values if platform == "tiktok"})[0]
    deny_reporting(sandbox["tiktok"], [denied])

    first = meltano_project.run(*BLOCKS)
    assert first.returncode != 0 and denied in first.output
    loaded = compare(truth, load_postgres(postgres_db.conninfo()), ALL_METRICS, platform="tiktok")
    assert not loaded.equal  # the denied advertiser's numbers are missing ...
    dead_letters = meltano_project.workdir / "dead-letters.jsonl"
    entries = [json.loads(line) for line in dead_letters.read_text().splitlines()]
    assert {e["account_id"] for e in entries if e["error"] == "AccountAccessError"} == {denied}

    deny_reporting(sandbox["tiktok"], [])  # ... until the app is granted the permission
    with meltano_lock():
        replay = subprocess.run(
            [
                str(BIN / "ads-replay"),
                str(dead_letters),
                "--environment",
                "sandbox",
                "--loader",
                "target-postgres",
            ],
            cwd=ROOT,
            env=meltano_project.process_env(),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    assert replay.returncode == 0, (replay.stdout + replay.stderr)[-4000:]
    assert f'"{denied}"' in replay.stderr  # only the failed advertiser is read again
    comparison = compare(truth, load_postgres(postgres_db.conninfo()), ALL_METRICS, "tiktok")
    assert comparison.equal, comparison
    assert not dead_letters.exists()
    assert list(dead_letters.parent.glob("dead-letters.jsonl.replayed-*"))
