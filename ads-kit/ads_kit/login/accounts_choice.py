"""After sign-in: the ad accounts the token reaches, shown with name, currency and timezone,
and the user's pick of them (`--all`, `--accounts`, or a prompt)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ads_kit.login.authorize import LoginError


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    currency: str
    timezone: str


def table(accounts: Sequence[Account]) -> str:
    width = max((len(a.id) for a in accounts), default=2)
    name_width = max((len(a.name) for a in accounts), default=4)
    return "\n".join(
        f"  {n:>3}  {a.id:<{width}}  {a.name:<{name_width}}  {a.currency:<4} {a.timezone}"
        for n, a in enumerate(accounts, 1)
    )


def _chosen(answer: str, accounts: Sequence[Account]) -> list[str] | None:
    """The ids an answer picks (numbers of the table or ids); None for every account."""
    words = [word.strip() for word in answer.replace(" ", ",").split(",") if word.strip()]
    if words == ["all"]:
        return None
    ids = [a.id for a in accounts]
    picked, unknown = [], []
    for word in words:
        if word in ids:
            picked.append(word)
        elif word.isdigit() and 1 <= int(word) <= len(ids) and len(word) < 6:
            picked.append(ids[int(word) - 1])
        else:
            unknown.append(word)
    if unknown:
        raise LoginError(
            f"Not among the accounts this sign-in reaches: {', '.join(unknown)}. "
            f"Pick from: {', '.join(ids)}."
        )
    if not picked:
        raise LoginError("No account picked: name at least one, or use --all.")
    return list(dict.fromkeys(picked))


def pick(
    accounts: Sequence[Account],
    *,
    every: bool,
    given: str | None,
    interactive: bool,
    say: Callable[[str], None],
    ask: Callable[[str], str],
) -> list[str] | None:
    """The ids picked, or None for every account the token reaches (now and later)."""
    if not accounts:
        raise LoginError("The sign-in reaches no ad account: sign in as a user with access to one.")
    say(f"The sign-in reaches {len(accounts)} account(s):\n{table(accounts)}\n")
    if every:
        return None
    if given is not None:
        return _chosen(given, accounts)
    if not interactive:
        raise LoginError("Pick the accounts to read with --accounts ID,ID or --all.")
    return _chosen(
        ask("Accounts to read (numbers or ids, comma-separated; all for every one): "), accounts
    )
