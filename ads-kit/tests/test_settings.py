from decimal import Decimal

from ads_kit.pacing import RateLimits
from ads_kit.settings import date_errors, rate_limiting_property, schema_errors
from singer_sdk import typing as th

LIMITS = RateLimits(3600, 60, 5, 1, 1.0, 3, 60.0)
SCHEMA = th.PropertiesList(
    th.Property("token", th.StringType, required=True, secret=True),
    th.Property("mode", th.StringType(allowed_values=["a", "b"])),
    rate_limiting_property(LIMITS),
).to_dict()


def test_each_problem_is_one_line_naming_the_setting():
    errors = schema_errors({"mode": "c", "rate_limiting": {"burst": 0}}, SCHEMA, ["token"])
    assert "Setting 'token' is required." in errors
    assert "Setting 'mode' must be one of a, b (got 'c')." in errors
    assert "Setting 'rate_limiting.burst' must be at least 1 (got 0)." in errors
    assert all("\n" not in line for line in errors)


def test_secret_values_are_not_echoed():
    errors = schema_errors({"token": 12345678}, SCHEMA, ["token"])
    assert errors == ["Setting 'token' must be of type ['string']."]


def test_unknown_settings_are_named():
    (error,) = schema_errors({"token": "x", "modee": "a"}, SCHEMA, ["token"])
    assert "'modee' is not known" in error and "mode" in error


def test_contradictory_dates():
    assert date_errors({"start_date": "2026-02-01", "end_date": "2026-01-01"}) == [
        "Setting 'end_date' must not be before 'start_date'."
    ]
    assert any(
        "contradict" in e
        for e in date_errors({"start_date": "2026-01-01", "date_range": {"type": "lifetime"}})
    )
    assert date_errors({}) == [
        "Setting 'start_date' is required (YYYY-MM-DD), or set 'date_range'."
    ]
    assert date_errors({"date_range": {"type": "last_n_days", "days": 3}}) == []


def test_rate_limits_overlay_defaults():
    limits = RateLimits.from_config({"burst": 2, "redis_url": None}, LIMITS)
    assert limits.burst == 2 and limits.requests_per_minute == 60
    decimal_config = RateLimits.from_config({"backoff_multiplier": Decimal("0.05")}, LIMITS)
    assert isinstance(decimal_config.backoff_multiplier, float)


def test_credentials_set_empty_or_with_pasted_whitespace_are_refused_without_echo():
    from ads_kit.settings import credential_errors

    config = {"a": "", "b": " tok-1234", "c": "tok-1234\n", "d": "tok\t1234", "e": "ok tok-1"}
    errors = credential_errors(config, ["a", "b", "c", "d", "e", "missing"])
    assert [e.split("'")[1] for e in errors] == ["a", "b", "c", "d"]
    assert "is empty" in errors[0] and all("tok" not in e for e in errors)
