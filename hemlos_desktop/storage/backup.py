"""Consistent copies of the database through SQLite's online backup API, and restoring them.

A backup is a pair of files with the date and time in their names (nothing else)::

    hemlos-20261124-101500.db      the database (journal mode DELETE, a single file)
    hemlos-20261124-101500.keys    a copy of the key-slot file, only when one exists

A copy is written under a temporary name, checked (``quick_check`` and the schema revision),
flushed and then renamed, so a crash never leaves a half copy under the final name. Copies of an
encrypted database are encrypted with the same key: every connection is made through the
``Database`` object (``raw_connection`` / ``connect_file``), which applies the key.

Restoring never half-restores: the backup is checked, copied to a temporary name in the data
folder, checked again, and only then renamed over ``hemlos.db``; the current database (with its
``-wal``) is first kept aside under ``hemlos.db.<label>-<date>-<time>``. The data folder's key
file is never replaced by the backup's copy (key slots are not rolled back).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hemlos_desktop.errors import (
    CorruptDatabaseError,
    HemlosError,
    NewerSchemaError,
    StorageError,
)
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.storage import connection
from hemlos_desktop.storage.database import Database
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.storage.files import ensure_private_dir, fsync_dir, make_private
from hemlos_desktop.storage.paths import DATABASE_FILE, KEYSLOT_FILE, DataLocation

log = logging.getLogger(__name__)

BACKUP_PREFIX = "hemlos-"
BACKUP_SUFFIX = ".db"
KEYS_SUFFIX = ".keys"
TIME_FORMAT = "%Y%m%d-%H%M%S"
_TIME_RE = re.compile(r"(\d{8}-\d{6})\.db$")
_REGULAR_RE = re.compile(r"^hemlos-(\d{8}-\d{6})\.db$")


class BackupVerificationError(StorageError):
    def title(self) -> str:
        return _("The backup could not be verified")

    def message(self) -> str:
        return _("The backup copy failed its check and was not kept.")

    def advice(self) -> str:
        return _("Check that the backup folder has room and works, then try again.")


class BackupNotFoundError(StorageError):
    def title(self) -> str:
        return _("Backup not found")

    def message(self) -> str:
        return _("The backup file does not exist or cannot be read.")

    def advice(self) -> str:
        return _("Check the file name and that the USB stick or network folder is connected.")


class NoGoodBackupError(StorageError):
    def title(self) -> str:
        return _("No usable backup")

    def message(self) -> str:
        return _("No backup that passes its check was found.")

    def advice(self) -> str:
        return _(
            "Nothing has been changed. Contact your IT department; they may have other copies "
            "of the database."
        )


class BadBackupError(CorruptDatabaseError):
    def title(self) -> str:
        return _("The backup is damaged")

    def message(self) -> str:
        return _("The backup file is damaged or is not a Hemlös Desktop backup.")

    def advice(self) -> str:
        return _("Nothing has been changed. Choose another backup.")


@dataclass(frozen=True)
class BackupFile:
    """One backup on disk (its time comes from its name, in local time)."""

    path: Path
    created: dt.datetime
    size: int
    has_keys: bool
    pre_upgrade: bool

    @property
    def keys_path(self) -> Path:
        return keys_companion(self.path)


def timestamp(when: dt.datetime | None = None) -> str:
    return (when or dt.datetime.now()).strftime(TIME_FORMAT)


def backup_name(when: dt.datetime) -> str:
    return f"{BACKUP_PREFIX}{timestamp(when)}{BACKUP_SUFFIX}"


def keys_companion(path: Path) -> Path:
    """The key-slot copy that belongs to a backup file (same name, ``.keys``)."""
    return path.with_name(path.stem + KEYS_SUFFIX) if path.suffix else Path(f"{path}{KEYS_SUFFIX}")


def parse_backup_time(name: str) -> dt.datetime | None:
    match = _TIME_RE.search(name)
    if match is None:
        return None
    try:
        return dt.datetime.strptime(match.group(1), TIME_FORMAT)
    except ValueError:
        return None


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in ``folder`` (ours by name), newest first. A missing folder has none."""
    found: list[BackupFile] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        if path.name.startswith(".") or not path.name.endswith(BACKUP_SUFFIX):
            continue
        created = parse_backup_time(path.name)
        if created is None:
            continue
        try:
            size = path.stat().st_size
        except OSError:
            continue
        found.append(
            BackupFile(
                path=path,
                created=created,
                size=size,
                has_keys=keys_companion(path).exists(),
                pre_upgrade=_REGULAR_RE.match(path.name) is None,
            )
        )
    found.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return found


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _check_connection(conn: Any) -> str:
    """quick_check and the schema revision of an open connection; raise when either fails."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        raise CorruptDatabaseError("quick_check failed")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None or not row[0]:
        raise CorruptDatabaseError("no schema revision")
    return str(row[0])


def _open_backup(db: Database, path: Path, source_key: bytes | None) -> Any:
    """A connection to a backup: with ``source_key`` (a backup made before the database got a
    new data key) or else with ``db``'s key."""
    return connection.connect_bare(path, source_key) if source_key else db.connect_file(path)


def read_log_head(db: Database, path: Path, *, source_key: bytes | None = None) -> str | None:
    """The access log's head (``"<number>:<hash>"``) in a backup file; None if it has none."""
    conn = _open_backup(db, path, source_key)
    try:
        row = conn.execute("SELECT value FROM database_info WHERE key = 'audit_head'").fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


def check_backup_file(db: Database, path: Path, *, source_key: bytes | None = None) -> str:
    """Check a backup (with ``db``'s key); return its schema revision.

    Raises BackupNotFoundError, BadBackupError (damaged, not ours, wrong key) or
    NewerSchemaError (made by a newer program).
    """
    from hemlos_desktop.storage.migrate import known_revisions

    if not path.is_file():
        raise BackupNotFoundError("no such backup file")
    try:
        if path.stat().st_size == 0:
            raise BadBackupError("empty file")
        conn = _open_backup(db, path, source_key)
        try:
            revision = _check_connection(conn)
        finally:
            conn.close()
    except HemlosError as exc:
        if isinstance(exc, CorruptDatabaseError) and not isinstance(exc, BadBackupError):
            raise BadBackupError(exc.detail) from exc
        raise
    except Exception as exc:
        known = classify(exc)
        if known is None or isinstance(known, CorruptDatabaseError):
            raise BadBackupError("unreadable backup") from exc
        raise known from exc
    if revision not in known_revisions():
        raise NewerSchemaError(f"unknown revision {revision}")
    return revision


def _copy_keys(source_db: Path, target_keys: Path) -> None:
    """Copy the key-slot file that belongs beside ``source_db`` (if any) atomically."""
    source = source_db.parent / KEYSLOT_FILE
    if not source.exists():
        return
    tmp = target_keys.with_name(f".{target_keys.name}.partial")
    shutil.copyfile(source, tmp)
    make_private(tmp)
    _fsync_file(tmp)
    os.replace(tmp, target_keys)


def copy_database(db: Database, target: Path) -> Path:
    """Write a verified, consistent copy of ``db`` to ``target`` (atomically).

    The key-slot file beside the database, when there is one, is copied to
    ``keys_companion(target)``.
    """
    with db.maintenance_lock:
        _copy_database(db, target)
    log.info("database copied to a backup (%s)", target.name)
    return target


def _copy_database(db: Database, target: Path) -> None:
    ensure_private_dir(target.parent)
    tmp = target.with_name(f".{target.name}.partial")
    tmp.unlink(missing_ok=True)
    try:
        src = db.raw_connection()
        try:
            dst = db.connect_file(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
                try:
                    _check_connection(dst)
                except CorruptDatabaseError as exc:
                    raise BackupVerificationError(exc.detail) from exc
            finally:
                dst.close()
        finally:
            src.close()
        make_private(tmp)
        _fsync_file(tmp)
        _copy_keys(db.path, keys_companion(target))
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except HemlosError:
        tmp.unlink(missing_ok=True)
        raise
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        known = classify(exc)
        if known is None:
            raise
        raise known from exc


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        _fsync_file(target)


def keep_aside(location: DataLocation, label: str, when: dt.datetime | None = None) -> Path | None:
    """Keep the current database (and its -wal and key slots) under a dated name beside it.

    The database stays in place (a hard link or a copy is made), so the data folder always
    holds a ``hemlos.db``. Returns the new name, or None when there is no database.
    """
    current = location.database
    if not current.exists():
        return None
    aside = current.with_name(f"{DATABASE_FILE}.{label}-{timestamp(when)}")
    counter = 1
    while aside.exists():
        aside = current.with_name(f"{DATABASE_FILE}.{label}-{timestamp(when)}-{counter}")
        counter += 1
    _link_or_copy(current, aside)
    wal = Path(f"{current}-wal")
    if wal.exists():
        _link_or_copy(wal, Path(f"{aside}-wal"))
    if location.keyslots.exists():
        _link_or_copy(location.keyslots, Path(f"{aside}{KEYS_SUFFIX}"))
    fsync_dir(location.folder)
    return aside


def restore_file(
    db: Database,
    source: Path,
    *,
    label: str = "before-restore",
    when: dt.datetime | None = None,
    source_key: bytes | None = None,
) -> Path | None:
    """Replace ``db``'s file with the backup ``source``; return where the old file was kept.

    ``db`` must not be in use (dispose it first); it supplies the data folder and the key.
    The caller holds the data folder's instance lock.
    """
    with db.maintenance_lock:
        return _restore_file(db, source, label=label, when=when, source_key=source_key)


def _restore_file(
    db: Database,
    source: Path,
    *,
    label: str,
    when: dt.datetime | None,
    source_key: bytes | None,
) -> Path | None:
    location = db.location
    check_backup_file(db, source, source_key=source_key)
    tmp = location.folder / f".{DATABASE_FILE}.restoring"
    tmp_keys = location.folder / f".{KEYSLOT_FILE}.restoring"
    for stale in (tmp, Path(f"{tmp}-journal"), tmp_keys):
        stale.unlink(missing_ok=True)
    db.dispose()
    try:
        src = _open_backup(db, source, source_key)
        try:
            dst = _open_backup(db, tmp, source_key)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
                if source_key and db.data_key and source_key != db.data_key:
                    # A backup from before a new data key: it takes the current key.
                    dst.execute(f"PRAGMA rekey = \"x'{db.data_key.hex()}'\"")
                _check_connection(dst)
            finally:
                dst.close()
        finally:
            src.close()
        make_private(tmp)
        _fsync_file(tmp)
        # Key slots are never rolled back: the data folder's key file stays as it is (a
        # password reset or a deactivation since the backup still holds). Only a folder
        # without one takes the backup's copy.
        source_keys = keys_companion(source)
        if source_keys.exists() and not location.keyslots.exists():
            shutil.copyfile(source_keys, tmp_keys)
            make_private(tmp_keys)
            _fsync_file(tmp_keys)
        aside = keep_aside(location, label, when)
        # The old -wal and -shm belong to the old file: they are kept aside (above) and must
        # not be replayed into the restored one.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{location.database}{suffix}").unlink(missing_ok=True)
        if tmp_keys.exists():
            os.replace(tmp_keys, location.keyslots)
        os.replace(tmp, location.database)
        fsync_dir(location.folder)
    except HemlosError:
        _cleanup(tmp, tmp_keys)
        raise
    except Exception as exc:
        _cleanup(tmp, tmp_keys)
        known = classify(exc)
        if known is None:
            raise
        raise known from exc
    finally:
        db.dispose()
    log.info("database restored from a backup; the previous file was kept aside")
    return aside


def _cleanup(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
