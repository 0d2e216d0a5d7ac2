"""The SDK's standard target tests, each against a fresh DuckDB file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from singer_sdk.testing import get_target_test_class
from target_duckdb_exact.target import TargetDuckDBExact

_FOLDER = Path(tempfile.mkdtemp(prefix="target-duckdb-exact-"))

TestTargetDuckDBExact = get_target_test_class(
    TargetDuckDBExact,
    config={"filepath": str(_FOLDER / "standard.duckdb"), "default_target_schema": "tests"},
)
