"""Redacting what the program writes to its logs: identity-number-shaped digits are masked in
whole records, the message, the exception and its traceback included (the log files live on
disk beside the data; nothing personal belongs there). Used by :mod:`hemlos_desktop.logging_setup`
and by worker processes (PDF batches), which configure their own logging.
"""

from __future__ import annotations

import logging
import re
import sys

_ID_PATTERN = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+ ]?\d{4}(?!\d)")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str) -> str:
    """``text`` with identity-number-shaped digits masked."""
    return _ID_PATTERN.sub("[id]", text)


class RedactingFormatter(logging.Formatter):
    """Masks identity-number-shaped digits in the whole formatted record, the traceback and
    the exception's message included (the filter below only sees the message)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingFilter(logging.Filter):
    """Masks identity-number-shaped digits in the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _ID_PATTERN.sub("[id]", message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


def configure_worker_logging() -> None:
    """In a worker process (PDF batches): every handler it has redacts like the program's; one
    that has none logs warnings to stderr, redacted."""
    root = logging.getLogger()
    if not root.handlers:
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.WARNING)
        root.addHandler(stream)
    for handler in root.handlers:
        handler.setFormatter(RedactingFormatter(FORMAT))
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
