"""The tap refuses at start exactly the breakdown combinations the emulator refuses."""

from __future__ import annotations

import itertools

from ads_sandbox.meta.breakdown_rules import refused_combination
from tap_meta_ads.breakdown_rules import combination_error

NAMES = [
    "age", "gender", "country", "publisher_platform", "platform_position", "impression_device",
    "hourly_stats_aggregated_by_advertiser_time_zone", "mmm", "image_asset", "body_asset",
    "region", "device_platform", "product_id",
]  # fmt: skip


def test_the_tap_and_the_emulator_agree_on_every_pair_and_triple():
    checked = 0
    for size in (1, 2, 3):
        for combo in itertools.combinations(NAMES, size):
            for actions in ((), ("action_type",), ("action_device",)):
                tap = combination_error(combo, actions) is not None
                emulator = refused_combination(combo, actions) is not None
                assert tap == emulator, (combo, actions)
                checked += tap
    assert checked > 50  # the rules do refuse something
