"""Keeps secrets out of every log line, exception text and dead letter.

Redaction happens when a log record is created (a log-record factory), so it covers every
logger and handler, including the SDK's and urllib3's, whatever their configuration.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
import urllib.parse
from collections.abc import Iterable

MASK = "***"
_MIN_SECRET_LENGTH = 4

# Secret-bearing names as they appear in headers, query strings, JSON and form bodies.
_SECRET_NAMES = (
    "access[_-]?token",
    "refresh[_-]?token",
    "client[_-]?secret",
    "app[_-]?secret",
    "secret",
    "developer[_-]?token",
    "auth[_-]?code",
    "password",
    "api[_-]?key",
)
_NAME = "(?:" + "|".join(_SECRET_NAMES) + ")"
_PATTERNS = (
    # key=value in query strings and form bodies
    re.compile(rf"(?i)(\b{_NAME}=)[^&\s\"']+"),
    # "key": "value" in JSON
    re.compile(rf"(?i)(\"{_NAME}\"\s*:\s*\")[^\"]*"),
    # 'key': 'value' in Python reprs
    re.compile(rf"(?i)('{_NAME}'\s*:\s*')[^']*"),
    # Header: value
    re.compile(rf"(?i)(\b{_NAME}:\s*)\S+"),
    re.compile(r"(?i)(\bBearer\s+)[A-Za-z0-9._~+/=-]+"),
)


class Redactor:
    """Replaces known secret values and secret-looking fields with a mask."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add_secrets(self, values: Iterable[object]) -> None:
        """Register exact secret values (tokens, client secrets) to mask wherever they occur,
        in every form a message may print them: raw, as a repr, JSON- or URL-escaped, and
        without the whitespace a pasted value may carry."""
        with self._lock:
            for value in values:
                if isinstance(value, str):
                    self._secrets.update(
                        form for form in _forms(value) if len(form) >= _MIN_SECRET_LENGTH
                    )

    def redact(self, text: str) -> str:
        """Return `text` with every registered secret and secret-looking field masked."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(rf"\g<1>{MASK}", text)
        return text


def _forms(value: str) -> set[str]:
    return {
        value,
        value.strip(),
        repr(value)[1:-1],
        json.dumps(value)[1:-1],
        urllib.parse.quote(value, safe=""),
        urllib.parse.quote_plus(value, safe=""),
    }


class RedactedError(Exception):
    """Stands in for an exception in a log record: the original's text, redacted, with its
    cause and context chain redacted likewise. Structured log formatters read the
    exception object itself rather than the record's (redacted) traceback text."""


@functools.cache
def _stand_in_class(kind: type[BaseException]) -> type[RedactedError]:
    """A RedactedError subclass named like `kind`, so formatters print the original type."""
    return type(kind.__name__, (RedactedError,), {"__module__": kind.__module__})


def redacted_exception(
    error: BaseException, redactor: Redactor, seen: set[int] | None = None
) -> RedactedError:
    """A stand-in for `error` whose text and chained exceptions are redacted."""
    seen = seen if seen is not None else set()
    seen.add(id(error))
    stand_in = _stand_in_class(type(error))(redactor.redact(str(error)))
    for link in ("__cause__", "__context__"):
        linked = getattr(error, link)
        if linked is not None and id(linked) not in seen:
            setattr(stand_in, link, redacted_exception(linked, redactor, seen))
    stand_in.__suppress_context__ = error.__suppress_context__
    return stand_in.with_traceback(error.__traceback__)


REDACTOR = Redactor()
_installed = False


def redact(text: str) -> str:
    """Mask secrets in `text` with the process-wide redactor."""
    return REDACTOR.redact(text)


def install_log_redaction(secrets: Iterable[object] = ()) -> Redactor:
    """Register `secrets` and make every log record of this process redacted.

    The formatted message and any traceback text are computed and masked when the record is
    created, so no handler or formatter can later print the raw values.
    """
    global _installed
    REDACTOR.add_secrets(secrets)
    if not _installed:
        previous = logging.getLogRecordFactory()

        def factory(*args: object, **kwargs: object) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            try:
                message = record.getMessage()
            except Exception:
                message = str(record.msg)
            record.msg = REDACTOR.redact(message)
            record.args = None
            if record.exc_info and record.exc_info[1] is not None:
                if not record.exc_text:
                    record.exc_text = REDACTOR.redact(
                        logging.Formatter().formatException(record.exc_info)
                    )
                kind, error, traceback = record.exc_info
                record.exc_info = (kind, redacted_exception(error, REDACTOR), traceback)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
    return REDACTOR
