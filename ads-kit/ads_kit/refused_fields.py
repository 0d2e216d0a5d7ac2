"""Fields a platform stopped serving: dropped with a warning, remembered in the state.

When a platform refuses a requested field as deprecated or unknown (TikTok 41002, Meta's
"(#100) Tried accessing nonexisting field"), the stream asks again without it rather than
stopping the run; the column stays in the schema, null. The stream's state keeps the list,
so later runs do not ask again.
"""

from __future__ import annotations

import logging
import typing as t
from collections.abc import Iterable, MutableMapping

from ads_kit.errors import FieldRefusedError

STATE_KEY = "refused_fields"


class RefusedFields:
    """The refused fields of one stream, in its state (`stream_state`)."""

    def __init__(self, state: MutableMapping[str, t.Any], stream: str, logger: logging.Logger):
        self._state, self._stream, self._logger = state, stream, logger

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._state.get(STATE_KEY) or ())

    def without_refused(self, fields: Iterable[str]) -> list[str]:
        """`fields` minus the ones refused in this or an earlier run."""
        refused = self.names
        return [name for name in fields if name not in refused]

    def drop(self, error: FieldRefusedError, asked: Iterable[str], setting: str) -> None:
        """Record the refusal and warn; re-raise when it names nothing this stream asked for,
        since asking again would be refused again."""
        new = [name for name in error.fields if name in set(asked) - self.names]
        if not new:
            raise error
        self._state[STATE_KEY] = sorted(self.names | set(new))
        self._logger.warning(
            "%s: the platform no longer serves %s (%s); dropped from this stream, its column "
            "stays null, and later runs will not ask for it. Remove it from the setting '%s'.",
            self._stream,
            ", ".join(new),
            error,
            setting,
        )
