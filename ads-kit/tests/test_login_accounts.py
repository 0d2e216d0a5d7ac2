"""Picking the accounts after sign-in: --all, ids or table numbers, a prompt, or an error."""

from __future__ import annotations

import pytest
from ads_kit.login.accounts_choice import Account, pick
from ads_kit.login.authorize import LoginError

ACCOUNTS = [
    Account("7000000001", "Shop EU", "EUR", "Europe/Berlin"),
    Account("7000000002", "Shop JP", "JPY", "Asia/Tokyo"),
    Account("7000000003", "Shop NZ", "NZD", "Pacific/Auckland"),
]


def choose(**kwargs) -> tuple[list[str] | None, list[str]]:
    said: list[str] = []
    options = {"every": False, "given": None, "interactive": False, "ask": None, **kwargs}
    return pick(ACCOUNTS, say=said.append, **options), said


def test_the_table_names_each_account_with_currency_and_timezone():
    _, said = choose(every=True)
    for account in ACCOUNTS:
        line = next(line for line in said[0].splitlines() if account.id in line)
        assert account.name in line and account.currency in line and account.timezone in line


def test_all_ids_and_numbers():
    assert choose(every=True)[0] is None
    assert choose(given="7000000003, 1")[0] == ["7000000003", "7000000001"]
    assert choose(given="2,2")[0] == ["7000000002"]
    assert choose(given="all")[0] is None
    assert choose(interactive=True, ask=lambda prompt: "3\n")[0] == ["7000000003"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"given": "7000000009,4"}, "Not among the accounts this sign-in reaches: 7000000009, 4"),
        ({"given": " , "}, "No account picked"),
        ({}, "--accounts ID,ID or --all"),
    ],
)
def test_what_cannot_be_picked(kwargs, message):
    with pytest.raises(LoginError, match=message):
        choose(**kwargs)


def test_no_account_reached():
    with pytest.raises(LoginError, match="reaches no ad account"):
        pick([], every=True, given=None, interactive=False, say=print, ask=input)
