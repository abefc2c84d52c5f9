"""The access and change log: recording, checking the hash chain, viewing and exporting.

One entry per person's action: a use case writes one entry describing what the person did
("viewed the record", "exported a PDF"), in the same transaction as the change itself, so a
change is never kept without its log entry; queries write nothing. A file that leaves the
program is logged once it is complete (:func:`record_written_file`). The newest entry's number and
hash are also kept in ``database_info`` so that removing entries from the end is detected too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Select, Table, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import AccessDeniedError, HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import GENESIS_HASH, AuditAction, AuditEntry, entry_hash
from hemlos_desktop.models.base import DatabaseInfo, new_uid, ordered_uids, utcnow
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import Role
from hemlos_desktop.models.spreadsheet_safety import csv_safe_row
from hemlos_desktop.services.actor import Actor, visible_clients_clause
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.bulk import insert_rows
from hemlos_desktop.storage.bulk_capture import capture_inserts
from hemlos_desktop.storage.change_capture import ACTOR_INFO_KEY
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.storage.files import atomic_binary

HEAD_KEY = "audit_head"
EMPTY_LOG = "log empty while clients exist"
BATCH = 5000


def record(
    session: Session,
    actor: Actor | None,
    action: AuditAction,
    *,
    client_id: int | None = None,
    detail: str = "",
) -> None:
    """Append one entry to the chain inside the caller's (write) transaction."""
    _append(session, actor, action, [client_id], detail)


def record_many(
    session: Session,
    actor: Actor | None,
    action: AuditAction,
    client_ids: Sequence[int],
    *,
    detail: str = "",
    bulk: bool = False,
) -> None:
    """One entry per client, chained in order, written with one flush (bulk work). With
    ``bulk`` the entries go to SQLite as one prepared statement and are captured for the
    outbox as a batch (``bulk_capture.capture_inserts``): the same rows, far fewer Python
    objects, for an import of hundreds of thousands of clients."""
    _append(session, actor, action, list(client_ids), detail, bulk=bulk)


def _append(
    session: Session,
    actor: Actor | None,
    action: AuditAction,
    client_ids: Sequence[int | None],
    detail: str,
    *,
    bulk: bool = False,
) -> None:
    if not client_ids:
        return
    if actor is not None:
        # The changes of this transaction are attributed to the person acting.
        session.info[ACTOR_INFO_KEY] = actor
    if bulk:
        session.flush()  # what the ORM holds is captured (and numbered) before these entries
    head = session.get(DatabaseInfo, HEAD_KEY)
    if head is None:
        last_id, prev_hash = 0, GENESIS_HASH
    else:
        number, _sep, prev_hash = head.value.partition(":")
        last_id = int(number)
    at = utcnow()
    user_id = actor.user_id if actor is not None else None
    username = actor.username if actor is not None else ""
    entries: list[dict[str, Any]] = []
    # Bulk entries take ids in ascending order (appended to the uid index in runs).
    uids = ordered_uids(len(client_ids)) if bulk else [new_uid() for _id in client_ids]
    for client_id, uid in zip(client_ids, uids, strict=True):
        entry_id = last_id + 1
        digest = entry_hash(
            entry_id=entry_id,
            at=at,
            user_id=user_id,
            username=username,
            client_id=client_id,
            action=action.value,
            detail=detail[:200],
            prev_hash=prev_hash,
        )
        entries.append(
            {
                "id": entry_id,
                "at": at,
                "user_id": user_id,
                "username": username,
                "client_id": client_id,
                "action": action.value,
                "detail": detail[:200],
                "prev_hash": prev_hash,
                "hash": digest,
                "uid": uid,
            }
        )
        last_id, prev_hash = entry_id, digest
    if bulk:
        insert_rows(session, AuditEntry, entries)
        capture_inserts(session, cast(Table, AuditEntry.__table__), entries)
    else:
        session.add_all(AuditEntry(**entry) for entry in entries)
    value = f"{last_id}:{prev_hash}"
    if head is None:
        session.add(DatabaseInfo(key=HEAD_KEY, value=value))
    else:
        head.value = value
    session.flush()


def record_written_file(
    db: Database,
    actor: Actor | None,
    path: Path,
    action: AuditAction,
    *,
    detail: str,
    client_ids: Sequence[int] = (),
) -> None:
    """Log a file the person exported or printed, once it is complete on disk: one entry (one
    per client for a list of clients). If the entry cannot be committed, the file is removed
    again, so that no file leaves the program unlogged."""
    try:
        with db.begin() as session:
            if client_ids:
                record_many(session, actor, action, client_ids, detail=detail)
            else:
                record(session, actor, action, detail=detail)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class ChainReport:
    verified: int
    ok: bool
    first_bad_id: int | None = None
    problem: str = ""


def verify_chain(db: Database) -> ChainReport:
    """Recompute every hash in order; the first entry that does not fit is named."""
    expected_prev = GENESIS_HASH
    expected_id = 1
    verified = 0
    with db.read() as session:
        head = session.get(DatabaseInfo, HEAD_KEY)
        last_id = 0
        while True:
            batch = list(
                session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.id > last_id)
                    .order_by(AuditEntry.id)
                    .limit(BATCH)
                )
            )
            if not batch:
                break
            for entry in batch:
                if entry.id != expected_id:
                    return ChainReport(verified, False, expected_id, "missing entry")
                digest = entry_hash(
                    entry_id=entry.id,
                    at=entry.at,
                    user_id=entry.user_id,
                    username=entry.username,
                    client_id=entry.client_id,
                    action=entry.action,
                    detail=entry.detail,
                    prev_hash=entry.prev_hash,
                )
                if entry.prev_hash != expected_prev or digest != entry.hash:
                    return ChainReport(verified, False, entry.id, "hash mismatch")
                expected_prev = entry.hash
                expected_id += 1
                verified += 1
            last_id = batch[-1].id
        head_value = head.value if head is not None else None
        has_clients = session.scalar(select(Client.id).limit(1)) is not None
    if verified == 0:
        if head_value is not None:
            return ChainReport(0, False, 1, "entries removed")
        if has_clients:
            # Registering a client writes an entry: an empty log beside clients was emptied.
            return ChainReport(0, False, 1, EMPTY_LOG)
        return ChainReport(0, True)
    if head_value != f"{verified}:{expected_prev}":
        return ChainReport(verified, False, verified + 1, "entries removed at the end")
    return ChainReport(verified, True)


@dataclass(frozen=True)
class AuditQuery:
    user_id: int | None = None
    client_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = 5000


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    username: str
    client_id: int | None
    action: AuditAction
    detail: str


def require_reviewer(actor: Actor) -> None:
    """The log is reviewed by administrators, team leads and auditors."""
    if actor.role not in (Role.ADMIN, Role.TEAM_LEAD, Role.READ_ONLY):
        raise AccessDeniedError("audit log")


def view_entries(db: Database, actor: Actor, query: AuditQuery) -> list[AuditRow]:
    """A person looks at the access log: the entries, and one entry saying they looked."""
    rows = list_entries(db, actor, query)
    record_log_viewed(db, actor)
    return rows


def record_log_viewed(db: Database, actor: Actor) -> None:
    """Log that ``actor`` opened the access log (one entry each time it is opened)."""
    require_reviewer(actor)
    with db.begin() as session:
        record(session, actor, AuditAction.VIEW_LOG)


def _filtered(stmt: Select[AuditEntry], query: AuditQuery) -> Select[AuditEntry]:
    """The query's user, client and period filters (one place for the viewer and the export)."""
    if query.user_id is not None:
        stmt = stmt.where(AuditEntry.user_id == query.user_id)
    if query.client_id is not None:
        stmt = stmt.where(AuditEntry.client_id == query.client_id)
    if query.since is not None:
        stmt = stmt.where(AuditEntry.at >= dt.datetime.combine(query.since, dt.time.min))
    if query.until is not None:
        stmt = stmt.where(AuditEntry.at <= dt.datetime.combine(query.until, dt.time.max))
    return stmt


def list_entries(db: Database, actor: Actor, query: AuditQuery) -> list[AuditRow]:
    require_reviewer(actor)
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(query.limit)
    if actor.role is Role.TEAM_LEAD:
        # A team lead reviews what happened to the clients they may see, nothing else.
        stmt = stmt.where(
            AuditEntry.client_id.in_(select(Client.id).where(visible_clients_clause(actor)))
        )
    stmt = _filtered(stmt, query)
    with db.read() as session:
        return [
            AuditRow(e.id, e.at, e.username, e.client_id, AuditAction(e.action), e.detail)
            for e in session.scalars(stmt)
        ]


# The log leaves the program only with administrators and auditors (data-protection officers).
EXPORT_ROLES: frozenset[Role] = frozenset({Role.ADMIN, Role.READ_ONLY})
EXPORT_HEADER = ("time_utc", "user", "action", "client", "record")
EXPORT_DETAIL = "audit log"


class AuditExportWriteError(HemlosError):
    """The CSV file of the access log could not be written."""

    def title(self) -> str:
        return _("The access log could not be exported")

    def message(self) -> str:
        return _("The file could not be written to the chosen place.")

    def advice(self) -> str:
        return _(
            "Check that the folder exists and that you may write there, or choose another "
            "folder or file name."
        )


def require_exporter(actor: Actor) -> None:
    """Exporting the log is for administrators and auditors."""
    if actor.role not in EXPORT_ROLES:
        raise AccessDeniedError("audit export")


def _export_rows(session: Session, query: AuditQuery) -> Iterator[AuditEntry]:
    """Every entry the query selects, oldest first, read in batches (no limit)."""
    last_id = 0
    while True:
        stmt = _filtered(select(AuditEntry).where(AuditEntry.id > last_id), query)
        batch = list(session.scalars(stmt.order_by(AuditEntry.id).limit(BATCH)))
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def export_entries(db: Database, actor: Actor, query: AuditQuery, path: Path) -> int:
    """Write the entries the query selects (all of them, oldest first) as CSV to ``path``:
    one row per entry with its time (UTC), user name, action, the client's internal number
    and the kind of record; nothing else about the client. Returns the number of rows.

    Administrators and auditors only. The export itself is logged once, after the file is
    complete; a file that cannot be written is a known error and nothing is logged.
    """
    require_exporter(actor)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    count = 0
    with db.read() as session:
        for entry in _export_rows(session, query):
            writer.writerow(
                csv_safe_row(
                    [
                        entry.at.isoformat(timespec="seconds"),
                        entry.username,
                        entry.action,
                        entry.client_id if entry.client_id is not None else "",
                        entry.detail,
                    ]
                )
            )
            count += 1
    try:
        with atomic_binary(path) as handle:
            handle.write(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    except HemlosError:
        raise
    except OSError as exc:
        known = classify(exc)
        raise known if known is not None else AuditExportWriteError(f"errno {exc.errno}") from exc
    record_written_file(db, actor, path, AuditAction.EXPORT, detail=EXPORT_DETAIL)
    return count


def client_access_history(db: Database, actor: Actor, client_id: int) -> list[AuditRow]:
    """Who read or changed one client's record, oldest first (for the record extract)."""
    from hemlos_desktop.services.actor import load_visible_client

    with db.read() as session:
        load_visible_client(session, actor, client_id)
        return [
            AuditRow(e.id, e.at, e.username, e.client_id, AuditAction(e.action), e.detail)
            for e in session.scalars(
                select(AuditEntry).where(AuditEntry.client_id == client_id).order_by(AuditEntry.id)
            )
        ]


# -- carrying the log across a restore ---------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    """One access-log entry as stored, to carry into a restored database."""

    id: int
    at: dt.datetime
    user_id: int | None
    username: str
    client_id: int | None
    action: str
    detail: str
    prev_hash: str
    hash: str


def log_head(session: Session) -> tuple[int, str]:
    """(number, hash) of the newest entry; (0, genesis) for an empty log."""
    head = session.get(DatabaseInfo, HEAD_KEY)
    if head is None:
        return 0, GENESIS_HASH
    number, _sep, digest = head.value.partition(":")
    return int(number), digest


def carry_entries(session: Session, entries: Sequence[LogEntry]) -> int:
    """Append ``entries`` (taken from the database a restore replaced) to this log.

    When they continue this log's chain (the usual case: the backup is an earlier state of
    the same log) they are stored exactly as they were, hashes included; otherwise each is
    appended anew with its original time, user, client, action and detail. Returns how many.
    """
    last_id, last_hash = log_head(session)
    if entries and entries[0].id == last_id + 1 and entries[0].prev_hash == last_hash:
        for entry in entries:
            session.add(
                AuditEntry(
                    id=entry.id,
                    at=entry.at,
                    user_id=entry.user_id,
                    username=entry.username,
                    client_id=entry.client_id,
                    action=entry.action,
                    detail=entry.detail,
                    prev_hash=entry.prev_hash,
                    hash=entry.hash,
                )
            )
        _set_head(session, entries[-1].id, entries[-1].hash)
        return len(entries)
    for entry in entries:
        last_id += 1
        digest = entry_hash(
            entry_id=last_id,
            at=entry.at,
            user_id=entry.user_id,
            username=entry.username,
            client_id=entry.client_id,
            action=entry.action,
            detail=entry.detail,
            prev_hash=last_hash,
        )
        session.add(
            AuditEntry(
                id=last_id,
                at=entry.at,
                user_id=entry.user_id,
                username=entry.username,
                client_id=entry.client_id,
                action=entry.action,
                detail=entry.detail,
                prev_hash=last_hash,
                hash=digest,
            )
        )
        last_hash = digest
        session.flush()
    _set_head(session, last_id, last_hash)
    return len(entries)


def _set_head(session: Session, entry_id: int, digest: str) -> None:
    head = session.get(DatabaseInfo, HEAD_KEY)
    value = f"{entry_id}:{digest}"
    if head is None:
        session.add(DatabaseInfo(key=HEAD_KEY, value=value))
    else:
        head.value = value
    session.flush()
