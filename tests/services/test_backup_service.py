"""The backup service: verified copies, key slots, rotation, the restore drill."""

from __future__ import annotations

import datetime as dt
import random
import sys
import threading
import time
from pathlib import Path

import crash_probe
import pytest
from crash_probe import PROBE_MARK, kill_round
from hypothesis import given, settings
from hypothesis import strategies as st

from hemlos_desktop.errors import AnotherInstanceError, NewerSchemaError
from hemlos_desktop.services import backups, database_info
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import Database, DataLocation
from hemlos_desktop.storage.backup import (
    BackupNotFoundError,
    BadBackupError,
    NoGoodBackupError,
    backup_name,
    parse_backup_time,
)
from hemlos_desktop.storage.instance import InstanceLock
from hemlos_desktop.storage.migrate import head_revision

NOW = dt.datetime(2026, 11, 24, 10, 15, 0)


@pytest.fixture
def admin(db: Database) -> Actor:
    return ensure_local_actor(db)


def _info(db: Database) -> dict[str, str]:
    with db.read() as session:
        return database_info.get_info(session)


def test_backup_is_verified_named_by_time_and_carries_key_slots(db: Database) -> None:
    db.location.keyslots.write_bytes(b"key slots")
    summary = backups.back_up_now(db, now=NOW).value
    assert summary.path == db.location.backups / "hemlos-20261124-101500.db"
    assert summary.path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert summary.has_keys
    assert summary.path.with_suffix(".keys").read_bytes() == b"key slots"
    assert backups.check_backup(db.location, summary.path) == head_revision()
    assert not list(db.location.backups.glob(".*"))  # no temporary files left behind


def test_names_carry_only_date_and_time() -> None:
    assert backup_name(NOW) == "hemlos-20261124-101500.db"
    assert parse_backup_time(backup_name(NOW)) == NOW
    assert parse_backup_time("pre-upgrade-0001-20261124-101500.db") == NOW
    assert parse_backup_time("notes.db") is None


def test_configured_folder_and_fallback(db: Database, tmp_path: Path) -> None:
    usb = tmp_path / "usb" / "hemlos"
    assert backups.back_up_now(db, str(usb), now=NOW).value.path.parent == usb
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert backups.backup_folder(db.location, str(blocker / "sub")) == db.location.backups
    listed = backups.list_backups(db.location, str(usb))
    assert [b.path.parent for b in listed] == [usb]


def test_backup_due_at_most_once_a_day(db: Database) -> None:
    assert backups.back_up_if_due(db, now=NOW).value is not None
    assert backups.back_up_if_due(db, now=NOW + dt.timedelta(hours=23)).value is None
    assert backups.back_up_if_due(db, now=NOW + dt.timedelta(hours=24)).value is not None


def test_rotation_removes_old_backups_and_their_key_slots(db: Database) -> None:
    db.location.keyslots.write_bytes(b"k")
    for day in range(40):
        backups.back_up_now(db, now=NOW - dt.timedelta(days=40 - day))
    files = sorted(db.location.backups.glob("hemlos-*.db"))
    keys = sorted(db.location.backups.glob("hemlos-*.keys"))
    assert len(files) == len(keys) <= 7 + 4 + 12
    assert len(files) >= 7
    assert {f.stem for f in files} == {k.stem for k in keys}


def test_restore_drill(db: Database, admin: Actor) -> None:
    with db.begin() as session:
        database_info.set_value(session, "drill", "before")
    before = _info(db)
    summary = backups.back_up_now(db, now=NOW).value
    with db.begin() as session:
        database_info.set_value(session, "drill", "after")
        database_info.set_value(session, "extra", "1")
    db.dispose()

    result = backups.restore_backup(db.location, summary.path, actor=admin).value

    restored = open_workspace(db.location)
    try:
        after = _info(restored)
        # The restore is logged in the restored database: only the log's head is new.
        assert after.pop("audit_head") != before.pop("audit_head", None)
        assert after == before
        assert restored.integrity_check() == []
    finally:
        restored.dispose()
    assert result.kept_aside is not None
    assert result.kept_aside.name.startswith("hemlos.db.before-restore-")
    kept = Database(DataLocation(db.location.folder))
    # The kept-aside file still holds the changes made after the backup.
    conn = kept.connect_file(result.kept_aside)
    try:
        rows = dict(conn.execute("SELECT key, value FROM database_info").fetchall())
    finally:
        conn.close()
    assert rows["drill"] == "after"
    assert not Path(f"{db.location.database}-wal").exists() or _wal_is_fresh(db.location)
    assert not list(db.location.folder.glob(".hemlos*"))


def _wal_is_fresh(location: DataLocation) -> bool:
    return Path(f"{location.database}-wal").stat().st_size == 0


def test_restore_into_a_running_database_object(db: Database, admin: Actor) -> None:
    summary = backups.back_up_now(db, now=NOW).value
    with db.begin() as session:
        database_info.set_value(session, "later", "1")
    with InstanceLock(db.location):
        backups.restore_backup(
            db.location, summary.path, caller_holds_lock=True, db=db, actor=admin
        )
    assert "later" not in _info(db)
    with db.begin() as session:  # the same object keeps working on the restored file
        database_info.set_value(session, "after-restore", "1")


def test_restore_refuses_bad_backups_and_changes_nothing(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    db.dispose()
    original = db.location.database.read_bytes()
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BadBackupError):
        backups.restore_backup(db.location, bad, actor=admin)
    with pytest.raises(BackupNotFoundError):
        backups.restore_backup(db.location, tmp_path / "missing.db", actor=admin)
    assert db.location.database.read_bytes() == original
    assert not list(db.location.folder.glob("hemlos.db.*"))


def test_restore_refuses_newer_backup(db: Database) -> None:
    summary = backups.back_up_now(db, now=NOW).value
    conn = db.connect_file(summary.path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    with pytest.raises(NewerSchemaError):
        backups.check_backup(db.location, summary.path)


def test_restore_refused_while_the_folder_is_locked(db: Database, admin: Actor) -> None:
    summary = backups.back_up_now(db, now=NOW).value
    with InstanceLock(db.location), pytest.raises(AnotherInstanceError):
        backups.restore_backup(db.location, summary.path, actor=admin)


def test_newest_good_backup_skips_damaged_ones(db: Database, admin: Actor) -> None:
    good = backups.back_up_now(db, now=NOW - dt.timedelta(days=1)).value
    newer = backups.back_up_now(db, now=NOW).value
    newer.path.write_bytes(b"\0" * 4096)
    found = backups.newest_good_backup(db.location)
    assert found is not None and found.path == good.path
    db.dispose()
    result = backups.restore_backup(db.location, found.path, damaged=True, actor=admin).value
    assert result.kept_aside is not None
    assert result.kept_aside.name.startswith("hemlos.db.damaged-")


def test_no_good_backup_error_is_translated() -> None:
    error = NoGoodBackupError("none")
    assert error.title() and error.message() and error.advice()


# -- rotation rule (pure) ------------------------------------------------------------------

times = st.lists(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    max_size=120,
)


@given(times)
@settings(max_examples=200, deadline=None)
def test_rotation_rule_properties(values: list[dt.datetime]) -> None:
    keep = backups.backups_to_keep(values)
    assert keep <= set(values)
    assert len(keep) <= backups.KEEP_DAILY + backups.KEEP_WEEKLY + backups.KEEP_MONTHLY
    if values:
        assert max(values) in keep
    # Idempotent: rotating what was kept keeps it all.
    assert backups.backups_to_keep(keep) == keep
    # Every kept backup is the newest of its day.
    newest_of_day: dict[dt.date, dt.datetime] = {}
    for t in values:
        newest_of_day[t.date()] = max(t, newest_of_day.get(t.date(), t))
    assert all(newest_of_day[t.date()] == t for t in keep)
    # The newest backup of each of the last 7 days that have backups is kept.
    for day in sorted(newest_of_day, reverse=True)[: backups.KEEP_DAILY]:
        assert newest_of_day[day] in keep


@given(times, st.integers(0, 10), st.integers(0, 6), st.integers(0, 14))
@settings(max_examples=100, deadline=None)
def test_rotation_rule_counts(
    values: list[dt.datetime], daily: int, weekly: int, monthly: int
) -> None:
    keep = backups.backups_to_keep(values, daily=daily, weekly=weekly, monthly=monthly)
    assert len(keep) <= max(1, daily + weekly + monthly) if values else keep == set()
    months = {(t.year, t.month) for t in values}
    assert len({(t.year, t.month) for t in keep}) >= min(monthly, len(months))


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a Unix signal")
def test_restore_after_a_crash_keeps_the_unsaved_wal_aside(db: Database, admin: Actor) -> None:
    summary = backups.back_up_now(db, now=NOW).value
    db.dispose()
    reported = kill_round(db.location.folder, 1, random.Random(3), max_delay=0.1)
    wal = Path(f"{db.location.database}-wal")
    assert reported and wal.exists() and wal.stat().st_size > 0

    result = backups.restore_backup(db.location, summary.path, actor=admin).value

    assert result.kept_aside is not None
    assert Path(f"{result.kept_aside}-wal").exists()
    assert not wal.exists() or wal.stat().st_size == 0
    kept = Database(DataLocation(result.kept_aside.parent))
    conn = kept.connect_file(result.kept_aside)
    try:
        texts = [row[0] for row in conn.execute("SELECT text FROM journal_entries")]
    finally:
        conn.close()
    assert {f"{PROBE_MARK}{n}" for n in reported} <= {t.split("\n")[0] for t in texts}
    restored = open_workspace(db.location)
    try:
        assert crash_probe.probe_record_ids(restored) == set()
        assert restored.integrity_check() == []
    finally:
        restored.dispose()


def test_restore_waits_for_a_running_backup(db: Database, admin: Actor) -> None:
    summary = backups.back_up_now(db, now=NOW).value
    released: list[float] = []
    holding = threading.Event()

    def backup_in_progress() -> None:
        with db.maintenance_lock:
            holding.set()
            time.sleep(0.3)
            released.append(time.monotonic())

    worker = threading.Thread(target=backup_in_progress)
    worker.start()
    holding.wait(5)
    with InstanceLock(db.location):
        backups.restore_backup(
            db.location, summary.path, caller_holds_lock=True, db=db, actor=admin
        )
    finished = time.monotonic()
    worker.join()
    assert released and finished >= released[0]
