"""The refresh hook: tokens renewed before expiry, written back, once across threads and
processes; a refused refresh stops with how to sign in again."""

from __future__ import annotations

import threading

import pytest
from ads_kit.errors import AuthenticationError
from ads_kit.login.refresh import RefreshRefused, StoredTokens
from ads_kit.login.store import StoreLocation, load_entry, open_store


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class Platform:
    """A refresher issuing numbered tokens that last an hour."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.calls = 0
        self.refuse: str | None = None

    def __call__(self, entry) -> dict:
        if self.refuse:
            raise RefreshRefused(self.refuse)
        assert entry["refresh_token"] == "1//refresh"
        self.calls += 1
        return {"access_token": f"access-{self.calls}", "expires_at": self.clock() + 3600}


@pytest.fixture
def location(tmp_path) -> StoreLocation:
    location = StoreLocation(
        "google", "file", tmp_path / "d" / "tokens.fernet", tmp_path / "k" / "tokens.key"
    )
    open_store(location).save(
        "google",
        {"refresh_token": "1//refresh", "access_token": "access-0", "expires_at": 1_000_600.0},
    )
    return location


def tokens(location, platform, clock) -> StoredTokens:
    return StoredTokens(location, platform, login_hint="ads-login google", clock=clock)


def test_refreshed_before_expiry_and_written_back(location):
    clock = Clock()
    platform = Platform(clock)
    run = tokens(location, platform, clock)
    assert run.access_token() == "access-0" and platform.calls == 0
    clock.now += 301  # within the five-minute margin of the expiry
    assert run.access_token() == "access-1"
    assert load_entry(location)["access_token"] == "access-1"
    assert load_entry(location)["refresh_token"] == "1//refresh"
    clock.now += 3000
    assert run.access_token() == "access-1"
    clock.now += 600
    assert run.access_token() == "access-2" and run.refreshes == 2


def test_one_refresh_for_many_threads_and_for_another_process(location):
    clock = Clock()
    platform = Platform(clock)
    first, second = tokens(location, platform, clock), tokens(location, platform, clock)
    clock.now += 1000
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(first.access_token())) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["access-1"] * 8
    # The other process's entry is stale; it finds the refreshed token in the store.
    assert second.access_token() == "access-1" and platform.calls == 1


def test_a_refused_refresh_says_how_to_sign_in_again(location):
    clock = Clock()
    platform = Platform(clock)
    platform.refuse = "Google refused the refresh token (invalid_grant)."
    run = tokens(location, platform, clock)
    clock.now += 1000
    with pytest.raises(AuthenticationError) as error:
        run.access_token()
    assert str(error.value) == (
        "Google refused the refresh token (invalid_grant). Sign in again with "
        "`ads-login google`; the state saved so far is resumable."
    )
    assert load_entry(location)["access_token"] == "access-0"


def test_tokens_without_refresh_are_named_before_and_after_they_expire():
    from ads_kit.login.setting import expiry_problem

    now = 1_800_000_000.0
    entry = {"platform": "meta", "access_token": "t", "expires_at": now + 3 * 86400}
    assert expiry_problem(entry, "meta", now) == (
        False,
        "The token stored as 'meta' expires on 2027-01-18 08:00 UTC: sign in again with "
        "`ads-login meta --name meta` before then.",
    )
    assert expiry_problem({**entry, "expires_at": now - 1}, "meta", now)[0] is True
    assert expiry_problem({**entry, "expires_at": now + 30 * 86400}, "meta", now) is None
    assert expiry_problem({**entry, "refresh_token": "1//r"}, "meta", now) is None
    assert expiry_problem({"access_token": "t", "expires_at": 0}, "meta", now) is None
