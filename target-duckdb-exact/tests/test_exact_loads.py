"""Money stays exact, keys upsert, and no row is lost on a current DuckDB."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from singer_sdk.exceptions import ConfigValidationError
from target_duckdb_exact.target import TargetDuckDBExact

SCHEMA = {
    "type": "SCHEMA",
    "stream": "spend",
    "schema": {
        "type": "object",
        "properties": {
            "account_id": {"type": "string"},
            "day": {"type": "string"},
            "spend": {"type": ["number", "null"]},
            "impressions": {"type": ["integer", "null"]},
            "at": {"type": ["string", "null"], "format": "date-time"},
            "warnings": {"type": ["array", "null"], "items": {"type": "object"}},
        },
    },
    "key_properties": ["account_id", "day"],
}


def load(path: Path, lines: list[str], **config: object) -> None:
    config = {"filepath": str(path), "default_target_schema": "ads", **config}
    TargetDuckDBExact(config=config).listen(io.StringIO("\n".join(lines) + "\n"))


def record(account: str, day: str, spend: str, **extra: object) -> str:
    row = {"account_id": account, "day": day, "spend": "SPEND", **extra}
    # The JSON text carries the digits exactly as a tap writes them.
    return json.dumps({"type": "RECORD", "stream": "spend", "record": row}).replace(
        '"SPEND"', spend
    )


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_two_hundred_thousand_amounts_sum_to_the_cent(tmp_path):
    path = tmp_path / "w.duckdb"
    rows = [record(str(n % 7), f"day-{n}", "12.34") for n in range(200_000)]
    load(path, [json.dumps(SCHEMA), *rows])
    ((total, count, kind),) = query(
        path, "SELECT sum(spend), count(*), typeof(sum(spend)) FROM ads.spend"
    )
    assert (total, count) == (Decimal("2468000.00"), 200_000)
    assert kind.startswith("DECIMAL")


def test_every_digit_of_large_amounts_and_rates_is_kept(tmp_path):
    path = tmp_path / "w.duckdb"
    values = ["12345678901234567890.12", "0.000000000000000001", "-0.1", "1E-7", "0"]
    load(path, [json.dumps(SCHEMA), *(record("a", f"d{n}", v) for n, v in enumerate(values))])
    loaded = [row[0] for row in query(path, "SELECT spend FROM ads.spend ORDER BY day")]
    assert loaded == [Decimal(v) for v in values]


def test_keys_upsert_within_and_across_runs(tmp_path):
    path = tmp_path / "w.duckdb"
    load(path, [json.dumps(SCHEMA), record("a", "d1", "1.10"), record("a", "d1", "2.20")])
    load(path, [json.dumps(SCHEMA), record("a", "d1", "3.30"), record("b", "d1", "4.40")])
    assert query(path, "SELECT account_id, spend FROM ads.spend ORDER BY 1") == [
        ("a", Decimal("3.30")),
        ("b", Decimal("4.40")),
    ]


def test_append_only_keeps_every_record(tmp_path):
    path = tmp_path / "w.duckdb"
    lines = [json.dumps(SCHEMA), record("a", "d1", "1"), record("a", "d1", "2")]
    load(path, lines, load_method="append-only")
    assert query(path, "SELECT count(*) FROM ads.spend") == [(2,)]


def test_first_row_of_each_batch_is_loaded(tmp_path):
    """target-duckdb 0.8 on DuckDB 1.3+ took a batch's first row for a CSV header."""
    path = tmp_path / "w.duckdb"
    rows = [record("a", f"d{n:05}", "1.00") for n in range(25)]
    load(path, [json.dumps(SCHEMA), *rows], batch_size_rows=10)
    assert query(path, "SELECT count(*), min(day) FROM ads.spend") == [(25, "d00000")]


def test_timestamps_nulls_and_json_arrays(tmp_path):
    path = tmp_path / "w.duckdb"
    extra = {"at": "2024-06-01T00:00:00+12:00", "impressions": None, "warnings": [{"n": 1}]}
    load(path, [json.dumps(SCHEMA), record("a", "d1", "null", **extra)])
    ((spend, impressions, at, warnings),) = query(
        path,
        """SELECT spend, impressions, strftime("at", '%Y-%m-%d %H:%M'), warnings FROM ads.spend""",
    )
    assert (spend, impressions, at) == (None, None, "2024-05-31 12:00")
    assert json.loads(warnings) == [{"n": 1}]


def test_a_new_column_is_added(tmp_path):
    path = tmp_path / "w.duckdb"
    load(path, [json.dumps(SCHEMA), record("a", "d1", "1")])
    wider = json.loads(json.dumps(SCHEMA))
    wider["schema"]["properties"]["fx_rate"] = {"type": ["number", "null"]}
    row = record("a", "d2", "2").replace('"day"', '"fx_rate": 0.006712345678, "day"')
    load(path, [json.dumps(wider), row])
    assert query(path, "SELECT day, fx_rate FROM ads.spend ORDER BY day") == [
        ("d1", None),
        ("d2", Decimal("0.006712345678")),
    ]


def test_missing_filepath_fails_naming_the_setting():
    with pytest.raises(ConfigValidationError) as raised:
        TargetDuckDBExact(config={})
    assert "filepath" in " ".join(raised.value.errors)
