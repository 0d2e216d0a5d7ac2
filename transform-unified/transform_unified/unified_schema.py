"""The unified output streams: names, keys and JSON schemas."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from transform_unified.adapters.base import Role

CAMPAIGN_PERFORMANCE = "unified_campaign_performance"
CAMPAIGN_PERFORMANCE_KEYS = ("platform", "account_id", "campaign_id", "date")
CAMPAIGNS = "unified_campaigns"
CAMPAIGNS_KEYS = ("platform", "account_id", "campaign_id")
RUN_SUMMARY = "unified_run_summary"
RUN_SUMMARY_KEYS = ("run_id", "platform", "account_id")

# Money and ratios are plain JSON numbers: the SDK writes Decimal verbatim and SQL targets
# map `number` to NUMERIC. (target-postgres maps number to NUMERIC already; an
# `x-sql-datatype` it has no handler for would only add a warning.)
_NUMBER = {"type": ["number", "null"]}
_INTEGER = {"type": ["integer", "null"]}
_TEXT = {"type": ["string", "null"]}
_REQUIRED_TEXT = {"type": "string"}
_INSTANT = {"type": ["string", "null"], "format": "date-time"}


@dataclass(frozen=True)
class PerformanceOutput:
    """The unified stream of one report role: its name, key and its own columns."""

    stream: str
    keys: tuple[str, ...]
    columns: Mapping[str, dict[str, Any]] = field(default_factory=dict)


PERFORMANCE_OUTPUTS: Mapping[Role, PerformanceOutput] = {
    Role.CAMPAIGN_PERFORMANCE: PerformanceOutput(CAMPAIGN_PERFORMANCE, CAMPAIGN_PERFORMANCE_KEYS),
    Role.SEPARATE_CAMPAIGN_PERFORMANCE: PerformanceOutput(
        CAMPAIGN_PERFORMANCE, CAMPAIGN_PERFORMANCE_KEYS
    ),
    Role.ADSET_PERFORMANCE: PerformanceOutput(
        "unified_adset_performance",
        ("platform", "account_id", "adset_id", "date"),
        {"adset_id": _REQUIRED_TEXT, "adset_name": _TEXT},
    ),
    Role.AD_PERFORMANCE: PerformanceOutput(
        "unified_ad_performance",
        ("platform", "account_id", "ad_id", "date"),
        {"adset_id": _TEXT, "adset_name": _TEXT, "ad_id": _REQUIRED_TEXT, "ad_name": _TEXT},
    ),
    # One row per normalised value: native values that mean the same (IPHONE and ANDROID
    # are both MOBILE) are summed, and `native_breakdown_value` lists them.
    # Hourly rows summed into the days of `reporting_timezone`: `date` and `timezone` are
    # the reporting ones, `account_timezone` the account's.
    Role.HOURLY_CAMPAIGN_PERFORMANCE: PerformanceOutput(
        "unified_campaign_reporting_day",
        CAMPAIGN_PERFORMANCE_KEYS,
        {
            "account_timezone": _TEXT,
            "hours": {"type": "integer"},
            "is_complete_day": {"type": "boolean"},
        },
    ),
    Role.BREAKDOWN_PERFORMANCE: PerformanceOutput(
        "unified_breakdown_performance",
        ("platform", "account_id", "campaign_id", "date", "breakdown", "breakdown_value"),
        {
            "breakdown": _REQUIRED_TEXT,
            "breakdown_value": _REQUIRED_TEXT,
            "native_breakdown_value": _TEXT,
        },
    ),
}


def campaign_performance_schema() -> dict[str, Any]:
    """JSON schema of `unified_campaign_performance`."""
    return performance_schema(Role.CAMPAIGN_PERFORMANCE)


def performance_schema(role: Role) -> dict[str, Any]:
    """JSON schema of the unified performance stream of `role`."""
    properties: dict[str, dict[str, Any]] = {
        "platform": _REQUIRED_TEXT,
        "account_id": _REQUIRED_TEXT,
        "campaign_id": _REQUIRED_TEXT,
        "campaign_name": _TEXT,
        "status": _REQUIRED_TEXT,
        "objective": _REQUIRED_TEXT,
        "native_status": _TEXT,
        "native_objective": _TEXT,
        "budget": _NUMBER,
        "budget_period": _TEXT,
        "spend": _NUMBER,
        "impressions": _INTEGER,
        "clicks": _INTEGER,
        "ctr": _NUMBER,
        "cpc": _NUMBER,
        "cpm": _NUMBER,
        "conversions": _NUMBER,
        "conversion_value": _NUMBER,
        "roas": _NUMBER,
        "cost_per_conversion": _NUMBER,
        "conversion_attribution": _TEXT,
        "currency": _TEXT,
        "spend_reporting": _NUMBER,
        "conversion_value_reporting": _NUMBER,
        "reporting_currency": _REQUIRED_TEXT,
        "fx_rate": _NUMBER,
        "fx_rate_date": {"type": ["string", "null"], "format": "date"},
        "timezone": _TEXT,
        "date": {"type": "string", "format": "date"},
        "date_start_utc": _INSTANT,
        "date_end_utc": _INSTANT,
        "is_estimated": {"type": "boolean"},
        "extracted_at": {"type": "string", "format": "date-time"},
        **PERFORMANCE_OUTPUTS[role].columns,
    }
    return {"type": "object", "properties": {k: dict(v) for k, v in properties.items()}}


def campaigns_schema() -> dict[str, Any]:
    """JSON schema of `unified_campaigns`: each campaign's current attributes."""
    properties: dict[str, dict[str, Any]] = {
        "platform": _REQUIRED_TEXT,
        "account_id": _REQUIRED_TEXT,
        "campaign_id": _REQUIRED_TEXT,
        "campaign_name": _TEXT,
        "status": _REQUIRED_TEXT,
        "native_status": _TEXT,
        "objective": _REQUIRED_TEXT,
        "native_objective": _TEXT,
        "budget": _NUMBER,
        "budget_period": _TEXT,
        "currency": _TEXT,
        "extracted_at": {"type": "string", "format": "date-time"},
    }
    return {"type": "object", "properties": properties}


def run_summary_schema() -> dict[str, Any]:
    """JSON schema of `unified_run_summary`; `platform` and `account_id` are `*` on the
    row of warnings and counts that belong to no one account."""
    warning = {
        "type": "object",
        "properties": {
            "kind": _REQUIRED_TEXT,
            "count": {"type": "integer"},
            "message": _REQUIRED_TEXT,
        },
    }
    properties: dict[str, dict[str, Any]] = {
        "run_id": _REQUIRED_TEXT,
        "platform": _REQUIRED_TEXT,
        "account_id": _REQUIRED_TEXT,
        "started_at": {"type": "string", "format": "date-time"},
        "finished_at": {"type": "string", "format": "date-time"},
        "extraction_timestamp": _INSTANT,
        "date_start": {"type": ["string", "null"], "format": "date"},
        "date_end": {"type": ["string", "null"], "format": "date"},
        "timezone": _TEXT,
        "currency": _TEXT,
        "reporting_currency": _REQUIRED_TEXT,
        "records_in": {"type": "integer"},
        "rows_out": {"type": "integer"},
        "records_rejected": {"type": "integer"},
        "records_reference": {"type": "integer"},
        "records_merged": {"type": "integer"},
        "records_not_unified": {"type": "integer"},
        "spend": _NUMBER,
        "impressions": _INTEGER,
        "clicks": _INTEGER,
        "conversions": _NUMBER,
        "conversion_value": _NUMBER,
        "spend_reporting": _NUMBER,
        "conversion_value_reporting": _NUMBER,
        "ctr": _NUMBER,
        "cpc": _NUMBER,
        "cpm": _NUMBER,
        "roas": _NUMBER,
        "cost_per_conversion": _NUMBER,
        "warning_count": {"type": "integer"},
        "warnings": {"type": "array", "items": warning},
    }
    return {"type": "object", "properties": properties}
