"""`target-duckdb-exact`: the SDK's SQL target for one DuckDB file."""

from __future__ import annotations

from singer_sdk import typing as th
from singer_sdk.sql import SQLTarget

from target_duckdb_exact.sink import DuckDBSink


class TargetDuckDBExact(SQLTarget):
    """Loads Singer streams into DuckDB with JSON numbers as DECIMAL(38, 18), exactly, and
    upserts on each stream's key properties."""

    name = "target-duckdb-exact"
    default_sink_class = DuckDBSink
    config_jsonschema = th.PropertiesList(
        th.Property(
            "filepath",
            th.StringType,
            required=True,
            description="The DuckDB database file; created, with its folder, if missing.",
        ),
        th.Property(
            "default_target_schema",
            th.StringType,
            default="main",
            description="Schema the tables are written to.",
        ),
        th.Property(
            "load_method",
            th.StringType,
            default="upsert",
            allowed_values=["append-only", "upsert", "overwrite"],
            description=(
                "upsert: replace rows with the same key properties (append for streams "
                "without keys); append-only: insert every record; overwrite: replace the "
                "table's content on the first batch."
            ),
        ),
    ).to_dict()

    def process_endofpipe(self) -> None:
        """Drain, then close the file: DuckDB lets one process at a time write it, and a
        reader opened next (by a script, or a test in this process) needs it closed."""
        super().process_endofpipe()
        self.target_connector._engine.dispose()


if __name__ == "__main__":
    TargetDuckDBExact.cli()
