"""A Singer target for DuckDB that stores JSON numbers as DECIMAL, exactly."""
