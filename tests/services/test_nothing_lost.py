"""Fault injection: a lost database file, a deleted key file, backups from a wrong clock,
killed backups and a file deleted while the program runs never lose data silently."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from clientworld import World

from hemlos_desktop.errors import DatabaseFileMissingError, DatabaseMissingError
from hemlos_desktop.services import backups, maintenance
from hemlos_desktop.services.session import SignedIn, unlock
from hemlos_desktop.services.setup import create_administrator
from hemlos_desktop.services.users import create_team
from hemlos_desktop.services.workspace import KeyFileDeletedError, open_workspace
from hemlos_desktop.storage import Database, DataLocation
from hemlos_desktop.storage.backup import backup_name, keys_companion
from hemlos_desktop.storage.crypto import TEST_PARAMS

pytestmark = pytest.mark.usefixtures("fast_kdf")

NOW = dt.datetime(2026, 11, 24, 10, 15, 0)


@pytest.fixture
def encrypted(tmp_path: Path) -> Iterator[SignedIn]:
    location = DataLocation(tmp_path / "enc")
    signed_in = create_administrator(
        location, username="anna", display_name="Anna Admin", password="pw", params=TEST_PARAMS
    ).signed_in
    with signed_in.db.begin() as s:
        for n in range(30):
            create_team(s, f"Team {n}")
    yield signed_in
    signed_in.db.dispose()


def test_a_missing_database_beside_its_key_file_is_never_replaced(encrypted: SignedIn) -> None:
    location = encrypted.db.location
    backups.back_up_now(encrypted.db, now=NOW)
    encrypted.db.dispose()
    location.database.unlink()
    with pytest.raises(DatabaseFileMissingError) as caught:
        unlock(location, "anna", "pw", params=TEST_PARAMS)
    assert "No new, empty database" in caught.value.message()
    assert not location.database.exists()  # nothing was created in its place
    good = backups.newest_good_backup(location, key=encrypted.data_key, now=NOW)
    assert good is not None and good.path.name == backup_name(NOW)
    report = maintenance.check_database(location, key=encrypted.data_key)
    assert not report.healthy


def test_rotation_keeps_the_days_good_backup_when_a_smaller_one_replaces_it(
    world: World, db: Database, tmp_path: Path
) -> None:
    for n in range(60):
        world.add(f"Person{n}", "Berg")
    good = backups.back_up_now(db, now=NOW).value
    empty = open_workspace(DataLocation(tmp_path / "empty"))
    try:
        later = backups.back_up_now(
            empty, str(db.location.backups), now=NOW + dt.timedelta(hours=2)
        ).value
    finally:
        empty.dispose()
    assert later.path.exists() and later.size < good.size
    assert good.path.exists(), "the fuller backup of the same day was rotated away"
    # A third, full backup later that day makes the protection unnecessary again.
    full = backups.back_up_now(db, now=NOW + dt.timedelta(hours=4)).value
    assert full.path.exists() and not good.path.exists()


def test_a_backup_dated_in_the_future_is_never_the_newest_good(db: Database) -> None:
    real = backups.back_up_now(db, now=NOW).value
    future = db.location.backups / backup_name(NOW + dt.timedelta(days=40))
    shutil.copyfile(real.path, future)
    good = backups.newest_good_backup(db.location, now=NOW + dt.timedelta(minutes=1))
    assert good is not None and good.path == real.path


def test_unfinished_copies_of_killed_backups_are_cleaned_up(db: Database) -> None:
    folder = db.location.backups
    folder.mkdir(parents=True, exist_ok=True)
    killed = folder / f".{backup_name(NOW - dt.timedelta(days=1))}.partial"
    killed.write_bytes(b"half a copy")
    old = (dt.datetime.now() - dt.timedelta(hours=3)).timestamp()
    os.utime(killed, (old, old))
    running = folder / f".{backup_name(NOW)}.partial"  # a copy being written right now
    running.write_bytes(b"in progress")
    backups.back_up_now(db, now=NOW + dt.timedelta(minutes=1))
    assert not killed.exists()
    assert running.exists()


def test_deleting_the_file_while_running_ends_in_a_message(world: World, db: Database) -> None:
    world.add("Åsa", "Öberg")
    db.path.unlink()
    with pytest.raises(DatabaseMissingError):
        backups.back_up_now(db, now=NOW)
    assert not db.path.exists()  # no empty file made under the old name
    assert not list(db.location.backups.glob("hemlos-*.db"))


def test_a_deleted_key_file_is_named_with_the_backups_that_hold_it(encrypted: SignedIn) -> None:
    location = encrypted.db.location
    made = backups.back_up_now(encrypted.db, now=NOW).value
    encrypted.db.dispose()
    location.keyslots.unlink()
    with pytest.raises(KeyFileDeletedError) as caught:
        unlock(location, "", "")
    text = caught.value.full_text()
    assert "key file" in text and "damaged" not in text
    assert caught.value.key_backups == [keys_companion(made.path)]
    assert str(keys_companion(made.path)) in caught.value.advice()
    # Putting the key file back from the backup opens the database again.
    shutil.copyfile(keys_companion(made.path), location.keyslots)
    again = unlock(location, "anna", "pw", params=TEST_PARAMS)
    again.db.dispose()


def test_an_interrupted_restore_keeps_the_rows_of_the_wal(
    world: World, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import func, select

    from hemlos_desktop.models.client import Client

    for n in range(30):
        world.add(f"Person{n}", "Berg")
    # The program was killed: the file and its -wal, with the 30 clients in the -wal.
    crashed = DataLocation(tmp_path / "crashed")
    crashed.folder.mkdir()
    wal = Path(f"{db.path}-wal")
    assert wal.stat().st_size > 0
    shutil.copyfile(db.path, crashed.database)
    shutil.copyfile(wal, Path(f"{crashed.database}-wal"))
    empty = open_workspace(DataLocation(tmp_path / "empty"))
    try:
        backup = backups.back_up_now(empty, str(tmp_path / "usb"), now=NOW).value.path
    finally:
        empty.dispose()
    real_replace = os.replace

    def cut_off(source: object, target: object) -> None:
        if Path(str(target)) == crashed.database:
            raise OSError(5, "power cut")  # the restore stops before its final rename
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", cut_off)
    with pytest.raises(Exception):  # noqa: B017 - any failure; what matters is what is left
        backups.restore_backup(crashed, backup, actor=None)
    monkeypatch.setattr(os, "replace", real_replace)
    again = open_workspace(crashed)
    try:
        with again.read() as s:
            assert s.scalar(select(func.count()).select_from(Client)) == 30
    finally:
        again.dispose()
    aside = sorted(crashed.folder.glob("hemlos.db.before-restore-*"))
    assert aside, "the current database was kept aside"
    assert aside[0].stat().st_ino != crashed.database.stat().st_ino
    assert aside[0].stat().st_nlink == 1  # a real copy, not a hard link to the live file
