"""`ads-report`: the spec's report from a loaded DuckDB file or Postgres database.

    ads-report --duckdb output/warehouse.duckdb
    ads-report --postgres "host=127.0.0.1 dbname=analytics" --out output/report

Writes `report.json` (valid against `report.schema.json`, beside this module) and the
self-contained `report.html` into `--out`, then prints each account's summary and the
page's path. `--json` prints the document on stdout instead.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

from transform_unified.currencies import minor_unit_digits
from transform_unified.report_data import (
    ReportSourceError,
    build_report,
    duckdb_fetch,
    postgres_fetch,
)
from transform_unified.report_html import render_html

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")
_ENCODER = msgspec.json.Encoder(decimal_format="number")


def _amount(value: Any, places: int = 2) -> str:
    if value is None:
        return "-"
    return f"{Decimal(value):,.{places}f}"


def _money(value: Any, currency: str | None) -> str:
    return _amount(value, minor_unit_digits(currency))


def summary_lines(document: dict[str, Any]) -> list[str]:
    """One line per account, then the run-level warnings count."""
    currency = document["reporting_currency"]
    lines = [
        f"{'platform':<11} {'account':<20} {'cur':<4} {'days':>4} {'spend':>14} "
        f"{'spend ' + currency:>14} {'conversions':>11} {'roas':>7} {'warnings':>8}"
    ]
    for report in document["reports"]:
        meta, summary = report["metadata"], report["summary"]
        lines.append(
            f"{meta['platform']:<11} {meta['account_id']:<20} {meta['currency'] or '?':<4} "
            f"{summary['days']:>4} {_money(summary['spend'], meta['currency']):>14} "
            f"{_money(summary['spend_reporting'], currency):>14} "
            f"{_amount(summary['conversions'], 0):>11} "
            f"{_amount(summary['roas'], 3):>7} "
            f"{sum(w['count'] for w in report['warnings']):>8}"
        )
    run_warnings = sum(w["count"] for w in document["warnings"])
    lines.append(f"run-level warnings: {run_warnings}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ads-report", description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--duckdb", help="DuckDB file the pipeline loaded")
    source.add_argument("--postgres", help="libpq connection string of the database")
    parser.add_argument("--schema", default="ads", help="schema of the unified tables (ads)")
    parser.add_argument("--out", default="output/report", help="folder for the report files")
    parser.add_argument("--json", action="store_true", help="print the document on stdout")
    args = parser.parse_args(argv)
    try:
        fetch = duckdb_fetch(args.duckdb) if args.duckdb else postgres_fetch(args.postgres)
        document = build_report(fetch, args.schema)
    except ReportSourceError as error:
        print(f"ads-report: {error}", file=sys.stderr)
        return 1
    encoded = _ENCODER.encode(document)
    if args.json:
        sys.stdout.write(encoded.decode() + "\n")
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_bytes(encoded + b"\n")
    page = out / "report.html"
    page.write_text(render_html(document), encoding="utf-8")
    for line in summary_lines(document):
        print(line)
    print(f"report: {(out / 'report.json').resolve()}")
    print(f"HTML report: {page.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
