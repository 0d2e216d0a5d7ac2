"""A trivial SDK tap that emits records it holds in memory: the SDK's own ceiling.

It loads a JSON-lines file of records (untimed) and a schema, then emits them through the
same SDK machinery (typing, state, message writing) a real stream uses, with the SDK's
msgspec message writer, the one the taps use, or with `"writer": "simple"` its default one.
"""

from __future__ import annotations

import json
import sys
import typing as t
from decimal import Decimal
from pathlib import Path

from singer_sdk import Stream, Tap
from singer_sdk import typing as th
from singer_sdk.contrib.msgspec import MsgSpecWriter


class MemoryStream(Stream):
    def __init__(self, tap: Tap, name: str, schema: dict, keys: list[str], key: str) -> None:
        super().__init__(tap, schema=schema, name=name)
        self.primary_keys = keys
        self.replication_key = key
        with open(tap.config["records_path"], encoding="utf-8") as handle:
            self._records = [json.loads(line, parse_float=Decimal) for line in handle]

    def get_records(self, context: t.Any) -> t.Iterable[dict]:
        yield from self._records


class MemoryTap(Tap):
    name = "sdk-ceiling"
    config_jsonschema = th.PropertiesList(
        th.Property("records_path", th.StringType, required=True),
        th.Property("schema_path", th.StringType, required=True),
        th.Property("writer", th.StringType(allowed_values=["simple", "msgspec"])),
    ).to_dict()

    def discover_streams(self) -> list[Stream]:
        with open(self.config["schema_path"], encoding="utf-8") as handle:
            message = json.load(handle)
        return [
            MemoryStream(
                self,
                message["stream"],
                message["schema"],
                message["key_properties"],
                message.get("bookmark_properties", [None])[0],
            )
        ]


class MsgspecMemoryTap(MemoryTap):
    message_writer_class = MsgSpecWriter


if __name__ == "__main__":
    config = json.loads(Path(sys.argv[sys.argv.index("--config") + 1]).read_text())
    (MemoryTap if config.get("writer") == "simple" else MsgspecMemoryTap).cli()
