import pytest
from ads_kit.errors import (
    AccountAccessError,
    AuthenticationError,
    InvalidRequestError,
    QuotaExhaustedError,
    RateLimitedError,
    RetryableError,
    VersionRefusedError,
)
from tap_tiktok_ads.errors import QPM_PAUSE_SECONDS, classify


def test_success_codes():
    assert classify(0, "OK", None) is None
    assert classify(20001, "partial", None) is None


@pytest.mark.parametrize(
    ("code", "message", "kind"),
    [
        (40100, "requests from App [1] are temporarily restricted. (QPS limit)", RateLimitedError),
        (40133, "Advertiser QPS reaches limit", RateLimitedError),
        (40016, "too frequent", RateLimitedError),
        (40132, "too frequent for this pixel", RateLimitedError),
        (50002, "System error, please try again later.", RetryableError),
        (40200, "task error", RetryableError),
        (40202, "write conflict", RetryableError),
        (40106, "core user invalid", AuthenticationError),
        (40113, "app_id inconsistent with the token", AuthenticationError),
        (40301, "advertiser deleted", AccountAccessError),
        (40006, "version not supported", VersionRefusedError),
        (50000, "System error", RetryableError),
        (51001, "internal service timeout", RetryableError),
        (60001, "maintenance", RetryableError),
        (40700, "internal validation", RetryableError),
        (40102, "Access token has expired", AuthenticationError),
        (40104, "Access token is null", AuthenticationError),
        (40105, "Access token is invalid", AuthenticationError),
        (40001, "no permission", AccountAccessError),
        (40300, "advertiser does not exist", AccountAccessError),
        (40002, "Invalid metric fields: ['x']", InvalidRequestError),
        (40051, "invalid version", VersionRefusedError),
    ],
)
def test_codes_are_classified(code, message, kind):
    assert isinstance(classify(code, message, "7000000000000000001"), kind)


def test_rate_limit_waits_follow_tiktok():
    assert classify(40100, "restricted (QPS limit)", None).retry_after == 1.0
    assert (
        classify(40100, "restricted (QPM limit: suspended)", None).retry_after == QPM_PAUSE_SECONDS
    )
    daily = classify(40100, "restricted (QPD limit: resets at 00:00:00 UTC)", None)
    assert isinstance(daily, QuotaExhaustedError) and "00:00 UTC" in str(daily)


def test_token_errors_say_how_to_fix():
    error = classify(40105, "Access token is invalid", None)
    assert "new token" in str(error) and "access_token" in str(error)


@pytest.mark.parametrize("code", [40102, 40104, 40105, 40106, 40113])
def test_each_token_refusal_says_what_is_true_and_what_to_do_today(code):
    text = str(classify(code, "refused", None))
    assert isinstance(classify(code, "refused", None), AuthenticationError)
    assert "login command" not in text and "ads-login" not in text, "no such command yet"
    assert "`access_token`" in text or "`app_id`" in text


def test_an_expired_token_is_not_also_called_unexpiring():
    text = str(classify(40102, "Access token has expired", None))
    assert "do not expire" not in text
    assert "no expiry timer" in text and "oauth2/access_token" in text


def test_account_errors_name_the_advertiser():
    error = classify(40001, "no permission", "7123")
    assert error.account_id == "7123" and "7123" in str(error)
