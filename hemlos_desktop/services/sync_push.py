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

from sqlalchemy import Connection, delete, func, select, text, tuple_, update
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
    bases: dict[tuple[str, str], dict[str, int]] = {}
    pairs = list({(row.table_name, row.record_uid) for row in rows})
    for start in range(0, len(pairs), 200):
        for table_name, record_uid, name, seq in conn.execute(
            select(
                SyncFieldBase.table_name,
                SyncFieldBase.record_uid,
                SyncFieldBase.field,
                SyncFieldBase.server_seq,
            ).where(
                tuple_(SyncFieldBase.table_name, SyncFieldBase.record_uid).in_(
                    pairs[start : start + 200]
                )
            )
        ):
            bases.setdefault((table_name, record_uid), {})[str(name)] = int(seq)
    changes: list[OutgoingChange] = []
    for change in rows:
        fields = travelling(change.table_name, json.loads(change.fields))
        known = bases.get((change.table_name, change.record_uid), {})
        changes.append(
            OutgoingChange(
                seq=change.seq,
                table_name=change.table_name,
                record_uid=change.record_uid,
                op=change.op,
                fields=fields,
                base={name: known.get(name, joined_seq) for name in fields},
                immutable=bool(change.immutable),
                client_uid=change.client_uid,
                user_uid=change.user_uid,
                username=change.username,
                changed_at=change.changed_at,
            )
        )
    return changes


def mark_sent(conn: Connection, seqs: Sequence[int]) -> None:
    """Mark the changes the server took; a password verifier among them is not kept here
    any longer (the server empties its copy too)."""
    if seqs:
        chosen = SyncChange.seq.in_(list(seqs))
        conn.execute(update(SyncChange).where(chosen).values(sent_at=utcnow()))
        conn.execute(
            update(SyncChange)
            .where(
                chosen,
                SyncChange.table_name == "server_logins",
                func.json_extract(SyncChange.fields, "$.verifier").is_not(None),
            )
            .values(fields=func.json_set(SyncChange.fields, "$.verifier", ""))
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
    so nobody else adds to the log meanwhile).

    The batch is first applied in one go; if the server refuses any change (the person's
    rights, a rule of the schema), it is applied again change by change, each in a savepoint,
    so that only the refused ones are left out."""
    known = set(
        conn.execute(
            text("SELECT hemlos_sync_known(:machine, :seqs)"),
            {"machine": machine_uid, "seqs": [change.seq for change in changes]},
        ).scalars()
    )
    fresh = [change for change in changes if change.seq not in known]
    outcomes: list[tuple[list[str], dict[str, Any], bool]] = []
    if fresh:
        try:
            with conn.begin_nested():
                outcomes = _apply_all(conn, machine_uid, fresh, careful=False)
        except (DBAPIError, MissingReference) as exc:
            log.info("a push batch is applied change by change (%s)", type(exc).__name__)
            outcomes = _apply_all(conn, machine_uid, fresh, careful=True)
    server_seqs = _log(conn, machine_uid, pushed_by, fresh, outcomes)
    states: list[dict[str, Any]] = []
    results: list[Accepted] = []
    done = dict(zip((c.seq for c in fresh), zip(server_seqs, outcomes, strict=True), strict=True))
    for change in changes:
        if change.seq not in done:  # sent before: nothing changes
            results.append(Accepted(change.seq, duplicate=True, refused=False, held=()))
            continue
        server_seq, (applied, held, refused) = done[change.seq]
        states.extend(
            {
                "table_name": change.table_name,
                "record_uid": change.record_uid,
                "field": name,
                "server_seq": server_seq,
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


def _log(
    conn: Connection,
    machine_uid: str,
    pushed_by: str,
    changes: Sequence[OutgoingChange],
    outcomes: Sequence[tuple[list[str], dict[str, Any], bool]],
) -> list[int]:
    """Add the batch to the log in one statement; the server numbers, in the batch's order.
    (No ON CONFLICT: under the lock a change already logged was left out above, and anything
    else is an error that rolls the whole batch back, to be sent again.)"""
    if not changes:
        return []
    received = utcnow()
    rows = [
        {
            "machine_uid": machine_uid,
            "seq": change.seq,
            "table_name": change.table_name,
            "record_uid": change.record_uid,
            "op": change.op,
            "fields": json.dumps(change.fields, ensure_ascii=False, sort_keys=True),
            "base": json.dumps(change.base, sort_keys=True),
            "held": json.dumps(held, ensure_ascii=False, sort_keys=True),
            "immutable": change.immutable,
            "client_uid": change.client_uid,
            "user_uid": change.user_uid,
            "username": change.username,
            "changed_at": change.changed_at,
            "pushed_by": pushed_by,
            "received_at": received,
            "status": "refused" if refused else "applied",
        }
        for change, (_applied, held, refused) in zip(changes, outcomes, strict=True)
    ]
    statement = postgresql.insert(SyncLogEntry).returning(
        SyncLogEntry.server_seq, sort_by_parameter_order=True
    )
    return [int(seq) for seq in conn.execute(statement, rows).scalars()]


_STATE_INSERT = postgresql.insert(SyncFieldState)
_STATE_UPSERT = _STATE_INSERT.on_conflict_do_update(
    index_elements=["table_name", "record_uid", "field"],
    set_={
        "server_seq": _STATE_INSERT.excluded.server_seq,
        "machine_uid": _STATE_INSERT.excluded.machine_uid,
    },
)

_States = dict[tuple[str, str], dict[str, tuple[int, str]]]


def _field_states(conn: Connection, changes: Sequence[OutgoingChange]) -> _States:
    """The field states of every record in the batch, in one query."""
    pairs = {(change.table_name, change.record_uid) for change in changes}
    states: _States = {}
    rows = conn.execute(
        select(
            SyncFieldState.table_name,
            SyncFieldState.record_uid,
            SyncFieldState.field,
            SyncFieldState.server_seq,
            SyncFieldState.machine_uid,
        ).where(tuple_(SyncFieldState.table_name, SyncFieldState.record_uid).in_(list(pairs)))
    )
    for table_name, record_uid, name, server_seq, machine in rows:
        states.setdefault((table_name, record_uid), {})[name] = (int(server_seq), machine)
    return states


def _apply_all(
    conn: Connection, machine_uid: str, changes: Sequence[OutgoingChange], *, careful: bool
) -> list[tuple[list[str], dict[str, Any], bool]]:
    """(fields applied, fields held with the kept value, refused) for each change."""
    ids = Ids(conn)
    states = _field_states(conn, changes)
    outcomes: list[tuple[list[str], dict[str, Any], bool]] = []
    for change in changes:
        if change.table_name in (RESOLUTION_TABLE, "audit_log"):
            # A conflict's resolution marker and the access log are kept in the log only.
            outcomes.append(([], {}, False))
            continue
        if table_of(change.table_name) is None:
            outcomes.append(([], {}, True))
            continue
        record_states = states.get((change.table_name, change.record_uid), {})
        if not careful:
            applied, held = _write(conn, ids, machine_uid, change, record_states, careful=False)
            outcomes.append((applied, held, False))
            continue
        nested = conn.begin_nested()
        try:
            applied, held = _write(conn, ids, machine_uid, change, record_states, careful=True)
        except (DBAPIError, MissingReference) as exc:
            nested.rollback()
            ids.clear()  # cached ids may name rows that were rolled back
            log.info(
                "team server refused a change to %s (%s)", change.table_name, type(exc).__name__
            )
            outcomes.append(([], {}, True))
            continue
        nested.commit()
        outcomes.append((applied, held, False))
    return outcomes


def _write(
    conn: Connection,
    ids: Ids,
    machine_uid: str,
    change: OutgoingChange,
    states: dict[str, tuple[int, str]],
    *,
    careful: bool,
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
    held: dict[str, Any] = {}
    if not change.immutable:
        suspects = [
            name
            for name in names
            if name in states
            and states[name][1] != machine_uid
            and states[name][0] > change.base.get(name, 0)
        ]
        if suspects:
            current = current_plain(conn, table, where, suspects, ids)
            if current is None and change.op != "insert":
                return [], {}  # removed meanwhile: the deletion wins
            held = _held_fields(conn, change, current or {}, states, suspects)
    values = stored_values(table, {k: v for k, v in change.fields.items() if k not in held}, ids)
    if change.op == "insert" and (careful or not states):
        if careful or states:
            changed = conn.execute(update(table).where(where).values(**values)).rowcount
            if changed:
                return [n for n in names if n not in held], held
        # A new record. As a list: no RETURNING of the new id (it stays the server's own).
        conn.execute(table.insert(), [insert_values(table, change.record_uid, change.fields, ids)])
        return names, {}
    if values and not conn.execute(update(table).where(where).values(**values)).rowcount:
        if change.op != "insert":
            return [], {}  # removed meanwhile: the deletion wins
        conn.execute(table.insert(), [insert_values(table, change.record_uid, change.fields, ids)])
        return names, {}
    return [name for name in names if name not in held], held


def _held_fields(
    conn: Connection,
    change: OutgoingChange,
    current: dict[str, Any],
    states: dict[str, tuple[int, str]],
    suspects: Sequence[str],
) -> dict[str, Any]:
    """The fields another machine changed since this change's base, to a different value."""
    held: dict[str, Any] = {}
    for name in suspects:
        if name not in current or same_value(current[name], change.fields[name]):
            continue
        held[name] = {"value": current[name], "server_seq": states[name][0]}
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
