"""The last split of an insights job: its field list in halves, and their rows joined again.

Both halves ask for the key fields (account and object ids); `date_start`, `date_stop`, the
breakdowns and action breakdowns are the same parameters on both, so a row of one half and a
row of the other with the same key are the two parts of one row of the unsplit job. A half
that still asks for too much is halved again; the parts are joined pairwise, bottom up, until
the whole slice is back.
"""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Iterable, Sequence

Row = dict[str, t.Any]


def halves(fields: Sequence[str], keys: Iterable[str]) -> list[tuple[str, ...]]:
    """The field list in two halves, each with every key field; [] when it cannot halve."""
    kept = [f for f in fields if f in set(keys)]
    rest = [f for f in fields if f not in kept]
    if len(rest) < 2:
        return []
    middle = len(rest) // 2
    return [(*kept, *rest[:middle]), (*kept, *rest[middle:])]


class FieldHalves:
    """Holds each finished part of a field-split slice until its sibling is in, then joins."""

    def __init__(self, row_key: Callable[[Row], tuple]) -> None:
        self.row_key = row_key
        self._parts: dict[tuple[str, str], list[Row]] = {}

    def add(self, slice_key: str, part: str, rows: Iterable[Row]) -> tuple[list[Row], int] | None:
        """The whole slice's rows and how many came back in only one half, once every part
        is in; None while a part is missing."""
        merged, lone = list(rows), 0
        while part:
            sibling = part[:-1] + ("1" if part[-1] == "0" else "0")
            other = self._parts.pop((slice_key, sibling), None)
            if other is None:
                self._parts[(slice_key, part)] = merged
                return None
            first, second = (merged, other) if part[-1] == "0" else (other, merged)
            merged, alone = self.join(first, second)
            lone += alone
            part = part[:-1]
        return merged, lone

    def join(self, first: list[Row], second: list[Row]) -> tuple[list[Row], int]:
        """Rows of both halves merged on their keys; a row found in one half only is kept as
        it is (the other half's fields absent, so null), and counted."""
        by_key = {self.row_key(row): row for row in second}
        joined = []
        for row in first:
            match = by_key.pop(self.row_key(row), None)
            joined.append(row if match is None else {**row, **match})
        lone = len(first) - (len(second) - len(by_key)) + len(by_key)
        joined.extend(by_key.values())
        return joined, lone
