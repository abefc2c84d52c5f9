"""Security on the command line: roles on backup and restore, the access log across a
restore, no plain-text database."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemlos_desktop.cli import main
from hemlos_desktop.services.demo_data import create_demo_database
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.backup import keep_aside, keys_companion
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.storage.crypto.database_file import FileKind, detect_file_kind


def run(*args: str) -> int:
    return main(["--lang", "en", *args])


@pytest.fixture
def demo(tmp_path: Path) -> DataLocation:
    location = DataLocation(tmp_path / "demo")
    create_demo_database(location, clients=3, params=TEST_PARAMS)
    return location


def _verified(location: DataLocation, capsys: pytest.CaptureFixture[str]) -> int:
    assert run("audit", "verify", "--data-dir", str(location.folder)) == 0
    out = capsys.readouterr().out
    return int(next(word for word in out.split() if word.isdigit()))


def test_caseworker_may_neither_back_up_nor_restore(
    demo: DataLocation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy = tmp_path / "copy.db"
    assert run("backup", "-o", str(copy), "--data-dir", str(demo.folder)) == 0
    before = demo.database.read_bytes()
    monkeypatch.setenv("HEMLOS_USER", "worker")
    capsys.readouterr()
    assert run("restore", str(copy), "--yes", "--data-dir", str(demo.folder)) == 1
    assert "permission" in capsys.readouterr().err
    assert demo.database.read_bytes() == before
    assert run("backup", "-o", str(tmp_path / "other.db"), "--data-dir", str(demo.folder)) == 1
    assert not (tmp_path / "other.db").exists()
    monkeypatch.setenv("HEMLOS_USER", "lead")
    assert run("backup", "-o", str(tmp_path / "lead.db"), "--data-dir", str(demo.folder)) == 0
    assert run("restore", str(copy), "--yes", "--data-dir", str(demo.folder)) == 1


def test_restore_keeps_every_log_entry_and_logs_itself(
    demo: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    assert run("backup", "-o", str(copy), "--data-dir", str(demo.folder)) == 0
    assert (
        run("export-clients", "-o", str(tmp_path / "all.csv"), "--data-dir", str(demo.folder)) == 0
    )
    before = _verified(demo, capsys)
    assert run("restore", str(copy), "--yes", "--data-dir", str(demo.folder)) == 0
    after = _verified(demo, capsys)
    assert after >= before + 1


def test_no_command_creates_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "empty"
    csv = tmp_path / "people.csv"
    csv.write_text("first_name;last_name\nAnna;Andersson\n", encoding="utf-8")
    for command in (
        ["import-clients", str(csv)],
        ["export-clients", "-o", str(tmp_path / "out.csv")],
        ["backup"],
        ["purge", "--preview"],
    ):
        assert run(*command, "--data-dir", str(folder)) == 1, command
        assert "no database" in capsys.readouterr().err.lower()
        assert not DataLocation(folder).database.exists()


def test_a_plain_database_is_only_opened_to_be_encrypted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    location = DataLocation(tmp_path / "old")
    db = open_workspace(location)  # a database from before encryption
    db.dispose()
    for command in (["export-clients", "-o", str(tmp_path / "out.csv")], ["backup"]):
        assert run(*command, "--data-dir", str(location.folder)) == 1
        assert "before encryption" in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()
    assert run("check", "--data-dir", str(location.folder)) == 0  # reading its health is fine
    monkeypatch.setenv("HEMLOS_PASSWORD", "a long enough password")
    assert run("init", "--admin", "boss", "--data-dir", str(location.folder)) == 0
    monkeypatch.setenv("HEMLOS_USER", "boss")
    assert (
        run("export-clients", "-o", str(tmp_path / "out.csv"), "--data-dir", str(location.folder))
        == 0
    )


def test_encrypting_encrypts_plain_backups_and_removes_plain_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemlos_desktop.services import backups
    from hemlos_desktop.settings import Settings, SettingsStore

    location = DataLocation(tmp_path / "old")
    usb = tmp_path / "usb"
    SettingsStore().save(Settings(backup_dir=str(usb)))
    db = open_workspace(location)
    in_folder = backups.back_up_now(db).path
    on_usb = backups.back_up_now(db, str(usb)).path
    db.dispose()
    aside = keep_aside(location, "before-restore")
    assert aside is not None
    assert {detect_file_kind(p) for p in (in_folder, on_usb, aside)} == {FileKind.PLAIN}
    monkeypatch.setenv("HEMLOS_PASSWORD", "a long enough password")

    assert run("init", "--admin", "boss", "--data-dir", str(location.folder)) == 0

    for backup in (in_folder, on_usb):
        assert detect_file_kind(backup) is FileKind.ENCRYPTED
        assert keys_companion(backup).read_bytes() == location.keyslots.read_bytes()
    assert not aside.exists()
    assert detect_file_kind(location.database) is FileKind.ENCRYPTED
