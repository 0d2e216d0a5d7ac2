import datetime as dt

import pytest
from ads_kit.report_plan import configured_range, incremental_start, windows
from ads_kit.timezones import account_today, zone

D = dt.date


def test_windows_cover_the_range_without_gaps_or_overlap():
    spans = list(windows(D(2026, 1, 1), D(2026, 3, 5), 30))
    assert spans[0] == (D(2026, 1, 1), D(2026, 1, 30))
    assert all((b - a).days <= 29 for a, b in spans)
    assert all(spans[i][1] + dt.timedelta(days=1) == spans[i + 1][0] for i in range(len(spans) - 1))
    assert spans[-1][1] == D(2026, 3, 5)
    assert list(windows(D(2026, 1, 2), D(2026, 1, 1), 30)) == []


def test_lookback_applies_only_after_a_bookmark_and_not_before_start():
    start = D(2026, 1, 1)
    assert incremental_start(start, None, 7) == start
    assert incremental_start(start, "2026-02-10", 7) == D(2026, 2, 3)
    assert incremental_start(start, "2026-01-03", 7) == start


def test_configured_ranges():
    today = D(2026, 11, 24)
    assert configured_range({"date_range": {"type": "last_n_days", "days": 30}}, today) == (
        D(2026, 10, 25),
        today,
    )
    assert configured_range({"start_date": "2026-11-01"}, today) == (D(2026, 11, 1), today)
    assert configured_range({"start_date": "2026-11-01", "end_date": "2027-01-01"}, today) == (
        D(2026, 11, 1),
        today,
    )
    assert configured_range({"date_range": {"type": "lifetime"}}, today) == (None, today)


def test_today_is_the_accounts_own():
    now = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
    assert account_today("Pacific/Auckland", now) == D(2026, 11, 25)
    assert account_today("America/Los_Angeles", now) == D(2026, 11, 24)


def test_timezones_by_name_or_fixed_offset():
    noon = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)
    assert noon.astimezone(zone("America/Los_Angeles")).utcoffset() == dt.timedelta(hours=-7)
    assert noon.astimezone(zone("UTC+08:00")).utcoffset() == dt.timedelta(hours=8)
    assert noon.astimezone(zone("GMT-5")).utcoffset() == dt.timedelta(hours=-5)
    assert noon.astimezone(zone("UTC+0530")).utcoffset() == dt.timedelta(hours=5, minutes=30)
    assert zone("UTC") is dt.UTC
    with pytest.raises(ValueError, match="IANA name or an offset"):
        zone("Mars/Olympus")


def test_a_plan_reads_recent_days_first_and_lookback_only_after_a_bookmark():
    from ads_kit.accounts import Account
    from ads_kit.report_plan import plan_report

    account = Account("a1", "USD", "UTC", created="2025-06-01T00:00:00+00:00")
    config = {"start_date": "2026-01-01", "insights_lookback_days": 28}
    first = plan_report(config, account, None, today=D(2026, 3, 31))
    assert (first.start, first.end, first.days) == (D(2026, 1, 1), D(2026, 3, 31), 90)
    assert first.windows(30)[0] == (D(2026, 3, 2), D(2026, 3, 31))
    assert first.windows(30)[-1] == (D(2026, 1, 1), D(2026, 1, 30))
    later = plan_report(config, account, "2026-03-30", today=D(2026, 3, 31))
    assert later.start == D(2026, 3, 2) and "lookback" in later.reason
    lifetime = plan_report(
        {"date_range": {"type": "lifetime"}}, account, None, today=D(2026, 3, 31)
    )
    assert lifetime.start == D(2025, 6, 1)


def test_a_custom_range_reads_its_own_dates():
    today = D(2026, 11, 24)
    custom = {"type": "custom", "start_date": "2026-10-01", "end_date": "2026-10-31"}
    assert configured_range({"date_range": custom}, today) == (D(2026, 10, 1), D(2026, 10, 31))
    open_ended = {"type": "custom", "start_date": "2026-11-20"}
    assert configured_range({"date_range": open_ended}, today) == (D(2026, 11, 20), today)
