"""Reading and writing Singer messages with the SDK's msgspec codec: JSON fractions are read
as Decimal and Decimal is written digit for digit, as with the default codec, several
times faster. Input is read from stdin's bytes (msgspec decodes UTF-8 itself, without a
text layer in between); output is flushed at each STATE and at the end rather than after
every line, so a run costs one write per buffer instead of one per record."""

from __future__ import annotations

import sys
import typing as t

import singer_sdk.singerlib as singer
from singer_sdk.contrib.msgspec import MsgSpecReader, MsgSpecWriter

__all__ = ["BytesReader", "StateFlushingWriter"]


class BytesReader(MsgSpecReader):
    @property
    def default_input(self) -> t.IO[bytes]:  # type: ignore[override]
        return sys.stdin.buffer


class StateFlushingWriter(MsgSpecWriter):
    def write_message(self, message: singer.Message) -> None:
        sys.stdout.buffer.write(self.format_message(message))
        if isinstance(message, singer.StateMessage):
            sys.stdout.flush()
