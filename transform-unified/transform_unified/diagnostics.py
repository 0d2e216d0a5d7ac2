"""Warnings that would repeat on every row, logged once per subject and counted."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable


class Diagnostics:
    """Logs the first warning per (kind, subject) and counts every occurrence.

    A missing FX rate or an unknown campaign affects many rows; one line each plus a count
    at the end keeps the log readable without hiding how much data was affected.
    """

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        self._seen: set[tuple[str, Hashable]] = set()
        self.counts: Counter[str] = Counter()

    def warn_once(self, kind: str, subject: Hashable, message: str, *args: object) -> None:
        """Count one occurrence of `kind`; log `message` the first time `subject` has it."""
        self.counts[kind] += 1
        if (kind, subject) in self._seen:
            return
        self._seen.add((kind, subject))
        self._logger.warning(message, *args)

    def log_summary(self) -> None:
        """Log how many rows or records each kind of warning affected in this run."""
        for kind, count in sorted(self.counts.items()):
            self._logger.warning("%s: %d occurrence(s) in this run", kind, count)
