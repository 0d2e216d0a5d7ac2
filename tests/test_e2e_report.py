"""`ads-report` on what the pipeline loaded into DuckDB and into Postgres: the document is
valid against the repository's JSON Schema, its totals equal the sandbox's truth, its
breakdowns add up to the campaigns, both warehouses give the same document, and the HTML
page draws its charts in a real headless Chromium (the screenshot is kept in output/)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from ads_e2e.meltano import ROOT
from compare_truth import load_truth
from jsonschema import Draft202012Validator

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.xdist_group("meltano")]

SEED, SCALE = 5, "2x3x2x2x10"
SELECT = json.dumps(
    [
        "advertisers.*",
        "campaigns.*",
        "insights_campaign.*",
        "insights_audience_age.*",
        "insights_audience_gender.*",
        "insights_audience_device.*",
        "gmv_max_campaigns.*",
        "insights_gmv_max.*",
    ]
)
ADS_REPORT = str(Path(sys.executable).parent / "ads-report")
SCHEMA = ROOT / "transform-unified" / "transform_unified" / "report.schema.json"
SCREENSHOT = ROOT / "output" / "ads-report-screenshot.png"


def report(tmp_path: Path, *source: str) -> tuple[dict, str, Path]:
    out = tmp_path / "report"
    done = subprocess.run(
        [ADS_REPORT, *source, "--out", str(out)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    document = json.loads((out / "report.json").read_text(), parse_float=Decimal)
    return document, done.stdout, out / "report.html"


def loaded_figures(document: dict) -> list:
    """What both warehouses must agree on: every account's campaigns, breakdowns and
    summary, and its metadata but the extraction time (two runs, two times)."""
    figures = []
    for item in document["reports"]:
        metadata = {k: v for k, v in item["metadata"].items() if k != "extraction_timestamp"}
        figures.append((metadata, item["campaigns"], item["summary"]))
    return figures


@pytest.fixture
def loaded(sandbox_factory, meltano_project):
    """The sandbox's TikTok data with age, gender and device breakdowns, in DuckDB."""
    meltano_project.set_sandbox(sandbox_factory(seed=SEED, scale=SCALE))
    meltano_project.env["TAP_TIKTOK_ADS__SELECT"] = SELECT
    truth = load_truth("tiktok", SEED, SCALE)
    meltano_project.run("tap-tiktok-ads", "transform-unified", "target-duckdb").check()
    return meltano_project, truth


def test_report_is_valid_exact_and_the_same_from_both_warehouses(loaded, postgres_db, tmp_path):
    project, truth = loaded
    project.set_postgres(postgres_db.host, postgres_db.port, postgres_db.user, postgres_db.dbname)
    project.run("tap-tiktok-ads", "transform-unified", "target-postgres").check()
    from_duckdb, printed, page = report(tmp_path / "duckdb", "--duckdb", str(project.duckdb_path))
    from_postgres, _, _ = report(tmp_path / "postgres", "--postgres", postgres_db.conninfo())

    validator = Draft202012Validator(json.loads(SCHEMA.read_text()))
    for document in (from_duckdb, from_postgres):
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert loaded_figures(from_duckdb) == loaded_figures(from_postgres)

    want: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (platform, account, _day), values in truth.values.items():
        for name in ("spend", "impressions", "clicks", "conversions", "conversion_value"):
            want[(platform, account)][name] += values[name]
    got = {
        (r["metadata"]["platform"], r["metadata"]["account_id"]): r for r in from_duckdb["reports"]
    }
    assert set(got) == set(want)
    for key, sums in want.items():
        summary = got[key]["summary"]
        for name, value in sums.items():
            assert Decimal(summary[name]) == value, (key, name, summary[name], value)
        # CPM divides the spend of the campaigns with impressions only (not GMV Max's).
        measured = [c for c in got[key]["campaigns"] if c["impressions"] is not None]
        spend = sum(Fraction(c["spend"]) for c in measured)
        impressions = sum(int(c["impressions"]) for c in measured)
        cpm = Decimal(round(spend * 1000 * 10**6 / impressions)).scaleb(-6)
        assert Decimal(summary["cpm"]) == cpm, (key, summary["cpm"], cpm)
        for campaign in got[key]["campaigns"]:
            if campaign["impressions"] is None:
                continue  # GMV Max: TikTok reports neither impressions nor audiences for it
            for name in ("age", "gender", "device"):
                rows = campaign["breakdowns"][name]
                assert rows, f"no {name} rows for campaign {campaign['campaign_id']}"
                for metric in ("spend", "impressions", "clicks"):
                    total = sum(Decimal(row[metric]) for row in rows)
                    assert total == Decimal(campaign[metric]), (key, name, metric)

    assert "HTML report: " in printed and str(page.resolve()) in printed
    for account, _ in want:
        assert account in printed


def test_html_page_renders_its_charts_offline_in_chromium(loaded, tmp_path):
    project, _ = loaded
    _, _, page = report(tmp_path, "--duckdb", str(project.duckdb_path))
    text = page.read_text()
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in text and "<link" not in text and " src=" not in text

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is needed (scripts/test.sh installs it)"
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1800"]
    # No network at all: the page must need none.
    flags += ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=300
    ).stdout
    assert 'data-charts-rendered="6"' in dom, dom[-2000:]
    assert dom.count('class="series"') >= 3 and dom.count('class="bar"') >= 6
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    subprocess.run(
        [*flags, f"--screenshot={SCREENSHOT}", page.as_uri()],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert SCREENSHOT.exists() and SCREENSHOT.stat().st_size > 20_000
