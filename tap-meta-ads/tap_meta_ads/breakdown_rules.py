"""Breakdown combinations Meta refuses with code 100 ("Current combination of data breakdown
columns (...) is invalid"), found before the first request.

Only the documented refusals: the sandbox's `ads_sandbox/meta/breakdown_rules.py` holds them
with their sources, and what the documents leave unclear is allowed there and here.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Families whose breakdowns do not combine with another family's (action_device counts as a
#: delivery breakdown).
FAMILIES = (
    ("age, gender", frozenset({"age", "gender"})),
    ("country, region", frozenset({"country", "region"})),
    (
        "publisher_platform, platform_position, impression_device, device_platform, action_device",
        frozenset({"publisher_platform", "platform_position", "impression_device"})
        | {"device_platform", "action_device"},
    ),
)
ASSET_BREAKDOWNS = frozenset(
    {"ad_format_asset", "body_asset", "call_to_action_asset", "description_asset"}
    | {"image_asset", "link_url_asset", "title_asset", "video_asset"}
)


def combination_error(breakdowns: Sequence[str], action_breakdowns: Sequence[str]) -> str | None:
    """Why Meta refuses these breakdowns together, or None."""
    asked = set(breakdowns)
    mixed = [names for names, members in FAMILIES if members & {*asked, *action_breakdowns}]
    if len(mixed) > 1:
        return "breakdowns of " + " and of ".join(f"({names})" for names in mixed) + " do not mix"
    if "platform_position" in asked and "publisher_platform" not in asked:
        return "platform_position needs publisher_platform beside it ('placement' asks for both)"
    if "mmm" in asked and (len(asked) > 1 or action_breakdowns):
        return "mmm combines with no other breakdown or action breakdown"
    assets = asked & ASSET_BREAKDOWNS
    if len(assets) > 1 or (assets and asked - assets - {"age", "gender"}):
        return "an asset breakdown goes alone, or with age and gender"
    return None
