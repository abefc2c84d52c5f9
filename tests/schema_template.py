"""A new, empty plain database is brought to the newest schema by copying a database that the
real migrations made once in this test run, instead of running every migration again.

Running the nineteen migrations costs most of a second, and most tests start from a new, empty
database; copying the migrated file costs a few milliseconds. The copy is the real migrations'
result: the template is made through ``migrate._run_upgrade`` itself, the first time a test needs
it, and each copy gets fresh record uids so that no two databases share one (as two databases
made by the migrations never do). An encrypted new database gets the template through SQLCipher's
export. Migrations to an older revision and upgrades of databases that hold data still run the
migrations; tests marked ``real_migrations`` run them always.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from hemlos_desktop.models.base import Base
from hemlos_desktop.storage import Database, DataLocation, migrate
from hemlos_desktop.storage import connection as sqlite_connection

RunUpgrade = Callable[[Database, str], None]


class SchemaTemplate:
    def __init__(self, folder: Path, run_upgrade: RunUpgrade) -> None:
        self._folder = folder
        self._run_upgrade = run_upgrade
        self._path: Path | None = None
        self._lock = threading.Lock()
        self.enabled = True

    def _template(self) -> Path:
        with self._lock:
            if self._path is None:
                location = DataLocation(self._folder / "schema-template")
                location.folder.mkdir(parents=True, exist_ok=True)
                db = Database(location)
                try:
                    self._run_upgrade(db, "head")
                    with db.engine.connect() as conn:
                        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    db.dispose()
                self._path = location.database
            return self._path

    def run_upgrade(self, db: Database, target: str) -> None:
        if not self.enabled or target != "head" or not _is_empty(db):
            self._run_upgrade(db, target)
            return
        template = self._template()
        with db.engine.connect() as conn:
            driver: Any = conn.connection.dbapi_connection
            source = sqlite_connection.dbapi.connect(str(template))
            try:
                if db.encrypted:
                    # SQLCipher copies a plain database into an encrypted one with its export
                    # (as encrypting a database in place does).
                    key = db.data_key
                    assert key is not None
                    source.execute(
                        f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(db.path),)
                    )
                    try:
                        source.execute("SELECT sqlcipher_export('encrypted')")
                    finally:
                        source.execute("DETACH DATABASE encrypted")
                else:
                    source.backup(driver)
            finally:
                source.close()
            _fresh_uids(driver)


def _is_empty(db: Database) -> bool:
    with db.engine.connect() as conn:
        found = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    return not found


def _fresh_uids(driver: Any) -> None:
    driver.execute("BEGIN IMMEDIATE")
    try:
        for table in Base.metadata.sorted_tables:
            if "uid" not in table.c:
                continue
            ids = [row[0] for row in driver.execute(f'SELECT rowid FROM "{table.name}"')]
            driver.executemany(
                f'UPDATE "{table.name}" SET uid = ? WHERE rowid = ?',
                [(str(uuid.uuid4()), rowid) for rowid in ids],
            )
        driver.execute("COMMIT")
    except BaseException:
        driver.execute("ROLLBACK")
        raise


@contextmanager
def installed(folder: Path) -> Iterator[SchemaTemplate]:
    template = SchemaTemplate(folder, migrate._run_upgrade)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(migrate, "_run_upgrade", template.run_upgrade)
        yield template
