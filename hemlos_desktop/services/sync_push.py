"""Push: the laptop's outbox to the team server, applied there in the same transaction.

Laptop side (:func:`outbox_batch`, :func:`mark_sent`): unsent ``sync_changes`` rows in ``seq``
order, each field with the server number its value was based on. Server side
(:func:`accept`): one server transaction per batch, holding the log's advisory lock so that
server numbers are handed out in commit order. Each change is stored in ``sync_log`` keyed by
``(machine_uid, seq)`` with ``ON CONFLICT DO NOTHING`` — a change sent twice is found there and
changes nothing — and applied to the server's copy of the record as the person's own role, so
row-level security decides what they may write. The laptop marks rows sent only after the
server committed: a kill at any instant leaves them unsent (sent again, ignored) or sent.

Merge rule per field: the server applies the value unless another machine changed the same
field after the value this change was based on; then the server keeps its value and the change
is logged with that field ``held`` (a conflict every laptop learns of when it pulls). Equal
values never conflict; immutable records (signed entries, agreed plan versions) and deletes
are applied as they come.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError

from hemlos_desktop.models.base import utcnow
from hemlos_desktop.models.sync import SyncChange
from hemlos_desktop.models.sync_state import SyncFieldBase, SyncFieldState, SyncLogEntry
from hemlos_desktop.services.sync_records import (
    RESOLUTION_TABLE,
    Ids,
    MissingReference,
    current_plain,
    insert_values,
    same_value,
    stored_values,
    table_of,
    travelling,
)

log = logging.getLogger(__name__)

# One key for the whole store: pushes take turns, so server numbers follow commit order and a
# pull never skips a number that commits later.
LOG_LOCK_KEY = 7_218_451


@dataclass(frozen=True)
class OutgoingChange:
    """One outbox row as it travels: its fields and, per field, the base server number."""

    seq: int
    table_name: str
    record_uid: str
    op: str
    fields: dict[str, Any]
    base: dict[str, int]
    immutable: bool
    client_uid: str | None
    user_uid: str | None
    username: str
    changed_at: dt.datetime


@dataclass(frozen=True)
class Accepted:
    seq: int
    duplicate: bool
    refused: bool
    held: tuple[str, ...]


# -- laptop side ---------------------------------------------------------------------------


def outbox_batch(conn: Connection, joined_seq: int, limit: int) -> list[OutgoingChange]:
    """The next ``limit`` unsent changes, oldest first, with their fields' bases."""
    outbox = SyncChange.__table__
    rows = conn.execute(
        select(outbox).where(outbox.c.sent_at.is_(None)).order_by(outbox.c.seq).limit(limit)
    ).all()
    changes: list[OutgoingChange] = []
    for change in rows:
        fields = travelling(change.table_name, json.loads(change.fields))
        bases = {
            str(field): int(seq)
            for field, seq in conn.execute(
                select(SyncFieldBase.field, SyncFieldBase.server_seq).where(
                    SyncFieldBase.table_name == change.table_name,
                    SyncFieldBase.record_uid == change.record_uid,
                )
            )
        }
        changes.append(
            OutgoingChange(
                seq=change.seq,
                table_name=change.table_name,
                record_uid=change.record_uid,
                op=change.op,
                fields=fields,
                base={name: bases.get(name, joined_seq) for name in fields},
                immutable=bool(change.immutable),
                client_uid=change.client_uid,
                user_uid=change.user_uid,
                username=change.username,
                changed_at=change.changed_at,
            )
        )
    return changes


def mark_sent(conn: Connection, seqs: Sequence[int]) -> None:
    if seqs:
        conn.execute(
            update(SyncChange).where(SyncChange.seq.in_(list(seqs))).values(sent_at=utcnow())
        )


def unsent_count(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(SyncChange).where(SyncChange.sent_at.is_(None))
        ).scalar_one()
    )


# -- server side ---------------------------------------------------------------------------


def lock_log(conn: Connection) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOG_LOCK_KEY})


def accept(
    conn: Connection, machine_uid: str, pushed_by: str, changes: Sequence[OutgoingChange]
) -> list[Accepted]:
    """Store and apply ``changes`` in the caller's server transaction (which holds the lock,
    so nobody else adds to the log meanwhile)."""
    known = set(
        conn.execute(
            text("SELECT hemlos_sync_known(:machine, :seqs)"),
            {"machine": machine_uid, "seqs": [change.seq for change in changes]},
        ).scalars()
    )
    ids = Ids(conn)
    results: list[Accepted] = []
    states: list[dict[str, Any]] = []
    for change in changes:
        if change.seq in known:  # sent before: nothing changes
            results.append(Accepted(change.seq, duplicate=True, refused=False, held=()))
            continue
        applied, held, refused = _apply(conn, ids, machine_uid, change)
        inserted = conn.execute(
            postgresql.insert(SyncLogEntry)
            .values(
                machine_uid=machine_uid,
                seq=change.seq,
                table_name=change.table_name,
                record_uid=change.record_uid,
                op=change.op,
                fields=json.dumps(change.fields, ensure_ascii=False, sort_keys=True),
                base=json.dumps(change.base, sort_keys=True),
                held=json.dumps(held, ensure_ascii=False, sort_keys=True),
                immutable=change.immutable,
                client_uid=change.client_uid,
                user_uid=change.user_uid,
                username=change.username,
                changed_at=change.changed_at,
                pushed_by=pushed_by,
                received_at=utcnow(),
                status="refused" if refused else "applied",
            )
            .on_conflict_do_nothing(index_elements=["machine_uid", "seq"])
            .returning(SyncLogEntry.server_seq)
        ).scalar()
        if inserted is None:
            # Only possible if someone wrote to the log without the lock: start over.
            raise RuntimeError("sync log changed during a push")
        states.extend(
            {
                "table_name": change.table_name,
                "record_uid": change.record_uid,
                "field": name,
                "server_seq": int(inserted),
                "machine_uid": machine_uid,
            }
            for name in applied
        )
        if change.table_name == "clients" and change.op == "delete" and not refused:
            conn.execute(
                text("SELECT hemlos_forget_client_changes(:uid)"), {"uid": change.record_uid}
            )
        results.append(Accepted(change.seq, False, refused, tuple(sorted(held))))
    if states:
        # Within one batch every change comes from this machine, so a later change never
        # needs an earlier one's state to tell a conflict: they are written together.
        conn.execute(_STATE_UPSERT, states)
    return results


_STATE_INSERT = postgresql.insert(SyncFieldState)
_STATE_UPSERT = _STATE_INSERT.on_conflict_do_update(
    index_elements=["table_name", "record_uid", "field"],
    set_={
        "server_seq": _STATE_INSERT.excluded.server_seq,
        "machine_uid": _STATE_INSERT.excluded.machine_uid,
    },
)


def _apply(
    conn: Connection, ids: Ids, machine_uid: str, change: OutgoingChange
) -> tuple[list[str], dict[str, Any], bool]:
    """(fields applied, fields held with the kept value, refused) for one change."""
    if change.table_name in (RESOLUTION_TABLE, "audit_log"):
        # A conflict's resolution marker and the access log are kept in the log only.
        return [], {}, False
    if table_of(change.table_name) is None:
        return [], {}, True
    nested = conn.begin_nested()
    try:
        applied, held = _write(conn, ids, machine_uid, change)
    except (DBAPIError, MissingReference) as exc:
        nested.rollback()
        ids.clear()  # cached ids may name rows that were rolled back
        log.info("team server refused a change to %s (%s)", change.table_name, type(exc).__name__)
        return [], {}, True
    nested.commit()
    return applied, held, False


def _write(
    conn: Connection, ids: Ids, machine_uid: str, change: OutgoingChange
) -> tuple[list[str], dict[str, Any]]:
    table = table_of(change.table_name)
    assert table is not None
    where = ids.where(table, change.record_uid)
    if change.op == "delete":
        if where is not None:
            conn.execute(delete(table).where(where))
        return [], {}
    if where is None:
        raise MissingReference(change.table_name)
    names = [name for name in change.fields if name in table.c]
    current = current_plain(conn, table, where, names, ids)
    if current is None:
        if change.op != "insert":
            return [], {}  # removed meanwhile: the deletion wins
        # As a list: no RETURNING, which row security would check against the reading rule
        # before the new row is part of what the person sees.
        conn.execute(table.insert(), [insert_values(table, change.record_uid, change.fields, ids)])
        return names, {}
    held: dict[str, Any] = {}
    if not change.immutable:
        held = _held_fields(conn, machine_uid, change, current)
    values = stored_values(table, {k: v for k, v in change.fields.items() if k not in held}, ids)
    if values:
        conn.execute(update(table).where(where).values(**values))
    return [name for name in names if name not in held], held


def _held_fields(
    conn: Connection, machine_uid: str, change: OutgoingChange, current: dict[str, Any]
) -> dict[str, Any]:
    states = {
        str(row.field): (int(row.server_seq), str(row.machine_uid))
        for row in conn.execute(
            select(
                SyncFieldState.field, SyncFieldState.server_seq, SyncFieldState.machine_uid
            ).where(
                SyncFieldState.table_name == change.table_name,
                SyncFieldState.record_uid == change.record_uid,
            )
        )
    }
    held: dict[str, Any] = {}
    for name, value in change.fields.items():
        state = states.get(name)
        if state is None or name not in current:
            continue
        server_seq, machine = state
        if server_seq <= change.base.get(name, 0) or machine == machine_uid:
            continue
        if same_value(current[name], value):
            continue
        held[name] = {"value": current[name], "server_seq": server_seq}
    if held:
        who = {
            int(row.server_seq): row
            for row in conn.execute(
                select(
                    SyncLogEntry.server_seq,
                    SyncLogEntry.username,
                    SyncLogEntry.machine_uid,
                    SyncLogEntry.changed_at,
                ).where(SyncLogEntry.server_seq.in_([h["server_seq"] for h in held.values()]))
            )
        }
        for entry in held.values():
            row = who.get(entry["server_seq"])
            entry["username"] = "" if row is None else row.username
            entry["machine_uid"] = "" if row is None else row.machine_uid
            entry["changed_at"] = "" if row is None else row.changed_at.isoformat()
    return held
