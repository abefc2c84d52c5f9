"""Every pooled connection commits durably: WAL, synchronous=FULL, foreign keys, busy timeout."""

from __future__ import annotations

from sqlalchemy import text

from hemlos_desktop.storage import Database, connection


def test_pooled_connections_have_durable_pragmas(db: Database) -> None:
    # Check out more than one connection at once so that several pooled ones are inspected.
    with db.engine.connect() as first, db.engine.connect() as second:
        for conn in (first, second):
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            timeout = conn.execute(text("PRAGMA busy_timeout")).scalar()
            assert timeout == connection.BUSY_TIMEOUT_MS


def test_session_connections_have_durable_pragmas(db: Database) -> None:
    with db.begin() as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_raw_connections_have_durable_pragmas(db: Database) -> None:
    conn = db.raw_connection()
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        conn.close()
