"""The API version a tap's calls go to, and the move to `api_version_fallback`.

Platforms retire versions on a schedule; a refused version moves the whole tap to the next
fallback with a warning. How a platform switches is its own (`on_change` listeners): TikTok
rewrites URLs, Meta re-initialises its API object, Google builds the client of that version.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence


class ApiVersions:
    """`pinned`, then each of `fallbacks` in turn as versions are refused."""

    def __init__(self, pinned: str, fallbacks: Sequence[str], logger: logging.Logger) -> None:
        self._used = [pinned]
        self._fallbacks = [version for version in fallbacks if version != pinned]
        self._logger = logger
        self._lock = threading.Lock()
        self._listeners: list[Callable[[str], None]] = []

    @property
    def current(self) -> str:
        return self._used[-1]

    @property
    def used(self) -> tuple[str, ...]:
        """Every version moved through, the current one last."""
        return tuple(self._used)

    def on_change(self, listener: Callable[[str], None]) -> None:
        """Call `listener(version)` whenever the tap moves to another version."""
        self._listeners.append(listener)

    def refused(self, version: str, refusal: BaseException) -> bool:
        """`version` was refused: move on unless already moved. False when none is left.

        A call still on an older version (sent before another thread moved) just follows.
        """
        with self._lock:
            if version != self.current:
                return True
            remaining = [v for v in self._fallbacks if v not in self._used]
            if not remaining:
                return False
            self._used.append(remaining[0])
            self._logger.warning(
                "API version %s was refused (%s); moving to %s from api_version_fallback. "
                "Update `api_version` to stop this warning.",
                version,
                refusal,
                self.current,
            )
            listeners = list(self._listeners)
        for listener in listeners:
            listener(self.current)
        return True
