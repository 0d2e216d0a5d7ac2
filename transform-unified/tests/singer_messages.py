"""Singer messages as tap-tiktok-ads writes them, and the mapper's parsed output."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

UNIFIED = "unified_campaign_performance"
CAMPAIGNS = "unified_campaigns"
SUMMARY = "unified_run_summary"
TIKTOK_PROPERTIES = {"advertiser_id": {"type": "string"}, "campaign_id": {"type": "string"}}


def schema(stream: str, properties: dict | None = None) -> dict:
    return {
        "type": "SCHEMA",
        "stream": stream,
        "schema": {"type": "object", "properties": properties or TIKTOK_PROPERTIES},
        "key_properties": ["campaign_id"],
    }


def record(stream: str, row: dict, **extra: Any) -> dict:
    return {"type": "RECORD", "stream": stream, "record": row, **extra}


def campaign(campaign_id: str = "c1", account_id: str = "111", **fields: Any) -> dict:
    row = {
        "advertiser_id": account_id,
        "account_id": account_id,
        "campaign_id": campaign_id,
        "campaign_name": f"Campaign {campaign_id}",
        "objective_type": "WEB_CONVERSIONS",
        "budget": Decimal("250.00"),
        "budget_mode": "BUDGET_MODE_DAY",
        "operation_status": "ENABLE",
        "secondary_status": "CAMPAIGN_STATUS_ENABLE",
        **fields,
    }
    return record("campaigns", row)


def insight(
    day: str = "2024-06-01",
    campaign_id: str = "c1",
    account_id: str = "111",
    currency: str = "USD",
    timezone: str = "UTC",
    **metrics: Any,
) -> dict:
    row = {
        "advertiser_id": account_id,
        "account_id": account_id,
        "account_currency": currency,
        "account_timezone": timezone,
        "campaign_id": campaign_id,
        "stat_time_day": day,
        "spend": Decimal("10.00"),
        "impressions": 1000,
        "clicks": 20,
        "conversion": 2,
        "total_purchase_value": Decimal("40.00"),
        **metrics,
    }
    return record("insights_campaign", row)


class Run:
    """Output of one mapper run: parsed messages (floats as Decimal) and the raw lines."""

    def __init__(self, text: str) -> None:
        self.lines = [line for line in text.splitlines() if line]
        self.messages = [json.loads(line, parse_float=Decimal) for line in self.lines]

    def rows(self, stream: str = UNIFIED) -> list[dict]:
        return [
            m["record"] for m in self.messages if m["type"] == "RECORD" and m["stream"] == stream
        ]

    def row(self) -> dict:
        (only,) = self.rows()
        return only

    def types(self, *, summary: bool = False) -> list[tuple[str, str | None]]:
        """(type, stream) of each message; the run summary's only when asked."""
        return [
            (m["type"], m.get("stream"))
            for m in self.messages
            if summary or m.get("stream") != SUMMARY
        ]

    def summary(self, platform: str = "tiktok", account_id: str = "111") -> dict:
        (found,) = [
            row
            for row in self.rows(SUMMARY)
            if (row["platform"], row["account_id"]) == (platform, account_id)
        ]
        return found

    def states(self) -> list[dict]:
        return [m["value"] for m in self.messages if m["type"] == "STATE"]


def performance(*insights: dict, with_campaigns: Iterable[dict] = ()) -> list[dict]:
    """Schema + campaign records + schema + insight records, the tap's usual order."""
    return [
        schema("campaigns"),
        *with_campaigns,
        schema("insights_campaign"),
        *insights,
    ]
