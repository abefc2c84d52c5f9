"""Known storage failures become the program's known errors, with nothing corrupted.

Disk full (SQLite's max_page_count), a read-only data folder, a database locked by another
connection, and the file deleted or moved under the running program.
"""

from __future__ import annotations

from typing import Any

import pytest
from fs_helpers import read_only
from sqlalchemy import event

from hemlos_desktop.errors import (
    DatabaseLockedError,
    DatabaseMissingError,
    DiskFullError,
    ReadOnlyStorageError,
)
from hemlos_desktop.services import database_info
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import Database, DataLocation, connection, open_database


def _fill(db: Database, start: int, count: int) -> None:
    for n in range(start, start + count):
        with db.begin() as session:
            database_info.set_value(session, f"fill-{n}", "x" * 390)


def test_disk_full_is_reported_and_nothing_is_corrupted(location: DataLocation) -> None:
    open_workspace(location).dispose()
    db = Database(location)

    @event.listens_for(db.engine, "connect")
    def _limit(dbapi_conn: Any, _record: Any) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 3}")

    with pytest.raises(DiskFullError) as info:
        _fill(db, 0, 200)
    assert "disk" in info.value.message().lower()
    assert "still in the form" in info.value.advice()
    db.dispose()
    # After making room (no page limit) the same input saves, and the file is healthy.
    again = open_database(location)
    try:
        assert again.integrity_check() == []
        with again.begin() as session:
            database_info.set_value(session, "kept-input", "typed text")
        with again.read() as session:
            assert database_info.get_info(session)["kept-input"] == "typed text"
    finally:
        again.dispose()


def test_locked_database_gives_locked_error(
    location: DataLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_workspace(location).dispose()
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)
    other = connection.connect(location.database)
    other.execute("BEGIN IMMEDIATE")
    db = Database(location)
    try:
        with pytest.raises(DatabaseLockedError):
            with db.begin() as session:
                database_info.set_value(session, "blocked", "1")
        other.execute("ROLLBACK")
        with db.begin() as session:
            database_info.set_value(session, "blocked", "1")
    finally:
        other.close()
        db.dispose()


@pytest.mark.parametrize("how", ["deleted", "moved"])
def test_file_removed_under_running_program(location: DataLocation, how: str) -> None:
    db = open_workspace(location)
    try:
        with db.begin() as session:
            database_info.set_value(session, "before", "1")
        if how == "deleted":
            location.database.unlink()
        else:
            location.database.rename(location.folder / "moved.db")
        with pytest.raises(DatabaseMissingError) as info:
            with db.begin() as session:
                database_info.set_value(session, "after", "1")
        assert "moved or deleted" in info.value.message()
    finally:
        db.dispose()


def test_read_only_data_folder(location: DataLocation) -> None:
    open_workspace(location).dispose()
    with read_only(location.database, location.folder):
        with pytest.raises(ReadOnlyStorageError) as info:
            open_workspace(location)
    assert "read-only" in info.value.title()
