"""The Database object: one engine and session factory, built once and passed down."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from hemlos_desktop.errors import (
    CorruptDatabaseError,
    DatabaseMissingError,
    HemlosError,
    NewerSchemaError,
)
from hemlos_desktop.storage import change_capture, connection
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.storage.files import make_private
from hemlos_desktop.storage.paths import DataLocation

log = logging.getLogger(__name__)


# The read session shared by the reads of one use case (Database.reading), per database.
_shared_reads: ContextVar[tuple[tuple[int, Session], ...]] = ContextVar(
    "hemlos_shared_reads", default=()
)
SHARED_READ = "hemlos_shared_read"


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
            # SQL errors never carry the values (names, numbers) into messages or logs.
            hide_parameters=True,
        )
        self._file_id: tuple[int, int] | None = None
        # The integrity check that runs after the list is shown (see start_background_check):
        # until it has passed, a write transaction waits for it; if it fails, writes are refused.
        self._check_done = threading.Event()
        self._check_done.set()
        self._check_ok = True
        # Held while a backup reads the file or a restore replaces it (they must not overlap).
        self.maintenance_lock = threading.RLock()
        event.listen(self.engine, "begin", self._on_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Write transactions take SQLite's write lock at BEGIN, so two writers never deadlock.
        self._write_engine = self.engine.execution_options(hemlos_write=True)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        # Who opened the database (user id, name): changes are attributed to them when a use
        # case names no actor. Every change to a synced record is captured for the team server.
        self.acting_user: tuple[int, str] | None = None
        change_capture.install(self._sessions, self)
        change_capture.install(self._write_sessions, self)

    @property
    def path(self) -> Path:
        return self.location.database

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    @property
    def data_key(self) -> bytes | None:
        """The key the database was opened with (None for a plain one); user administration
        wraps it into new key slots."""
        return self._key

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
        write = conn.get_execution_options().get("hemlos_write", False)
        if write:
            self.wait_for_check()
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

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
            with self._write_sessions.begin() as session:
                yield session
        except HemlosError:
            raise
        except Exception as exc:
            known = classify(exc)
            if known is None:
                raise
            raise known from exc

    @contextmanager
    def begin_core(self) -> Iterator[Connection]:
        """One write transaction on a plain connection, for the hot paths that run a single
        prepared statement (the journal's autosave) without the cost of an ORM session."""
        try:
            with self._write_engine.begin() as conn:
                yield conn
        except HemlosError:
            raise
        except Exception as exc:
            known = classify(exc)
            if known is None:
                raise
            raise known from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One read transaction for all the reads of one use case.

        Inside, every :meth:`read` of this database (in this thread) gets the same session, so
        the service calls that gather one document see one snapshot and do not each pay for a
        transaction of their own. The session carries ``info[SHARED_READ]``. Nested calls
        reuse the outer session."""
        for owner, session in _shared_reads.get():
            if owner == id(self):
                yield session
                return
        with self.read() as session:
            session.info[SHARED_READ] = True
            token = _shared_reads.set((*_shared_reads.get(), (id(self), session)))
            try:
                yield session
            finally:
                _shared_reads.reset(token)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only (rolled back at the end)."""
        for owner, shared in _shared_reads.get():
            if owner == id(self):
                yield shared
                return
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

    def verify_readable(self) -> str | None:
        """Check, without changing a byte, that the file is one of our databases.

        Returns its schema revision (None for an empty database). Raises CorruptDatabaseError
        for a file that is not SQLite or an SQLite file of another program. A bare connection
        is used because the pragmas (journal_mode=WAL) would rewrite a refused file's header.
        """
        try:
            if self.path.stat().st_size == 0:
                raise CorruptDatabaseError("empty database file")
        except OSError as exc:
            raise (classify(exc) or CorruptDatabaseError("database file unreadable")) from exc
        try:
            conn = self.connect_file(self.path)
            try:
                tables = {
                    str(row[0])
                    for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                revision = None
                if "alembic_version" in tables:
                    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                    revision = str(row[0]) if row else None
            finally:
                conn.close()
        except Exception as exc:
            known = classify(exc)
            if known is None:
                raise CorruptDatabaseError("unreadable database") from exc
            raise known from exc
        if tables and "alembic_version" not in tables:
            raise CorruptDatabaseError("tables present but no schema revision")
        return revision

    def start_background_check(self) -> None:
        """Run ``PRAGMA quick_check`` on its own connection in a background thread.

        It reads and decrypts the whole file (seconds for a large register), so the start does
        not wait for it; every write transaction does (see ``wait_for_check``), so a damaged
        database is still caught before anything is written to it.
        """
        self._check_done.clear()
        self._check_ok = True

        def run() -> None:
            try:
                self._check_ok = self.quick_check(own_connection=True)
            except Exception:  # unreadable counts as damaged
                log.warning("background integrity check could not run", exc_info=True)
                self._check_ok = False
            finally:
                self._check_done.set()

        threading.Thread(target=run, name="integrity-check", daemon=True).start()

    def wait_for_check(self) -> None:
        """Wait for the background integrity check; raise CorruptDatabaseError if it failed."""
        self._check_done.wait()
        if not self._check_ok:
            raise CorruptDatabaseError("quick_check failed")

    def quick_check(self, *, own_connection: bool = False) -> bool:
        if own_connection:
            conn = self.raw_connection(read_only=True)
            try:
                return [str(r[0]) for r in conn.execute("PRAGMA quick_check")] == ["ok"]
            finally:
                conn.close()
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

    def optimize(self) -> None:
        """Let SQLite refresh the statistics its query planner uses, where they are out of date
        (``PRAGMA optimize``: quick, and a no-op when nothing changed much). Run when the
        program closes the database and after upgrades and bulk loads."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        except Exception:  # a read-only or vanished file: the statistics wait for next time
            log.debug("PRAGMA optimize skipped", exc_info=True)

    def dispose(self) -> None:
        self.engine.dispose()

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt the file with ``new_key`` (SQLCipher's ``PRAGMA rekey``, one transaction:
        a crash leaves the old or the new key, never a mix); later connections use it."""
        if self._key is None:
            raise ValueError("a plain database has no key to replace")
        with self.maintenance_lock:
            self.engine.dispose()
            conn = connection.connect(self.path, self._key)
            try:
                conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except Exception as exc:
                known = classify(exc)
                if known is None:
                    raise
                raise known from exc
            finally:
                conn.close()
            self._key = new_key
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
    defer_check: bool = False,
    checked: bool = False,
) -> Database:
    """Open (and if needed create and migrate) the database in ``location``.

    A file that is not a database, a database from a newer program, or a failed upgrade raise
    known errors and leave the file untouched. With ``key`` (the data key from a key slot) the
    file is created or read encrypted; a plain file given a key raises PlainDatabaseError, an
    encrypted one (beside a key file) opened without a key KeyRequiredError, and an encrypted
    file that does not open with its key CorruptDatabaseError. An encryption cut off by a crash
    is first undone or finished (``crypto.recover_interrupted_encryption``).

    ``checked``: the caller's own connection to this file has passed the integrity check in
    this run of the program (a batch export's worker processes), so it is not read again.
    """
    from hemlos_desktop.storage import migrate as migration
    from hemlos_desktop.storage.crypto import database_file
    from hemlos_desktop.storage.crypto.errors import (
        KeyFileMissingError,
        KeyRequiredError,
        PlainDatabaseError,
    )

    location.ensure()
    database_file.recover_interrupted_encryption(location.database)
    kind = database_file.detect_file_kind(location.database)
    exists = kind is not database_file.FileKind.MISSING
    if not exists and not create:
        raise CorruptDatabaseError("database file missing")
    if key is not None and kind is database_file.FileKind.PLAIN:
        raise PlainDatabaseError("key given for a plain database")
    if key is None and kind is database_file.FileKind.ENCRYPTED:
        if location.keyslots.exists():
            raise KeyRequiredError("encrypted database opened without a key")
        if database_file.looks_encrypted(location.database):
            raise KeyFileMissingError("encrypted database without its key file")
        # Otherwise a file that is not plain SQLite is reported as damaged.
    db = Database(location, key=key)
    try:
        if exists:
            revision = db.verify_readable()
            if revision is not None and revision not in migration.known_revisions():
                raise NewerSchemaError(f"unknown revision {revision}")
            # The full check reads the whole file. With ``defer_check`` (the program's start)
            # it runs in the background unless an upgrade is about to write; every write waits
            # for it, so a damaged file is still refused before a byte is written.
            if checked and revision == migration.head_revision():
                pass
            elif defer_check and revision in (None, migration.head_revision()):
                db.start_background_check()
            elif not db.quick_check():
                raise CorruptDatabaseError("quick_check failed")
        if migrate:
            migration.upgrade_to_head(db)
        else:
            migration.require_current(db)
    except BaseException:
        db.dispose()
        raise
    if migrate:
        make_private(location.database)  # SQLite gives its -wal and -shm the same mode
    return db
