"""Splitting a platform's accounts into shards that run as separate processes.

An account's shard is a hash of its id modulo `shard_count`, so it never moves when other
accounts are added or removed: each shard keeps its own state (Meltano's
`--state-id-suffix`) and loads only its own accounts' rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from singer_sdk import typing as th


def shard_properties() -> list[th.Property]:
    return [
        th.Property(
            "shard_count",
            th.IntegerType(minimum=1),
            default=1,
            description="Split the accounts into this many shards, each run as its own "
            "process (with its own state id); 1: no sharding.",
        ),
        th.Property(
            "shard_index",
            th.IntegerType(minimum=0),
            default=0,
            description="Which shard this run reads, from 0 to shard_count - 1.",
        ),
    ]


def shard_of(account_id: str, count: int) -> int:
    """The shard an account belongs to: stable across runs, machines and account lists."""
    digest = hashlib.sha256(str(account_id).encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def shard_errors(config: Mapping[str, object]) -> list[str]:
    count, index = int(config.get("shard_count") or 1), int(config.get("shard_index") or 0)
    if index >= count:
        return [f"Setting 'shard_index' must be below shard_count ({count}); got {index}."]
    if count > 1 and config.get("emit_activate_version_messages"):
        # A target would delete every row its version does not hold: the other shards'.
        return [
            "Setting 'emit_activate_version_messages' cannot be on with shard_count > 1: a "
            "target would delete the rows of the other shards. Turn it off."
        ]
    return []


def in_shard(account_ids: Iterable[str], config: Mapping[str, object]) -> list[str]:
    """The accounts of `account_ids` this run's shard reads, each once, in order."""
    count, index = int(config.get("shard_count") or 1), int(config.get("shard_index") or 0)
    unique = dict.fromkeys(str(account_id) for account_id in account_ids)
    return [
        account_id for account_id in unique if count == 1 or shard_of(account_id, count) == index
    ]
