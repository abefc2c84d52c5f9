"""Encrypted databases: open, migrate, back up, detect, encrypt a plain file in place."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hemlos_desktop.errors import CorruptDatabaseError
from hemlos_desktop.services import database_info
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation, connection, open_database
from hemlos_desktop.storage.backup import copy_database
from hemlos_desktop.storage.crypto import (
    TEST_PARAMS,
    FileKind,
    KeyFileMissingError,
    KeyRequiredError,
    KeyStore,
    PlainDatabaseError,
    check_key,
    database_file,
    detect_file_kind,
    encrypt_database_in_place,
    encrypt_file_in_place,
    is_encrypted,
    recover_interrupted_encryption,
)


@pytest.fixture
def data_key() -> bytes:
    return secrets.token_bytes(32)


def _write_value(location: DataLocation, key: bytes | None, value: str) -> None:
    db = open_workspace(location, key=key)
    try:
        with db.begin() as session:
            database_info.set_value(session, "note", value)
    finally:
        db.dispose()


def _read_value(location: DataLocation, key: bytes | None) -> str:
    db = open_database(location, key=key, migrate=False)
    try:
        with db.read() as session:
            return database_info.get_info(session)["note"]
    finally:
        db.dispose()


def test_create_migrate_and_reopen_encrypted(location: DataLocation, data_key: bytes) -> None:
    _write_value(location, data_key, "hello")
    assert detect_file_kind(location.database) is FileKind.ENCRYPTED
    assert is_encrypted(location.database)
    assert _read_value(location, data_key) == "hello"


def test_encrypted_database_uses_wal(location: DataLocation, data_key: bytes) -> None:
    db = open_workspace(location, key=data_key)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA temp_store")).scalar() == 2  # MEMORY
            assert conn.execute(text("PRAGMA cipher_version")).scalar()
        with db.begin() as session:
            database_info.set_value(session, "note", "x")
        assert Path(str(location.database) + "-wal").exists()
        assert db.quick_check()
        assert db.integrity_check() == []
    finally:
        db.dispose()


def test_wrong_key_means_damaged(location: DataLocation, data_key: bytes) -> None:
    _write_value(location, data_key, "x")
    with pytest.raises(CorruptDatabaseError):
        open_database(location, key=secrets.token_bytes(32))
    with pytest.raises(CorruptDatabaseError):
        check_key(location.database, secrets.token_bytes(32))
    check_key(location.database, data_key)


def test_no_key_for_an_encrypted_database(location: DataLocation, data_key: bytes) -> None:
    _write_value(location, data_key, "x")
    # Without a key file beside it, a file of whole encrypted pages is named as an encrypted
    # database whose key file is missing (not as a damaged database).
    with pytest.raises(KeyFileMissingError):
        open_database(location)
    location.keyslots.write_text("{}", encoding="utf-8")
    with pytest.raises(KeyRequiredError):
        open_database(location)


def test_key_for_a_plain_database(location: DataLocation, data_key: bytes) -> None:
    _write_value(location, None, "x")
    with pytest.raises(PlainDatabaseError):
        open_database(location, key=data_key)
    assert _read_value(location, None) == "x"


def test_short_key_is_a_bug(location: DataLocation) -> None:
    with pytest.raises(ValueError):
        open_database(location, key=b"short")


def test_detect_file_kind(tmp_path: Path) -> None:
    assert detect_file_kind(tmp_path / "none.db") is FileKind.MISSING
    (tmp_path / "empty.db").write_bytes(b"")
    assert detect_file_kind(tmp_path / "empty.db") is FileKind.EMPTY
    (tmp_path / "junk.db").write_bytes(b"junk" * 100)
    assert detect_file_kind(tmp_path / "junk.db") is FileKind.ENCRYPTED


def test_backup_of_encrypted_database_is_encrypted(location: DataLocation, data_key: bytes) -> None:
    db = open_workspace(location, key=data_key)
    try:
        target = copy_database(db, location.backups / "copy.db")
    finally:
        db.dispose()
    assert detect_file_kind(target) is FileKind.ENCRYPTED
    check_key(target, data_key)
    with pytest.raises(CorruptDatabaseError):
        check_key(target, None)
    conn = connection.connect_bare(target, data_key)
    try:
        assert conn.execute("SELECT count(*) FROM database_info").fetchone()[0] >= 3
    finally:
        conn.close()


def test_whole_flow_with_key_store(location: DataLocation) -> None:
    data_key, _recovery = KeyStore.create(
        location, admin_username="admin", password="pw", params=TEST_PARAMS
    )
    _write_value(location, data_key, "flow")
    store = KeyStore.load(location, params=TEST_PARAMS)
    assert _read_value(location, store.unlock("admin", "pw")) == "flow"


# ---- encrypting an existing plain database ----------------------------------------------


def test_encrypt_plain_database_in_place(location: DataLocation, data_key: bytes) -> None:
    _write_value(location, None, "was plain")
    db = open_workspace(location)
    try:
        copy_database(db, location.backups / "old-plain.db")
    finally:
        db.dispose()
    done = encrypt_database_in_place(location, data_key)
    assert done == [location.database, location.backups / "old-plain.db"]
    assert is_encrypted(location.database)
    assert is_encrypted(location.backups / "old-plain.db")
    assert _read_value(location, data_key) == "was plain"
    check_key(location.backups / "old-plain.db", data_key)
    leftovers = [p.name for p in location.folder.iterdir() if p.name.startswith(".")]
    assert leftovers == []
    # A second run changes nothing.
    assert encrypt_database_in_place(location, data_key) == []


def test_encrypt_keeps_the_schema_version(location: DataLocation, data_key: bytes) -> None:
    _write_value(location, None, "v")
    conn = connection.connect_bare(location.database, None)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    encrypt_file_in_place(location.database, data_key)
    conn = connection.connect_bare(location.database, data_key)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
    finally:
        conn.close()


def test_failed_check_leaves_the_original(
    location: DataLocation, data_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemlos_desktop.storage.crypto import EncryptionFailedError

    _write_value(location, None, "keep me")
    before = location.database.read_bytes()
    monkeypatch.setattr(database_file, "_table_counts", _counts_differ())
    with pytest.raises(EncryptionFailedError):
        encrypt_file_in_place(location.database, data_key)
    assert location.database.read_bytes() == before
    assert sorted(p.name for p in location.folder.iterdir()) == ["hemlos.db"]


def _counts_differ() -> Callable[..., dict[str, int]]:
    """Row counts that differ between the original and the encrypted copy."""
    calls = {"n": 0}
    real = database_file._table_counts

    def fake(conn: Any, schema: str = "main") -> dict[str, int]:
        calls["n"] += 1
        counts = real(conn, schema)
        return counts if calls["n"] == 1 else {**counts, "extra": 1}

    return fake


def test_interrupted_before_swap_restores_plain(location: DataLocation, data_key: bytes) -> None:
    """Killed between moving the original aside and moving the copy in."""
    _write_value(location, None, "original")
    aside = location.folder / ".hemlos.db.plain-aside"
    partial = location.folder / ".hemlos.db.encrypting"
    os.replace(location.database, aside)
    partial.write_bytes(b"half written")
    assert _read_value(location, None) == "original"
    assert not aside.exists()
    assert not partial.exists()


def test_interrupted_after_swap_removes_plain_copy(location: DataLocation, data_key: bytes) -> None:
    _write_value(location, data_key, "encrypted")
    aside = location.folder / ".hemlos.db.plain-aside"
    aside.write_bytes(b"SQLite format 3\x00 plain left-over")
    recover_interrupted_encryption(location.database)
    assert not aside.exists()
    assert _read_value(location, data_key) == "encrypted"


def test_benchmark_workload_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The benchmark's workload and ratio measurement work (tiny sizes; no timing asserted)."""
    import importlib.util

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "encryption.py"
    spec = importlib.util.spec_from_file_location("bench_encryption", script)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    workload = bench.SyntheticWorkload(rows=300, searches=3, reads=5, inserts=2)
    totals = bench.measure_ratio(workload, tmp_path, rounds=1)
    assert set(totals) == {"plain", "encrypted"}
    assert bench.measure_unlock(tmp_path, TEST_PARAMS, times=1) < 5
    assert "encrypted" in capsys.readouterr().out
