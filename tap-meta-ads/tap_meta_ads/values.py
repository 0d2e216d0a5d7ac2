"""Meta's values as records carry them: number strings as exact numbers, action stats as
lists with exact values, Graph timestamps (`2024-05-01T12:34:56-0700`, unix seconds) as
ISO 8601 in UTC, budgets as integers of the currency's minor unit (as Meta means them)."""

from __future__ import annotations

import datetime as dt
import decimal
import typing as t

from facebook_business.adobjects.adsinsights import AdsInsights

#: Insights fields typed 'string' by the SDK that hold text, not numbers.
_TEXT_SUFFIXES = (
    "_id",
    "_name",
    "_time",
    "_start",
    "_end",
    "_ranking",
    "_setting",
    "_currency",
    "_type",
    "_label",
    "_targeting",
    "_indicator",
    "_category",
    "_url",
)
TEXT_INSIGHTS = frozenset(
    {
        "date_start",
        "date_stop",
        "objective",
        "optimization_goal",
        "buying_type",
        "labels",
        "location",
        "creative_media_type",
        "creative_diversity_label",
        "place_page_name",
        "product_retailer_id",
        "product_group_retailer_id",
        "auction_competitiveness",
        "marketing_messages_spend_currency",
    }
)
#: Budget and balance fields: strings of minor currency units.
MINOR_UNIT_FIELDS = frozenset(
    {"daily_budget", "lifetime_budget", "budget_remaining", "spend_cap", "amount_spent", "balance"}
)
ACTION_TEXT_KEYS = frozenset({"action_type"})


def insights_kind(name: str) -> str:
    """How an insights field's value is carried: number, integer, actions, objects or text."""
    sdk_type = AdsInsights._field_types.get(name, "string")
    if sdk_type == "list<AdsActionStats>":
        return "actions"
    if sdk_type.startswith("list<"):
        return "objects"
    if sdk_type in ("int", "unsigned int"):
        return "integer"
    if sdk_type != "string" or name in TEXT_INSIGHTS or name.endswith(_TEXT_SUFFIXES):
        return "text"
    return "number"


def number(value: object) -> decimal.Decimal | int | None:
    """A Meta number string as an exact number (an integer when it has no fraction)."""
    if value is None or value == "":
        return None
    text = str(value)
    try:
        parsed = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if "." not in text and "e" not in text.lower():
        return int(parsed)
    return parsed


def action_stats(value: object, text_keys: frozenset[str]) -> list[dict[str, t.Any]] | None:
    """A list of AdsActionStats with every window's value exact; breakdown keys stay text."""
    if value is None:
        return None
    out = []
    for stat in value:  # type: ignore[attr-defined]
        out.append({k: (v if k in text_keys else number(v)) for k, v in dict(stat).items()})
    return out


def graph_time(value: object) -> str | None:
    """`2024-05-01T12:34:56-0700` (or unix seconds) as ISO 8601 in UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        return dt.datetime.fromtimestamp(int(value), dt.UTC).isoformat()
    parsed = dt.datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")
    return parsed.astimezone(dt.UTC).isoformat()


def epoch(iso: str) -> int:
    return int(dt.datetime.fromisoformat(iso).timestamp())
