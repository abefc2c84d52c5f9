"""Encrypted database files: telling plain from encrypted, checking a key, encrypting in place.

A plain SQLite file starts with ``SQLite format 3\\0``; an SQLCipher file starts with random
bytes (its salt) and cannot be told from a damaged file without the key. A key that opened a
valid key slot is the right key (its key id matches), so a file that does not open with it is
damaged, not locked with another password.

Encrypting in place never risks the original: the encrypted copy is written under a temporary
name with ``sqlcipher_export``, checked (integrity and row counts), and only then swapped in;
the plain original is kept aside until the swapped file opens with the key, then overwritten
and removed. If the program dies half-way, :func:`recover_interrupted_encryption` (run by
``open_database``) puts things back: the original is restored if the swap did not finish, and a
left-over plain copy is removed if it did.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hemlos_desktop.errors import CorruptDatabaseError, DatabaseLockedError, HemlosError
from hemlos_desktop.storage import connection
from hemlos_desktop.storage.crypto.errors import EncryptionFailedError
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.storage.files import fsync_dir, make_private
from hemlos_desktop.storage.paths import DataLocation

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
_ENCRYPTING_SUFFIX = ".encrypting"
_PLAIN_ASIDE_SUFFIX = ".plain-aside"
_SIDE_FILES = ("-wal", "-shm", "-journal")


class FileKind(enum.StrEnum):
    MISSING = "missing"
    EMPTY = "empty"
    PLAIN = "plain"
    # Not plain SQLite: encrypted, or damaged beyond recognition (only a key can tell).
    ENCRYPTED = "encrypted"


def detect_file_kind(path: Path) -> FileKind:
    """Whether ``path`` is missing, empty, plain SQLite or (presumably) encrypted."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return FileKind.MISSING
    except OSError as exc:
        raise (classify(exc) or exc) from exc
    if not head:
        return FileKind.EMPTY
    return FileKind.PLAIN if head == SQLITE_HEADER else FileKind.ENCRYPTED


def is_encrypted(path: Path) -> bool:
    return detect_file_kind(path) is FileKind.ENCRYPTED


def check_key(path: Path, key: bytes | None) -> None:
    """Raise CorruptDatabaseError unless ``path`` opens and reads with ``key``."""
    try:
        conn = connection.connect_bare(path, key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except HemlosError:
        raise
    except Exception as exc:
        known = classify(exc)
        if known is None or isinstance(known, CorruptDatabaseError):
            raise CorruptDatabaseError("does not open with its key") from exc
        raise known from exc


def _encrypting_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{_ENCRYPTING_SUFFIX}")


def _aside_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{_PLAIN_ASIDE_SUFFIX}")


def _shred(path: Path) -> None:
    """Overwrite ``path`` with zeros, then remove it (best effort: SSDs may keep old blocks)."""
    with contextlib.suppress(FileNotFoundError):
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            chunk = b"\0" * (1 << 20)
            left = size
            while left > 0:
                left -= handle.write(chunk[: min(left, len(chunk))])
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()


def recover_interrupted_encryption(path: Path) -> None:
    """Clean up after an encryption of ``path`` that was cut off (cheap when there is none)."""
    partial = _encrypting_path(path)
    aside = _aside_path(path)
    if aside.exists():
        if not path.exists():
            # Stopped between the two renames: the plain original goes back.
            os.replace(aside, path)
            log.warning("interrupted encryption undone; the original database is back")
        else:
            # The encrypted file was checked before the swap: the plain copy must go.
            _shred(aside)
            log.warning("plain copy left by an interrupted encryption removed")
        fsync_dir(path.parent)
    if partial.exists():
        _shred(partial)
    for suffix in _SIDE_FILES:
        _shred(partial.with_name(partial.name + suffix))


def _table_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]
        for name in names
    }


def encrypt_file_in_place(path: Path, key: bytes) -> bool:
    """Encrypt the plain database ``path`` with ``key``; False if it already was encrypted.

    The file must not be open elsewhere (run before the program opens its database). Raises
    EncryptionFailedError if the encrypted copy fails its check (the original is untouched),
    CorruptDatabaseError for a file that is neither plain nor opens with ``key``.
    """
    recover_interrupted_encryption(path)
    kind = detect_file_kind(path)
    if kind is FileKind.ENCRYPTED:
        check_key(path, key)
        return False
    if kind is not FileKind.PLAIN:
        raise CorruptDatabaseError(f"cannot encrypt a {kind.value} file")
    partial = _encrypting_path(path)
    try:
        src = connection.connect_bare(path, None)
        try:
            busy, frames, done = src.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy or frames != done:
                raise DatabaseLockedError("database in use; cannot encrypt")
            counts = _table_counts(src)
            user_version = int(src.execute("PRAGMA user_version").fetchone()[0])
            src.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(partial),))
            try:
                src.execute("SELECT sqlcipher_export('encrypted')")
                src.execute(f"PRAGMA encrypted.user_version = {user_version}")
            finally:
                src.execute("DETACH DATABASE encrypted")
        finally:
            src.close()
        copy = connection.connect_bare(partial, key)
        try:
            ok = copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            ok = ok and _table_counts(copy) == counts
        finally:
            copy.close()
        if not ok:
            raise EncryptionFailedError("encrypted copy failed its check")
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(partial, path.stat().st_mode & 0o777)
    except BaseException as exc:
        _shred(partial)
        if isinstance(exc, HemlosError) or not isinstance(exc, Exception):
            raise
        known = classify(exc)
        raise (known or EncryptionFailedError("export failed")) from exc
    # The plain side files are empty after the truncating checkpoint; they must not be read
    # as the encrypted file's journal.
    for suffix in _SIDE_FILES:
        _shred(path.with_name(path.name + suffix))
    aside = _aside_path(path)
    os.replace(path, aside)
    os.replace(partial, path)
    fsync_dir(path.parent)
    try:
        check_key(path, key)
    except BaseException:
        os.replace(aside, path)
        fsync_dir(path.parent)
        raise
    _shred(aside)
    fsync_dir(path.parent)
    log.info("database file encrypted (%s)", path.name)
    return True


def encrypt_database_in_place(
    location: DataLocation, key: bytes, *, backup_folders: Sequence[Path] = ()
) -> list[Path]:
    """Encrypt the database of ``location`` and every plain copy of it the program made.

    Plain backups (in ``<data folder>/backups`` and in ``backup_folders``, the configured
    backup folder) are encrypted and get a copy of the key file beside them; plain files kept
    aside in the data folder (``hemlos.db.before-restore-…``, ``hemlos.db.damaged-…`` and
    their ``-wal``) are overwritten and removed. Returns the files that were encrypted. Run
    before the database is opened.
    """
    done: list[Path] = []
    if encrypt_file_in_place(location.database, key):
        done.append(location.database)
    folders = [location.backups, *backup_folders]
    for folder in dict.fromkeys(folders):
        if not folder.is_dir():
            continue
        for backup in sorted(folder.iterdir()):
            if backup.name.startswith(".") or not backup.is_file():
                continue
            if backup.suffix == ".db" and detect_file_kind(backup) is FileKind.PLAIN:
                encrypt_file_in_place(backup, key)
                if location.keyslots.exists():
                    shutil.copyfile(location.keyslots, backup.with_suffix(".keys"))
                    make_private(backup.with_suffix(".keys"))
                done.append(backup)
    prefix = f"{location.database.name}."
    for aside in sorted(location.folder.iterdir()):
        if not aside.name.startswith(prefix) or not aside.is_file():
            continue
        if aside.name.endswith((".keys", "-shm")):
            continue
        main = aside.with_name(aside.name.removesuffix("-wal").removesuffix("-journal"))
        if not _opens_with(main, key):
            _shred(aside)
            log.info("a plain copy kept aside in the data folder was removed")
    return done


def _opens_with(path: Path, key: bytes) -> bool:
    """Whether ``path`` is a database encrypted with ``key`` (a plain, emptied or other file
    is not)."""
    if detect_file_kind(path) is not FileKind.ENCRYPTED:
        return False
    try:
        check_key(path, key)
    except HemlosError:
        return False
    return True
