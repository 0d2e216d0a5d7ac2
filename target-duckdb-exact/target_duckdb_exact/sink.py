"""Batches loaded into DuckDB exactly: every value goes in as text and is cast by DuckDB to
the column's type (text to DECIMAL is exact), one statement per batch.

Upsert (the default `load_method`): the batch keeps the last record per key, then, in one
transaction, the table's rows with those keys are deleted and the batch inserted.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from singer_sdk.helpers.capabilities import TargetLoadMethods
from singer_sdk.singerlib.json import serialize_json
from singer_sdk.sql import SQLSink

from target_duckdb_exact.connector import DuckDBConnector, quoted


class DuckDBSink(SQLSink[DuckDBConnector]):
    connector_class = DuckDBConnector

    def process_batch(self, context: dict) -> None:
        records = context["records"]
        keys = list(self.key_properties)
        upsert = bool(keys) and self.config.get("load_method") == TargetLoadMethods.UPSERT
        if upsert:
            unique = _last_per_key(records, keys)
            merged = len(records) - len(unique)
            if merged:
                self.tally_duplicate_merged(merged)
            records = unique
        self._load(records, keys if upsert else [])

    def bulk_insert_records(
        self, full_table_name: Any, schema: dict, records: Iterable[dict[str, Any]]
    ) -> int | None:
        return self._load(list(records), [])

    def _load(self, records: list[dict[str, Any]], keys: Sequence[str]) -> int:
        if not records:
            return 0
        _, schema_name, table_name = self.connector.parse_full_table_name(self.full_table_name)
        types = self.connector.column_types(schema_name, table_name)
        conformed = [self.conform_record(record) for record in records]
        columns = [name for name in self.conform_schema(self.schema)["properties"] if name in types]
        values = [[_as_text(row.get(name), types[name]) for row in conformed] for name in columns]
        table = f"{quoted(schema_name)}.{quoted(table_name)}" if schema_name else quoted(table_name)
        names = ", ".join(quoted(name) for name in columns)
        casts = ", ".join(f"CAST({quoted(n)} AS {types[n]}) AS {quoted(n)}" for n in columns)
        unnested = ", ".join(f"unnest(?::VARCHAR[]) AS {quoted(n)}" for n in columns)
        select = f"SELECT {casts} FROM (SELECT {unnested})"  # noqa: S608
        # Identifiers are quoted names of the table's own columns; values are parameters.
        with self.connector._connect() as connection, connection.begin():
            if not keys:
                connection.exec_driver_sql(f"INSERT INTO {table} ({names}) {select}", tuple(values))
                return len(records)
            batch = quoted(f"_batch_{uuid.uuid4().hex}")
            connection.exec_driver_sql(f"CREATE TEMP TABLE {batch} AS {select}", tuple(values))
            matches = " AND ".join(
                f"{table}.{quoted(key)} IS NOT DISTINCT FROM {batch}.{quoted(key)}" for key in keys
            )
            delete = f"DELETE FROM {table} USING {batch} WHERE {matches}"  # noqa: S608
            insert = f"INSERT INTO {table} ({names}) SELECT {names} FROM {batch}"  # noqa: S608
            connection.exec_driver_sql(delete)
            connection.exec_driver_sql(insert)
            connection.exec_driver_sql(f"DROP TABLE {batch}")
        return len(records)


def _last_per_key(records: list[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """The last record of each key, in the order the keys first came."""
    latest: dict[tuple[Any, ...], dict[str, Any]] = {}
    for record in records:
        latest[tuple(record.get(key) for key in keys)] = record
    return list(latest.values())


def _as_text(value: Any, column_type: str) -> str | None:
    """The value as text DuckDB casts to `column_type` without loss."""
    if value is None:
        return None
    if column_type == "JSON":
        return serialize_json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return serialize_json(value)
    return str(value)
