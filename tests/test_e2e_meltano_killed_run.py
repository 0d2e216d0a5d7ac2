"""A `meltano run` whose tap is killed with SIGKILL part-way, then run again from the saved
state: advertisers finished before the kill resume from their bookmarks, and after upserts
the warehouse holds exactly the truth, with no row lost and none duplicated."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import time

import psutil
import psycopg
import pytest
from ads_e2e.meltano import MELTANO, ROOT, meltano_lock
from ads_e2e.sandbox import stats
from compare_truth import ALL_METRICS, compare, load_postgres, load_truth, report_text

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.xdist_group("meltano")]

BLOCKS = ("tap-tiktok-ads", "transform-unified", "target-postgres")
SEED, SCALE = 5, "3x30x2x2x30"
KEY = '"platform", "account_id", "campaign_id", "date"'
LOOKBACK_DAYS = 7


def kill_tap_after(process: subprocess.Popen, tiktok: str, report_pages: int) -> bool:
    """SIGKILL the tap under `meltano run` once it has read `report_pages` report pages."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        served = stats(tiktok)["requests"].get("/open_api/v1.3/report/integrated/get/", 0)
        if served >= report_pages:
            for child in psutil.Process(process.pid).children(recursive=True):
                if "tap-tiktok-ads" in " ".join(child.cmdline()):
                    os.kill(child.pid, signal.SIGKILL)
                    return True
        time.sleep(0.05)
    return False


def test_a_killed_run_resumes_without_loss_or_duplicates(
    sandbox_factory, meltano_project, postgres_db
):
    urls = sandbox_factory(seed=SEED, scale=SCALE)
    meltano_project.set_sandbox(urls)
    # Each advertiser read alone, so the kill lands inside one advertiser's report.
    meltano_project.env["TAP_TIKTOK_ADS_ADVERTISERS_PER_REPORT"] = "1"
    meltano_project.set_postgres(
        postgres_db.host, postgres_db.port, postgres_db.user, postgres_db.dbname
    )
    truth = load_truth("tiktok", SEED, SCALE, revision=0)

    with meltano_lock():
        process = subprocess.Popen(
            [str(MELTANO), "run", *BLOCKS],
            cwd=ROOT,
            env=meltano_project.process_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        # About six report pages make one advertiser: kill during the second one.
        killed = kill_tap_after(process, urls["tiktok"], report_pages=8)
        _, log = process.communicate(timeout=300)
    assert killed, "the tap finished before it could be killed:\n" + log[-3000:]
    assert process.returncode != 0

    resumed = meltano_project.run(*BLOCKS).check()
    # The advertiser finished before the kill resumes from its bookmark (the lookback only);
    # the one interrupted starts again from the beginning of the range.
    spans = [
        (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1
        for _, _, start, end in resumed.report_ranges()
    ]
    assert min(spans) <= LOOKBACK_DAYS + 1 < max(spans), spans
    comparison = compare(
        truth, load_postgres(postgres_db.conninfo()), ALL_METRICS, platform="tiktok"
    )
    assert comparison.equal, report_text(comparison) + resumed.output[-3000:]
    with psycopg.connect(postgres_db.conninfo()) as connection:
        rows, distinct = connection.execute(
            f"SELECT count(*), count(DISTINCT ({KEY})) FROM ads.unified_campaign_performance"
        ).fetchone()
    assert rows == distinct > 0
