from decimal import Decimal

import pytest
from tap_tiktok_ads.values import CONVERTERS, local_day, local_hour, utc_timestamp


def parse_metric(name, value):
    return CONVERTERS[name](value)


def test_metric_strings_become_exact_numbers_or_null():
    assert parse_metric("spend", "14.68") == Decimal("14.68")
    assert parse_metric("spend", "1468") == Decimal("1468")
    assert parse_metric("impressions", "1079") == 1079
    assert parse_metric("ctr", "1.11") == Decimal("1.11")
    assert parse_metric("secondary_goal_result", "-") is None
    assert parse_metric("campaign_name", "Spring 10.5") == "Spring 10.5"
    assert sum(parse_metric("spend", v) for v in ["0.1", "0.2"]) == Decimal("0.3")


def test_money_keeps_the_api_representation_padded_or_not():
    # One advertiser: "12.30"; several (advertiser_ids, their task CSV too): "12.3", "100".
    assert str(parse_metric("spend", "12.30")) == "12.30"
    assert str(parse_metric("spend", "12.3")) == "12.3"
    assert parse_metric("spend", "12.3") == parse_metric("spend", "12.30")
    assert parse_metric("spend", "100") == Decimal("100.00")
    # Past float precision, to the cent.
    assert str(parse_metric("spend", "90071992547409.93")) == "90071992547409.93"


def test_report_times_keep_the_account_offset():
    assert local_day("2026-11-20 00:00:00") == "2026-11-20"
    assert local_hour("2026-11-20 13:00:00", "Pacific/Auckland") == "2026-11-20T13:00:00+13:00"
    assert local_hour("2026-07-01 00:00:00", "America/Los_Angeles") == "2026-07-01T00:00:00-07:00"
    assert local_hour("2026-11-20 13:00:00", "UTC+08:00") == "2026-11-20T13:00:00+08:00"
    assert utc_timestamp("2026-01-02 03:04:05") == "2026-01-02T03:04:05+00:00"
    assert utc_timestamp(None) is None


@pytest.mark.parametrize("bad", ["abc", "1.2.3"])
def test_malformed_numbers_fail_loudly(bad):
    with pytest.raises(Exception):  # noqa: B017 - any error, never a silent wrong number
        parse_metric("spend", bad)
