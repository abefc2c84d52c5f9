"""Conflicts: a field two machines changed while apart keeps both values until someone decides.

The server kept the value it took first (every laptop shows it); the other value is held here
with who saved it, when and on which machine. Resolving one is a use case: it sets the field
(an ordinary change that syncs like any other), closes the conflict, sends a resolution marker
so that every laptop closes it too, and writes one access-log entry.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import InvalidInputError, NotFoundError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.base import Base, DatabaseInfo, utcnow
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import Team, User
from hemlos_desktop.models.sync import SyncChange
from hemlos_desktop.models.sync_state import SyncConflict
from hemlos_desktop.models.text import fold, sort_name
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, require_write, visible_clients_clause
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.sync_records import (
    DELETION_FIELD,
    RESOLUTION_TABLE,
    Ids,
    MissingReference,
    kinds_of,
    referred_table,
    table_of,
    to_stored,
)
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.change_capture import MACHINE_UID_KEY

# The view a conflict is shown in, most specific first.
_KIND_ORDER = (
    ChangeKind.HOUSING,
    ChangeKind.JOURNAL,
    ChangeKind.CONTACTS,
    ChangeKind.RATING,
    ChangeKind.PLAN,
    ChangeKind.INSTRUMENT,
    ChangeKind.HEADER,
    ChangeKind.USERS,
    ChangeKind.TEAM,
)


class Resolution(enum.Enum):
    KEEP_CURRENT = "current"  # the value every machine shows now
    TAKE_HELD = "held"  # the value that was held back
    CHOSEN = "chosen"  # another value, given by the person


@dataclass(frozen=True)
class ConflictSide:
    value: Any
    display: str
    username: str
    machine_uid: str
    changed_at: dt.datetime
    this_machine: bool


@dataclass(frozen=True)
class Conflict:
    uid: str
    table: str
    field: str
    record_uid: str
    client_id: int | None
    kind: ChangeKind
    current: ConflictSide
    held: ConflictSide
    resolved: bool
    # A deletion against a change made while apart: "current" keeps the record (with the
    # change), "held" deletes it.
    deletion: bool = False


def _kind(table: str) -> ChangeKind:
    kinds = kinds_of(table)
    return next((kind for kind in _KIND_ORDER if kind in kinds), ChangeKind.TEAM)


def _machine(session: Session) -> str:
    return str(
        session.scalar(select(DatabaseInfo.value).where(DatabaseInfo.key == MACHINE_UID_KEY)) or ""
    )


def _display(session: Session, table: str, field: str, value: Any) -> str:
    """A value as a person reads it: a reference by the name of what it names."""
    if field == DELETION_FIELD:
        return _("deleted") if value == "deleted" else _("changed (keep the record)")
    if value is None:
        return ""
    model = table_of(table)
    column = model.c[field] if model is not None and field in model.c else None
    referred = referred_table(model, column) if model is not None and column is not None else None
    if referred == "users":
        name = session.scalar(select(User.display_name).where(User.uid == value))
        return str(name) if name else ""
    if referred == "teams":
        name = session.scalar(select(Team.name).where(Team.uid == value))
        return str(name) if name else ""
    if referred == "clients":
        row = session.execute(
            select(Client.first_name, Client.last_name).where(Client.uid == value)
        ).first()
        return f"{row.first_name} {row.last_name}".strip() if row else ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def _side(session: Session, row: SyncConflict, machine: str, *, current: bool) -> ConflictSide:
    value = json.loads(row.current_value if current else row.held_value)
    who = row.current_machine if current else row.held_machine
    return ConflictSide(
        value=value,
        display=_display(session, row.table_name, row.field, value),
        username=row.current_username if current else row.held_username,
        machine_uid=who,
        changed_at=row.current_at if current else row.held_at,
        this_machine=bool(who) and who == machine,
    )


def _visible_query(actor: Actor, client_id: int | None, include_resolved: bool) -> Any:
    visible_uids = select(Client.uid).where(visible_clients_clause(actor))
    query = select(SyncConflict).where(
        SyncConflict.client_uid.is_(None) | SyncConflict.client_uid.in_(visible_uids)
    )
    if client_id is not None:
        query = query.where(
            SyncConflict.client_uid
            == select(Client.uid).where(Client.id == client_id).scalar_subquery()
        )
    if not include_resolved:
        query = query.where(SyncConflict.resolved_at.is_(None))
    return query


def list_conflicts(
    db: Database, actor: Actor, *, client_id: int | None = None, include_resolved: bool = False
) -> list[Conflict]:
    """The conflicts of the records ``actor`` may see, oldest first."""
    with db.read() as session:
        machine = _machine(session)
        rows = session.scalars(
            _visible_query(actor, client_id, include_resolved).order_by(SyncConflict.id)
        ).all()
        client_ids = {
            str(uid): int(cid)
            for uid, cid in session.execute(
                select(Client.uid, Client.id).where(
                    Client.uid.in_({r.client_uid for r in rows if r.client_uid})
                )
            )
        }
        return [
            Conflict(
                uid=row.uid,
                table=row.table_name,
                field=row.field,
                record_uid=row.record_uid,
                client_id=client_ids.get(row.client_uid or ""),
                kind=_kind(row.table_name),
                current=_side(session, row, machine, current=True),
                held=_side(session, row, machine, current=False),
                resolved=row.resolved_at is not None,
                deletion=row.field == DELETION_FIELD,
            )
            for row in rows
        ]


def open_conflict_count(db: Database, actor: Actor, *, client_id: int | None = None) -> int:
    with db.read() as session:
        query = _visible_query(actor, client_id, False).subquery()
        return int(session.scalar(select(func.count()).select_from(query)) or 0)


def resolve_conflict(
    db: Database,
    actor: Actor,
    conflict_uid: str,
    choice: Resolution,
    value: Any = None,
) -> Outcome[None]:
    """Decide a conflict: the chosen value becomes the record's (and syncs), the conflict is
    closed here and, after the next sync, on every laptop."""
    require_write(actor)
    with db.begin() as session:
        row = session.scalar(
            _visible_query(actor, None, False).where(SyncConflict.uid == conflict_uid)
        )
        if row is None:
            raise NotFoundError("conflict")
        if choice is Resolution.KEEP_CURRENT:
            chosen = json.loads(row.current_value)
        elif choice is Resolution.TAKE_HELD:
            chosen = json.loads(row.held_value)
        else:
            chosen = value
        client_id = _set_field(session, row, chosen)
        now = utcnow()
        row.resolved_at, row.resolved_by, row.resolution = now, actor.username, choice.value
        session.execute(
            insert(SyncChange).values(
                table_name=RESOLUTION_TABLE,
                record_uid=row.uid,
                op="resolve",
                fields=json.dumps({"resolution": choice.value}),
                immutable=False,
                client_uid=row.client_uid,
                user_uid=session.scalar(select(User.uid).where(User.id == actor.user_id)),
                username=actor.username,
                machine_uid=_machine(session),
                changed_at=now,
                sent_at=None,
            )
        )
        audit.record(
            session, actor, AuditAction.CHANGE, client_id=client_id, detail="sync conflict decided"
        )
    kinds = kinds_of(row.table_name)
    return Outcome(None, ChangeSet.of(kinds, client_id) if client_id else ChangeSet.of(kinds))


def _set_field(session: Session, row: SyncConflict, value: Any) -> int | None:
    """Give the record's field ``value`` through the ORM, so the change is captured and syncs;
    the local id of the record's client."""
    table = table_of(row.table_name)
    deletion = row.field == DELETION_FIELD
    if table is None or (row.field not in table.c and not deletion):
        raise InvalidInputError(_("This conflict cannot be decided here."))
    if deletion and value not in ("kept", "deleted"):
        raise InvalidInputError(_("Decide whether the record is kept or deleted."))
    ids = Ids(session.connection())
    client_id = ids.id_of("clients", row.client_uid) if row.client_uid else None
    where = ids.where(table, row.record_uid)
    mapper = next(m for m in Base.registry.mappers if m.local_table is table)
    record = session.scalar(select(mapper.class_).where(where)) if where is not None else None
    if record is None:
        return client_id  # removed meanwhile: nothing to set
    if deletion:
        if value == "deleted":
            session.delete(record)  # captured: the deletion syncs like any other
        return client_id
    try:
        stored = to_stored(table, row.field, value, ids)
    except (MissingReference, ValueError) as exc:
        raise InvalidInputError(_("This value cannot be used here.")) from exc
    setattr(record, mapper.get_property_by_column(table.c[row.field]).key, stored)
    if isinstance(record, Client) and row.field in ("first_name", "last_name", "alias"):
        # The search and sort keys follow the name, as when the form saves it.
        record.name_search = fold(f"{record.first_name} {record.last_name} {record.alias}")
        record.first_name_fold = fold(record.first_name)
        record.last_name_fold = fold(record.last_name)
        record.sort_name = sort_name(record.last_name_fold, record.name_search)
    return client_id
