"""Change capture: every change to a synced record lands in the outbox in the same transaction.

Installed on the Database's session factories. After each flush the new, changed and deleted
rows of synced tables become ``sync_changes`` rows (see ``models/sync.py``), and updates bump
the ``sync_field_clocks`` of the fields they touched (inserts write none); ORM bulk deletes
(``session.execute(delete(...))``) are captured just before they run, Core bulk inserts by
``storage/bulk_capture.py``. References to other
records are written as the referred record's uid, because integer ids are local to one machine.

Attribution: the actor of the use case (``services.audit.record`` puts it on the session), else
the user the database was opened for (``Database.attribution``), else the system (empty name).
Drafts (journal entries and ratings not yet signed) stay on the laptop: they are not captured
until they are signed, and the signing change carries the whole record.
"""

from __future__ import annotations

import datetime as dt
import json
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Table, delete, event, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from hemlos_desktop.models.base import Base, DatabaseInfo, utcnow
from hemlos_desktop.models.sync import SyncChange

# The tables whose records travel between laptops and the team server.
SYNCED_TABLES: tuple[str, ...] = (
    "teams",
    "users",
    "team_units",  # before team_members, which refer to a unit
    "team_members",
    "clients",
    "client_target_groups",
    "housing_periods",
    "journal_entries",
    "outreach_contacts",
    "instrument_versions",
    "assessments",
    "assessment_areas",
    "plans",
    "plan_versions",
    "audit_log",
    # The team area (boendelots): its organisation, who does what, evictions, meetings.
    "team_partners",
    "member_competences",
    "client_responsibilities",
    "client_releases",
    "eviction_cases",
    "review_meetings",
    "meeting_participants",
    "agenda_items",
    "meeting_actions",
    # A user's PostgreSQL role on the team server (models/server_login.py).
    "server_logins",
)
# Local bookkeeping and data derived from synced records on each machine.
LOCAL_TABLES: tuple[str, ...] = (
    "database_info",
    "purged_clients",
    "plan_due_items",
    "sync_changes",
    "sync_field_clocks",
    "alembic_version",
    # The sync engine's own records (models/sync_state.py): the server's log and field
    # states, each laptop's field bases and conflicts.
    "sync_log",
    "sync_field_state",
    "sync_field_base",
    "sync_conflicts",
)
# Never sent as fields: the local id, the record's identity, and the local edit time.
_NOT_FIELDS = frozenset({"id", "uid", "updated_at"})
# Plain integer columns that name a record without a foreign key (the access log outlives them).
_LOGICAL_REFS = {("audit_log", "user_id"): "users", ("audit_log", "client_id"): "clients"}
# Records that belong to a client through a parent record: table -> (parent table, column).
_CLIENT_VIA = {
    "assessment_areas": ("assessments", "assessment_id"),
    "plan_versions": ("plans", "plan_id"),
}
# Tables whose unsigned rows are drafts that stay on this laptop.
DRAFT_TABLES = frozenset({"journal_entries", "assessments"})

ACTOR_INFO_KEY = "hemlos_actor"
PENDING_INFO_KEY = "hemlos_sync_pending"
MACHINE_UID_KEY = "database_uid"


@dataclass(frozen=True)
class Attribution:
    user_uid: str | None
    username: str


def is_immutable(table: str, values: Mapping[str, Any]) -> bool:
    """Records that never change once they are final, and so never conflict."""
    if table == "audit_log":
        return True
    if table in DRAFT_TABLES:
        return values.get("status") == "signed"
    if table == "plan_versions":
        return values.get("agreed_on") is not None
    return False


def _is_draft(table: str, values: Mapping[str, Any]) -> bool:
    return table in DRAFT_TABLES and values.get("status") != "signed"


# Rows that belong to a draft through their parent: table -> (parent table, column).
_DRAFT_PARTS = {"assessment_areas": ("assessments", "assessment_id")}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


class _Capture:
    """The per-flush work: resolves references to uids (cached for the flush)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._uids: dict[tuple[str, int], str | None] = {}
        self.rows: list[dict[str, Any]] = []

    def uid_of(self, table: str, row_id: int | None) -> str | None:
        if row_id is None:
            return None
        key = (table, row_id)
        if key not in self._uids:
            found = self.session.connection().execute(
                text(f"SELECT uid FROM {table} WHERE id = :id"), {"id": row_id}
            )
            self._uids[key] = found.scalar()
        return self._uids[key]

    def part_of_draft(self, table: str, values: Mapping[str, Any]) -> bool:
        parent = _DRAFT_PARTS.get(table)
        if parent is None:
            return False
        parent_table, column = parent
        status = self.session.connection().execute(
            text(f"SELECT status FROM {parent_table} WHERE id = :id"), {"id": values.get(column)}
        )
        return status.scalar() != "signed"

    def add_parts(self, table: Table, values: Mapping[str, Any]) -> None:
        """A record signed just now brings its parts along (they were drafts until now)."""
        for part, (parent_table, column) in _DRAFT_PARTS.items():
            if parent_table != table.name:
                continue
            part_table = Base.metadata.tables[part]
            rows = self.session.connection().execute(
                select(part_table).where(part_table.c[column] == values.get("id"))
            )
            for row in rows.mappings():
                self.add(part_table, "insert", dict(row), row.keys())

    def client_uid_of(self, table: str, values: Mapping[str, Any]) -> str | None:
        """The client a record belongs to (for purging and, later, for what a user may pull)."""
        if table == "clients":
            uid = values.get("uid")
            return str(uid) if uid is not None else None
        if "client_id" in values:
            return self.uid_of("clients", values.get("client_id"))
        parent = _CLIENT_VIA.get(table)
        if parent is None:
            return None
        parent_table, column = parent
        row_id = values.get(column)
        if row_id is None:
            return None
        found = self.session.connection().execute(
            text(
                f"SELECT c.uid FROM clients c JOIN {parent_table} p ON p.client_id = c.id "
                "WHERE p.id = :id"
            ),
            {"id": row_id},
        )
        return found.scalar()

    def record_uid(self, table: Table, values: Mapping[str, Any]) -> str | None:
        if "uid" in table.c:
            uid = values.get("uid")
            return str(uid) if uid is not None else None
        # Link tables: identified by the uids of the records they join (and their own key).
        parts: list[str] = []
        for column in table.primary_key.columns:
            fk = next(iter(column.foreign_keys), None)
            value = values.get(column.name)
            if fk is not None:
                ref = self.uid_of(fk.column.table.name, value)
                if ref is None:
                    return None
                parts.append(ref)
            else:
                parts.append(str(value))
        return "/".join(parts)

    def prefetch(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Look up, a few hundred at a time, the uids that ``add`` will ask for one by one."""
        wanted: dict[str, set[int]] = {}
        for name, referred in _references(table).items():
            ids = {row[name] for row in rows if row.get(name) is not None}
            wanted.setdefault(referred, set()).update(ids)
        if "client_id" in table.c and table.name != "clients":
            wanted.setdefault("clients", set()).update(
                row["client_id"] for row in rows if row.get("client_id") is not None
            )
        conn = self.session.connection()
        for referred, ids in wanted.items():
            todo = sorted(i for i in ids if (referred, i) not in self._uids)
            for start in range(0, len(todo), 500):
                chunk = todo[start : start + 500]
                marks = ", ".join("?" for _id in chunk)
                found: dict[int, str | None] = dict(
                    conn.exec_driver_sql(
                        f"SELECT id, uid FROM {referred} WHERE id IN ({marks})", tuple(chunk)
                    ).all()
                )
                for row_id in chunk:
                    self._uids[(referred, row_id)] = found.get(row_id)

    def field_values(self, table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        references = _references(table)
        for name, value in values.items():
            # The access log's number is part of its hash chain, which the server verifies.
            if name in _NOT_FIELDS and not (table.name == "audit_log" and name == "id"):
                continue
            referred = references.get(name)
            if referred is not None:
                fields[name] = self.uid_of(referred, value)
                if table.name == "audit_log":
                    # The entry's hash covers this machine's numbers: the server verifies each
                    # machine's chain with them (services/server_audit.py).
                    fields[f"hash_{name}"] = value
            else:
                fields[name] = _plain(value)
        return fields

    def add(self, table: Table, op: str, values: Mapping[str, Any], changed: Iterable[str]) -> None:
        record_uid = self.record_uid(table, values)
        if record_uid is None:
            return
        fields = self.field_values(table, {name: values.get(name) for name in changed})
        self.rows.append(
            {
                "table_name": table.name,
                "record_uid": record_uid,
                "op": op,
                "fields": fields,
                "immutable": is_immutable(table.name, values),
                "client_uid": self.client_uid_of(table.name, values),
            }
        )


_REFERENCES: dict[str, dict[str, str]] = {}


def _references(table: Table) -> dict[str, str]:
    """The columns of ``table`` that name another record: column -> the referred table."""
    found = _REFERENCES.get(table.name)
    if found is None:
        found = {}
        for column in table.columns:
            fk = next(iter(column.foreign_keys), None)
            referred = (
                fk.column.table.name
                if fk is not None
                else _LOGICAL_REFS.get((table.name, column.name))
            )
            if referred is not None:
                found[column.name] = referred
        _REFERENCES[table.name] = found
    return found


def _state_values(obj: Any, table: Table) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for column in table.columns:
        key = state.mapper.get_property_by_column(column).key
        if key in state.dict:
            values[column.name] = state.dict[key]
        elif not state.deleted and not state.was_deleted:
            values[column.name] = getattr(obj, key)
        else:
            values[column.name] = state.attrs[key].loaded_value
    return values


def _changed_columns(obj: Any, table: Table) -> list[str]:
    state = inspect(obj)
    changed: list[str] = []
    for column in table.columns:
        attr = state.mapper.get_property_by_column(column)
        history = state.attrs[attr.key].history
        if history.has_changes() and list(history.deleted) != list(history.added):
            changed.append(column.name)
    return changed


def _table_of(obj: Any) -> Table | None:
    table = getattr(type(obj), "__table__", None)
    if isinstance(table, Table) and table.name in SYNCED_TABLES:
        return table
    return None


def _on_after_flush(session: Session, _flush_context: Any) -> None:
    capture = _Capture(session)
    for obj in session.new:
        table = _table_of(obj)
        if table is None:
            continue
        values = _state_values(obj, table)
        if not _is_draft(table.name, values) and not capture.part_of_draft(table.name, values):
            capture.add(table, "insert", values, values.keys())
    for obj in session.dirty:
        table = _table_of(obj)
        if table is None or not session.is_modified(obj, include_collections=False):
            continue
        values = _state_values(obj, table)
        if _is_draft(table.name, values) or capture.part_of_draft(table.name, values):
            continue
        changed = [name for name in _changed_columns(obj, table) if name not in _NOT_FIELDS]
        if not changed:
            continue
        if table.name in DRAFT_TABLES and "status" in changed:
            # Signed just now: the team sees the record for the first time, all of it.
            capture.add(table, "insert", values, values.keys())
            capture.add_parts(table, values)
        else:
            capture.add(table, "update", values, changed)
    for obj in session.deleted:
        table = _table_of(obj)
        if table is None:
            continue
        values = _state_values(obj, table)
        if not _is_draft(table.name, values) and not capture.part_of_draft(table.name, values):
            capture.add(table, "delete", values, ())
    session.info.setdefault(PENDING_INFO_KEY, []).extend(capture.rows)


def _on_orm_execute(state: ORMExecuteState) -> Any:
    """Bulk deletes and ORM bulk updates of synced rows (``session.execute(update(Model)...)``).

    Core statements on tables (``update(table)``) are not captured: that is how received
    changes are applied, and they must not travel back.
    """
    table = getattr(state.statement, "table", None)
    if not isinstance(table, Table) or table.name not in SYNCED_TABLES:
        return None
    if state.is_delete:
        _capture_bulk_delete(state, table)
    elif state.is_update and state.is_orm_statement:
        return _capture_bulk_update(state, table)
    return None


def _capture_bulk_delete(state: ORMExecuteState, table: Table) -> None:
    """Capture each row before the statement removes it."""
    session = state.session
    where = getattr(state.statement, "whereclause", None)
    query = select(table) if where is None else select(table).where(where)
    rows = session.connection().execute(query, state.parameters or {}).mappings().all()
    capture = _Capture(session)
    for row in rows:
        values = dict(row)
        if not _is_draft(table.name, values) and not capture.part_of_draft(table.name, values):
            capture.add(table, "delete", values, ())
    session.info.setdefault(PENDING_INFO_KEY, []).extend(capture.rows)


def _capture_bulk_update(state: ORMExecuteState, table: Table) -> Any:
    """Run the update here, comparing the rows it touches before and after."""
    session = state.session
    where = getattr(state.statement, "whereclause", None)
    if where is None or isinstance(state.parameters, list):
        return None  # updates by primary key lists: not used for synced tables
    key = list(table.primary_key.columns)
    conn = session.connection()
    before = {
        tuple(row[c.name] for c in key): dict(row)
        for row in conn.execute(select(table).where(where), state.parameters or {}).mappings()
    }
    result = state.invoke_statement()
    if not before:
        return result
    capture = _Capture(session)
    for old_key, old in before.items():
        condition = [column == value for column, value in zip(key, old_key, strict=True)]
        new = conn.execute(select(table).where(*condition)).mappings().first()
        if new is None:
            continue
        values = dict(new)
        if _is_draft(table.name, values) or capture.part_of_draft(table.name, values):
            continue
        changed = [name for name in values if name not in _NOT_FIELDS and values[name] != old[name]]
        if changed:
            capture.add(table, "update", values, changed)
    session.info.setdefault(PENDING_INFO_KEY, []).extend(capture.rows)
    return result


class AttributionSource(Protocol):
    """What the session factory belongs to: the Database, which knows who opened it."""

    acting_user: tuple[int, str] | None


@dataclass
class _NoSource:
    acting_user: tuple[int, str] | None = None


_NO_SOURCE = _NoSource()


def attribution_for(session: Session, source: AttributionSource) -> Attribution:
    actor = session.info.get(ACTOR_INFO_KEY)
    user: tuple[int, str] | None = (
        (int(actor.user_id), str(actor.username)) if actor is not None else source.acting_user
    )
    if user is None:
        return Attribution(user_uid=None, username="")
    uid = session.connection().execute(
        text("SELECT uid FROM users WHERE id = :id"), {"id": user[0]}
    )
    return Attribution(user_uid=uid.scalar(), username=user[1])


def _machine_uid(session: Session) -> str:
    cached = session.info.get(MACHINE_UID_KEY)
    if isinstance(cached, str):
        return cached
    found = session.connection().execute(
        select(DatabaseInfo.value).where(DatabaseInfo.key == MACHINE_UID_KEY)
    )
    value = found.scalar() or ""
    if value:
        session.info[MACHINE_UID_KEY] = value
    return value


def _write(session: Session, rows: list[dict[str, Any]], who: Attribution) -> None:
    """Write the outbox rows and bump the field clocks of their updates, in order. Rows go
    to SQLite in batches: one prepared INSERT run over the batch (``executemany``), then one
    statement that bumps the clock of every field of the batch's updates in their order
    (SQLite reads the fields from the rows just written), so a transaction of hundreds of
    thousands of records (a bulk import) is written in seconds. A purged client's deletion is
    a batch boundary, because it removes the rows written before it."""
    conn = session.connection()
    machine = _machine_uid(session)
    # SQLAlchemy's SQLite DATETIME storage format (the column is read back through it).
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
    pending: list[dict[str, Any]] = []

    def write_pending() -> None:
        if not pending:
            return
        last = conn.exec_driver_sql("SELECT max(seq) FROM sync_changes").scalar()
        conn.exec_driver_sql(
            _OUTBOX_INSERT,
            [
                (
                    row["table_name"],
                    row["record_uid"],
                    row["op"],
                    json.dumps(row["fields"], ensure_ascii=False, sort_keys=True),
                    1 if row["immutable"] else 0,
                    row["client_uid"],
                    who.user_uid,
                    who.username,
                    machine,
                    now,
                )
                for row in pending
            ],
        )
        if any(row["op"] == "update" for row in pending):
            conn.exec_driver_sql(_CLOCK_BUMP, (last or 0,))
        pending.clear()

    for row in rows:
        if row["table_name"] == "clients" and row["op"] == "delete":
            write_pending()
            # A deleted (purged) client leaves no personal data behind in the outbox either:
            # only the deletion itself travels, and the access log, which holds none.
            conn.execute(
                delete(SyncChange).where(
                    SyncChange.client_uid == row["record_uid"],
                    SyncChange.table_name != "audit_log",
                )
            )
        pending.append(row)
        if len(pending) >= _WRITE_BATCH:
            write_pending()
    write_pending()


_WRITE_BATCH = 5000
_OUTBOX_INSERT = (
    "INSERT INTO sync_changes (table_name, record_uid, op, fields, immutable, client_uid, "
    "user_uid, username, machine_uid, changed_at, sent_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)"
)
# Every field of every update numbered above the mark: a field changed twice in one batch is
# counted twice and keeps the later number (each field's changes in their order; the fields in
# the clocks' key order, so the index is written in runs instead of at random places). Inserts,
# deletions and signings get no clock rows (``models/sync.py``: a clock counts the changes made
# to a field after the record was created).
_CLOCK_BUMP = (
    "INSERT INTO sync_field_clocks (table_name, record_uid, field, version, last_seq) "
    "SELECT c.table_name, c.record_uid, f.key, 1, c.seq "
    "FROM sync_changes AS c, json_each(c.fields) AS f WHERE c.seq > ? AND c.op = 'update' "
    "ORDER BY c.table_name, c.record_uid, f.key, c.seq "
    "ON CONFLICT (table_name, record_uid, field) "
    "DO UPDATE SET version = sync_field_clocks.version + 1, last_seq = excluded.last_seq"
)


def write_captured(session: Session, source: AttributionSource) -> None:
    """Write what this transaction has captured so far to the outbox now, instead of holding
    it until the commit: bulk work calls it after each batch, so memory holds one batch of
    captured changes, not the whole import's. The same rows, in the same order."""
    session.flush()
    rows = session.info.pop(PENDING_INFO_KEY, None)
    if rows:
        _write(session, rows, attribution_for(session, source))


def install(factory: sessionmaker[Session], source: AttributionSource) -> None:
    """Capture the changes of every session ``factory`` makes.

    The listeners hold ``source`` weakly: SQLAlchemy keeps a session factory's listeners in a
    registry keyed weakly by the factory's class, so a strong reference from a listener back to
    the database would keep every database (its engine, pool and statement cache) alive for
    the life of the process."""
    source_ref = weakref.ref(source)

    def before_commit(session: Session) -> None:
        session.flush()  # the last changes are captured too, before they are written out
        rows = session.info.pop(PENDING_INFO_KEY, None)
        if rows:
            # A session that outlives its database still records its changes, unattributed.
            owner = source_ref() or _NO_SOURCE
            _write(session, rows, attribution_for(session, owner))

    def forget(session: Session, *_args: Any) -> None:
        session.info.pop(PENDING_INFO_KEY, None)
        session.info.pop(ACTOR_INFO_KEY, None)

    event.listen(factory, "after_flush", _on_after_flush)
    event.listen(factory, "do_orm_execute", _on_orm_execute)
    event.listen(factory, "before_commit", before_commit)
    event.listen(factory, "after_commit", forget)
    event.listen(factory, "after_soft_rollback", forget)


def synced_tables() -> list[Table]:
    return [Base.metadata.tables[name] for name in SYNCED_TABLES]
