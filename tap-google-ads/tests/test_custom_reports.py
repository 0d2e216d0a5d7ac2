"""Custom reports given as GAQL: checked against the field metadata before the run."""

from __future__ import annotations

import json
import subprocess

import requests
from google_tap_runner import TAP

FIELDS_PATH = "/google.ads.googleads.v26.services.GoogleAdsFieldService/SearchGoogleAdsFields"


def field_calls(urls: dict[str, str]) -> int:
    stats = requests.get(f"{urls['oauth']}/_sandbox/stats", timeout=10).json()
    return stats["requests"].get(FIELDS_PATH, 0)


def test_custom_reports_daily_and_whole(run_tap, make_config, google_urls, tmp_path):
    config = make_config(
        field_cache_dir=str(tmp_path / "fields"),
        custom_reports=[
            {
                "name": "devices",
                "query": "SELECT campaign.id, segments.date, segments.device, metrics.clicks, "
                "metrics.cost_micros FROM campaign WHERE campaign.status != 'REMOVED'",
            },
            {"name": "alltime", "query": "SELECT campaign.id, metrics.clicks FROM campaign"},
        ],
    )
    before = field_calls(google_urls)
    run = run_tap(config, ["customers", "report_devices", "report_alltime", "campaigns"])
    assert run.returncode == 0, run.stderr[-3000:]
    assert field_calls(google_urls) == before + 1  # one metadata call for both reports
    devices = run.records["report_devices"]
    assert devices and all("2026-11-01" <= r["segments__date"] <= "2026-11-20" for r in devices)
    keys = {
        (r["account_id"], r["campaign__id"], r["segments__date"], r["segments__device"])
        for r in devices
    }
    assert len(keys) == len(devices)  # every segment is in the key: no rows collapse
    removed = {
        c["campaign__id"] for c in run.records["campaigns"] if c["campaign__status"] == "REMOVED"
    }
    assert removed and not removed & {r["campaign__id"] for r in devices}
    alltime = run.records["report_alltime"]
    assert len(alltime) == len(run.records["campaigns"])  # one row per campaign, no dates
    again = run_tap(config, ["customers", "report_alltime"])
    assert again.returncode == 0 and field_calls(google_urls) == before + 1  # cached on disk


def test_a_custom_report_naming_an_unknown_field_stops_before_the_run(
    run_tap, make_config, tmp_path
):
    config = make_config(
        field_cache_dir=str(tmp_path / "fields"),
        custom_reports=[
            {"name": "old", "query": "SELECT campaign.start_date, metrics.clicks FROM campaign"}
        ],
    )
    run = run_tap(config, ["customers", "report_old"])
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert "custom_reports[old].query" in last and "'campaign.start_date'" in last
    assert "RECORD" not in run.stdout
    # A field of a resource the FROM one does not go with (Google's PROHIBITED_* at run
    # time) is refused before the run too, from the resource's selectable_with.
    config["custom_reports"] = [
        {"name": "mixed", "query": "SELECT ad_group.id, metrics.clicks FROM campaign"}
    ]
    run = run_tap(config, ["customers", "report_mixed"])
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert "custom_reports[mixed].query" in last and "'ad_group.id'" in last
    assert "selectable_with" in last and "RECORD" not in run.stdout


def test_a_reached_limit_is_named_and_a_period_without_dates_stops_at_start(
    run_tap, make_config, tmp_path
):
    """Google applies a custom query's LIMIT to each query (here one per customer and
    14-day window): rows it cuts off are named in a warning, not dropped silently. A week
    or month report without any date range is refused before anything is read."""
    custom = [
        {
            "name": "limited",
            "query": "SELECT campaign.id, segments.date, metrics.clicks FROM campaign LIMIT 5",
        },
        {"name": "roomy", "query": "SELECT campaign.id, metrics.clicks FROM campaign LIMIT 9999"},
    ]
    run = run_tap(
        make_config(custom_reports=custom), ["customers", "report_limited", "report_roomy"]
    )
    assert run.returncode == 0, run.stderr[-3000:]
    warnings = [line for line in run.stderr.splitlines() if "LIMIT 5 was reached" in line]
    assert len(run.records["report_limited"]) == 5 * len(warnings) and len(warnings) == 6
    assert "LIMIT 9999" not in run.stderr
    weekly = [
        {
            "name": "weekly",
            "query": "SELECT campaign.id, segments.week, metrics.clicks FROM campaign",
        }
    ]
    config_path = tmp_path / "weekly.json"
    config_path.write_text(json.dumps(make_config(custom_reports=weekly)))
    refused = subprocess.run(
        [TAP, "--config", str(config_path), "--discover"], capture_output=True, text=True
    )
    assert refused.returncode != 0
    last = refused.stderr.strip().splitlines()[-1]
    assert "custom_reports[weekly].query" in last and "segments.week" in last
    assert not refused.stdout.strip()
    dated = [
        {
            "name": "weekly",
            "query": "SELECT campaign.id, segments.week, metrics.clicks FROM campaign "
            "WHERE segments.date BETWEEN '2026-11-02' AND '2026-11-15'",
        }
    ]
    fine = run_tap(make_config(custom_reports=dated), ["customers", "report_weekly"])
    assert fine.returncode == 0, fine.stderr[-3000:]
    assert {r["segments__week"] for r in fine.records["report_weekly"]} == {
        "2026-11-02",
        "2026-11-09",
    }
