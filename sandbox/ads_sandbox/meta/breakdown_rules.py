"""Which insights breakdowns Meta refuses to combine, as data with the source of each rule.

Meta's "Combining Breakdowns" table (Insights API, Breakdowns page) lists the stored
permutations: each stays within one family (age and gender; country and region, with dma
before Meta removed it;
publisher_platform, platform_position, impression_device, device_platform with action_device),
and production reports agree (below). Meta answers a refused combination with code 100,
"(#100) Current combination of data breakdown columns (...) is invalid", listing the action
breakdowns (`action_type` when none is asked, since `actions` implies it) and then the
breakdowns. A combination is refused only where a rule below says so. Left permissive on
purpose, because the sources are unclear or disagree (the emulator must never be stricter
than Meta):
- breakdowns of no family (hourly, `product_id`, `frequency_value` and the rest) with others;
- several of one family (`country, region, dma` together was seen refused, `country, region`
  answered: only the observed refusals would be safe, and a pair is not one of them);
- `impression_device` alone (an older note says it cannot be, Meta's 2026 change notice names
  "breakdowns=impression_device" alone as a valid request);
- action breakdowns other than `action_device` with breakdowns (the table marks which
  permutations join `action_type`, `action_target_id` and `action_destination`, not in a form
  that can be checked);
- `app_id` without `total_postbacks` and `video_*` fields with hourly breakdowns (rules on
  fields, not on combinations; Meta's answers to them are not documented).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ads_sandbox.meta import catalog

ASSET_BREAKDOWNS = frozenset(
    {
        "ad_format_asset",
        "body_asset",
        "call_to_action_asset",
        "description_asset",
        "image_asset",
        "link_url_asset",
        "title_asset",
        "video_asset",
    }
)


#: Breakdown families: a request mixing two of them is refused. Source: the Breakdowns page's
#: table, and refusals seen in production: (age, country), (age, gender, country),
#: (publisher_platform, age), (action_device, country); answered: (age, gender),
#: (publisher_platform, platform_position, impression_device), (publisher_platform,
#: device_platform) (Airbyte's ads_insights_delivery_platform_and_device_platform),
#: (country, region). Action breakdowns named here count as their family's.
FAMILIES: dict[str, frozenset[str]] = {
    "demographic": frozenset({"age", "gender"}),
    "geography": frozenset({"country", "region"}),
    "delivery": frozenset(
        {"publisher_platform", "platform_position", "impression_device", "device_platform"}
        | {"action_device"}
    ),
}


@dataclass(frozen=True)
class Rule:
    """Asking for any of `names` allows, beside them, only `allowed` breakdowns; `needs`,
    when set, must be asked too; `alone` refuses two of `names` together and
    `no_action_breakdowns` every action breakdown."""

    names: frozenset[str]
    allowed: frozenset[str] | None  # None: any breakdown
    source: str
    needs: frozenset[str] = frozenset()
    alone: bool = False
    no_action_breakdowns: bool = False

    def refuses(self, breakdowns: Sequence[str], action_breakdowns: Sequence[str]) -> bool:
        asked = set(breakdowns)
        mine = asked & self.names
        if not mine:
            return False
        if self.needs and not self.needs <= asked:
            return True
        if self.alone and len(mine) > 1:
            return True
        if self.allowed is not None and not asked - self.names <= self.allowed:
            return True
        return self.no_action_breakdowns and bool(action_breakdowns)


RULES = (
    Rule(
        frozenset({"platform_position"}),
        None,
        needs=frozenset({"publisher_platform"}),
        source="Breakdowns page (platform_position appears only after publisher_platform); "
        "answered in production as '(#100) Current combination of data breakdown columns "
        "(action_type, platform_position) is invalid' (daroczig/fbRads#132)",
    ),
    Rule(
        frozenset({"mmm"}),
        frozenset(),
        no_action_breakdowns=True,
        source="Marketing Mix Modeling Breakdown page: 'not supported in combination with "
        "other breakdowns or action_breakdowns'",
    ),
    Rule(
        ASSET_BREAKDOWNS,
        frozenset({"age", "gender"}),
        alone=True,
        source="Asset feed spec Insights page: asset breakdowns combine with age, gender, "
        "or age and gender; two asset breakdowns together (image_asset, body_asset; "
        "body_asset, title_asset) were seen refused in production",
    ),
)
assert all(rule.names <= catalog.BREAKDOWNS for rule in RULES)
assert set().union(*FAMILIES.values()) <= catalog.BREAKDOWNS | catalog.ACTION_BREAKDOWNS


#: Breakdowns with Meta's "Type 1" restriction for off-Meta action metrics (Breakdowns page,
#: "Restrictions for off-Meta action metrics"; data since 2021-04-27): rows are answered, but
#: without off-Meta actions (pixel and app conversions), only on-Meta ones such as link clicks.
OFF_META_HIDDEN = frozenset(
    {"region", "hourly_stats_aggregated_by_audience_time_zone"}
    | {"hourly_stats_aggregated_by_advertiser_time_zone"}
)
assert OFF_META_HIDDEN <= catalog.BREAKDOWNS
#: "Type 2" on the same page: off-Meta web actions are answered but "will not contain the
#: breakdown value". Read as: a row breakdown (product_id) does not split them, each row
#: carrying its object's whole off-Meta actions; action breakdowns leave their keys out of
#: off-Meta action stats. (Mobile app actions, which Meta then leaves out, are not modelled.)
OFF_META_UNSPLIT = frozenset({"product_id"})
OFF_META_UNSPLIT_ACTIONS = frozenset(
    {"action_device", "action_destination", "action_target_id", "action_canvas_component_name"}
    | {"action_carousel_card_id", "action_carousel_card_name"}
)
assert OFF_META_UNSPLIT <= catalog.BREAKDOWNS
assert OFF_META_UNSPLIT_ACTIONS <= catalog.ACTION_BREAKDOWNS


def refused_combination(
    breakdowns: Sequence[str], action_breakdowns: Sequence[str]
) -> tuple[str, ...] | None:
    """The columns Meta names when it refuses this combination; None when it answers it."""
    asked = {*breakdowns, *action_breakdowns}
    families = [name for name, members in FAMILIES.items() if asked & members]
    if len(families) > 1 or any(rule.refuses(breakdowns, action_breakdowns) for rule in RULES):
        return (*(action_breakdowns or ("action_type",)), *breakdowns)
    return None
