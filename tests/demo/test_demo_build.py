"""How a demo database is built: the rows are the same whether they are made in this process
or in a second one, a failed build leaves nothing behind, and the finished file is an ordinary
encrypted database (its journal, its foreign keys, its integrity)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hemlos_desktop.demo.data import (
    BUILD_PREFIX,
    DEMO_TODAY,
    create_demo_database,
    fill_demo,
    open_demo,
)
from hemlos_desktop.services.session import DEMO_MARKER_FILE
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.connection import connect_bare, dbapi
from hemlos_desktop.storage.crypto import TEST_PARAMS

# The generated tables, compared without the values that differ on every run (uids, times).
TABLES = (
    "clients",
    "client_target_groups",
    "housing_periods",
    "journal_entries",
    "outreach_contacts",
    "assessments",
    "assessment_areas",
    "plans",
    "eviction_cases",
    "client_responsibilities",
)
VARYING = {"uid", "created_at", "updated_at"}


class StoppedError(Exception):
    """Raised by a progress callback: the build is stopped half way."""


def _contents(folder: Path, *, worker: bool) -> dict[str, list[Any]]:
    db = open_workspace(DataLocation(folder))
    try:
        fill_demo(db, random.Random(5), 700, today=DEMO_TODAY, worker=worker)
        found: dict[str, list[Any]] = {}
        with db.read() as s:
            for table in TABLES:
                columns = [
                    row[1]
                    for row in s.execute(text(f'PRAGMA table_info("{table}")'))
                    if row[1] not in VARYING
                ]
                listed = ", ".join(f'"{c}"' for c in columns)
                found[table] = list(
                    s.execute(text(f'SELECT {listed} FROM "{table}" ORDER BY rowid')).all()
                )
    finally:
        db.dispose()
    return found


def test_rows_made_in_a_second_process_are_the_same(tmp_path: Path) -> None:
    here = _contents(tmp_path / "here", worker=False)
    there = _contents(tmp_path / "there", worker=True)
    assert here["clients"] and here["assessment_areas"] and here["client_responsibilities"]
    for table in TABLES:
        assert here[table] == there[table], table


def test_a_failed_build_leaves_no_half_made_folder(tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "demo")

    def stop(done: int, total: int) -> None:
        if done >= 2000:
            raise StoppedError  # as when the person stops the command

    with pytest.raises(StoppedError):
        create_demo_database(location, clients=5000, params=TEST_PARAMS, progress=stop)
    assert list(location.folder.iterdir()) == []
    # The folder can be used again at once.
    create_demo_database(location, clients=10, params=TEST_PARAMS)
    names = {p.name for p in location.folder.iterdir()}
    assert {location.database.name, location.keyslots.name, DEMO_MARKER_FILE} <= names
    assert not [name for name in names if name.startswith(BUILD_PREFIX)]


def test_a_failed_build_with_a_second_process_leaves_nothing(tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "demo")

    def stop(done: int, total: int) -> None:
        raise StoppedError

    with pytest.raises(StoppedError):
        create_demo_database(location, clients=6000, params=TEST_PARAMS, progress=stop, worker=True)
    assert list(location.folder.iterdir()) == []


def test_the_finished_file_is_an_ordinary_encrypted_database(tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "demo")
    create_demo_database(location, clients=400, seed=2, params=TEST_PARAMS, worker=True)
    with pytest.raises(dbapi.DatabaseError):  # without its key the file is unreadable
        plain = connect_bare(location.database)
        try:
            plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            plain.close()
    db, _actor = open_demo(location, params=TEST_PARAMS)
    try:
        assert db.integrity_check() == []
        raw = db.raw_connection()
        try:
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
            assert raw.execute("SELECT count(*) FROM clients").fetchone()[0] == 400
            assert raw.execute("SELECT count(*) FROM client_search").fetchone()[0] == 400
        finally:
            raw.close()
    finally:
        db.dispose()
