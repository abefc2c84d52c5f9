"""Logging: a rotating file in the user's log folder, warnings to stderr.

Log records must never carry personal data. As a second line of defence, a filter masks
anything shaped like a Swedish personnummer or a Danish CPR number before it is written.
The log files are the user's only (0600 on Linux, the rotated ones too: a rotation renames
the file) and so is the log folder (0700).
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
from pathlib import Path

from hemlos_desktop.storage import paths
from hemlos_desktop.storage.files import (
    PRIVATE_DIR_MODE,
    PRIVATE_FILE_MODE,
    ensure_private_dir,
    make_private,
)
from hemlos_desktop.storage.log_redaction import FORMAT, RedactingFilter, RedactingFormatter

LOG_FILE = "hemlos-desktop.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file created with mode 0600, whatever the umask; a rotation renames the
    file, so the older files keep that mode."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
        fd = os.open(self.baseFilename, flags, PRIVATE_FILE_MODE)
        make_private(Path(self.baseFilename))  # a file an older version made with the umask's
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def _make_log_folder_private(folder: Path) -> None:
    """Create the log folder (0700), and make an existing one and its files the user's only
    (a folder and files an older version made with the umask's modes)."""
    ensure_private_dir(folder)
    if os.name != "posix":
        return
    os.chmod(folder, PRIVATE_DIR_MODE)
    for old in folder.glob(LOG_FILE + "*"):
        make_private(old)


def configure_logging(*, verbose: bool = False, log_folder: Path | None = None) -> Path | None:
    """Set up the root logger once; returns the log file path (None if it cannot be written)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_hemlos", False):
            root.removeHandler(handler)
            handler.close()
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
        _make_log_folder_private(folder)
        file_handler = PrivateRotatingFileHandler(
            folder / LOG_FILE, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    file_handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    file_handler.setFormatter(fmt)
    file_handler.addFilter(redact)
    file_handler._hemlos = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    return folder / LOG_FILE
