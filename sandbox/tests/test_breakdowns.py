import random

from ads_sandbox.world import World
from ads_sandbox.world.breakdowns import (
    BREAKDOWN_ORDER,
    largest_remainder,
    split_cells,
    split_vector,
)
from ads_sandbox.world.metrics import CLK, CONV, CONV_FINAL, IMP, N_COLUMNS, VALUE


def test_largest_remainder_is_exact_and_proportional() -> None:
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert largest_remainder(0, [5, 1]) == [0, 0]
    assert largest_remainder(7, [0, 3, 0]) == [0, 7, 0]
    rng = random.Random(4)
    for _ in range(500):
        weights = [rng.randrange(0, 50) for _ in range(rng.randrange(1, 9))]
        if not any(weights):
            continue
        total = rng.randrange(0, 10**7)
        pieces = largest_remainder(total, weights)
        assert sum(pieces) == total
        assert all(p == 0 for p, w in zip(pieces, weights, strict=True) if w == 0)
        exact = [total * w / sum(weights) for w in weights]
        assert all(abs(p - e) < 1 for p, e in zip(pieces, exact, strict=True))


def _ad_days(world: World):
    for account in world.accounts:
        facts = world.facts(account)
        for _, ad, vector in world.rows(account):
            yield facts, ad, vector


def test_every_breakdown_sums_exactly_to_the_ad_day() -> None:
    world = World("tiktok", 3, "2x2x2x2x8")
    for facts, ad, vector in _ad_days(world):
        for dim in (*BREAKDOWN_ORDER, "hour"):
            cells = split_vector(vector, facts.breakdown_weights(ad, dim))
            for col in range(N_COLUMNS):
                assert sum(c[col] for c in cells) == vector[col]
            for c in cells:
                assert c[CLK] <= c[IMP] and c[CONV] <= c[CLK] and c[CONV_FINAL] <= c[CLK]
                assert c[VALUE] == 0 or c[CONV] > 0


def test_hierarchical_splits_sum_exactly_and_drop_empty_cells() -> None:
    world = World("tiktok", 5, "1x2x2x2x6")
    for facts, ad, vector in _ad_days(world):
        weights = [facts.breakdown_weights(ad, d) for d in ("age", "gender", "country")]
        cells = split_cells(vector, weights)
        assert len({key for key, _ in cells}) == len(cells)
        for col in range(N_COLUMNS):
            assert sum(c[col] for _, c in cells) == vector[col]
        assert all(c[IMP] > 0 for _, c in cells)
