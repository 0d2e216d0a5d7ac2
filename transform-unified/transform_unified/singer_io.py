"""Reading and writing Singer messages with the SDK's msgspec codec: JSON fractions are read
as Decimal and Decimal is written digit for digit, as with the default codec, several
times faster. Output is flushed at each STATE and at the end rather than after every line,
so a run costs one write per buffer instead of one per record."""

from __future__ import annotations

import sys

import singer_sdk.singerlib as singer
from singer_sdk.contrib.msgspec import MsgSpecReader, MsgSpecWriter

__all__ = ["MsgSpecReader", "StateFlushingWriter"]


class StateFlushingWriter(MsgSpecWriter):
    def write_message(self, message: singer.Message) -> None:
        sys.stdout.buffer.write(self.format_message(message))
        if isinstance(message, singer.StateMessage):
            sys.stdout.flush()
