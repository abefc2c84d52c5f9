"""``backup``, ``restore`` and ``backups`` on the command line, and their failures."""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from encrypted import data_key, ensure_encrypted
from fs_helpers import read_only

from hemlos_desktop.cli import main
from hemlos_desktop.services import database_info
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation, connection

HOLD_LOCK = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from hemlos_desktop.storage import DataLocation\n"
    "from hemlos_desktop.storage.instance import InstanceLock\n"
    "lock = InstanceLock(DataLocation(Path(sys.argv[1])))\n"
    "lock.acquire()\n"
    "print('locked', flush=True)\n"
    "time.sleep(60)\n"
)


def run(*args: str) -> int:
    return main(["--lang", "en", *args])


@pytest.fixture
def made(location: DataLocation) -> DataLocation:
    db = open_workspace(location)
    with db.begin() as session:
        database_info.set_value(session, "marker", "original")
    db.dispose()
    ensure_encrypted(location)
    return location


def _marker(location: DataLocation) -> str:
    db = open_workspace(location, key=data_key(location))
    try:
        with db.read() as session:
            return database_info.get_info(session).get("marker", "")
    finally:
        db.dispose()


def _set_marker(location: DataLocation, value: str) -> None:
    db = open_workspace(location, key=data_key(location))
    with db.begin() as session:
        database_info.set_value(session, "marker", value)
    db.dispose()


def test_backup_to_file_then_restore_with_yes(
    made: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.db"
    assert run("backup", "-o", str(target), "--data-dir", str(made.folder)) == 0
    assert "verified" in capsys.readouterr().out
    _set_marker(made, "changed")
    assert run("restore", str(target), "--yes", "--data-dir", str(made.folder)) == 0
    out = capsys.readouterr().out
    assert "restored" in out and "before-restore" in out
    assert _marker(made) == "original"


def test_backup_into_folder_and_list(
    made: DataLocation, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("backup", "--data-dir", str(made.folder)) == 0
    capsys.readouterr()
    assert run("backups", "--data-dir", str(made.folder)) == 0
    out = capsys.readouterr().out
    assert "hemlos-" in out and "kB" in out


def test_restore_without_yes_needs_a_terminal(
    made: DataLocation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / "copy.db"
    run("backup", "-o", str(target), "--data-dir", str(made.folder))
    _set_marker(made, "changed")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert run("restore", str(target), "--data-dir", str(made.folder)) == 1
    assert "--yes" in capsys.readouterr().err
    assert _marker(made) == "changed"

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty("n\n"))
    assert run("restore", str(target), "--data-dir", str(made.folder)) == 1
    assert _marker(made) == "changed"
    monkeypatch.setattr(sys, "stdin", Tty("y\n"))
    assert run("restore", str(target), "--data-dir", str(made.folder)) == 0
    assert _marker(made) == "original"


def test_restore_of_a_damaged_file_exits_1(
    made: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00garbage" * 1000)
    assert run("restore", str(bad), "--yes", "--data-dir", str(made.folder)) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err
    assert _marker(made) == "original"


@contextlib.contextmanager
def other_instance(location: DataLocation) -> Iterator[None]:
    """A real second process holding the data folder (as the running GUI does)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(location.folder)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "locked"
        yield
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.slow
def test_restore_refused_while_program_runs_but_check_and_backup_work(
    made: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.db"
    with other_instance(made):
        assert run("check", "--data-dir", str(made.folder)) == 0
        assert run("backup", "-o", str(target), "--data-dir", str(made.folder)) == 0
        capsys.readouterr()
        assert run("restore", str(target), "--yes", "--data-dir", str(made.folder)) == 1
        assert "already open" in capsys.readouterr().err
    assert run("restore", str(target), "--yes", "--data-dir", str(made.folder)) == 0


def test_locked_file_exits_1(
    made: DataLocation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)
    other = connection.connect(made.database, data_key(made))
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert run("backup", "--data-dir", str(made.folder)) == 1
        assert "Another program is using the database" in capsys.readouterr().err
        assert run("check", "--data-dir", str(made.folder)) == 1
        assert "Another program" in capsys.readouterr().err
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_read_only_folder_exits_1(made: DataLocation, capsys: pytest.CaptureFixture[str]) -> None:
    with read_only(made.database, made.folder):
        assert run("backup", "--data-dir", str(made.folder)) == 1
        assert "may not write" in capsys.readouterr().err
        assert run("restore", str(made.database), "--yes", "--data-dir", str(made.folder)) == 1
        assert "may not write" in capsys.readouterr().err


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 kB tmpfs where the machine allows mounting one (root in a container usually does)."""
    mount = shutil.which("mount")
    folder = tmp_path / "tiny"
    folder.mkdir()
    if mount is None:
        pytest.skip("no mount command: cannot make a small file system to fill")
    result = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip("this machine does not allow mounting a small file system")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def test_disk_full_backup_exits_1(
    made: DataLocation, tiny_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_workspace(made, key=data_key(made))
    with db.begin() as session:
        for n in range(1500):
            database_info.set_value(session, f"fill-{n}", "z" * 380)
    db.dispose()
    assert run("backup", "-o", str(tiny_disk / "copy.db"), "--data-dir", str(made.folder)) == 1
    err = capsys.readouterr().err
    assert "no room left on the disk" in err
    assert not list(tiny_disk.iterdir())  # no half copy left behind
