"""The dead-letter file: one redacted JSON line per platform call that failed for good.

The call guard attaches the call to the error it raises (`attach`); the tap writes it when
the error ends an account's stream or the run (`write_pending`). A failure the tap recovers
from (a multi-advertiser report read one advertiser at a time, a refused field dropped) is
therefore never written: every line is something that was not loaded.
"""

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
    """Appends failed calls to `path` so they can be inspected, or replayed by `ads-replay`
    once the cause is fixed: each line names the tap and the setting its accounts are
    chosen by, so a replay can read the same streams of the same accounts again."""

    def __init__(self, path: str | Path, tap: str = "", accounts_setting: str = "") -> None:
        self.path = Path(path)
        self.tap = tap
        self.accounts_setting = accounts_setting
        self._lock = threading.Lock()

    def write_pending(self, error: BaseException) -> None:
        """Write the call attached to `error` (once), if any."""
        pending = error.__dict__.pop(_PENDING, None)
        if pending is not None:
            self.write(pending[0], error, pending[1])

    def write(self, operation: Operation, error: BaseException, tries: int) -> None:
        """Record one call that will not be retried any more."""
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(),
            "tap": self.tap,
            "accounts_setting": self.accounts_setting,
            "stream": operation.stream,
            # The account an access error names is the one that failed.
            "account_id": getattr(error, "account_id", None) or operation.account_id,
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


_PENDING = "_ads_dead_letter"


def attach(error: BaseException, operation: Operation, tries: int) -> None:
    """Mark `error` as the end of `operation` after `tries` tries, for `write_pending`."""
    error.__dict__[_PENDING] = (operation, tries)
