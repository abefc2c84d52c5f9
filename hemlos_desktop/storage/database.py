"""The Database object: one engine and session factory, built once and passed down."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from hemlos_desktop.errors import CorruptDatabaseError, DatabaseMissingError, HemlosError
from hemlos_desktop.storage import connection
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.storage.paths import DataLocation

log = logging.getLogger(__name__)


class Database:
    """Engine + session factory for one database file.

    Services open one session per user action with ``with db.begin() as session:``; the
    transaction commits when the block ends and rolls back on an exception. SQLite failures
    leave as the program's known errors (disk full, locked, read-only, damaged).
    """

    def __init__(self, location: DataLocation, *, key: bytes | None = None) -> None:
        self.location = location
        self._key = key
        self.engine: Engine = create_engine(
            "sqlite://",
            module=connection.dbapi,
            creator=self._connect,
            poolclass=QueuePool,
            pool_size=2,
            max_overflow=4,
            pool_pre_ping=False,
        )
        self._file_id: tuple[int, int] | None = None
        # Held while a backup reads the file or a restore replaces it (they must not overlap).
        self.maintenance_lock = threading.RLock()
        event.listen(self.engine, "begin", self._on_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def path(self) -> Path:
        return self.location.database

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    def raw_connection(self, *, read_only: bool = False) -> Any:
        """A DB-API connection outside the pool (backups, integrity checks)."""
        return connection.connect(self.path, self._key, read_only=read_only)

    def connect_file(self, path: Path) -> Any:
        """A bare connection to another file with this database's key (backup copies)."""
        return connection.connect_bare(path, self._key)

    def _connect(self) -> Any:
        conn = connection.connect(self.path, self._key)
        if self._file_id is None:
            self._file_id = _file_identity(self.path)
        return conn

    def _on_begin(self, conn: Any) -> None:
        self.check_file_in_place()
        conn.exec_driver_sql("BEGIN")

    def check_file_in_place(self) -> None:
        """Raise DatabaseMissingError if the file was deleted, moved or replaced under us.

        SQLite in WAL mode keeps writing into the orphaned ``-wal`` of a deleted file (and
        loses it on close), so the program checks the file itself before each transaction.
        """
        if self._file_id is None:
            return
        if _file_identity(self.path) != self._file_id:
            raise DatabaseMissingError("database file moved or deleted")

    def forget_file_identity(self) -> None:
        """After a restore replaced the file on purpose: drop pooled connections, re-learn it."""
        self.engine.dispose()
        self._file_id = None

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One transaction for one user action."""
        try:
            with self._sessions.begin() as session:
                yield session
        except HemlosError:
            raise
        except Exception as exc:
            known = classify(exc)
            if known is None:
                raise
            raise known from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only (rolled back at the end)."""
        try:
            with self._sessions() as session:
                yield session
                session.rollback()
        except HemlosError:
            raise
        except Exception as exc:
            known = classify(exc)
            if known is None:
                raise
            raise known from exc

    def verify_readable(self) -> None:
        """Raise CorruptDatabaseError unless the file is an SQLite database we can read.

        An empty file is refused too: SQLite would treat it as a new database, and a file
        that lost its contents must never be "repaired" silently into an empty one.
        """
        try:
            if self.path.stat().st_size == 0:
                raise CorruptDatabaseError("empty database file")
        except OSError as exc:
            raise (classify(exc) or CorruptDatabaseError("database file unreadable")) from exc
        try:
            conn = self.raw_connection()
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                conn.close()
        except Exception as exc:
            known = classify(exc)
            if known is None:
                raise CorruptDatabaseError("unreadable database") from exc
            raise known from exc

    def quick_check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(text("PRAGMA quick_check")).scalars().all()
        except Exception as exc:
            known = classify(exc)
            if known is None:
                raise
            raise known from exc
        return rows == ["ok"]

    def integrity_check(self) -> list[str]:
        """Full check: an empty list means healthy; otherwise SQLite's findings (no row data)."""
        with self.engine.connect() as conn:
            rows = [str(r) for r in conn.execute(text("PRAGMA integrity_check")).scalars()]
            fk = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
        problems = [] if rows == ["ok"] else rows
        problems += [f"foreign key violation in table {row[0]}" for row in fk]
        return problems

    def dispose(self) -> None:
        self.engine.dispose()


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def open_database(
    location: DataLocation,
    *,
    key: bytes | None = None,
    create: bool = True,
    migrate: bool = True,
) -> Database:
    """Open (and if needed create and migrate) the database in ``location``.

    A file that is not a database, a database from a newer program, or a failed upgrade raise
    known errors and leave the file untouched.
    """
    from hemlos_desktop.storage import migrate as migration

    location.ensure()
    exists = location.database.exists()
    if not exists and not create:
        raise CorruptDatabaseError("database file missing")
    db = Database(location, key=key)
    try:
        if exists:
            db.verify_readable()
            if not db.quick_check():
                raise CorruptDatabaseError("quick_check failed")
        if migrate:
            migration.upgrade_to_head(db)
        else:
            migration.require_current(db)
    except BaseException:
        db.dispose()
        raise
    return db
