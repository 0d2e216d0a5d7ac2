"""Late conversions and entity edits when the control endpoint advances the revision."""

from typing import Any

from ads_sandbox.testing import running_sandbox
from ads_sandbox.truth import truth_rows

from .conftest import END, FAST, TikTok

SCALE = "2x4x2x2x20"


def _daily(api: TikTok, advertiser: str) -> dict[str, dict[str, str]]:
    rows = api.all_pages(
        "report/integrated/get/",
        advertiser_id=advertiser,
        report_type="BASIC",
        data_level="AUCTION_ADVERTISER",
        dimensions=["stat_time_day"],
        metrics=["spend", "conversion", "total_purchase_value", "cost_per_conversion"],
        start_date="2025-03-12",
        end_date=END.isoformat(),
    )
    return {r["dimensions"]["stat_time_day"][:10]: r["metrics"] for r in rows}


def _entities(api: TikTok, advertiser: str) -> dict[str, dict[str, Any]]:
    out = {}
    for resource, key in (
        ("campaign/get/", "campaign_id"),
        ("adgroup/get/", "adgroup_id"),
        ("ad/get/", "ad_id"),
    ):
        for row in api.all_pages(resource, advertiser_id=advertiser):
            out[row[key]] = row
    return out


def test_advance_grows_recent_conversions_and_edits_entities() -> None:
    with running_sandbox(scale=SCALE, extra_args=("--end-date", END.isoformat(), *FAST)) as urls:
        api = TikTok(urls["tiktok"])
        advertiser = api.advertisers()[0]
        before, objects_before = _daily(api, advertiser), _entities(api, advertiser)
        assert api.control("advance") == {"revision": 1}
        assert api.control("advance") == {"revision": 2}
        after, objects_after = _daily(api, advertiser), _entities(api, advertiser)
        assert api.control("stats")["revision"] == 2

    assert before.keys() == after.keys()
    grew = 0
    for day, old in before.items():
        new = after[day]
        assert new["spend"] == old["spend"]
        assert int(new["conversion"]) >= int(old["conversion"])
        grew += int(new["conversion"]) > int(old["conversion"])
        if day < "2025-03-24":  # more than 7 days old: settled
            assert new == old
    assert grew >= 3
    truth = {
        r["date"]: r
        for r in truth_rows("tiktok", 1, SCALE, END, 2, gmv_max=False)
        if r["account_id"] == advertiser
    }
    assert {d: int(m["conversion"]) for d, m in after.items()} == {
        d: truth[d]["conversions"] for d in after
    }

    changed = [i for i in objects_before if objects_before[i] != objects_after[i]]
    assert 3 <= len(changed) <= 12
    latest_before = max(o["modify_time"] for o in objects_before.values())
    for object_id in changed:
        old, new = objects_before[object_id], objects_after[object_id]
        assert new["modify_time"] > latest_before
        assert new["create_time"] == old["create_time"]
        if "budget" in old and "ad_id" not in old:
            assert new["budget"] > old["budget"]
