"""The spec's report document, read from the unified tables in DuckDB or Postgres.

Per platform and account: `metadata`, `campaigns` (each with its `breakdowns` by age,
gender and device), `summary` and `warnings`. Every total is an exact Decimal sum of the
loaded rows and every ratio is recomputed from the sums; amounts are never summed across
currencies (only the `*_reporting` amounts, all in the reporting currency, are).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from transform_unified.derived_metrics import RatioSums, derive_metrics

REPORT_BREAKDOWNS = ("age", "gender", "device")
BASE = ("spend", "impressions", "clicks", "conversions", "conversion_value")
REPORTING = ("spend_reporting", "conversion_value_reporting")

Fetch = Callable[[str], list[dict[str, Any]]]


class ReportSourceError(RuntimeError):
    """The database cannot be read, or holds no unified performance table."""


def duckdb_fetch(path: str) -> Fetch:
    import duckdb

    try:
        connection = duckdb.connect(path, read_only=True)
    except duckdb.Error as error:
        raise ReportSourceError(f"--duckdb {path}: {error}") from error

    def fetch(sql: str) -> list[dict[str, Any]]:
        try:
            cursor = connection.execute(sql)
        except duckdb.CatalogException:
            return []
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return fetch


def postgres_fetch(conninfo: str) -> Fetch:
    import psycopg
    from psycopg.rows import dict_row

    try:
        connection = psycopg.connect(conninfo, autocommit=True, row_factory=dict_row)
    except psycopg.Error as error:
        raise ReportSourceError(f"--postgres: {error}".strip()) from error

    def fetch(sql: str) -> list[dict[str, Any]]:
        try:
            return list(connection.execute(sql).fetchall())
        except psycopg.errors.UndefinedTable:
            return []

    return fetch


@dataclass
class _Sums:
    values: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(BASE + REPORTING))
    complete_reporting: bool = True
    ratio_sums: RatioSums = field(default_factory=RatioSums)

    def add(self, row: Mapping[str, Any]) -> None:
        self.ratio_sums.add(row)
        for name in BASE:
            if row.get(name) is not None:
                current = self.values[name]
                self.values[name] = row[name] if current is None else current + row[name]
        for name, source in zip(REPORTING, ("spend", "conversion_value"), strict=True):
            if row.get(name) is None:
                if row.get(source):
                    self.complete_reporting = False
                continue
            current = self.values[name]
            self.values[name] = row[name] if current is None else current + row[name]

    def metrics(self, *, reporting: bool = False) -> dict[str, Any]:
        values = self.values
        result = {**{name: values[name] for name in BASE}, **self.ratio_sums.ratios()}
        if reporting:
            for name in REPORTING:
                result[name] = values[name] if self.complete_reporting else None
        return result


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """The row with each Decimal in its shortest exact form: DuckDB's DECIMAL(38, 18) gives
    420.000000000000000000 where Postgres gives 420, and the report says 420."""
    for name, value in row.items():
        if isinstance(value, Decimal):
            short = value.normalize()
            row[name] = short.quantize(Decimal(1)) if short == short.to_integral() else short
    return row


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
        return stamp.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _warnings(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        value = json.loads(value)
    return [dict(item) for item in value or []]


def _latest_runs(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["platform"], row["account_id"])
        if key not in latest or _text(row["finished_at"]) > _text(latest[key]["finished_at"]):
            latest[key] = row
    return latest


def build_report(fetch: Fetch, schema: str = "ads") -> dict[str, Any]:
    """The report document from the unified tables in `schema`."""
    rows = [
        _clean(row)
        for row in fetch(f'SELECT * FROM "{schema}".unified_campaign_performance')  # noqa: S608
    ]
    if not rows:
        raise ReportSourceError(
            f"no rows in {schema}.unified_campaign_performance: run the pipeline first "
            "(meltano run <tap> transform-unified <target>)"
        )
    breakdown_rows = [
        _clean(row)
        for row in fetch(f'SELECT * FROM "{schema}".unified_breakdown_performance')  # noqa: S608
    ]
    runs = _latest_runs(fetch(f'SELECT * FROM "{schema}".unified_run_summary'))  # noqa: S608

    accounts: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        accounts[(row["platform"], row["account_id"])].append(row)
    breakdowns: dict[tuple[str, str, str], dict[str, dict[str, _Sums]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(_Sums))
    )
    for row in breakdown_rows:
        if row["breakdown"] in REPORT_BREAKDOWNS:
            key = (row["platform"], row["account_id"], row["campaign_id"])
            breakdowns[key][row["breakdown"]][row["breakdown_value"]].add(row)

    reporting_currency = rows[0]["reporting_currency"]
    reports = [
        _account_report(key, account_rows, breakdowns, runs.get(key))
        for key, account_rows in sorted(accounts.items())
    ]
    run_level = runs.get(("*", "*"))
    return {
        "generated_at": datetime.now(UTC).isoformat(),
        "reporting_currency": reporting_currency,
        "reports": reports,
        "warnings": _warnings(run_level["warnings"]) if run_level else [],
        "daily": _daily(rows),
        "breakdown_totals": _breakdown_totals(breakdown_rows),
    }


def _account_report(
    key: tuple[str, str],
    rows: list[dict[str, Any]],
    breakdowns: Mapping[tuple[str, str, str], Mapping[str, Mapping[str, _Sums]]],
    run: dict[str, Any] | None,
) -> dict[str, Any]:
    platform, account_id = key
    total = _Sums()
    campaigns: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        total.add(row)
        campaigns[row["campaign_id"]].append(row)
    days = sorted({_text(row["date"])[:10] for row in rows})
    latest = max(rows, key=lambda row: _text(row["date"]))
    warnings = _warnings(run["warnings"]) if run else []
    if not total.complete_reporting:
        warnings.append(
            {
                "kind": "not_converted",
                "count": sum(1 for row in rows if row["spend_reporting"] is None),
                "message": f"{platform} account {account_id}: rows without a rate into "
                f"{latest['reporting_currency']}: the reporting totals are left out",
            }
        )
    return {
        "metadata": {
            "platform": platform,
            "account_id": account_id,
            "extraction_timestamp": max(_text(row["extracted_at"]) for row in rows),
            "date_range": {"start": days[0], "end": days[-1]},
            "timezone": latest["timezone"],
            "currency": latest["currency"],
            "reporting_currency": latest["reporting_currency"],
            "conversion_attribution": latest.get("conversion_attribution"),
        },
        "campaigns": [
            _campaign(campaign_rows, breakdowns.get((platform, account_id, campaign_id), {}))
            for campaign_id, campaign_rows in sorted(campaigns.items())
        ],
        "summary": {
            **total.metrics(reporting=True),
            "days": len(days),
            "campaigns": len(campaigns),
        },
        "warnings": warnings,
    }


def _campaign(rows: list[dict[str, Any]], breakdowns: Mapping[str, Mapping[str, _Sums]]) -> dict:
    total = _Sums()
    for row in rows:
        total.add(row)
    latest = max(rows, key=lambda row: _text(row["date"]))
    return {
        "campaign_id": latest["campaign_id"],
        "campaign_name": latest["campaign_name"],
        "status": latest["status"],
        "objective": latest["objective"],
        "budget": latest["budget"],
        "budget_period": latest.get("budget_period"),
        **total.metrics(),
        "breakdowns": {
            name: [
                {"value": value, **sums.metrics()}
                for value, sums in sorted(breakdowns.get(name, {}).items())
            ]
            for name in REPORT_BREAKDOWNS
        },
    }


def _daily(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per platform and day, in the reporting currency: what the charts plot. Accounts
    without a rate that day are left out of that day's money, never mixed in."""
    days: dict[tuple[str, str], _Sums] = defaultdict(_Sums)
    for row in rows:
        days[(row["platform"], _text(row["date"])[:10])].add(row)
    result = []
    for (platform, day), sums in sorted(days.items()):
        spend = sums.values["spend_reporting"]
        value = sums.values["conversion_value_reporting"]
        result.append(
            {
                "platform": platform,
                "date": day,
                "spend_reporting": spend,
                "conversions": sums.values["conversions"],
                "conversion_value_reporting": value,
                "roas": derive_metrics(
                    spend=spend, impressions=None, clicks=None, conversion_value=value
                ).roas,
            }
        )
    return result


def _breakdown_totals(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Spend in the reporting currency by breakdown value, over every account."""
    totals: dict[str, dict[str, _Sums]] = defaultdict(lambda: defaultdict(_Sums))
    for row in rows:
        if row["breakdown"] in REPORT_BREAKDOWNS:
            totals[row["breakdown"]][row["breakdown_value"]].add(row)
    return {
        name: [
            {"value": value, "spend_reporting": sums.values["spend_reporting"]}
            for value, sums in sorted(totals.get(name, {}).items())
        ]
        for name in REPORT_BREAKDOWNS
    }
