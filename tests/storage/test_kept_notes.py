"""Journal notes kept outside the database: sealed with the database's key, the user's only,
random names; a file that does not open is left alone."""

from __future__ import annotations

import os
import stat

import pytest

from hemlos_desktop.storage import DataLocation, kept_notes

NOTE = {"client_id": 7, "text": "Söderström vill ha en lägenhet", "user_id": 2}


def test_sealed_with_the_key_and_private(location: DataLocation) -> None:
    key = os.urandom(32)
    name = kept_notes.write(location, key, NOTE)
    path = kept_notes.folder(location) / name
    raw = path.read_bytes()
    assert "Söderström".encode() not in raw and "lägenhet".encode() not in raw
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [f.data for f in kept_notes.read_all(location, key)] == [NOTE]
    # Another key (or none) does not open it, and nothing is deleted.
    assert kept_notes.read_all(location, os.urandom(32)) == []
    assert kept_notes.read_all(location, None) == []
    assert path.exists()
    kept_notes.remove(location, name)
    assert not path.exists() and kept_notes.read_all(location, key) == []


def test_beside_a_plain_database_the_file_is_private_but_plain(location: DataLocation) -> None:
    name = kept_notes.write(location, None, NOTE)
    assert [f.name for f in kept_notes.read_all(location, None)] == [name]


def test_a_damaged_file_is_skipped_and_kept(location: DataLocation) -> None:
    key = os.urandom(32)
    name = kept_notes.write(location, key, NOTE)
    path = kept_notes.folder(location) / name
    path.write_bytes(path.read_bytes()[:-3])
    assert kept_notes.read_all(location, key) == []
    assert path.exists()


def test_remove_takes_only_a_kept_notes_name(location: DataLocation) -> None:
    for bad in ("../hemlos.db", "hemlos.keys", "x/y.note"):
        with pytest.raises(ValueError):
            kept_notes.remove(location, bad)
