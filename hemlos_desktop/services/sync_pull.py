"""Pull: the team's changes from the server's log, applied on the laptop.

Server side (:func:`fetch`): the log rows after the last number this laptop applied, in one
repeatable-read snapshot; row-level security gives only those of records the person may see
(and the changes this machine sent). Laptop side (:func:`apply_batch`): applied with Core
statements on a plain connection, so received changes are not captured into the outbox again;
the last applied number is written in the same transaction, so a kill at any instant loses
nothing and applies nothing twice.

* A change from another machine sets the fields that were applied on the server, except those
  this laptop changed since and has not sent yet (they go to the server, which decides).
* A change this machine sent advances the base of its fields; a field the server held back
  (another machine changed it first) takes the server's value here too, and both values are
  kept as a conflict until someone decides.
* The access log of other machines is not pulled (each laptop keeps its own chain).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from hemlos_desktop.models.base import DatabaseInfo
from hemlos_desktop.models.client import Client, HousingPeriod
from hemlos_desktop.models.housing_rules import PeriodSpan, current_period
from hemlos_desktop.models.plan import PlanDueItem, PlanVersion, due_rows, snapshot_from_json
from hemlos_desktop.models.sync import SyncChange
from hemlos_desktop.models.sync_state import SyncConflict, SyncFieldBase, SyncLogEntry
from hemlos_desktop.services.changes import ChangeKind
from hemlos_desktop.services.sync_records import (
    DELETION_FIELD,
    RESOLUTION_TABLE,
    Ids,
    MissingReference,
    current_plain,
    insert_values,
    is_derived,
    kinds_of,
    same_value,
    stored_values,
    table_of,
    travelling,
)

log = logging.getLogger(__name__)

SERVER_SEQ_KEY = "sync_server_seq"


@dataclass(frozen=True)
class IncomingChange:
    server_seq: int
    machine_uid: str
    table_name: str
    record_uid: str
    op: str
    fields: dict[str, Any]
    held: dict[str, Any]
    client_uid: str | None
    username: str
    changed_at: dt.datetime
    status: str


@dataclass
class PullStats:
    received: int = 0
    conflicts: int = 0
    refused: int = 0
    kinds: set[ChangeKind] = field(default_factory=set)
    client_ids: set[int] = field(default_factory=set)
    housing_of: set[str] = field(default_factory=set)  # clients whose current housing to redo


# -- server side ---------------------------------------------------------------------------


def server_head(conn: Connection) -> int:
    return int(conn.execute(text("SELECT hemlos_sync_head()")).scalar_one())


def fetch(conn: Connection, after: int, limit: int) -> tuple[list[IncomingChange], int]:
    """(changes after ``after``, the number to continue from) in the caller's snapshot."""
    head = server_head(conn)
    log_table = SyncLogEntry.__table__
    rows = conn.execute(
        select(log_table)
        .where(
            log_table.c.server_seq > after,
            log_table.c.server_seq <= head,
            log_table.c.table_name != "audit_log",
        )
        .order_by(log_table.c.server_seq)
        .limit(limit)
    ).mappings()
    changes = [
        IncomingChange(
            server_seq=int(row["server_seq"]),
            machine_uid=row["machine_uid"],
            table_name=row["table_name"],
            record_uid=row["record_uid"],
            op=row["op"],
            fields=json.loads(row["fields"]),
            held=json.loads(row["held"]),
            client_uid=row["client_uid"],
            username=row["username"],
            changed_at=row["changed_at"],
            status=row["status"],
        )
        for row in rows
    ]
    upto = head if len(changes) < limit else changes[-1].server_seq
    return changes, upto


# -- laptop side ---------------------------------------------------------------------------


def last_applied(conn: Connection) -> int:
    value = conn.execute(
        select(DatabaseInfo.value).where(DatabaseInfo.key == SERVER_SEQ_KEY)
    ).scalar()
    return int(value) if value else 0


def set_info(conn: Connection, key: str, value: str) -> None:
    statement = sqlite.insert(DatabaseInfo).values(key=key, value=value)
    conn.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


class Pending:
    """What this laptop changed and the server has not taken yet: per record the fields, and
    which records were (re)made here."""

    def __init__(self, conn: Connection) -> None:
        self.fields: dict[tuple[str, str], set[str]] = {}
        self.made: set[tuple[str, str]] = set()
        self.removed: set[tuple[str, str]] = set()
        outbox = SyncChange.__table__
        for table_name, record_uid, op, fields in conn.execute(
            select(outbox.c.table_name, outbox.c.record_uid, outbox.c.op, outbox.c.fields).where(
                outbox.c.sent_at.is_(None)
            )
        ):
            key = (table_name, record_uid)
            if op == "insert":
                self.made.add(key)
                self.removed.discard(key)
            elif op == "delete":
                self.made.discard(key)
                self.removed.add(key)
            self.fields.setdefault(key, set()).update(json.loads(fields))

    def get(self, key: tuple[str, str], default: set[str]) -> set[str]:
        return self.fields.get(key, default)


def apply_batch(
    conn: Connection, machine_uid: str, changes: Sequence[IncomingChange], upto: int | None
) -> PullStats:
    """Apply ``changes`` (in order) and remember ``upto`` as applied (unless None), in the
    caller's transaction."""
    pending = Pending(conn)
    try:
        # Usually every change applies: all in one go. If one does not (a record this
        # laptop does not hold, a rule of the schema), again change by change.
        with conn.begin_nested():
            stats = _apply_all(conn, machine_uid, changes, pending, careful=False)
    except (IntegrityError, MissingReference):
        stats = _apply_all(conn, machine_uid, changes, pending, careful=True)
    for client_uid in stats.housing_of:
        _refresh_current_housing(conn, client_uid)
    if upto is not None:
        set_info(conn, SERVER_SEQ_KEY, str(upto))
    return stats


def _apply_all(
    conn: Connection,
    machine_uid: str,
    changes: Sequence[IncomingChange],
    pending: Pending,
    *,
    careful: bool,
) -> PullStats:
    stats = PullStats()
    ids = Ids(conn)
    for change in changes:
        own = change.machine_uid == machine_uid
        if not careful:
            _apply(conn, ids, change, pending, stats, own=own)
            continue
        savepoint = conn.begin_nested()
        try:
            _apply(conn, ids, change, pending, stats, own=own)
        except (IntegrityError, MissingReference) as exc:
            savepoint.rollback()
            ids.clear()
            stats.refused += 1
            log.info(
                "a received change to %s was not applied (%s)",
                change.table_name,
                type(exc).__name__,
            )
            continue
        savepoint.commit()
    return stats


_BASE_INSERT = sqlite.insert(SyncFieldBase)
_BASE_UPSERT = _BASE_INSERT.on_conflict_do_update(
    index_elements=["table_name", "record_uid", "field"],
    set_={"server_seq": _BASE_INSERT.excluded.server_seq},
)


def _set_bases(conn: Connection, change: IncomingChange, names: Sequence[str], seq: int) -> None:
    if names:
        conn.execute(
            _BASE_UPSERT,
            [
                {
                    "table_name": change.table_name,
                    "record_uid": change.record_uid,
                    "field": name,
                    "server_seq": seq,
                }
                for name in names
            ],
        )


def _apply(
    conn: Connection,
    ids: Ids,
    change: IncomingChange,
    pending: Pending,
    stats: PullStats,
    *,
    own: bool,
) -> None:
    """Apply one change in the server's order. This machine's own changes are applied again
    too: usually that changes nothing, but when the server put another machine's change to
    the same record before this one, it puts this machine's value back on top, as on the
    server."""
    if change.table_name == RESOLUTION_TABLE:
        if not own:
            _resolved_elsewhere(conn, change)
            stats.received += 1
        return
    if change.status != "applied":
        stats.refused += 1 if own else 0
        return
    table = table_of(change.table_name)
    if table is None or change.table_name == "audit_log":
        return
    key = (change.table_name, change.record_uid)
    stats.received += 0 if own else 1
    for name, kept in change.held.items():
        _add_conflict(conn, change, name, kept)
        stats.conflicts += 0 if is_derived(change.table_name, name) else 1
    where = ids.where(table, change.record_uid)
    deletion = change.held.get(DELETION_FIELD)
    if change.op == "delete" and deletion is not None:
        # Changed elsewhere while apart: the server kept the record; so does this laptop.
        _bring_back(conn, ids, change, where, deletion=deletion, pending=pending)
        _touched(change, ids, stats)
        return
    if change.op == "delete":
        if key in pending.made:
            return  # made again here since: the server gets it back with this laptop's push
        if where is not None:
            _touched(change, ids, stats)  # before the client is gone
            conn.execute(delete(table).where(where))
            conn.execute(
                delete(SyncFieldBase).where(
                    SyncFieldBase.table_name == change.table_name,
                    SyncFieldBase.record_uid == change.record_uid,
                )
            )
        return
    if where is None:
        raise MissingReference(change.table_name)
    waiting = pending.get(key, set())
    fields = {
        name: value
        for name, value in travelling(change.table_name, change.fields).items()
        if name not in change.held and name not in waiting and name in table.c
    }
    if own:
        # The server kept another machine's value of a held field: this laptop shows it too.
        fields.update(
            {
                name: kept["value"]
                for name, kept in change.held.items()
                if name not in waiting and name in table.c
            }
        )
    if own and fields:
        # Usually this laptop shows its own values still: nothing to write then.
        shown = current_plain(conn, table, where, list(fields), ids) or {}
        fields = {n: v for n, v in fields.items() if n not in shown or not same_value(shown[n], v)}
        if not fields and shown:
            _set_bases(conn, change, list(shown), change.server_seq)
            return
    present: dict[str, Any] | None
    if fields:
        changed = conn.execute(
            update(table).where(where).values(stored_values(table, fields, ids))
        ).rowcount
        present = {} if changed else None
    else:
        present = current_plain(conn, table, where, [], ids)
    if present is None and deletion is not None:
        # Deleted here, changed elsewhere: the server brought it back; so does this laptop.
        _bring_back(conn, ids, change, where, deletion=deletion, pending=pending)
        _touched(change, ids, stats)
        return
    if present is None:
        if change.op != "insert" or key in pending.removed:
            return  # removed here meanwhile: the deletion goes to the server, which decides
        values = {**change.fields, **fields} if own else change.fields
        conn.execute(insert(table).values(insert_values(table, change.record_uid, values, ids)))
        ids.clear()
    _set_bases(conn, change, [n for n in fields if n not in change.held], change.server_seq)
    for name, kept in change.held.items():
        if own and name in fields:
            _set_bases(conn, change, [name], int(kept["server_seq"]))
    if change.table_name == "plan_versions":
        _refresh_due_items(conn, change.record_uid)
    _touched(change, ids, stats)


def _bring_back(
    conn: Connection,
    ids: Ids,
    change: IncomingChange,
    where: Any,
    *,
    deletion: dict[str, Any],
    pending: Pending,
) -> None:
    """Put a record the server kept against a deletion back here as the server holds it
    (unless it is here, or deleted here again and not sent yet: that deletion goes to the
    server, which decides). Every field is based on the server's number of that state."""
    table = table_of(change.table_name)
    key = (change.table_name, change.record_uid)
    if table is None or where is None or key in pending.removed:
        return
    if current_plain(conn, table, where, [], ids) is not None:
        return
    record: dict[str, Any] = deletion.get("record") or {}
    conn.execute(insert(table).values(insert_values(table, change.record_uid, record, ids)))
    ids.clear()
    _set_bases(conn, change, list(record), max(change.server_seq, int(deletion["server_seq"])))
    if change.table_name == "plan_versions":
        _refresh_due_items(conn, change.record_uid)


def _touched(change: IncomingChange, ids: Ids, stats: PullStats) -> None:
    stats.kinds.update(kinds_of(change.table_name))
    if change.client_uid is not None and (
        change.table_name == "housing_periods"
        or (change.table_name == "clients" and _HOUSING_FIELDS & set(change.fields))
    ):
        stats.housing_of.add(change.client_uid)
    if change.client_uid is not None:
        client_id = ids.id_of("clients", change.client_uid)
        if client_id is not None:
            stats.client_ids.add(client_id)


_HOUSING_FIELDS = frozenset({"current_housing_code", "current_housing_since"})


def _add_conflict(
    conn: Connection, change: IncomingChange, name: str, kept: dict[str, Any]
) -> None:
    if is_derived(change.table_name, name):
        return
    if name == DELETION_FIELD:
        # A deletion against a change made while apart: "current" is the record kept with the
        # change, "held" the deletion (who, when, where for each).
        deleted: dict[str, Any] = kept.get("deleted") or {}
        _insert_conflict(conn, change, name, ("kept", kept), ("deleted", deleted))
        return
    held = {"username": change.username, "machine_uid": change.machine_uid}  # at: the change's
    _insert_conflict(conn, change, name, (kept.get("value"), kept), (change.fields.get(name), held))


def _insert_conflict(
    conn: Connection,
    change: IncomingChange,
    name: str,
    current: tuple[Any, dict[str, Any]],
    held: tuple[Any, dict[str, Any]],
) -> None:
    """Keep a conflict on field ``name``: each side is its value and who changed it, on which
    computer, when (``username``, ``machine_uid``, ``changed_at``; a missing time is the
    incoming change's)."""

    def when(side: dict[str, Any]) -> dt.datetime:
        value = side.get("changed_at")
        return dt.datetime.fromisoformat(value) if value else change.changed_at

    (current_value, current_by), (held_value, held_by) = current, held
    statement = sqlite.insert(SyncConflict).values(
        uid=f"{change.server_seq}/{name}",
        table_name=change.table_name,
        record_uid=change.record_uid,
        field=name,
        client_uid=change.client_uid,
        current_value=json.dumps(current_value, ensure_ascii=False),
        current_username=str(current_by.get("username") or ""),
        current_machine=str(current_by.get("machine_uid") or ""),
        current_at=when(current_by),
        held_value=json.dumps(held_value, ensure_ascii=False),
        held_username=str(held_by.get("username") or ""),
        held_machine=str(held_by.get("machine_uid") or ""),
        held_at=when(held_by),
        resolved_at=None,
        resolved_by="",
        resolution="",
    )
    conn.execute(statement.on_conflict_do_nothing(index_elements=["uid"]))


def _resolved_elsewhere(conn: Connection, change: IncomingChange) -> None:
    conn.execute(
        update(SyncConflict)
        .where(SyncConflict.uid == change.record_uid, SyncConflict.resolved_at.is_(None))
        .values(
            resolved_at=change.changed_at,
            resolved_by=change.username,
            resolution=str(change.fields.get("resolution", "")),
        )
    )


def _refresh_due_items(conn: Connection, version_uid: str) -> None:
    """What is due follows the plan version (derived on each machine, as the plans service
    does when a version is saved)."""
    row = conn.execute(
        select(PlanVersion.id, PlanVersion.snapshot).where(PlanVersion.uid == version_uid)
    ).first()
    if row is None:
        return
    conn.execute(delete(PlanDueItem).where(PlanDueItem.version_id == row.id))
    try:
        snapshot, _sip = snapshot_from_json(row.snapshot)
    except (ValueError, KeyError, TypeError):
        log.warning("a received plan version could not be read; its due items are left out")
        return
    rows = [{**item, "version_id": row.id} for item in due_rows(snapshot)]
    if rows:
        conn.execute(insert(PlanDueItem), rows)


def _refresh_current_housing(conn: Connection, client_uid: str) -> None:
    """The client's current housing follows the periods as they are after the sync (the same
    rule as the housing service; worked out here rather than taken from another machine)."""
    client_id = conn.execute(select(Client.id).where(Client.uid == client_uid)).scalar()
    if client_id is None:
        return
    periods = conn.execute(
        select(
            HousingPeriod.id, HousingPeriod.code, HousingPeriod.start_date, HousingPeriod.end_date
        ).where(HousingPeriod.client_id == client_id)
    ).all()
    current = current_period(
        [PeriodSpan(p.id, p.start_date, p.end_date) for p in periods], dt.date.today()
    )
    chosen = next((p for p in periods if current is not None and p.id == current.id), None)
    conn.execute(
        update(Client)
        .where(Client.id == client_id)
        .values(
            current_housing_code=None if chosen is None else chosen.code,
            current_housing_since=None if chosen is None else chosen.start_date,
        )
    )
