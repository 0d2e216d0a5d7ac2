"""Meta below campaign level, through `tap-meta-ads | transform-unified` against the sandbox:
ad set and ad rows, and every campaign-level audience breakdown (the tap has no ad set or
ad audience reports), add up to the campaign rows per campaign and day, to the cent."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from ads_e2e.mapper import tap_through_mapper
from ads_sandbox.tap_runs import sandbox_credentials

pytestmark = pytest.mark.e2e

BREAKDOWNS = ("age", "gender", "country", "device", "placement")
SELECTED = (
    "ad_accounts",
    "campaigns",
    "insights_campaign",
    "insights_adset",
    "insights",
    *(f"insights_audience_{name}" for name in BREAKDOWNS),
)


def sums(rows: list[dict], *by: str) -> dict[tuple, tuple]:
    totals: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0, 0])
    for row in rows:
        total = totals[tuple(row[name] for name in ("account_id", "campaign_id", "date", *by))]
        total[0] += row["spend"]
        total[1] += row["impressions"]
        total[2] += row["clicks"]
    return {key: tuple(value) for key, value in totals.items()}


def test_meta_levels_and_audience_breakdowns_add_up_to_the_campaigns(sandbox_factory, tmp_path):
    urls = sandbox_factory(seed=4, scale="2x2x2x2x5")
    config = {
        **sandbox_credentials("meta", urls),
        "date_range": {"type": "last_n_days", "days": 5},
        "insights_poll_seconds": 0.2,
    }
    piped = tap_through_mapper("tap-meta-ads", config, SELECTED, tmp_path)
    assert piped.tap_status == 0, piped.tap_log[-3000:]
    assert piped.mapper.returncode == 0, piped.mapper.stderr[-3000:]
    rows = piped.rows

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
    summaries = [row for (platform, _), row in piped.summaries().items() if platform == "meta"]
    kinds = {w["kind"] for r in summaries for w in r["warnings"]}
    assert not kinds & {"level_sums_disagree", "unmapped_breakdown_value", "rejected_record"}
