"""Logging: a rotating file in the user's log folder, warnings to stderr.

Log records must never carry personal data. As a second line of defence, a filter masks
anything shaped like a Swedish personnummer or a Danish CPR number before it is written.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from hemlos_desktop.storage import paths
from hemlos_desktop.storage.log_redaction import FORMAT, RedactingFilter, RedactingFormatter

LOG_FILE = "hemlos-desktop.log"


def configure_logging(*, verbose: bool = False, log_folder: Path | None = None) -> Path | None:
    """Set up the root logger once; returns the log file path (None if it cannot be written)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_hemlos", False):
            root.removeHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    redact = RedactingFilter()
    fmt = RedactingFormatter(FORMAT)

    stream = logging.StreamHandler(sys.stderr)
    stream.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stream.setFormatter(fmt)
    stream.addFilter(redact)
    stream._hemlos = True  # type: ignore[attr-defined]
    root.addHandler(stream)

    folder = log_folder if log_folder is not None else paths.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    file_handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    file_handler.setFormatter(fmt)
    file_handler.addFilter(redact)
    file_handler._hemlos = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    return folder / LOG_FILE
