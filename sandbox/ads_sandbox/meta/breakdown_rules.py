"""Which insights breakdowns Meta refuses to combine, as data with the source of each rule.

Meta's "Combining Breakdowns" table (Insights API, Breakdowns page) says only some
permutations are stored, but the parts of it that can be read today do not settle most
pairs. So a combination is refused only where a rule below says so; everything else is
answered, which keeps the emulator no stricter than Meta. Left permissive on purpose, because
the sources are unclear or disagree:
- hourly breakdowns with other breakdowns ("a limited number of breakdowns" may be asked
  beside them, the page says, without a list that can be checked);
- `impression_device` alone (an older note says it cannot be, Meta's 2026 change notice names
  "breakdowns=impression_device" alone as a valid request);
- age, gender, country, region and dma with one another, and action breakdowns with
  breakdowns (the table marks which permutations join `action_type`, `action_target_id` and
  `action_destination`, but not in a form we can check);
- `app_id` without `total_postbacks` and `video_*` fields with hourly breakdowns (rules on
  fields, not on combinations; Meta's answers to them are not documented).
Meta answers a refused combination with code 100 and "(#100) Current combination of data
breakdown columns (...) is invalid", listing the action breakdowns (`action_type` when none is
asked) and then the breakdowns.
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


@dataclass(frozen=True)
class Rule:
    """Asking for any of `names` allows, beside them, only `allowed` breakdowns; `needs`,
    when set, must be asked too; `no_action_breakdowns` refuses every action breakdown."""

    names: frozenset[str]
    allowed: frozenset[str] | None  # None: any breakdown
    source: str
    needs: frozenset[str] = frozenset()
    no_action_breakdowns: bool = False

    def refuses(self, breakdowns: Sequence[str], action_breakdowns: Sequence[str]) -> bool:
        asked = set(breakdowns)
        if not asked & self.names:
            return False
        if self.needs and not self.needs <= asked:
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
        source="Asset feed spec Insights page: asset breakdowns combine with age, gender, "
        "or age and gender",
    ),
)
assert all(rule.names <= catalog.BREAKDOWNS for rule in RULES)


def refused_combination(
    breakdowns: Sequence[str], action_breakdowns: Sequence[str]
) -> tuple[str, ...] | None:
    """The columns Meta names when it refuses this combination; None when it answers it."""
    if any(rule.refuses(breakdowns, action_breakdowns) for rule in RULES):
        return (*(action_breakdowns or ("action_type",)), *breakdowns)
    return None
