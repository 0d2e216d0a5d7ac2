"""The dead-letter file: one redacted JSON line per platform call that failed for good."""

from __future__ import annotations

import datetime as dt
import json
import threading
import typing as t
from pathlib import Path

from ads_kit.redaction import redact

if t.TYPE_CHECKING:
    from ads_kit.guard import Operation


class DeadLetterFile:
    """Appends failed calls to `path` so they can be inspected or replayed later."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(self, operation: Operation, error: BaseException, tries: int) -> None:
        """Record one call that will not be retried any more."""
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(),
            "stream": operation.stream,
            "account_id": operation.account_id,
            "operation": operation.name,
            "request": operation.request,
            "error": type(error).__name__,
            "message": str(error),
            "tries": tries,
        }
        line = redact(json.dumps(entry, default=str, sort_keys=True))
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
