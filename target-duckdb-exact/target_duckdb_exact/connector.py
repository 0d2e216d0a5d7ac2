"""DuckDB through SQLAlchemy (duckdb-engine), with exact types for JSON values.

JSON `number` becomes DECIMAL(38, 18): 20 integer digits and 18 decimals, enough for money
in any currency, FX rates and amounts converted from micros, and summed exactly (a DOUBLE
sums 200,000 x 12.34 to 2467999.9999999995).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from singer_sdk.sql import SQLConnector
from singer_sdk.sql.connector import JSONSchemaToSQL


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: The type of every JSON `number` column.
NUMBER_TYPE = sa.types.DECIMAL(38, 18)


class DuckDBConnector(SQLConnector):
    """One DuckDB file. Timestamps are TIMESTAMPTZ: DuckDB without its ICU extension (not
    in the wheel, never downloaded here) keeps and shows them in UTC."""

    allow_column_add = True
    allow_column_rename = True
    allow_column_alter = True
    allow_merge_upsert = True
    allow_overwrite = True
    allow_temp_tables = False

    def get_sqlalchemy_url(self, config: dict[str, Any]) -> str:
        return f"duckdb:///{config['filepath']}"

    def create_engine(self) -> sa.Engine:
        Path(self.config["filepath"]).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            self.sqlalchemy_url,
            json_serializer=self.serialize_json,
            json_deserializer=self.deserialize_json,
        )
        # duckdb-engine quotes PostgreSQL's reserved words only; DuckDB reserves more
        # (`at`, for one), so a column of that name would break CREATE TABLE.
        with engine.connect() as connection:
            keywords = connection.exec_driver_sql(
                "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category <> 'unreserved'"
            ).fetchall()
        preparer = engine.dialect.identifier_preparer
        preparer.reserved_words = set(preparer.reserved_words) | {row[0] for row in keywords}
        return engine

    @functools.cached_property
    def jsonschema_to_sql(self) -> JSONSchemaToSQL:
        mapper = super().jsonschema_to_sql
        mapper.register_type_handler("number", lambda _schema: NUMBER_TYPE)
        mapper.register_type_handler("integer", lambda _schema: sa.types.BIGINT())
        mapper.register_type_handler("object", lambda _schema: sa.types.JSON())
        mapper.register_type_handler("array", lambda _schema: sa.types.JSON())
        mapper.register_format_handler(
            "date-time", lambda _schema: sa.types.TIMESTAMP(timezone=True)
        )
        return mapper

    def create_empty_table(
        self,
        full_table_name: Any,
        schema: dict,
        primary_keys: Any = None,
        partition_keys: list[str] | None = None,
        as_temp_table: bool = False,
    ) -> None:
        """The table without a PRIMARY KEY constraint: the sink upserts by deleting and
        inserting the batch's keys in one transaction, which DuckDB's eager unique-index
        checks would refuse; the sink keeps keys unique itself."""
        super().create_empty_table(
            full_table_name,
            schema,
            primary_keys=None,
            partition_keys=partition_keys,
            as_temp_table=as_temp_table,
        )

    def create_schema(self, schema_name: str) -> None:
        """CREATE SCHEMA IF NOT EXISTS: duckdb-engine's schema listing names schemas of
        every attached catalog, so the SDK's existence check can miss one."""
        with self._connect() as connection, connection.begin():
            connection.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {quoted(schema_name)}")

    def column_types(self, schema_name: str | None, table_name: str) -> dict[str, str]:
        """Column name -> DuckDB type of an existing table."""
        with self._connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                (schema_name or "main", table_name),
            ).fetchall()
        return {name: data_type for name, data_type in rows}
