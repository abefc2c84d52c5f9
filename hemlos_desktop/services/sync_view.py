"""Clients who enter or leave the person's view between syncs.

The log pull brings what the server accepted after this laptop's last server number, as the
row rules are now. A client who enters the person's view later (moved to one of their teams,
made their responsibility) has records written before that number, which the log pull never
brings. So after the log pull the laptop asks the server, as the person (the row rules
decide), which clients they may see:

* **Entering**: a client the laptop does not hold is copied whole — every record that follows
  the client (``sync_records.CLIENT_RECORDS``), read as ``join`` reads them in one snapshot —
  and applied like received changes, so it merges with what is here; each field's base is the
  snapshot's server number, so a later edit here is not taken for a conflict.
* **Leaving**: a client the person may no longer see (moved to another team, responsibility
  handed on, removed on the server) is removed from this laptop with those records, so the
  laptop does not keep showing them. Removing is not the person's change: nothing is sent, and
  the server keeps everything. A client on whom this laptop holds work the server does not
  have — unsent changes, drafts, or a registration the server refused — is kept (nothing is
  ever lost); the next sync looks again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, delete, select, text, update

from hemlos_desktop.models.base import Base, utcnow
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.sync import SyncChange
from hemlos_desktop.models.sync_state import SyncConflict, SyncFieldBase
from hemlos_desktop.services.sync_join import begin_snapshot, copied_tables, read_tables
from hemlos_desktop.services.sync_pull import IncomingChange, Pending, PullStats, apply_batch
from hemlos_desktop.services.sync_records import (
    CLIENT_VIA,
    NOT_FIELDS,
    Ids,
    client_scope,
    record_uid,
    referred_table,
    to_plain,
)
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.change_capture import DRAFT_TABLES

log = logging.getLogger(__name__)


@dataclass
class ViewChange:
    """What following the person's view did on this laptop."""

    copied: int = 0  # clients copied
    removed: int = 0  # clients removed
    kept: int = 0  # clients out of view kept for the work on them here
    stats: PullStats = field(default_factory=PullStats)


def client_tables() -> list[Table]:
    """The tables of a client's records, parents first (the client's own table first)."""
    return [table for table in copied_tables() if client_scope(table) is not None]


def follow_view(db: Database, conn: Connection, machine_uid: str) -> ViewChange:
    """Copy the clients who entered the person's view, remove those who left it (``conn``:
    the person's server connection, outside a transaction). One step: the caller checks for
    cancelling before it."""
    with db.read() as session:
        local = session.connection()
        held = {str(uid) for uid in local.execute(select(Client.uid)).scalars()}
        pending = Pending(local)
    removed_here = {uid for table, uid in pending.removed if table == "clients"}
    made_here = {uid for table, uid in pending.made if table == "clients"}
    result = ViewChange()
    incoming: list[IncomingChange] = []
    with conn.begin():
        begin_snapshot(conn)
        visible = {
            str(uid): int(row_id)
            for uid, row_id in conn.execute(text("SELECT uid, id FROM clients")).all()
        }
        entering = sorted(set(visible) - held - removed_here)
        if entering:
            snapshot = read_tables(
                conn,
                client_tables(),
                lambda _p: None,
                lambda: False,
                clients=[visible[uid] for uid in entering],
            )
            incoming = _as_changes(conn, snapshot.columns, snapshot.rows, snapshot.head)
        leaving = held - set(visible) - made_here
        refused = _registrations_not_taken(db, conn, machine_uid, leaving) if leaving else set()
    if incoming or leaving:
        with db.begin_core() as local:
            if incoming:
                result.stats = apply_batch(local, machine_uid, incoming, None)
                result.copied = len(entering)
            keep = refused | _with_work_here(local, leaving)
            result.kept = len(leaving & keep)
            result.removed = remove_clients(local, leaving - keep)
    if result.copied or result.removed or result.kept:
        log.info(
            "clients entering the view: %d copied; leaving: %d removed, %d kept for work here",
            result.copied,
            result.removed,
            result.kept,
        )
    return result


def _as_changes(
    conn: Connection,
    columns: dict[str, list[str]],
    rows: dict[str, list[tuple[Any, ...]]],
    head: int,
) -> list[IncomingChange]:
    """The snapshot's rows as received changes: whole records (references as uids), based on
    the snapshot's server number."""
    ids = Ids(conn)
    client_of: dict[tuple[str, int], str | None] = {}
    records: list[tuple[Table, dict[str, Any]]] = []
    for table in client_tables():
        names = columns.get(table.name)
        if names is None:
            continue
        for row in rows[table.name]:
            values = dict(zip(names, row, strict=True))
            records.append((table, values))
            if "uid" in values:
                ids.remember(table.name, str(values["uid"]), int(values["id"]))
    now = utcnow()
    changes: list[IncomingChange] = []
    for table, values in records:
        uid = record_uid(table, values, ids)
        if uid is None:
            continue
        owner = _client_uid(table, values, ids, client_of)
        if "id" in values:
            client_of[(table.name, int(values["id"]))] = owner
        changes.append(
            IncomingChange(
                server_seq=head,
                machine_uid="",
                table_name=table.name,
                record_uid=uid,
                op="insert",
                fields={
                    name: to_plain(table, name, value, ids)
                    for name, value in values.items()
                    if name not in NOT_FIELDS
                },
                held={},
                client_uid=owner,
                username="",
                changed_at=now,
                status="applied",
            )
        )
    return changes


def _client_uid(
    table: Table,
    values: dict[str, Any],
    ids: Ids,
    client_of: dict[tuple[str, int], str | None],
) -> str | None:
    if table.name == "clients":
        return str(values["uid"])
    via = CLIENT_VIA.get(table.name)
    if via is not None:
        parent, column = via
        return client_of.get((parent, int(values[column])))
    return ids.uid_of("clients", values["client_id"])


def _registrations_not_taken(
    db: Database, conn: Connection, machine_uid: str, uids: set[str]
) -> set[str]:
    """The clients among ``uids`` registered on this laptop whose registration the server did
    not apply (refused): this laptop holds the only copy."""
    outbox = SyncChange.__table__
    with db.read() as session:
        made = {
            int(seq): str(uid)
            for seq, uid in session.execute(
                select(outbox.c.seq, outbox.c.record_uid).where(
                    outbox.c.table_name == "clients",
                    outbox.c.op == "insert",
                    outbox.c.record_uid.in_(sorted(uids)),
                )
            )
        }
    if not made:
        return set()
    applied = set(
        conn.execute(
            text(
                "SELECT seq FROM sync_log WHERE machine_uid = :machine AND status = 'applied' "
                "AND table_name = 'clients' AND seq = ANY(:seqs)"
            ),
            {"machine": machine_uid, "seqs": list(made)},
        ).scalars()
    )
    return {uid for seq, uid in made.items() if seq not in applied}


def _with_work_here(local: Connection, uids: set[str]) -> set[str]:
    """The clients among ``uids`` with unsent changes or drafts on this laptop."""
    if not uids:
        return set()
    outbox = SyncChange.__table__
    found = {
        str(uid)
        for uid in local.execute(
            select(outbox.c.client_uid).where(
                outbox.c.sent_at.is_(None), outbox.c.client_uid.in_(sorted(uids))
            )
        ).scalars()
    }
    clients = Client.__table__
    for name in DRAFT_TABLES:
        table = Base.metadata.tables[name]
        found.update(
            str(uid)
            for uid in local.execute(
                select(clients.c.uid)
                .join(table, table.c.client_id == clients.c.id)
                .where(clients.c.uid.in_(sorted(uids)), table.c.status != "signed")
            ).scalars()
        )
    return found


def remove_clients(local: Connection, uids: Iterable[str]) -> int:
    """Remove clients and every record that follows them from this laptop (Core statements:
    not captured, nothing is sent); references to them elsewhere become empty."""
    chosen = sorted(uids)
    if not chosen:
        return 0
    clients = Client.__table__
    client_ids = list(
        local.execute(select(clients.c.id).where(clients.c.uid.in_(chosen))).scalars()
    )
    record_uids: list[str] = list(chosen)
    for table in client_tables()[1:]:
        if "uid" in table.c:
            record_uids.extend(
                str(uid)
                for uid in local.execute(
                    select(table.c.uid).where(_of_clients(table, client_ids))
                ).scalars()
            )
    _clear_references(local, client_ids)
    for table in reversed(client_tables()):
        local.execute(delete(table).where(_of_clients(table, client_ids)))
    for start in range(0, len(record_uids), 500):
        local.execute(
            delete(SyncFieldBase).where(
                SyncFieldBase.record_uid.in_(record_uids[start : start + 500])
            )
        )
    local.execute(delete(SyncConflict).where(SyncConflict.client_uid.in_(chosen)))
    return len(client_ids)


def _of_clients(table: Table, client_ids: Sequence[int]) -> Any:
    if table.name == "clients":
        return table.c.id.in_(client_ids)
    via = CLIENT_VIA.get(table.name)
    if via is not None:
        parent_name, column = via
        parent = Base.metadata.tables[parent_name]
        return table.c[column].in_(select(parent.c.id).where(parent.c.client_id.in_(client_ids)))
    return table.c.client_id.in_(client_ids)


def _clear_references(local: Connection, client_ids: Sequence[int]) -> None:
    """Records that only mention a client (agenda items, a merge's other half) stay, without
    the mention; everything else that refers to the client is removed with them."""
    kept = {table.name for table in client_tables()}
    for table in copied_tables():
        if table.name in kept and table.name != "clients":
            continue
        for column in table.columns:
            if column.nullable and referred_table(table, column) == "clients":
                local.execute(
                    update(table).where(column.in_(client_ids)).values({column.name: None})
                )
