"""Nothing left lying around: private file modes, temporary print folders removed."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from hemlos_desktop.services import backups
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.storage.files import (
    new_print_folder,
    remove_print_folders,
    write_bytes_atomic,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_0600_and_created_folders_0700(tmp_path: Path) -> None:
    from hemlos_desktop.services.setup import create_administrator

    old = os.umask(0o022)  # a usual umask: without care files would be 0644
    try:
        location = DataLocation(tmp_path / "new" / "data")
        result = create_administrator(
            location, username="boss", display_name="Boss", password="a long pass phrase",
            params=TEST_PARAMS,
        )  # fmt: skip
        db = result.signed_in.db
        usb = tmp_path / "usb" / "hemlos"
        summary = backups.back_up_now(db, str(usb)).value
        export = tmp_path / "exports" / "list.csv"
        write_bytes_atomic(export, b"x")
        db.dispose()
    finally:
        os.umask(old)
    for folder in (location.folder, tmp_path / "new", usb, usb.parent, export.parent):
        assert mode(folder) == 0o700, folder
    keys_copy = summary.path.with_suffix(".keys")
    for file in (location.database, location.keyslots, summary.path, keys_copy, export):
        assert mode(file) == 0o600, file


def test_print_folders_are_removed_at_the_next_start(tmp_path: Path) -> None:
    old = tmp_path / "hemlos-print-old"
    old.mkdir()
    (old / "summary.pdf").write_bytes(b"%PDF personal")
    past = time.time() - 3600
    os.utime(old, (past, past))
    fresh = tmp_path / "hemlos-print-now"
    fresh.mkdir()
    other = tmp_path / "someone-elses"
    other.mkdir()
    assert remove_print_folders(older_than_seconds=60, temp_dir=tmp_path) == 1
    assert not old.exists() and fresh.exists() and other.exists()
    assert remove_print_folders(temp_dir=tmp_path) == 1
    assert not fresh.exists() and other.exists()


def test_a_print_folder_is_private() -> None:
    folder = new_print_folder()
    try:
        assert mode(folder) == 0o700 and folder.name.startswith("hemlos-print-")
    finally:
        folder.rmdir()
