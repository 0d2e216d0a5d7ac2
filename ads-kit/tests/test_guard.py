"""The call guard driven with plain callables: no HTTP, no network."""

from __future__ import annotations

import json
import logging

import pytest
from ads_kit.dead_letter import DeadLetterFile
from ads_kit.errors import (
    AccountAccessError,
    AuthenticationError,
    QuotaExhaustedError,
    RateLimitedError,
    RetryableError,
    VersionRefusedError,
)
from ads_kit.guard import CallGuard, Operation, jittered_waits
from ads_kit.pacing import RateLimits, RequestPacer
from ads_kit.redaction import install_log_redaction
from ads_kit.versions import ApiVersions


class Throttled(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"slow down for {seconds} s")
        self.seconds = seconds


class Flaky(Exception):
    pass


class NoAccess(Exception):
    pass


class BadToken(Exception):
    pass


class Sunset(Exception):
    pass


def classify(error: BaseException) -> BaseException | None:
    """A platform's classifier: its own exception classes into ads-kit's."""
    match error:
        case Throttled():
            return RateLimitedError(str(error), retry_after=error.seconds)
        case Flaky():
            return RetryableError(str(error))
        case NoAccess():
            return AccountAccessError("act_1", str(error))
        case BadToken():
            return AuthenticationError(str(error))
        case Sunset():
            return VersionRefusedError(str(error))
    return None


LIMITS = RateLimits(
    requests_per_hour=100_000,
    requests_per_minute=10_000,
    burst=1000,
    concurrent_requests=2,
    backoff_multiplier=0.001,
    max_retries=3,
    max_wait_seconds=0.05,
)
OPERATION = Operation("insights", "act_1", "AdAccount.get_insights", {"fields": ["spend"]})


def make_guard(tmp_path, limits: RateLimits = LIMITS, fallbacks=("v2",)) -> CallGuard:
    return CallGuard(
        pacer=RequestPacer.from_limits(limits, key=f"test:{tmp_path}"),
        limits=limits,
        classify=classify,
        versions=ApiVersions("v1", list(fallbacks), logging.getLogger("test")),
        dead_letters=DeadLetterFile(tmp_path / "dead.jsonl"),
        logger=logging.getLogger("test"),
    )


def failing(*errors: BaseException, result: str = "ok"):
    """A callable raising `errors` in turn, then returning `result`; counts its calls."""
    pending = list(errors)

    def call() -> str:
        call.calls += 1
        if pending:
            raise pending.pop(0)
        return result

    call.calls = 0
    return call


def dead_letters(tmp_path) -> list[dict]:
    path = tmp_path / "dead.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_transient_errors_are_retried_until_the_call_succeeds(tmp_path):
    call = failing(Flaky("503"), Throttled(0.01), Flaky("reset"))
    assert make_guard(tmp_path).call(call, OPERATION) == "ok"
    assert call.calls == 4
    assert dead_letters(tmp_path) == []


def test_retries_stop_at_max_retries_and_leave_a_dead_letter(tmp_path):
    call = failing(*[Flaky("503")] * 10)
    with pytest.raises(RetryableError):
        make_guard(tmp_path).call(call, OPERATION)
    assert call.calls == LIMITS.max_retries + 1
    (entry,) = dead_letters(tmp_path)
    assert entry["error"] == "RetryableError" and entry["tries"] == LIMITS.max_retries + 1
    assert entry["stream"] == "insights" and entry["account_id"] == "act_1"
    assert entry["operation"] == "AdAccount.get_insights"
    assert entry["request"] == {"fields": ["spend"]}


@pytest.mark.parametrize(
    ("error", "expected"),
    [(NoAccess("no permission"), AccountAccessError), (BadToken("expired"), AuthenticationError)],
)
def test_fatal_errors_are_not_retried(tmp_path, error, expected):
    call = failing(error)
    with pytest.raises(expected) as raised:
        make_guard(tmp_path).call(call, OPERATION)
    assert call.calls == 1
    assert isinstance(raised.value.__cause__, type(error))
    assert dead_letters(tmp_path)[0]["error"] == expected.__name__


def test_unclassified_errors_pass_through_unchanged(tmp_path):
    call = failing(KeyError("bug"))
    with pytest.raises(KeyError):
        make_guard(tmp_path).call(call, OPERATION)
    assert call.calls == 1


def test_a_wait_longer_than_max_wait_seconds_stops_with_resumable_state(tmp_path):
    call = failing(Throttled(3600))
    with pytest.raises(QuotaExhaustedError) as raised:
        make_guard(tmp_path).call(call, OPERATION)
    assert call.calls == 1
    assert "max_wait_seconds" in str(raised.value) and "resumable" in str(raised.value)


def test_a_refused_version_moves_to_the_fallback_and_calls_again(tmp_path):
    guard = make_guard(tmp_path)
    seen = []

    def call() -> str:
        seen.append(guard.versions.current)
        if guard.versions.current == "v1":
            raise Sunset("v1 is sunset")
        return "ok"

    assert guard.call(call, OPERATION) == "ok"
    assert seen == ["v1", "v2"]


def test_without_fallbacks_left_the_refusal_stops(tmp_path):
    guard = make_guard(tmp_path, fallbacks=())
    with pytest.raises(VersionRefusedError):
        guard.call(failing(*[Sunset("gone")] * 3), OPERATION)
    assert dead_letters(tmp_path)[0]["error"] == "VersionRefusedError"


def test_waits_follow_the_platform_and_never_pass_the_cap_after_jitter():
    limits = RateLimits(3600, 60, 5, 1, backoff_multiplier=10.0, max_retries=9, max_wait_seconds=30)
    for _ in range(200):
        waits = jittered_waits(limits)
        next(waits)
        exponential = [waits.send(RetryableError("x")) for _ in range(6)]
        assert all(wait <= 30 for wait in exponential)
        assert 8 <= exponential[0] <= 12
        asked = waits.send(RateLimitedError("x", retry_after=5))
        assert 5 <= asked <= 5.5
        assert waits.send(RateLimitedError("x", retry_after=29.9)) <= 30


def test_secrets_are_masked_in_dead_letters(tmp_path):
    install_log_redaction(["sk-live-5150-SECRET"])
    operation = Operation("ads", "act_1", "GET /ads", {"url": "https://x/ads?access_token=abc123"})
    with pytest.raises(AuthenticationError):
        make_guard(tmp_path).call(failing(BadToken("token sk-live-5150-SECRET refused")), operation)
    text = (tmp_path / "dead.jsonl").read_text()
    assert "sk-live-5150-SECRET" not in text and "abc123" not in text


def test_a_throttled_call_pauses_the_app_or_only_its_account(tmp_path):
    guard = make_guard(tmp_path)
    guard.call(failing(Throttled(0.01)), OPERATION)
    assert set(guard.pacer._paused_until) == {f"{guard.pacer.key}:pause"}

    def per_account(error: BaseException) -> BaseException | None:
        return RateLimitedError(str(error), retry_after=0.01, per_account=True)

    guard = make_guard(tmp_path / "b")
    guard.classify = per_account
    guard.call(failing(Throttled(0.01)), OPERATION)
    assert set(guard.pacer._paused_until) == {f"{guard.pacer.key}:pause:act_1"}
