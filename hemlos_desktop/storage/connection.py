"""The single place where SQLite connections are opened.

Every connection, plain or encrypted, is made by ``connect``: SQLCipher's key is applied first,
then the pragmas the program relies on (WAL, full synchronous commits, foreign keys, a busy
timeout, temporary data kept in memory so no plain-text temp files are written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3

from hemlos_desktop.models.text import SORT_KEY_FUNCTION, sort_key_sql

# The DB-API module (SQLCipher is SQLite with encryption; unkeyed files are plain SQLite).
dbapi: Any = sqlcipher3.dbapi2

BUSY_TIMEOUT_MS = 5000
# Page cache per connection, in KiB (SQLite's negative form). SQLCipher decrypts every page it
# reads into this cache; the default 8 MiB stops holding the client table and its indexes at
# about 25,000 clients, after which every list query decrypts the same pages again. 64 MiB holds
# a 200,000-client register's client table and search index; a connection's cache only grows
# as far as it is used.
CACHE_KIB = 65536
KEY_BYTES = 32


def connect(path: Path, key: bytes | None = None, *, read_only: bool = False) -> Any:
    """Open a DB-API connection to ``path`` with our key and pragmas applied."""
    uri = f"file:{path.as_posix()}" + ("?mode=ro" if read_only else "")
    conn = dbapi.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    # Transactions are begun explicitly (see Database); the driver must not begin its own.
    conn.isolation_level = None
    apply_key(conn, key)
    apply_pragmas(conn, read_only=read_only)
    register_functions(conn)
    return conn


def connect_bare(path: Path, key: bytes | None = None) -> Any:
    """A connection with only the key applied (for backup copies and checks of other files)."""
    conn = dbapi.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.isolation_level = None
    apply_key(conn, key)
    register_functions(conn)
    return conn


def register_functions(conn: Any) -> None:
    """SQL functions the queries use: ``hemlos_sort_key(text, language)`` orders names as the
    language does (Swedish Å Ä Ö after Z, Danish Æ Ø Å after Z); see ``models.text.sort_key``."""
    conn.create_function(SORT_KEY_FUNCTION, 2, sort_key_sql, deterministic=True)


def apply_key(conn: Any, key: bytes | None) -> None:
    """Apply a raw 256-bit SQLCipher key (no passphrase derivation: the key is random).

    SQLCipher's own logging is silenced: a wrong key or a damaged page becomes one of the
    program's known errors instead of lines on standard error. A raw key skips SQLCipher's
    PBKDF2 iterations, so opening costs nothing extra; memory wiping stays off (the setting's
    default), as Python holds the key in ordinary memory anyway and it would slow every query.
    """
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        if len(key) != KEY_BYTES:
            raise ValueError("an SQLCipher key has 32 bytes")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def apply_pragmas(conn: Any, *, read_only: bool = False) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    if not read_only:
        # WAL survives power loss with synchronous=FULL: a commit reported is a commit kept.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
