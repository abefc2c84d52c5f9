"""Sync with the team server: push this laptop's changes, pull the team's.

Design (built here and in ``sync_push``, ``sync_pull``, ``sync_join``, ``sync_conflicts``):

* Identity: records travel by ``uid``; integer ids never leave a machine. References in a
  change are uids; applying a change translates them to the receiving side's ids.
* Push: unsent outbox rows in ``seq`` order, in batches, into the server's ``sync_log`` keyed
  by ``(machine_uid, seq)`` with ``ON CONFLICT DO NOTHING``; the server applies a change only
  when its row was new, in the same server transaction. The laptop marks rows sent only after
  the server committed: a kill at any instant leaves either "not sent" (sent again, ignored as
  a duplicate) or "sent". Row-level security checks every applied row as the person's own role.
* Pull: the server numbers what it accepted (``server_seq``, in commit order); the laptop keeps
  the last number it applied in ``database_info`` (same transaction as the changes) and asks
  for what came after, that its user may see. Applied with Core statements, so received
  changes are not captured again.
* Merge: each pushed field carries the server number of the value it was based on. Different
  fields of one record merge by themselves; the same field changed on both sides since the
  base keeps both values as a conflict (who, when, which machine) until someone decides: the
  server keeps the value it took first, every laptop shows it and lists the conflict.
  Immutable records never conflict; drafts never leave the laptop; a deletion wins over a
  change to the deleted record.
* The person's view (``sync_view``): after the log pull, clients the person may see now but
  the laptop does not hold (moved into their team) are copied whole from one snapshot, each
  field based on it; clients they may no longer see are removed from the laptop, unless
  unsent work or a draft on them waits there.
* A new password (``SyncCredentials.previous_password``): the server learns it with the sync
  that carries its verifier, so until then sync signs in with the previous one.
* A joined laptop gets a fresh machine uid from ``join`` (a copied database file must not share
  its sequence with the original).

The password is never stored: :class:`SyncCredentials` is built from what the person typed
when signing in and kept in memory for the session.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.base import DatabaseInfo, utcnow
from hemlos_desktop.models.sync import SyncChange
from hemlos_desktop.models.sync_state import SyncConflict
from hemlos_desktop.services.changes import NO_CHANGES, ChangeSet, Outcome
from hemlos_desktop.services.sync_pull import (
    SERVER_SEQ_KEY,
    apply_batch,
    fetch,
    last_applied,
    set_info,
)
from hemlos_desktop.services.sync_push import accept, lock_log, mark_sent, outbox_batch
from hemlos_desktop.storage import Database, migrate, server
from hemlos_desktop.storage.change_capture import MACHINE_UID_KEY
from hemlos_desktop.storage.server import ServerRefusedError as SyncRefusedError
from hemlos_desktop.storage.server import ServerUnreachableError

log = logging.getLogger(__name__)

SERVER_URL_KEY = "sync_server_url"
JOINED_SEQ_KEY = "sync_joined_seq"
LAST_SYNC_KEY = "sync_last_at"
PUSH_BATCH = 500
PULL_BATCH = 2000

__all__ = [
    "NotJoinedError",
    "OutboxStatus",
    "ServerSchemaMismatchError",
    "ServerUnreachableError",
    "SyncCredentials",
    "SyncPhase",
    "SyncProgress",
    "SyncRefusedError",
    "SyncResult",
    "SyncStatus",
    "credentials_for",
    "is_joined",
    "outbox_status",
    "sync",
    "sync_status",
]


class NotJoinedError(HemlosError):
    def title(self) -> str:
        return _("Not joined to a team server")

    def message(self) -> str:
        return _("This computer has not joined a team server, so there is nothing to sync.")

    def advice(self) -> str:
        return _("Join a team server first: hemlos-desktop join --server URL.")


class ServerSchemaMismatchError(HemlosError):
    def title(self) -> str:
        return _("The team server has another version")

    def message(self) -> str:
        return _("The team server's schema does not match this version of the program.")

    def advice(self) -> str:
        return _(
            "Ask IT to run hemlos-desktop server upgrade, or update the program on this "
            "computer. Your work on this computer is kept."
        )


@dataclass(frozen=True)
class SyncCredentials:
    """Who signs in to the server: the person's user name and password (never stored).

    ``previous_password``: after the person changed their password here, the server knows
    the new one only once the sync carrying it has arrived; until then sync falls back to
    the previous one."""

    url: str
    username: str
    password: str = field(repr=False)
    previous_password: str | None = field(default=None, repr=False)


class SyncPhase(enum.Enum):
    PUSH = "push"
    PULL = "pull"
    JOIN = "join"


@dataclass(frozen=True)
class SyncProgress:
    phase: SyncPhase
    done: int
    total: int | None


@dataclass(frozen=True)
class SyncResult:
    sent: int
    received: int
    new_conflicts: int
    refused: int
    complete: bool
    finished_at: dt.datetime
    # The credentials for the next sync: the password that worked (only the new one once
    # the sync that carried it has arrived).
    credentials: SyncCredentials | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class OutboxStatus:
    """How much this laptop has to send: changes waiting, and when the oldest was made."""

    unsent: int
    oldest: dt.datetime | None


@dataclass(frozen=True)
class SyncStatus:
    joined: bool
    server_url: str | None
    last_sync_at: dt.datetime | None
    unsent: int
    open_conflicts: int
    last_server_seq: int


Progress = Callable[[SyncProgress], None]
Cancelled = Callable[[], bool]


def outbox_status(db: Database) -> OutboxStatus:
    with db.read() as session:
        count, oldest = session.execute(
            select(func.count(), func.min(SyncChange.changed_at)).where(
                SyncChange.sent_at.is_(None)
            )
        ).one()
    return OutboxStatus(unsent=int(count), oldest=oldest)


def _info(db: Database) -> dict[str, str]:
    with db.read() as session:
        return {row.key: row.value for row in session.scalars(select(DatabaseInfo))}


def is_joined(db: Database) -> bool:
    return bool(_info(db).get(SERVER_URL_KEY))


def sync_status(db: Database) -> SyncStatus:
    info = _info(db)
    outbox = outbox_status(db)
    with db.read() as session:
        conflicts = session.scalar(
            select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        )
    last = info.get(LAST_SYNC_KEY)
    return SyncStatus(
        joined=bool(info.get(SERVER_URL_KEY)),
        server_url=info.get(SERVER_URL_KEY) or None,
        last_sync_at=dt.datetime.fromisoformat(last) if last else None,
        unsent=outbox.unsent,
        open_conflicts=int(conflicts or 0),
        last_server_seq=int(info.get(SERVER_SEQ_KEY) or 0),
    )


def credentials_for(db: Database, username: str, password: str) -> SyncCredentials:
    """The person's credentials for the server this laptop joined."""
    url = _info(db).get(SERVER_URL_KEY)
    if not url:
        raise NotJoinedError("no server address")
    return SyncCredentials(url=url, username=username, password=password)


def check_schema(conn: Connection) -> None:
    if server.current_revision(conn) != migrate.head_revision():
        raise ServerSchemaMismatchError("server revision differs")


def sync(
    db: Database,
    credentials: SyncCredentials,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Outcome[SyncResult]:
    """Send this laptop's changes and receive the team's (blocking; run it off the GUI
    thread). Interrupted at any instant, the next sync simply resumes."""
    info = _info(db)
    if not info.get(SERVER_URL_KEY):
        raise NotJoinedError("no server address")
    machine = info[MACHINE_UID_KEY]
    joined_seq = int(info.get(JOINED_SEQ_KEY) or 0)
    stop = cancelled or (lambda: False)
    report = progress or (lambda _p: None)
    engine, fallback = _sign_in(credentials)
    try:
        with server.connect(engine) as conn:
            check_schema(conn)
            conn.commit()
            run = _Run(
                db,
                conn,
                machine=machine,
                joined_seq=joined_seq,
                username=credentials.username,
                report=report,
                stop=stop,
            )
            complete = run.push() and run.pull() and run.follow_view()
    except DBAPIError as exc:
        if exc.connection_invalidated or _is_connection_failure(exc):
            log.warning("team server connection lost during sync (%s)", type(exc.orig).__name__)
            raise ServerUnreachableError("connection lost") from None
        raise
    finally:
        engine.dispose()
    finished = utcnow()
    if complete:
        with db.begin_core() as local:
            set_info(local, LAST_SYNC_KEY, finished.isoformat())
    keep = credentials
    if not fallback or (complete and outbox_status(db).unsent == 0):
        # The new password worked, or the sync that carried it has arrived: only it from now.
        keep = replace(credentials, previous_password=None)
    result = SyncResult(
        sent=run.sent,
        received=run.received,
        new_conflicts=run.conflicts,
        refused=run.refused,
        complete=complete,
        finished_at=finished,
        credentials=keep,
    )
    return Outcome(result, run.changes)


def _sign_in(credentials: SyncCredentials) -> tuple[Engine, bool]:
    """An engine for the password the server accepts (the new one first, else the previous
    one) and whether it is the previous one."""
    engine = server.user_engine(credentials.url, credentials.username, credentials.password)
    if not credentials.previous_password:
        return engine, False
    try:
        server.connect(engine).close()
        return engine, False
    except SyncRefusedError:
        engine.dispose()
        log.info("the team server does not know the new password yet: the previous one is used")
    previous = credentials.previous_password
    return server.user_engine(credentials.url, credentials.username, previous), True


def _is_connection_failure(exc: DBAPIError) -> bool:
    from psycopg import OperationalError

    return isinstance(exc.orig, OperationalError)


class _Run:
    """One sync: the two connections, what was done, and the progress to report."""

    def __init__(
        self,
        db: Database,
        conn: Connection,
        *,
        machine: str,
        joined_seq: int,
        username: str,
        report: Progress,
        stop: Cancelled,
    ) -> None:
        self.db, self.conn, self.machine = db, conn, machine
        self.joined_seq, self.username = joined_seq, username
        self.report, self.stop = report, stop
        self.sent = self.received = self.conflicts = self.refused = 0
        self.changes: ChangeSet = NO_CHANGES

    def push(self) -> bool:
        db, conn = self.db, self.conn
        total = outbox_status(db).unsent
        self.report(SyncProgress(SyncPhase.PUSH, 0, total))
        while True:
            if self.stop():
                return False
            with db.read() as session:
                batch = outbox_batch(session.connection(), self.joined_seq, PUSH_BATCH)
            if not batch:
                return True
            with conn.begin():
                lock_log(conn)
                accepted = accept(conn, self.machine, self.username, batch)
            # Only now, after the server committed: a kill before this line sends them again.
            with db.begin_core() as local:
                mark_sent(local, [a.seq for a in accepted])
            self.sent += sum(1 for a in accepted if not a.duplicate and not a.refused)
            self.refused += sum(1 for a in accepted if a.refused)
            done = min(self.sent + self.refused, total)
            self.report(SyncProgress(SyncPhase.PUSH, done, total))

    def pull(self) -> bool:
        db, conn = self.db, self.conn
        self.report(SyncProgress(SyncPhase.PULL, 0, None))
        while True:
            if self.stop():
                return False
            with db.read() as session:
                after = last_applied(session.connection())
            with conn.begin():
                changes, upto = fetch(conn, after, PULL_BATCH)
            if upto == after and not changes:
                return True
            with db.begin_core() as local:
                stats = apply_batch(local, self.machine, changes, upto)
            self.received += stats.received
            self.conflicts += stats.conflicts
            if stats.kinds:
                self.changes = self.changes | ChangeSet.of(stats.kinds, *stats.client_ids)
            self.report(SyncProgress(SyncPhase.PULL, self.received, None))
            if len(changes) < PULL_BATCH:
                return True

    def follow_view(self) -> bool:
        """Clients who entered the person's view are copied, those who left it removed
        (``sync_view``); after a copy, the log since the copy's snapshot follows."""
        from hemlos_desktop.services.sync_view import follow_view

        if self.stop():
            return False
        view = follow_view(self.db, self.conn, self.machine)
        stats = view.stats
        self.received += stats.received
        if stats.kinds:
            self.changes = self.changes | ChangeSet.of(stats.kinds, *stats.client_ids)
        if view.removed:
            self.changes = ChangeSet.all()
        return self.pull() if view.copied else True
