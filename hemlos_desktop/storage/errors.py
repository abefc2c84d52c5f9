"""Turn SQLite failures into the program's known errors."""

from __future__ import annotations

import errno

from hemlos_desktop.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DatabaseMissingError,
    DiskFullError,
    HemlosError,
    ReadOnlyStorageError,
)

# Primary SQLite result codes (https://sqlite.org/rescode.html).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


def classify(exc: BaseException) -> HemlosError | None:
    """Return the known error an SQLite/OS failure stands for, or None for a bug."""
    if isinstance(exc, HemlosError):
        return exc
    orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
    if isinstance(orig, BaseException) and type(exc).__module__.startswith("sqlalchemy"):
        exc = orig
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return DiskFullError(f"errno {exc.errno}")
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return ReadOnlyStorageError(f"errno {exc.errno}")
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    primary = code & 0xFF if isinstance(code, int) else None
    detail = f"sqlite {getattr(exc, 'sqlite_errorname', '') or primary}"
    if primary == SQLITE_FULL or "database or disk is full" in text:
        return DiskFullError(detail)
    if primary in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text:
        return DatabaseLockedError(detail)
    if primary == SQLITE_READONLY or "readonly database" in text:
        # A database deleted under a running program reports SQLITE_READONLY_DBMOVED.
        if isinstance(code, int) and code == (SQLITE_READONLY | (4 << 8)):
            return DatabaseMissingError(detail)
        return ReadOnlyStorageError(detail)
    if (
        primary in (SQLITE_CORRUPT, SQLITE_NOTADB)
        or "not a database" in text
        or "malformed" in text
    ):
        return CorruptDatabaseError(detail)
    if primary == SQLITE_IOERR or "disk i/o error" in text:
        # Disk-full often surfaces as a write I/O error.
        return DiskFullError(detail)
    if primary == SQLITE_CANTOPEN or "unable to open database" in text:
        return ReadOnlyStorageError(detail)
    return None
