"""Account partitioning on a plain SDK `Stream` (no REST), and settings applied once."""

from __future__ import annotations

import json

from ads_kit.accounts import Account, AccountsStreamMixin, PerAccountStream
from ads_kit.errors import AccountAccessError, StopError
from ads_kit.pacing import RateLimits
from ads_kit.settings import common_properties, date_properties, report_properties
from ads_kit.tap import AdsTap
from singer_sdk import Stream
from singer_sdk import typing as th

ACCOUNTS = [
    Account("a1", "USD", "America/Los_Angeles"),
    Account("a2", "JPY", "Mars/Olympus"),
    Account("a3", "EUR", "UTC+01:00"),
    Account("a4", "NZD", "Pacific/Auckland"),
]


class Accounts(AccountsStreamMixin, Stream):
    name = "accounts"
    schema = th.PropertiesList(th.Property("id", th.StringType)).to_dict()

    def get_records(self, context):
        for account in ACCOUNTS:
            yield {"id": account.id}

    def get_child_context(self, record, context):
        return self.account_context(next(a for a in ACCOUNTS if a.id == record["id"]))


class Spend(PerAccountStream, Stream):
    name = "spend"
    parent_stream_type = Accounts
    schema = th.PropertiesList(
        th.Property("day", th.StringType), th.Property("spend", th.StringType)
    ).to_dict()
    schema["properties"].update(
        {
            k: {"type": ["string", "null"]}
            for k in ("account_id", "account_currency", "account_timezone")
        }
    )

    def get_account_records(self, context):
        if context["account_id"] == "a4":
            raise AccountAccessError("a4", "account a4: (#200) no ads_read permission")
        yield {"day": "2026-11-01", "spend": "1.50"}


class SdkTap(AdsTap):
    name = "tap-sdk"
    rate_limit_defaults = RateLimits(3600, 60, 5, 1, 1.0, 3, 60.0)
    default_api_version = "v1"
    config_jsonschema = th.PropertiesList(
        *common_properties(), *date_properties(default_lookback=28), *report_properties()
    ).to_dict()

    def discover_streams(self) -> list:
        return [Accounts(self), Spend(self)]


def run(tap: SdkTap, capsys) -> tuple[list[dict], BaseException | None]:
    error = None
    try:
        tap.sync_all()
    except StopError as stop:
        error = stop
    messages = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    records = [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == "spend"]
    return records, error


def test_every_account_is_read_the_unplaceable_and_the_refused_are_named(capsys):
    tap = SdkTap(config={"start_date": "2026-01-01"})
    records, error = run(tap, capsys)
    assert [(r["account_id"], r["account_currency"], r["account_timezone"]) for r in records] == [
        ("a1", "USD", "America/Los_Angeles"),
        ("a3", "EUR", "UTC+01:00"),
    ]
    assert error is not None
    assert "2 account(s) could not be read" in str(error)
    assert "a2" in str(error) and "Mars/Olympus" in str(error) and "a4" in str(error)
    state = tap.state["bookmarks"]["spend"]["partitions"]
    # The unplaceable account never reached its children; each other one is its own partition.
    assert [p["context"]["account_id"] for p in state] == ["a1", "a3", "a4"]


def test_the_last_state_names_this_runs_failed_accounts_per_stream(capsys):
    past = {"bookmarks": {"account_failures": {"a1": {"spend": "an earlier run's"}}}}
    tap = SdkTap(config={"start_date": "2026-01-01"}, state=past)
    try:
        tap.sync_all()
    except StopError:
        pass
    messages = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    states = [m["value"] for m in messages if m["type"] == "STATE"]
    assert "account_failures" not in states[0]["bookmarks"]  # cleared when the run starts
    failures = states[-1]["bookmarks"]["account_failures"]  # what goes downstream
    assert set(failures) == {"a2", "a4"}  # a1 was read this time: the past entry is gone
    assert set(failures["a2"]) == {"accounts"} and "Mars/Olympus" in failures["a2"]["accounts"]
    assert failures["a4"] == {"spend": "account a4: (#200) no ads_read permission"}


def test_declared_defaults_are_applied_once_at_start():
    tap = SdkTap(config={"start_date": "2026-01-01"}, setup_mapper=False)
    assert tap.config["insights_lookback_days"] == 28
    assert tap.config["request_timeout"] == 60 and tap.config["connect_timeout"] == 10
    tap = SdkTap(
        config={"start_date": "2026-01-01", "insights_lookback_days": 3}, setup_mapper=False
    )
    assert tap.config["insights_lookback_days"] == 3


class Stopping(Spend):
    name = "stopping"

    def get_account_records(self, context):
        yield {"day": "2026-11-01", "spend": "1.50"}
        raise StopError("quota exhausted for the day: run again tomorrow")


class StoppingTap(SdkTap):
    def discover_streams(self) -> list:
        return [Accounts(self), Stopping(self)]


def test_a_stopped_run_says_so_in_its_last_state(capsys):
    tap = StoppingTap(config={"start_date": "2026-01-01"})
    try:
        tap.sync_all()
    except StopError:
        pass
    messages = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert messages[-1]["type"] == "STATE"
    failures = messages[-1]["value"]["bookmarks"]["account_failures"]
    assert failures["*"] == {"*": "quota exhausted for the day: run again tomorrow"}
