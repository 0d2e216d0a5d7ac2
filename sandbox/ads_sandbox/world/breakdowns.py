"""Exact integer splitting of ad-day totals across breakdown values and hours.

Columns are split in a chain: impressions by the breakdown's weights, then each other column
by the pieces of the column it is bounded by (clicks by impressions, conversions by clicks, ...).
Largest-remainder rounding keeps every split summing exactly to its total, and the chain keeps
each piece's ratios sane (clicks never exceed impressions in any cell).
"""

from __future__ import annotations

from collections.abc import Sequence

from ads_sandbox.world.metrics import (
    CLK,
    CONV,
    IMP,
    N_COLUMNS,
    VIDEO,
)

# Generic dimension values with base weights; platforms map them to their own names.
_PROFILES: dict[str, tuple[tuple[str, int], ...]] = {
    "age": (("13-17", 5), ("18-24", 30), ("25-34", 30), ("35-44", 18), ("45-54", 10), ("55+", 7)),
    "gender": (("female", 47), ("male", 47), ("unknown", 6)),
    "country": (
        ("US", 30),
        ("GB", 14),
        ("DE", 12),
        ("JP", 12),
        ("BR", 10),
        ("NZ", 8),
        ("CA", 8),
        ("AU", 6),
    ),
    "device": (("android", 45), ("iphone", 38), ("ipad", 6), ("desktop", 11)),
    "placement": (("main", 78), ("network", 13), ("app_bundle", 9)),
    "region": (
        ("california", 16),
        ("texas", 11),
        ("new_york", 9),
        ("florida", 8),
        ("ontario", 6),
        ("bavaria", 5),
        ("tokyo", 9),
        ("sao_paulo", 7),
    ),
    "dma": (
        ("new_york", 20),
        ("los_angeles", 15),
        ("chicago", 9),
        ("philadelphia", 7),
        ("dallas", 7),
        ("san_francisco", 6),
    ),
    "language": (("en", 52), ("de", 12), ("ja", 12), ("pt", 10), ("es", 9), ("fr", 5)),
    "interest": (
        ("apparel", 18),
        ("beauty", 15),
        ("games", 14),
        ("food", 12),
        ("travel", 10),
        ("tech", 12),
        ("sports", 10),
        ("home", 9),
    ),
    "connection": (("wifi", 58), ("4g", 27), ("5g", 11), ("3g", 3), ("2g", 1)),
    "device_brand": (
        ("apple", 40),
        ("samsung", 24),
        ("xiaomi", 10),
        ("huawei", 6),
        ("oppo", 7),
        ("google", 5),
        ("other", 8),
    ),
}
# Canonical order for hierarchical splits: a multi-dimension breakdown is split age first, etc.
BREAKDOWN_ORDER = (
    "age",
    "gender",
    "country",
    "device",
    "placement",
    "region",
    "dma",
    "language",
    "interest",
    "connection",
    "device_brand",
)
BREAKDOWN_VALUES: dict[str, tuple[str, ...]] = {
    dim: tuple(value for value, _ in profile) for dim, profile in _PROFILES.items()
}
BASE_WEIGHTS: dict[str, tuple[int, ...]] = {
    dim: tuple(weight for _, weight in profile) for dim, profile in _PROFILES.items()
}
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 6, 7, 6, 6, 6, 6, 7, 8, 9, 9, 8, 6, 4)

# For each column, the column whose pieces weight its split (-1: the dimension's own weights).
_SPLIT_BY = (-1, IMP, IMP, CLK, CONV, CLK, IMP, VIDEO, VIDEO, VIDEO, VIDEO)
assert len(_SPLIT_BY) == N_COLUMNS


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split total proportionally to weights; the pieces sum exactly to total."""
    if total == 0:
        return [0] * len(weights)
    wsum = sum(weights)
    if wsum <= 0:
        raise ValueError("cannot split a non-zero total over zero weights")
    pieces = []
    remainders = []
    for w in weights:
        q, r = divmod(total * w, wsum)
        pieces.append(q)
        remainders.append(r)
    left = total - sum(pieces)
    if left:
        for i in sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)[:left]:
            pieces[i] += 1
    return pieces


def split_vector(vector: Sequence[int], weights: Sequence[int]) -> list[list[int]]:
    """Split every column of vector over len(weights) cells, exactly."""
    columns: list[list[int]] = []
    for col in range(N_COLUMNS):
        by = _SPLIT_BY[col]
        columns.append(largest_remainder(vector[col], weights if by < 0 else columns[by]))
    return [list(cell) for cell in zip(*columns, strict=True)]


def split_cells(
    vector: Sequence[int], weight_sets: Sequence[Sequence[int]]
) -> list[tuple[tuple[int, ...], list[int]]]:
    """Hierarchical split over several dimensions (in the given order); all-zero cells dropped.

    Returns (value indexes, cell vector) pairs.
    """
    cells: list[tuple[tuple[int, ...], list[int]]] = [((), list(vector))]
    for weights in weight_sets:
        nxt = []
        for key, cell in cells:
            for i, piece in enumerate(split_vector(cell, weights)):
                if piece[IMP]:
                    nxt.append(((*key, i), piece))
        cells = nxt
    return cells
