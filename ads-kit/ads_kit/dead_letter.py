"""The dead-letter file: one redacted JSON line per request that failed for good."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

from ads_kit.redaction import redact


class DeadLetterFile:
    """Appends failed requests to `path` so they can be inspected or replayed later."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(
        self,
        *,
        stream: str,
        context: object,
        method: str,
        url: str,
        body: bytes | str | None,
        error: BaseException,
        tries: int,
    ) -> None:
        """Record one request that will not be retried any more."""
        if isinstance(body, bytes):
            body = body.decode("utf-8", errors="replace")
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(),
            "stream": stream,
            "context": context,
            "method": method,
            "url": redact(url),
            "body": redact(body) if body else None,
            "error": type(error).__name__,
            "message": redact(str(error)),
            "tries": tries,
        }
        line = json.dumps(entry, default=str, sort_keys=True)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
