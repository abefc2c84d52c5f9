"""No plain text on disk: a canary written to an encrypted database is found nowhere."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from hemlos_desktop.models.base import DatabaseInfo
from hemlos_desktop.services import database_info
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.backup import copy_database
from hemlos_desktop.storage.crypto import TEST_PARAMS, KeyStore, encrypt_database_in_place


def _needles(canary: str) -> list[bytes]:
    return [canary.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def _files(folder: Path, *, since: float | None = None) -> Iterator[Path]:
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            try:
                stat = path.stat()
            except OSError:
                continue
            if since is not None and stat.st_mtime < since:
                continue
            if stat.st_size < 64 * 1024 * 1024:
                yield path


def _hits(paths: Iterator[Path], canary: str) -> list[str]:
    needles = _needles(canary)
    found = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(needle in data for needle in needles):
            found.append(str(path))
    return found


def _sqlite_temp_dirs() -> list[Path]:
    """Where SQLite and Python would put temporary files."""
    dirs = {Path(tempfile.gettempdir())}
    for var in ("SQLITE_TMPDIR", "TMPDIR"):
        if os.environ.get(var):
            dirs.add(Path(os.environ[var]))
    dirs.update(Path(d) for d in ("/var/tmp", "/usr/tmp", "/tmp") if Path(d).is_dir())
    return sorted(dirs)


@pytest.mark.parametrize("start_plain", [False, True], ids=["new", "encrypted-later"])
def test_canary_is_nowhere_in_plain_text(
    location: DataLocation, tmp_path: Path, start_plain: bool
) -> None:
    canary = f"Kanarie-{uuid.uuid4().hex}-Sjöström"  # made here: never in any source file
    started = time.time() - 1
    if start_plain:
        # An existing plain database (with a plain backup) is encrypted in place.
        db = open_workspace(location)
        with db.begin() as session:
            database_info.set_value(session, "canary_before", canary)
        copy_database(db, location.backups / "before-encryption.db")
        db.dispose()
        data_key, _ = KeyStore.create(
            location, admin_username="admin", password="pw", params=TEST_PARAMS
        )
        encrypt_database_in_place(location, data_key)
    else:
        data_key, _ = KeyStore.create(
            location, admin_username="admin", password="pw", params=TEST_PARAMS
        )
    db = open_workspace(
        location, key=KeyStore.load(location, params=TEST_PARAMS).unlock("admin", "pw")
    )
    try:
        with db.begin() as session:
            database_info.set_value(session, "canary", canary)
        # While the database is open its WAL holds the change: still encrypted.
        wal = Path(str(location.database) + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        assert _hits(_files(location.folder), canary) == []
        with db.begin() as session:
            # Sorting and a temporary table would use temp files if temp_store were FILE.
            session.execute(select(DatabaseInfo).order_by(DatabaseInfo.value.desc())).all()
        copy_database(db, location.backups / "after.db")
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    # The row really is there (so the search below means something).
    check = open_workspace(location, key=data_key)
    try:
        with check.read() as session:
            assert database_info.get_info(session)["canary"] == canary
    finally:
        check.dispose()
    names = {p.name for p in location.folder.rglob("*")}
    assert {"hemlos.db", "hemlos.keys", "after.db"} <= names
    assert _hits(_files(tmp_path), canary) == []
    for folder in _sqlite_temp_dirs():
        recent = (p for p in _files(folder, since=started) if tmp_path not in p.parents)
        assert _hits(recent, canary) == []


def test_search_finds_the_canary_in_a_plain_database(
    location: DataLocation, tmp_path: Path
) -> None:
    """The control: without encryption the same search finds the canary."""
    canary = f"Kanarie-{uuid.uuid4().hex}-Sjöström"
    db = open_workspace(location)
    try:
        with db.begin() as session:
            database_info.set_value(session, "canary", canary)
        copy_database(db, location.backups / "plain.db")
    finally:
        db.dispose()
    hits = _hits(_files(tmp_path), canary)
    assert str(location.database) in hits
    assert str(location.backups / "plain.db") in hits


_CHILD = """
import sys, time
from pathlib import Path
from hemlos_desktop.services import database_info
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS, KeyStore

location = DataLocation(Path(sys.argv[1]))
key = KeyStore.load(location, params=TEST_PARAMS).unlock("admin", "pw")
db = open_workspace(location, key=key)
with db.begin() as session:
    database_info.set_value(session, "canary", sys.argv[2])
session = db._sessions()
session.begin()
database_info.set_value(session, "uncommitted", sys.argv[2] + "-uncommitted")
session.flush()
print("ready", flush=True)
time.sleep(60)
"""


@pytest.mark.slow
def test_killed_program_leaves_nothing_readable_and_restarts(
    location: DataLocation, tmp_path: Path
) -> None:
    import signal
    import subprocess
    import sys

    canary = f"Kanarie-{uuid.uuid4().hex}-Sjöström"
    data_key, _ = KeyStore.create(
        location, admin_username="admin", password="pw", params=TEST_PARAMS
    )
    open_workspace(location, key=data_key).dispose()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(location.folder), canary],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert Path(str(location.database) + "-wal").exists()
    assert _hits(_files(tmp_path), canary) == []
    # The next start opens normally: committed data is there, the rest is rolled back.
    store = KeyStore.load(location, params=TEST_PARAMS)
    db = open_workspace(location, key=store.unlock("admin", "pw"))
    try:
        with db.read() as session:
            info = database_info.get_info(session)
        assert info["canary"] == canary
        assert "uncommitted" not in info
        assert db.quick_check()
    finally:
        db.dispose()
    assert _hits(_files(tmp_path), canary) == []
