from tap_tiktok_ads.tap import TapTikTokAds

CONFIG = {"access_token": "x-token", "advertiser_ids": ["7000001"], "start_date": "2026-01-01"}


def advertiser(advertiser_id: str, timezone: str) -> dict:
    return {"advertiser_id": advertiser_id, "currency": "USD", "timezone": timezone}


def test_accounts_are_registered_and_the_context_is_the_state_partition():
    tap = TapTikTokAds(config=CONFIG, setup_mapper=False)
    stream = tap.streams["advertisers"]
    context = stream.get_child_context(advertiser("7000001", "UTC+08:00"), None)
    assert context == {"account_id": "7000001"}
    assert tap.accounts["7000001"].timezone == "UTC+08:00"


def test_an_advertiser_in_an_unknown_timezone_is_skipped_and_named():
    tap = TapTikTokAds(config=CONFIG, setup_mapper=False)
    stream = tap.streams["advertisers"]
    assert stream.get_child_context(advertiser("7000002", "Mars/Olympus"), None) is None
    ((_, error),) = tap.accounts.failures
    assert error.account_id == "7000002" and "Mars/Olympus" in str(error)
    assert "7000002" not in tap.accounts
