"""Reading and writing Singer messages with the SDK's msgspec codec: JSON fractions are read
as Decimal and Decimal is written digit for digit, as with the default codec, several
times faster. Input is read from stdin's bytes (msgspec decodes UTF-8 itself, without a
text layer in between); output is collected in one buffer and written at each STATE, at
the end and every `FLUSH_BYTES`, rather than line by line (a run that fails may not write
the rows after its last STATE; the next run reads them again, since that state did not
move). The mapper's own rows skip the SDK's per-message dict: their envelope's bytes are
made once per stream and only the record and its time are encoded per row."""

from __future__ import annotations

import sys
import typing as t
from collections import Counter
from datetime import datetime

import singer_sdk.singerlib as singer
from singer_sdk.contrib.msgspec import MsgSpecReader, MsgSpecWriter, encoder
from singer_sdk.singerlib.encoding.base import SingerMessageType

__all__ = ["BytesReader", "StateFlushingWriter", "UnifiedRecord"]

#: Output held before it is written even without a STATE.
FLUSH_BYTES = 1 << 16


class BytesReader(MsgSpecReader):
    @property
    def default_input(self) -> t.IO[bytes]:  # type: ignore[override]
        return sys.stdin.buffer

    def process_lines(
        self,
        file_input: t.IO[bytes] | None,  # type: ignore[override]
        callbacks: dict[str, t.Callable[[dict], None]],
    ) -> t.Counter[str]:
        """The SDK's loop with its checks, minus a method call and a set per line."""
        stats: Counter[str] = Counter()
        deserialize = self.deserialize_json
        for line in file_input or self.default_input:
            self._current_message = line
            message = deserialize(line)
            kind = message.get("type") if type(message) is dict else None
            if kind is None:
                self.assert_line_requires(message, requires={"type"})
            if callback := callbacks.get(kind):
                callback(message)
            else:
                self._process_unknown_message(message)
            stats[kind] += 1
        return stats


class UnifiedRecord(singer.RecordMessage):
    """A RECORD the mapper built: a UTC `time_extracted`, no version, and none of the
    checks the SDK's message makes of records from elsewhere."""

    __slots__ = ()

    def __init__(self, stream: str, record: dict[str, t.Any], time_extracted: datetime) -> None:
        self.type = SingerMessageType.RECORD
        self.stream, self.record = stream, record
        self.version, self.time_extracted = None, time_extracted


class StateFlushingWriter(MsgSpecWriter):
    def __init__(self) -> None:
        super().__init__()
        self._buffer = bytearray()
        self._envelopes: dict[str, bytes] = {}

    def write_message(self, message: singer.Message) -> None:
        buffer = self._buffer
        if type(message) is UnifiedRecord:
            envelope = self._envelopes.get(message.stream)
            if envelope is None:
                envelope = self._envelopes[message.stream] = (
                    b'{"type":"RECORD","stream":' + encoder.encode(message.stream) + b',"record":'
                )
            buffer += envelope
            encoder.encode_into(message.record, buffer, -1)
            buffer += b',"time_extracted":'
            encoder.encode_into(message.time_extracted, buffer, -1)
            buffer += b"}\n"
        elif isinstance(message, singer.StateMessage):
            if message.value is None:
                buffer += self.format_message(message)
            else:
                # What the SDK's `to_dict` gives, without the deep copy of the value (the
                # entity document) that its `asdict` makes.
                encoder.encode_into({"type": "STATE", "value": message.value}, buffer, -1)
                buffer += b"\n"
            self.flush()
            return
        else:
            buffer += self.format_message(message)
        if len(buffer) >= FLUSH_BYTES:
            sys.stdout.buffer.write(buffer)
            buffer.clear()

    def flush(self) -> None:
        """Write what is held and flush stdout."""
        sys.stdout.buffer.write(self._buffer)
        self._buffer.clear()
        sys.stdout.flush()
