"""Keeps secrets out of every log line, exception text and dead letter.

Redaction happens when a log record is created (a log-record factory), so it covers every
logger and handler, including the SDK's and urllib3's, whatever their configuration.
"""

from __future__ import annotations

import logging
import re
import threading
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
        """Register exact secret values (tokens, client secrets) to mask wherever they occur."""
        with self._lock:
            for value in values:
                if isinstance(value, str) and len(value) >= _MIN_SECRET_LENGTH:
                    self._secrets.add(value)

    def redact(self, text: str) -> str:
        """Return `text` with every registered secret and secret-looking field masked."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(rf"\g<1>{MASK}", text)
        return text


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
            if record.exc_info and not record.exc_text:
                record.exc_text = REDACTOR.redact(
                    logging.Formatter().formatException(record.exc_info)
                )
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
    return REDACTOR
