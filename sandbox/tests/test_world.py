from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from ads_sandbox.truth import truth_lines
from ads_sandbox.world import World
from ads_sandbox.world.metrics import CLK, CONV, CONV_FINAL, IMP, SPEND, VALUE

END = date(2025, 3, 31)


def _facts(world: World) -> dict[tuple[str, date], tuple[int, ...]]:
    """(ad id, date) -> the final (revision independent) numbers."""
    out = {}
    for account in world.accounts:
        ads = world.entities(account).ads
        for day, ad, v in world.rows(account, revision=1000):
            out[(ads[ad].id, account.date_at(day))] = (v[IMP], v[CLK], v[SPEND], v[CONV], v[VALUE])
    return out


def test_same_inputs_give_identical_data() -> None:
    a = World("tiktok", 7, "2x3x2x2x20", END)
    b = World("tiktok", 7, "2x3x2x2x20", END)
    assert _facts(a) == _facts(b)
    assert [x.id for x in a.entities(a.accounts[1]).ads] == [
        x.id for x in b.entities(b.accounts[1]).ads
    ]
    assert list(truth_lines("tiktok", 7, "2x3x2x2x20", END)) == list(
        truth_lines("tiktok", 7, "2x3x2x2x20", END)
    )


def test_seed_and_platform_change_the_data() -> None:
    base = _facts(World("tiktok", 1, "1x2x2x2x10", END))
    assert set(base.values()) != set(_facts(World("tiktok", 2, "1x2x2x2x10", END)).values())
    assert set(base.values()) != set(_facts(World("meta", 1, "1x2x2x2x10", END)).values())


def test_facts_do_not_depend_on_end_date() -> None:
    early = _facts(World("tiktok", 1, "2x2x2x2x20", END))
    late = _facts(World("tiktok", 1, "2x2x2x2x20", END + timedelta(days=6)))
    shared = early.keys() & late.keys()
    assert len(shared) > len(early) // 2
    assert all(early[k] == late[k] for k in shared)


def test_accounts_cycle_currencies_and_timezones() -> None:
    world = World("tiktok", 1, "7x1x1x1x3", END)
    assert [(a.currency, a.timezone, a.digits) for a in world.accounts] == [
        ("USD", "America/Los_Angeles", 2),
        ("JPY", "Asia/Tokyo", 0),
        ("NZD", "Pacific/Auckland", 2),
        ("EUR", "Europe/Berlin", 2),
        ("GBP", "Europe/London", 2),
        ("BRL", "America/Sao_Paulo", 2),
        ("USD", "America/Los_Angeles", 2),
    ]
    for account in world.accounts:
        assert account.end_date == END
        assert account.first_date == END - timedelta(days=2)


def test_default_end_date_is_today_in_each_timezone() -> None:
    world = World("tiktok", 1, "3x1x1x1x5")
    for account in world.accounts:
        today = datetime.now(ZoneInfo(account.timezone)).date()
        assert account.end_date in (today, today - timedelta(days=1))  # tolerate midnight
        assert account.days == 5


def test_ids_are_unique_19_digit_strings_starting_with_7() -> None:
    world = World("tiktok", 1, "3x4x3x3x5", END)
    ids = [a.id for a in world.accounts]
    for account in world.accounts:
        tree = world.entities(account)
        for objects in (tree.campaigns, tree.adsets, tree.ads, tree.audiences):
            ids.extend(o.id for o in objects)
    assert len(ids) == len(set(ids))
    assert all(len(i) == 19 and i.isdigit() and i[0] == "7" for i in ids)


def test_other_platforms_use_their_id_shapes() -> None:
    assert World("meta", 1, "1x1x1x1x1", END).accounts[0].id.startswith("act_")
    google = World("google_ads", 1, "1x1x1x1x1", END).accounts[0].id
    assert len(google) == 10 and google.isdigit()


def test_deleted_objects_cascade_and_keep_spend() -> None:
    world = World("tiktok", 1, "2x20x4x4x30", END)
    for account in world.accounts:
        tree = world.entities(account)
        share = sum(c.deleted_by is not None for c in tree.campaigns) / len(tree.campaigns)
        assert 0.05 <= share <= 0.2
        for adset in tree.adsets:
            if tree.campaigns[adset.campaign_index].deleted_by:
                assert adset.deleted_by == "campaign"
        for ad in tree.ads:
            if tree.adsets[ad.adset_index].deleted_by:
                assert ad.deleted_by in ("adset", "campaign")
        assert 0.08 <= sum(a.deleted_by is not None for a in tree.ads) / len(tree.ads) <= 0.2
        deleted = {a.index for a in tree.ads if a.deleted_by}
        assert any(v[SPEND] > 0 for _, ad, v in world.rows(account) if ad in deleted)


def test_entity_times_lie_in_the_window() -> None:
    world = World("tiktok", 1, "3x4x3x3x30", END)
    for account in world.accounts:
        tree = world.entities(account)
        for obj in (*tree.campaigns, *tree.adsets, *tree.ads, *tree.audiences):
            assert account.window_start <= obj.create_time <= obj.modify_time < account.window_end


def test_facts_are_plausible_and_some_ad_days_have_no_delivery() -> None:
    world = World("tiktok", 1, "3x4x3x3x30", END)
    for account in world.accounts:
        rows = list(world.rows(account, revision=1000))
        assert 0 < len(rows) < len(world.entities(account).ads) * account.days
        for _, _, v in rows:
            assert v[IMP] > 0 and 0 <= v[CLK] <= v[IMP] and 0 <= v[CONV] <= v[CLK]
        impressions = sum(v[IMP] for _, _, v in rows)
        cpm_usd = sum(v[SPEND] for _, _, v in rows) / impressions * 1000
        cpm_usd /= {"USD": 100, "JPY": 150, "NZD": 170}[account.currency]
        assert 1 < cpm_usd < 15


def test_late_conversions_follow_the_revision_formula() -> None:
    world = World("tiktok", 1, "1x3x3x3x12", END)
    account = world.accounts[0]
    for revision in (0, 3, 9):
        for day, _, v in world.rows(account, revision=revision):
            age = account.days - 1 - day
            share = min(1, (age + 1 + revision) / 8)
            assert v[CONV] == int(v[CONV_FINAL] * share)
            if age >= 7:
                assert v[CONV] == v[CONV_FINAL]


def test_revision_advances_edit_a_few_objects() -> None:
    world = World("tiktok", 1, "1x6x3x3x10", END)
    tree = world.entities(world.accounts[0])
    assert tree.touches(0) == {}
    first, second = tree.touches(1), tree.touches(2)
    assert 3 <= len(first) <= 6
    assert set(first) <= set(second)
    latest = max(o.modify_time for o in (*tree.campaigns, *tree.adsets, *tree.ads))
    assert all(t.time > latest for t in first.values())
    assert max(t.time for t in second.values()) > max(t.time for t in first.values())


@pytest.mark.parametrize("platform", ["tiktok", "meta", "google_ads"])
def test_late_window_is_per_platform(platform: str) -> None:
    assert (
        World(platform, 1, "1x1x1x1x1", END).late_days
        == {
            "tiktok": 7,
            "meta": 28,
            "google_ads": 30,
        }[platform]
    )


def test_large_account_builds_quickly() -> None:
    world = World("tiktok", 1, "1x50x10x10x30", END)
    facts = world.facts(world.accounts[0])
    assert len(facts) > 100_000
