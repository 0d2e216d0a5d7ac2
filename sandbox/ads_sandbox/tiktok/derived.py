"""Counts and values the world has no column for (in-app, page, on-site ... events, invalid
impressions, voucher spend), as extra columns of the ad-day vectors.

Each is derived once per ad and day, a stable share of one world column (its base), and is
then split wherever its base is split (hours, audience and BASIC dimensions) by largest
remainder over the base's pieces. Every report, at any level, grain, dimension or page, sums
the same ad-day numbers, so a breakdown's rows add up exactly to the unbroken report and hours
to days, as TikTok's counts do.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ads_sandbox.world.breakdowns import largest_remainder
from ads_sandbox.world.metrics import N_COLUMNS

Vector = list[int]
Split = Callable[[Sequence[int], list[Vector]], list[Vector]]


def share(name: str) -> int:
    """A stable share in per mille of its base column: 0 for about a third of the names, as
    most accounts track few events."""
    h = zlib.crc32(name.encode())
    return 0 if h % 3 == 0 else 50 + h % 951


@dataclass(frozen=True, slots=True)
class Derived:
    base: int  # the world column it is a share of, and whose pieces split it
    per_mille: int
    salt: int  # spreads the rounding of each ad-day's share over ads and days


class DerivedColumns:
    """The derived columns one report needs, by name, at the indexes after the world's."""

    def __init__(self) -> None:
        self.specs: list[Derived] = []
        self._index: dict[str, int] = {}

    def column(self, name: str, base: int, per_mille: int) -> int:
        """The vector index of a derived column, added on first use."""
        index = self._index.get(name)
        if index is None:
            index = self._index[name] = N_COLUMNS + len(self.specs)
            self.specs.append(Derived(base, per_mille, zlib.crc32(name.encode()) % 1000))
        return index

    @property
    def width(self) -> int:
        return N_COLUMNS + len(self.specs)

    def extend(self, day: int, ad: int, vector: Vector) -> Vector:
        """The ad-day vector with the derived columns: base x share, rounded down or up by a
        deterministic dither so that sums over many ad-days keep the share."""
        dither = (ad * 7919 + day * 104_729) % 1000
        return vector + [
            (vector[d.base] * d.per_mille + (dither + d.salt) % 1000) // 1000 for d in self.specs
        ]

    def apportion(self, whole: Sequence[int], cells: list[Vector]) -> list[Vector]:
        """Append to each cell (the world columns of `whole`, split) its part of each derived
        column, proportional to the cell's base: the parts sum exactly to `whole`'s."""
        for offset, spec in enumerate(self.specs, N_COLUMNS):
            parts = largest_remainder(whole[offset], [cell[spec.base] for cell in cells])
            for cell, part in zip(cells, parts, strict=True):
                cell.append(part)
        return cells
