"""Dagster orchestration of the ads pipelines: one asset per platform and account shard."""
