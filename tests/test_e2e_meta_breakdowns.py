"""Meta below campaign level, through `tap-meta-ads | transform-unified` against the sandbox:
ad set and ad rows, and every campaign-level audience breakdown (the tap has no ad set or
ad audience reports), add up to the campaign rows per campaign and day, to the cent."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
BREAKDOWNS = ("age", "gender", "country", "device", "placement")
SELECTED = (
    "ad_accounts",
    "campaigns",
    "insights_campaign",
    "insights_adset",
    "insights",
    *(f"insights_audience_{name}" for name in BREAKDOWNS),
)


def tap_arguments(work: Path, meta_url: str) -> list[str]:
    config = work / "tap.json"
    config.write_text(
        json.dumps(
            {
                "api_url": meta_url,
                "access_token": "sandbox-token",
                "app_id": "sandbox-app",
                "app_secret": "sandbox-secret",
                "date_range": {"type": "last_n_days", "days": 5},
                "insights_poll_seconds": 0.2,
            }
        )
    )
    discovered = subprocess.run(
        [str(BIN / "tap-meta-ads"), "--config", str(config), "--discover"],
        capture_output=True,
        check=True,
    )
    catalog = json.loads(discovered.stdout)
    for entry in catalog["streams"]:
        for item in entry["metadata"]:
            if item["breadcrumb"] == []:
                item["metadata"]["selected"] = entry["tap_stream_id"] in SELECTED
    (work / "catalog.json").write_text(json.dumps(catalog))
    return ["--config", str(config), "--catalog", str(work / "catalog.json")]


def sums(rows: list[dict], *by: str) -> dict[tuple, tuple]:
    totals: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0, 0])
    for row in rows:
        total = totals[tuple(row[name] for name in ("account_id", "campaign_id", "date", *by))]
        total[0] += Decimal(str(row["spend"]))
        total[1] += row["impressions"]
        total[2] += row["clicks"]
    return {key: tuple(value) for key, value in totals.items()}


def test_meta_levels_and_audience_breakdowns_add_up_to_the_campaigns(sandbox_factory, tmp_path):
    urls = sandbox_factory(seed=4, scale="2x2x2x2x5")
    (tmp_path / "mapper.json").write_text(
        json.dumps({"entity_cache_path": str(tmp_path / "entities.json")})
    )
    with (tmp_path / "tap.log").open("w") as tap_log:
        tap = subprocess.Popen(
            [str(BIN / "tap-meta-ads"), *tap_arguments(tmp_path, urls["meta"])],
            stdout=subprocess.PIPE,
            stderr=tap_log,
        )
        mapped = subprocess.run(
            [str(BIN / "transform-unified"), "--config", str(tmp_path / "mapper.json")],
            stdin=tap.stdout,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert tap.stdout is not None
        tap.stdout.close()
        assert tap.wait(timeout=600) == 0, (tmp_path / "tap.log").read_text()[-3000:]
    assert mapped.returncode == 0, mapped.stderr[-3000:]
    rows: dict[str, list[dict]] = defaultdict(list)
    for line in mapped.stdout.splitlines():
        message = json.loads(line, parse_float=Decimal)
        if message["type"] == "RECORD":
            rows[message["stream"]].append(message["record"])

    campaigns = sums(rows["unified_campaign_performance"])
    assert campaigns and all(total[1] > 0 for total in campaigns.values())
    assert sums(rows["unified_adset_performance"]) == campaigns
    assert sums(rows["unified_ad_performance"]) == campaigns
    by_breakdown = sums(rows["unified_breakdown_performance"], "breakdown")
    for breakdown in BREAKDOWNS:
        got = {key[:3]: total for key, total in by_breakdown.items() if key[3] == breakdown}
        assert got == campaigns, breakdown
    values = {(r["breakdown"], r["breakdown_value"]) for r in rows["unified_breakdown_performance"]}
    assert ("placement", "FACEBOOK") in values and ("gender", "FEMALE") in values
    summaries = [r for r in rows["unified_run_summary"] if r["platform"] == "meta"]
    kinds = {w["kind"] for r in summaries for w in r["warnings"]}
    assert not kinds & {"level_sums_disagree", "unmapped_breakdown_value", "rejected_record"}
