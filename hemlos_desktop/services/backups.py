"""The backup service: verified copies, rotation, automatic backups, restore.

Backups go to the configured folder (the ``backup_dir`` setting, for example a USB stick or a
network share) or, when that is empty or cannot be used, to ``<data folder>/backups``. Each
backup is a ``hemlos-YYYYMMDD-HHMMSS.db`` file (plus a ``.keys`` file beside it when the
database has key slots); see ``storage.backup`` for how they are written and restored.

Rotation keeps the newest backup of each of the last 7 days, 4 weeks and 12 months that have
backups (:func:`backups_to_keep`); copies made before an upgrade are never rotated away.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path

from hemlos_desktop.errors import AccessDeniedError, HemlosError, StorageError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import audit, retention
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import backup as storage_backup
from hemlos_desktop.storage.database import Database
from hemlos_desktop.storage.files import ensure_private_dir
from hemlos_desktop.storage.instance import InstanceLock
from hemlos_desktop.storage.paths import DataLocation

log = logging.getLogger(__name__)

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
# "At most once a day while running": a backup is due when the newest is older than this.
BACKUP_INTERVAL = dt.timedelta(hours=24)
# How far back rotation protects a backup fuller than the newest (the monthly rule's reach).
FULLER_HORIZON = dt.timedelta(days=366)
# An unfinished ``.partial`` copy older than this is from a killed backup, not a running one.
PARTIAL_AGE = dt.timedelta(hours=1)
# A backup dated later than now by more than this comes from a wrong clock: never "newest good".
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class BackupSummary:
    """A backup as the UI and the command line show it."""

    path: Path
    created: dt.datetime
    size: int
    has_keys: bool
    pre_upgrade: bool
    # Made before the database got a new data key (a user deactivated or a password reset
    # since): its key file still opens it with passwords that were revoked.
    revoked_slots: bool = False


class BackupFolderUnavailableError(StorageError):
    """The configured backup folder (a USB stick, a network share) cannot be used."""

    def title(self) -> str:
        return _("The backup folder cannot be reached")

    def message(self) -> str:
        return _(
            "The automatic backup could not be written to the backup folder in the settings; "
            "it was kept in the data folder on this computer instead."
        )

    def advice(self) -> str:
        return _(
            "Connect the USB stick or the network folder, or choose another backup folder. "
            "A copy on this computer is lost with it if the computer is lost."
        )


@dataclass(frozen=True)
class RestoreSummary:
    source: Path
    kept_aside: Path | None
    schema_revision: str


_BACKUPS = ChangeSet.of(ChangeKind.BACKUPS)


def _summary(item: storage_backup.BackupFile, live_key_id: str | None = None) -> BackupSummary:
    backup_key_id = _key_id_in(item.keys_path) if item.has_keys else None
    return BackupSummary(
        path=item.path,
        created=item.created,
        size=item.size,
        has_keys=item.has_keys,
        pre_upgrade=item.pre_upgrade,
        revoked_slots=bool(live_key_id and backup_key_id and backup_key_id != live_key_id),
    )


def _key_id_in(keys_file: Path) -> str | None:
    """The key id a key file names (read without unlocking; None when unreadable)."""
    import json

    try:
        value = json.loads(keys_file.read_text(encoding="utf-8")).get("key_id")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _backup_key(location: DataLocation, source: Path, live_key: bytes | None) -> bytes | None:
    """The key of a backup made before the database got a new data key (from the key file's
    list of earlier keys); None when the backup has the current key (or is unknown)."""
    from hemlos_desktop.storage.crypto import KeyStore, key_id_of

    if live_key is None or not KeyStore.exists(location):
        return None
    wanted = _key_id_in(storage_backup.keys_companion(source))
    if wanted is None or wanted == key_id_of(live_key).hex():
        return None
    for old in KeyStore.load(location).previous_keys(live_key):
        if key_id_of(old).hex() == wanted:
            return old
    return None


def describe_size(size: int) -> str:
    """A file size for people, in the active language ("1,2 MB", "20 kB")."""
    from hemlos_desktop import i18n
    from hemlos_desktop.i18n import gettext as _

    translator = i18n.active()
    if size >= 1024 * 1024:
        return _("{size} MB").format(size=translator.format_decimal(size / 1024 / 1024, 1))
    return _("{size} kB").format(size=translator.format_number(max(1, round(size / 1024))))


# -- where backups go --------------------------------------------------------------------------


def backup_folder(location: DataLocation, configured: str = "") -> Path:
    """The configured backup folder if it can be used, else ``<data folder>/backups``."""
    if configured.strip():
        folder = Path(configured.strip()).expanduser()
        try:
            ensure_private_dir(folder)
        except OSError:
            log.warning("configured backup folder cannot be used; using the data folder")
        else:
            if folder.is_dir():
                return folder
    return location.backups


def _folders(location: DataLocation, configured: str) -> list[Path]:
    folders = [backup_folder(location, configured), location.backups]
    unique: list[Path] = []
    for folder in folders:
        if folder not in unique:
            unique.append(folder)
    return unique


def list_backups(location: DataLocation, configured: str = "") -> list[BackupSummary]:
    """Backups in the configured and the default folder, newest first."""
    items: list[BackupSummary] = []
    live = _key_id_in(location.keyslots) if location.keyslots.exists() else None
    for folder in _folders(location, configured):
        items.extend(_summary(item, live) for item in storage_backup.list_backups(folder))
    items.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return items


# -- rotation ----------------------------------------------------------------------------------


def _day(t: dt.datetime) -> Hashable:
    return t.date()


def _week(t: dt.datetime) -> Hashable:
    iso = t.isocalendar()
    return (iso.year, iso.week)


def _month(t: dt.datetime) -> Hashable:
    return (t.year, t.month)


def backups_to_keep(
    times: Iterable[dt.datetime],
    *,
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[dt.datetime]:
    """Which backup times to keep: the newest one always, and the newest of each of the last
    ``daily`` days, ``weekly`` ISO weeks and ``monthly`` months that have backups. Pure."""
    ordered = sorted(set(times), reverse=True)
    keep: set[dt.datetime] = set(ordered[:1])
    rules: tuple[tuple[int, Callable[[dt.datetime], Hashable]], ...] = (
        (daily, _day),
        (weekly, _week),
        (monthly, _month),
    )
    for count, period in rules:
        seen: set[Hashable] = set()
        for t in ordered:
            key = period(t)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            keep.add(t)
    return keep


def fuller_than_newest(
    backups: list[storage_backup.BackupFile], *, horizon: dt.timedelta = FULLER_HORIZON
) -> storage_backup.BackupFile | None:
    """The newest backup (within ``horizon`` of the newest) that holds more data than the
    newest one, by file size; None when the newest is the fullest. Pure.

    An empty database that replaced a lost one makes a small backup; rotation must then not
    delete the day's good backup in its favour."""
    if not backups:
        return None
    ordered = sorted(backups, key=lambda b: (b.created, b.path.name), reverse=True)
    newest = ordered[0]
    for item in ordered[1:]:
        if newest.created - item.created > horizon:
            return None
        if item.size > newest.size:
            return item
    return None


def rotate(folder: Path) -> list[Path]:
    """Delete the regular backups in ``folder`` that rotation does not keep; return them.

    The newest backup that holds more data than the newest one is kept too (see
    :func:`fuller_than_newest`), and unfinished copies of killed backups are removed."""
    storage_backup.remove_stale_partials(folder, older_than=PARTIAL_AGE)
    regular = [b for b in storage_backup.list_backups(folder) if not b.pre_upgrade]
    keep = backups_to_keep(b.created for b in regular)
    fuller = fuller_than_newest(regular)
    if fuller is not None:
        log.warning("the newest backup holds less data than an earlier one; keeping both")
        keep.add(fuller.created)
    removed: list[Path] = []
    for item in regular:
        if item.created in keep:
            continue
        try:
            item.path.unlink()
            item.keys_path.unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove an old backup", exc_info=True)
            continue
        removed.append(item.path)
    if removed:
        log.info("rotation removed %d old backups", len(removed))
    return removed


# -- making backups ----------------------------------------------------------------------------


def _record_backup(db: Database, actor: Actor | None, detail: str) -> None:
    """One log entry for a backup a person asked for, written after the file exists."""
    if actor is None:
        return
    with db.begin() as session:
        audit.record(session, actor, AuditAction.BACKUP, detail=detail)


def back_up_to(db: Database, target: Path, *, actor: Actor | None) -> Outcome[BackupSummary]:
    """A verified copy of ``db`` at ``target`` (``hemlos-desktop backup -o FILE``).

    ``actor`` (an administrator or team lead) is logged; None only for the program's own copies.
    """
    if actor is not None:
        require_backup_role(actor)
    storage_backup.copy_database(db, target)
    _record_backup(db, actor, "backup to a chosen file")
    created = dt.datetime.now().replace(microsecond=0)
    summary = BackupSummary(
        path=target,
        created=created,
        size=target.stat().st_size,
        has_keys=storage_backup.keys_companion(target).exists(),
        pre_upgrade=False,
    )
    return Outcome(summary, _BACKUPS)


def back_up_now(
    db: Database,
    configured: str = "",
    *,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
) -> Outcome[BackupSummary]:
    """Write a verified backup into the backup folder, then rotate that folder.

    With ``actor`` (a person's "Back up now", administrators and team leads) it is logged;
    the automatic backups pass None.
    """
    if actor is not None:
        require_backup_role(actor)
    when = (now or dt.datetime.now()).replace(microsecond=0)
    folder = backup_folder(db.location, configured)
    target = folder / storage_backup.backup_name(when)
    storage_backup.copy_database(db, target)
    rotate(folder)
    _record_backup(db, actor, "backup")
    summary = BackupSummary(
        path=target,
        created=when,
        size=target.stat().st_size,
        has_keys=storage_backup.keys_companion(target).exists(),
        pre_upgrade=False,
    )
    return Outcome(summary, _BACKUPS)


def newest_backup_time(location: DataLocation, configured: str = "") -> dt.datetime | None:
    regular = [b for b in list_backups(location, configured) if not b.pre_upgrade]
    return regular[0].created if regular else None


def backup_due(
    location: DataLocation, configured: str = "", *, now: dt.datetime | None = None
) -> bool:
    newest = newest_backup_time(location, configured)
    moment = now or dt.datetime.now()
    return newest is None or moment - newest >= BACKUP_INTERVAL or newest > moment


AUTOMATIC_DETAIL = "automatic backup"
AUTOMATIC_FALLBACK_DETAIL = "automatic backup, to the data folder"
AUTOMATIC_FAILED_DETAIL = "automatic backup failed"


def _record_automatic(db: Database, signed_in: Actor | None, detail: str) -> None:
    """One log entry for an automatic backup, under the person signed in while the program
    made it (None: the program alone). The detail names no file and no person. An entry that
    cannot be written (the disk that refused the backup may refuse it too) is left out, and
    the program's log says so: the backup's own outcome is what the user is shown."""
    try:
        with db.begin() as session:
            audit.record(session, signed_in, AuditAction.BACKUP, detail=detail)
    except Exception as exc:  # never mask the backup's own outcome
        log.warning("automatic backup not logged: %s", type(exc).__name__)


def _failure_detail(exc: BaseException) -> str:
    """What the log says about a failed automatic backup: its kind, never its message."""
    from hemlos_desktop.storage.errors import classify

    known = classify(exc)
    return f"{AUTOMATIC_FAILED_DETAIL}: {type(known or exc).__name__}"


def back_up_if_due(
    db: Database,
    configured: str = "",
    *,
    now: dt.datetime | None = None,
    signed_in: Actor | None = None,
) -> Outcome[BackupSummary | None]:
    """The while-running backup: at most one a day (the value is None when none was due).

    When a configured backup folder cannot be used, the backup is still written to the data
    folder, and then ``BackupFolderUnavailableError`` tells the user (with what to do).
    Every backup made here, and every failed one, is one access-log entry under
    ``signed_in`` (no role is needed: the program makes it, not the person)."""
    if not backup_due(db.location, configured, now=now):
        return Outcome(None)
    unavailable = bool(configured.strip()) and (
        backup_folder(db.location, configured) == db.location.backups
    )
    made = _back_up_automatically(db, configured, now=now, signed_in=signed_in)
    if unavailable:
        _record_automatic(db, signed_in, AUTOMATIC_FALLBACK_DETAIL)
        raise BackupFolderUnavailableError("configured backup folder unavailable")
    _record_automatic(db, signed_in, AUTOMATIC_DETAIL)
    return Outcome(made.value, made.changes)


def _back_up_automatically(
    db: Database, configured: str, *, now: dt.datetime | None, signed_in: Actor | None
) -> Outcome[BackupSummary]:
    try:
        return back_up_now(db, configured, now=now)
    except Exception as exc:
        _record_automatic(db, signed_in, _failure_detail(exc))
        raise


def back_up_on_close(
    db: Database, configured: str = "", *, signed_in: Actor | None = None
) -> Outcome[BackupSummary]:
    """The automatic backup when the program closes, logged like :func:`back_up_if_due`."""
    made = _back_up_automatically(db, configured, now=None, signed_in=signed_in)
    _record_automatic(db, signed_in, AUTOMATIC_DETAIL)
    return made


# -- restoring ---------------------------------------------------------------------------------


def check_backup(location: DataLocation, source: Path, *, key: bytes | None = None) -> str:
    """Check a backup file; return its schema revision (raises a known error when it is bad)."""
    db = Database(location, key=key)
    try:
        return storage_backup.check_backup_file(
            db, source, source_key=_backup_key(location, source, key)
        )
    finally:
        db.dispose()


def require_backup_role(actor: Actor) -> None:
    """Backing up is for administrators and team leads."""
    if actor.role not in (Role.ADMIN, Role.TEAM_LEAD):
        raise AccessDeniedError("backup: administrators and team leads")


def require_restore_role(actor: Actor) -> None:
    """Restoring is for administrators only."""
    if actor.role is not Role.ADMIN:
        raise AccessDeniedError("restore: administrators only")


@dataclass(frozen=True)
class _CarriedState:
    """What a restore keeps from the database it replaces: newer log entries and purges."""

    entries: list[audit.LogEntry]
    purged: dict[int, dt.datetime]


def _state_to_carry(db: Database, source: Path, source_key: bytes | None) -> _CarriedState:
    """Read, from the current database, the log entries the backup lacks and every purge.

    Read through a read-only connection, which leaves the file and its ``-wal`` exactly as
    they are for the copy kept aside.
    """
    if not db.path.exists():
        return _CarriedState([], {})
    backup_head = storage_backup.read_log_head(db, source, source_key=source_key)
    number, _sep, digest = (backup_head or "0:").partition(":")
    backup_last = int(number or 0)
    try:
        conn = db.raw_connection(read_only=True)
    except Exception:
        log.warning("the current database could not be opened; nothing carried over")
        return _CarriedState([], {})
    try:
        row = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (backup_last,)).fetchone()
        same_chain = backup_last == 0 or (row is not None and row[0] == digest)
        entries = [
            audit.LogEntry(
                int(r[0]), dt.datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8]
            )
            for r in conn.execute(
                "SELECT id, at, user_id, username, client_id, action, detail, prev_hash, hash "
                "FROM audit_log WHERE id > ? ORDER BY id",
                (backup_last if same_chain else 0,),
            )
        ]
        try:
            purged = {
                int(r[0]): dt.datetime.fromisoformat(r[1])
                for r in conn.execute("SELECT client_id, purged_at FROM purged_clients")
            }
        except Exception:  # a schema from before purges were recorded
            purged = {}
    except Exception:
        log.warning("the current database could not be read; nothing carried over")
        return _CarriedState([], {})
    finally:
        conn.close()
    return _CarriedState(entries, purged)


def restore_backup(
    location: DataLocation,
    source: Path,
    *,
    actor: Actor | None,
    key: bytes | None = None,
    damaged: bool = False,
    caller_holds_lock: bool = False,
    db: Database | None = None,
) -> Outcome[RestoreSummary]:
    """Replace the database in ``location`` with the backup ``source`` (administrators only).

    ``actor`` is None only for the start-up recovery of a damaged database, before anyone can
    sign in. The access-log entries written since the backup was taken are carried into the
    restored database, followed by a "restored from backup" entry; purges done since are done
    again; the key file is left as it is.

    Takes the data folder's lock for the restore (AnotherInstanceError while the program or
    another restore holds it), unless ``caller_holds_lock`` (the running GUI, which holds it).
    An open ``db`` of that folder (the running GUI's) is emptied of connections first, then
    works on the restored file, upgraded to the current schema if the backup is older.
    ``damaged`` names the kept-aside file ``hemlos.db.damaged-<time>``.
    """
    from hemlos_desktop.storage.migrate import upgrade_to_head

    if actor is not None:
        require_restore_role(actor)
    lock = None if caller_holds_lock else InstanceLock(location)
    if lock is not None:
        lock.acquire()
    target = db if db is not None else Database(location, key=key)
    try:
        source_key = _backup_key(location, source, target.data_key)
        revision = storage_backup.check_backup_file(target, source, source_key=source_key)
        carried = _CarriedState([], {}) if damaged else _state_to_carry(target, source, source_key)
        aside = storage_backup.restore_file(
            target,
            source,
            label="damaged" if damaged else "before-restore",
            source_key=source_key,
        )
        target.forget_file_identity()
        upgrade_to_head(target)
        with target.begin() as session:
            audit.carry_entries(session, carried.entries)
            removed = retention.reapply_purges(session, carried.purged)
            audit.record(session, actor, AuditAction.RESTORE, detail="restored from backup")
        if removed:
            retention.vacuum(target)
    finally:
        target.forget_file_identity()
        if db is None:
            target.dispose()
        if lock is not None:
            lock.release()
    log.info("restore carried %d log entries over", len(carried.entries))
    # Every record may differ: every open view reloads.
    return Outcome(
        RestoreSummary(source=source, kept_aside=aside, schema_revision=revision), ChangeSet.all()
    )


def newest_good_backup(
    location: DataLocation,
    configured: str = "",
    *,
    key: bytes | None = None,
    now: dt.datetime | None = None,
) -> BackupSummary | None:
    """The newest backup that passes its check (pre-upgrade copies included); a backup dated
    in the future (made while the clock was wrong) is never the newest good one."""
    latest = (now or dt.datetime.now()) + FUTURE_TOLERANCE
    for item in list_backups(location, configured):
        if item.created > latest:
            log.warning("skipping a backup dated in the future (%s)", item.path.name)
            continue
        try:
            check_backup(location, item.path, key=key)
        except HemlosError:
            log.warning("skipping a backup that fails its check (%s)", item.path.name)
            continue
        return item
    return None
