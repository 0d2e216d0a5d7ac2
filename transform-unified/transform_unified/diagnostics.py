"""Warnings that would repeat on every row: logged once per subject, counted per kind and per
account, so `unified_run_summary` can say what each account's rows went through."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field

#: Scope of a warning that belongs to no one account (a stream, a setting, the whole run).
RUN_SCOPE = ("*", "*")

Scope = tuple[str, str]  # platform, account id


@dataclass
class WarningTally:
    """One kind of warning within one scope: how often, and the first message."""

    count: int = 0
    message: str = ""


@dataclass
class _ScopeWarnings:
    kinds: dict[str, WarningTally] = field(default_factory=dict)


class Diagnostics:
    """Logs the first warning per (kind, subject) and counts every occurrence.

    A missing FX rate or an unknown campaign affects many rows; one line each plus a count
    at the end keeps the log readable without hiding how much data was affected.
    """

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger
        self._seen: set[tuple[str, Hashable]] = set()
        self.counts: Counter[str] = Counter()
        self._scopes: dict[Scope, _ScopeWarnings] = {}

    def warn_once(
        self,
        kind: str,
        subject: Hashable,
        message: str,
        *args: object,
        scope: Scope = RUN_SCOPE,
        count: int = 1,
    ) -> None:
        """Count `count` occurrences of `kind` in `scope`; log `message` the first time
        `subject` has it."""
        self.counts[kind] += count
        tally = self._scopes.setdefault(scope, _ScopeWarnings()).kinds.setdefault(
            kind, WarningTally()
        )
        tally.count += count
        seen = (kind, subject) in self._seen
        if seen and tally.message:
            return
        text = message % args if args else message
        tally.message = tally.message or text
        if not seen:
            self._seen.add((kind, subject))
            self.logger.warning("%s", text)

    def warnings(self, scope: Scope) -> dict[str, WarningTally]:
        """The warnings counted in `scope`, by kind."""
        found = self._scopes.get(scope)
        return dict(found.kinds) if found else {}

    def scopes(self) -> list[Scope]:
        return sorted(self._scopes)

    def log_summary(self) -> None:
        """Log how many rows or records each kind of warning affected in this run."""
        for kind, count in sorted(self.counts.items()):
            self.logger.warning("%s: %d occurrence(s) in this run", kind, count)
