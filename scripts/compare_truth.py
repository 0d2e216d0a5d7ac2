"""Compare what a pipeline loaded into `unified_campaign_performance` with `ads-sandbox truth`.

Used by `scripts/demo.sh` and by the end-to-end tests in `tests/`.

Every value is compared exactly, as loaded: Postgres NUMERIC and DuckDB DECIMAL (written by
target-duckdb-exact) both keep the digits the mapper wrote. A money column of binary floats
(DOUBLE, as target-duckdb 0.8 wrote) is refused rather than rounded.

    python scripts/compare_truth.py --duckdb output/warehouse.duckdb --seed 1 --scale 3x4x3x3x30
    python scripts/compare_truth.py --postgres "host=127.0.0.1 port=5432 user=postgres dbname=ads"
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

TABLE = "unified_campaign_performance"
SCHEMA = "ads"
PLATFORM_NAMES = {"tiktok": "tiktok", "meta": "meta", "google_ads": "google_ads"}
DEFAULT_METRICS = ("spend", "impressions", "clicks")
ALL_METRICS = ("spend", "impressions", "clicks", "conversions", "conversion_value")
#: Amounts in the reporting currency: compared when the truth is converted with the rates
#: the mapper was given (`with_reporting`).
REPORTING_METRICS = ("spend_reporting", "conversion_value_reporting")
LOADED_METRICS = ALL_METRICS + REPORTING_METRICS
#: The rates the sandbox ships, which Meltano's `sandbox` environment gives the mapper.
SANDBOX_RATES = str(
    Path(__file__).resolve().parents[1] / "sandbox" / "ads_sandbox" / "fx_rates.csv"
)

Key = tuple[str, str, str]  # platform, account_id, date (account-local, YYYY-MM-DD)


@dataclass
class Totals:
    """Per platform x account x date sums."""

    values: dict[Key, dict[str, Decimal]] = field(default_factory=dict)
    currency: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def add(self, key: Key, currency: str | None, metrics: Mapping[str, Decimal]) -> None:
        row = self.values.setdefault(key, defaultdict(Decimal))
        for name, value in metrics.items():
            row[name] += value
        self.currency.setdefault(key[:2], currency)

    def accounts(self) -> list[tuple[str, str]]:
        return sorted({key[:2] for key in self.values})

    def of_platform(self, platform: str | None) -> Totals:
        """Only `platform`'s rows (a warehouse may hold several platforms')."""
        if platform is None:
            return self
        return Totals(
            {k: v for k, v in self.values.items() if k[0] == platform},
            {k: v for k, v in self.currency.items() if k[0] == platform},
        )


# Truth


def sandbox_command() -> list[str]:
    """`ads-sandbox`, from this interpreter's environment first, then PATH."""
    beside = Path(sys.executable).parent / "ads-sandbox"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("ads-sandbox")
    if found:
        return [found]
    return [sys.executable, "-m", "ads_sandbox"]


def truth_lines(
    platform: str,
    seed: int,
    scale: str,
    revision: int | None = None,
    extra_args: Sequence[str] = (),
) -> list[str]:
    command = [
        *sandbox_command(),
        "truth",
        "--platform",
        platform,
        "--seed",
        str(seed),
        "--scale",
        scale,
    ]
    if revision is not None:
        command += ["--revision", str(revision)]
    command += list(extra_args)
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-2000:]}"
        )
    return [line for line in done.stdout.splitlines() if line.strip()]


def parse_truth(lines: Iterable[str]) -> Totals:
    totals = Totals()
    for line in lines:
        row = json.loads(line, parse_float=Decimal)
        key = (row["platform"], str(row["account_id"]), str(row["date"])[:10])
        totals.add(
            key,
            row.get("currency"),
            {name: Decimal(row.get(name) or 0) for name in ALL_METRICS},
        )
    return totals


def load_truth(
    platform: str = "tiktok",
    seed: int = 1,
    scale: str = "3x4x3x3x30",
    revision: int | None = None,
) -> Totals:
    """What `ads-sandbox truth` says a correct extraction loads."""
    return parse_truth(truth_lines(platform, seed, scale, revision))


def with_reporting(truth: Totals, rates_path: str, reporting_currency: str = "USD") -> Totals:
    """The truth with its amounts converted as the mapper converts them: the same rates
    file read by the mapper's own settings parser, the rate of each account-local date."""
    from transform_unified.settings import parse_settings

    rates = parse_settings(
        {"reporting_currency": reporting_currency, "fx_rates_path": rates_path}
    ).fx_rates
    for key, values in truth.values.items():
        quote = rates.quote(truth.currency[key[:2]] or "", dt.date.fromisoformat(key[2]))
        for name, source in zip(REPORTING_METRICS, ("spend", "conversion_value"), strict=True):
            values[name] = quote.convert(values[source]) if quote else Decimal(0)
    return truth


# Loaded


def _shortest(value: Decimal) -> Decimal:
    short = value.normalize()
    return short.quantize(Decimal(1)) if short == short.to_integral() else short


class InexactColumn(TypeError):
    """A loaded money column holds binary floats, which cannot be compared exactly."""


def _loaded_totals(rows: Iterable[Sequence[Any]]) -> Totals:
    """Rows of (platform, account_id, date, currency, *LOADED_METRICS)."""
    totals = Totals()
    for platform, account_id, day, currency, *values in rows:
        metrics = {}
        for name, value in zip(LOADED_METRICS, values, strict=True):
            if isinstance(value, float):
                raise InexactColumn(
                    f"{name} was loaded as a binary float ({value!r}): load with "
                    "target-duckdb-exact (DECIMAL), or into Postgres (NUMERIC)"
                )
            # Normalised for display only (DuckDB's DECIMAL(38, 18) shows 18 decimals).
            metrics[name] = Decimal(0) if value is None else _shortest(Decimal(value))
        totals.add((str(platform), str(account_id), str(day)[:10]), currency, metrics)
    return totals


_COLUMNS = ", ".join(
    f'"{name}"' for name in ("platform", "account_id", "date", "currency", *LOADED_METRICS)
)


def load_duckdb(path: str | os.PathLike[str], schema: str = SCHEMA, table: str = TABLE) -> Totals:
    """Loaded totals from a DuckDB file written by target-duckdb-exact (DECIMAL money)."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as connection:
        rows = connection.execute(
            f'SELECT {_COLUMNS} FROM "{schema}"."{table}"'  # noqa: S608 - fixed names
        ).fetchall()
    return _loaded_totals(rows)


def load_postgres(conninfo: str, schema: str = SCHEMA, table: str = TABLE) -> Totals:
    """Loaded totals from Postgres (NUMERIC money, exact)."""
    import psycopg

    with psycopg.connect(conninfo) as connection:
        rows = connection.execute(
            f'SELECT {_COLUMNS} FROM "{schema}"."{table}"'  # noqa: S608 - fixed names
        ).fetchall()
    return _loaded_totals(rows)


# Comparison


@dataclass
class Comparison:
    truth: Totals
    loaded: Totals
    metrics: tuple[str, ...]
    mismatches: list[str]

    @property
    def equal(self) -> bool:
        return not self.mismatches


def compare(
    truth: Totals,
    loaded: Totals,
    metrics: Sequence[str] = DEFAULT_METRICS,
    platform: str | None = None,
) -> Comparison:
    """Every platform x account x date's metrics, missing rows counting as zero."""
    mismatches: list[str] = []
    truth, loaded = truth.of_platform(platform), loaded.of_platform(platform)
    keys = set(truth.values) | set(loaded.values)
    zero: dict[str, Decimal] = defaultdict(Decimal)
    for key in sorted(keys):
        want = truth.values.get(key, zero)
        got = loaded.values.get(key, zero)
        for name in metrics:
            if want[name] != got[name]:
                mismatches.append(
                    f"{key[0]} account {key[1]} on {key[2]}: {name} loaded {got[name]}, "
                    f"truth {want[name]}"
                )
    for account, currency in truth.currency.items():
        loaded_currency = loaded.currency.get(account)
        if account in loaded.currency and (loaded_currency or "").upper() != (currency or ""):
            mismatches.append(
                f"{account[0]} account {account[1]}: currency loaded {loaded_currency}, "
                f"truth {currency}"
            )
    return Comparison(truth, loaded, tuple(metrics), mismatches)


def _account_sums(totals: Totals, account: tuple[str, str], metrics: Sequence[str]) -> list[Any]:
    rows = [value for key, value in totals.values.items() if key[:2] == account]
    days = sum(1 for value in rows if any(value[name] for name in metrics))
    return [days, *(sum((value[name] for value in rows), Decimal(0)) for name in metrics)]


def report(comparison: Comparison, out: Any = sys.stdout, max_mismatches: int = 20) -> None:
    """A table per platform x account of loaded and truth totals, then the verdict line."""
    metrics = comparison.metrics
    header = ["platform", "account", "currency", "source", "days", *metrics]
    table = [header]
    accounts = sorted(set(comparison.truth.accounts()) | set(comparison.loaded.accounts()))
    for account in accounts:
        currency = comparison.truth.currency.get(account) or comparison.loaded.currency.get(account)
        for source, totals in (("loaded", comparison.loaded), ("truth", comparison.truth)):
            sums = _account_sums(totals, account, metrics)
            table.append(
                [account[0], account[1], currency or "?", source, *(str(value) for value in sums)]
            )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for number, row in enumerate(table):
        cells = [
            cell.ljust(width) if index < 4 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip(), file=out)
        if number == 0:
            print("  ".join("-" * width for width in widths), file=out)
    for line in comparison.mismatches[:max_mismatches]:
        print(f"  mismatch: {line}", file=out)
    if len(comparison.mismatches) > max_mismatches:
        print(f"  ... and {len(comparison.mismatches) - max_mismatches} more", file=out)
    names = ", ".join(metrics)
    cells = len(comparison.truth.values)
    if comparison.equal:
        print(
            f"EQUAL: loaded {names} match ads-sandbox truth for all {len(accounts)} "
            f"account(s) and {cells} account-days.",
            file=out,
        )
    else:
        print(
            f"NOT EQUAL: {len(comparison.mismatches)} difference(s) between loaded {names} "
            "and ads-sandbox truth.",
            file=out,
        )


def report_text(comparison: Comparison) -> str:
    """`report` as a string: what a failed test's assertion shows."""
    out = io.StringIO()
    report(comparison, out)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--duckdb", help="DuckDB file written by target-duckdb")
    where.add_argument("--postgres", help="libpq connection string of the Postgres database")
    parser.add_argument("--schema", default=SCHEMA)
    parser.add_argument("--platform", default="tiktok", choices=sorted(PLATFORM_NAMES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", default="3x4x3x3x30")
    parser.add_argument("--revision", type=int, default=None)
    parser.add_argument(
        "--truth",
        help="JSON-lines file saved from `ads-sandbox truth` (default: run it now with "
        "--platform, --seed, --scale, --revision)",
    )
    parser.add_argument(
        "--metrics",
        default=",".join(DEFAULT_METRICS),
        help=f"comma-separated, of: {', '.join(ALL_METRICS)}",
    )
    parser.add_argument(
        "--fx-rates",
        help="the rates file the mapper was given (fx_rates_path): also compare the amounts "
        "in the reporting currency with the truth converted at the same rates",
    )
    parser.add_argument("--reporting-currency", default="USD")
    args = parser.parse_args(argv)
    metrics = [name.strip() for name in args.metrics.split(",") if name.strip()]
    unknown = sorted(set(metrics) - set(ALL_METRICS))
    if unknown:
        parser.error(f"unknown metric(s): {', '.join(unknown)}")
    if args.truth:
        with open(args.truth, encoding="utf-8") as lines:
            truth = parse_truth(lines)
    else:
        truth = load_truth(args.platform, args.seed, args.scale, args.revision)
    if args.fx_rates:
        truth = with_reporting(truth, args.fx_rates, args.reporting_currency)
        metrics += list(REPORTING_METRICS)
    if args.duckdb:
        loaded = load_duckdb(args.duckdb, args.schema)
    else:
        loaded = load_postgres(args.postgres, args.schema)
    comparison = compare(truth, loaded, metrics, platform=PLATFORM_NAMES[args.platform])
    report(comparison)
    return 0 if comparison.equal else 1


if __name__ == "__main__":
    sys.exit(main())
