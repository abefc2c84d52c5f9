"""Security on the command line: roles on backup and restore, the access log across a
restore, no plain-text database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hemlos_desktop.cli import main
from hemlos_desktop.demo.data import create_demo_database
from hemlos_desktop.errors import CorruptDatabaseError
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import Database, DataLocation
from hemlos_desktop.storage.backup import keep_aside, keys_companion
from hemlos_desktop.storage.crypto import TEST_PARAMS, KeyStore, check_key
from hemlos_desktop.storage.crypto.database_file import FileKind, detect_file_kind


def ensure_admin(db: Database) -> Actor:
    from hemlos_desktop.services.users import actor_by_username

    return actor_by_username(db, "admin")


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
    in_folder = backups.back_up_now(db).value.path
    on_usb = backups.back_up_now(db, str(usb)).value.path
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


def test_users_commands_for_it(
    demo: DataLocation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(demo.folder)
    monkeypatch.setenv("HEMLOS_NEW_PASSWORD", "kort")
    assert run("users", "add", "signe", "--role", "lead", "--data-dir", folder) == 1
    assert "12" in capsys.readouterr().err  # the password rule, not a traceback
    monkeypatch.setenv("HEMLOS_NEW_PASSWORD", "Signes första långa lösen")
    assert (
        run("users", "add", "signe", "--role", "lead", "--team", "Nowhere", "--data-dir", folder)
        == 1
    )
    assert "Nowhere" in capsys.readouterr().err
    assert (
        run(
            "users",
            "add",
            "signe",
            "--role",
            "lead",
            "--display-name",
            "Signe S",
            "--data-dir",
            folder,
        )
        == 0
    )
    capsys.readouterr()
    assert run("users", "list", "--json", "--data-dir", folder) == 0
    listed = {u["name"]: u for u in json.loads(capsys.readouterr().out)}
    assert listed["signe"] == {
        "name": "signe",
        "display_name": "Signe S",
        "role": "lead",
        "active": True,
    }
    monkeypatch.setenv("HEMLOS_USER", "signe")
    monkeypatch.setenv("HEMLOS_PASSWORD", "Signes första långa lösen")
    assert run("check", "--data-dir", folder) == 0  # the new user signs in
    old_key = KeyStore.load(demo, params=TEST_PARAMS).unlock("signe", "Signes första långa lösen")
    for command in (
        ["users", "list"],
        ["users", "deactivate", "worker"],
        ["recovery-key", "--new"],
    ):
        assert run(*command, "--data-dir", folder) == 1, command  # a team lead may not
        assert "permission" in capsys.readouterr().err
    monkeypatch.setenv("HEMLOS_USER", "admin")
    monkeypatch.setenv("HEMLOS_PASSWORD", "demo")
    assert run("users", "deactivate", "signe", "--data-dir", folder) == 0
    with pytest.raises(CorruptDatabaseError):
        check_key(demo.database, old_key)  # her key no longer opens the database
    monkeypatch.setenv("HEMLOS_USER", "signe")
    monkeypatch.setenv("HEMLOS_PASSWORD", "Signes första långa lösen")
    assert run("check", "--data-dir", folder) == 1
    monkeypatch.setenv("HEMLOS_USER", "admin")
    monkeypatch.setenv("HEMLOS_PASSWORD", "demo")
    capsys.readouterr()
    assert run("recovery-key", "--new", "--data-dir", folder) == 0
    new_key_text = capsys.readouterr().out.splitlines()[1]
    assert KeyStore.load(demo, params=TEST_PARAMS).unlock_with_recovery(new_key_text)
    assert run("audit", "verify", "--data-dir", folder) == 0
    db = open_workspace(demo, key=KeyStore.load(demo, params=TEST_PARAMS).unlock("admin", "demo"))
    try:
        details = [e.detail for e in audit.list_entries(db, ensure_admin(db), audit.AuditQuery())]
    finally:
        db.dispose()
    assert {"user created", "users listed", "user deactivated", "recovery key replaced"} <= set(
        details
    )
