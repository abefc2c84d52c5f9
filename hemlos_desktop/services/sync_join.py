"""Join: make this laptop's encrypted database from the team server's records.

The person signs in to the server with their own user name and password; row-level security
gives exactly the records they may see. Everything is read in one repeatable-read snapshot
together with the server's last change number, so the first sync continues from there without
missing or repeating anything. The local file gets a new key (a password slot for this person
and a recovery slot), a fresh machine uid and the server's address (never the password).

Integer ids are local to each machine; a new laptop simply takes the server's ids for the
records it copies (references stay as they are) and numbers its own records after them.

A data folder that already holds a database or a key file is refused: nothing is merged into
it or overwritten (the person moves the old folder away first, or picks another folder).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, text

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.base import Base
from hemlos_desktop.models.plan import PlanDueItem, PlanVersion, due_rows, snapshot_from_json
from hemlos_desktop.services.session import SignedIn, actor_for_login
from hemlos_desktop.services.sync import (
    JOINED_SEQ_KEY,
    SERVER_URL_KEY,
    Cancelled,
    Progress,
    SyncPhase,
    SyncProgress,
    check_schema,
)
from hemlos_desktop.services.sync_pull import SERVER_SEQ_KEY, server_head, set_info
from hemlos_desktop.services.sync_records import client_scope
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation, search_index, server
from hemlos_desktop.storage.change_capture import SYNCED_TABLES
from hemlos_desktop.storage.crypto import PRODUCTION_PARAMS, Argon2Params, KeyStore
from hemlos_desktop.storage.crypto.keystore import normalize_username

log = logging.getLogger(__name__)

# The access log stays with the machine that wrote it: each laptop starts its own chain.
NOT_COPIED = frozenset({"audit_log"})


class JoinRefusedError(HemlosError):
    def title(self) -> str:
        return _("This folder already holds a database")

    def message(self) -> str:
        return _(
            "Joining a team server makes a new database, and this data folder already holds "
            "one. Nothing was changed."
        )

    def advice(self) -> str:
        return _(
            "Move the old data folder somewhere safe (or back it up and sync its records "
            "another way), or join with another folder: hemlos-desktop --data-dir FOLDER join."
        )


class NotATeamMemberError(HemlosError):
    def title(self) -> str:
        return _("No active user on the team server")

    def message(self) -> str:
        return _("The team server has no active user with this name.")

    def advice(self) -> str:
        return _("Ask an administrator to add you to the team, then join again.")


class JoinCancelledError(HemlosError):
    def title(self) -> str:
        return _("Joining was cancelled")

    def message(self) -> str:
        return _("Joining the team server was cancelled; nothing was kept on this computer.")


@dataclass(frozen=True)
class JoinResult:
    signed_in: SignedIn
    recovery_key: str
    clients: int
    machine_uid: str


def copied_tables() -> list[Table]:
    """The synced tables a new laptop copies, parents before the records that refer to them."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if table.name in SYNCED_TABLES and table.name not in NOT_COPIED
    ]


def join(
    location: DataLocation,
    *,
    url: str,
    username: str,
    password: str,
    params: Argon2Params = PRODUCTION_PARAMS,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> JoinResult:
    """Join this laptop to the team server (blocking; run it off the GUI thread)."""
    if location.database.exists() or KeyStore.exists(location):
        raise JoinRefusedError("data folder holds a database")
    report = progress or (lambda _p: None)
    stop = cancelled or (lambda: False)
    name = normalize_username(username)
    address = server.address_without_password(url)
    engine = server.user_engine(url, name, password)
    try:
        with server.connect(engine) as conn:
            check_schema(conn)
            conn.commit()
            snapshot = _read_snapshot(conn, report, stop)
    finally:
        engine.dispose()
    signed_in: SignedIn | None = None
    try:
        signed_in, recovery = _write_local(location, name, password, params, snapshot)
        with signed_in.db.begin_core() as local:
            set_info(local, SERVER_URL_KEY, address)
            set_info(local, JOINED_SEQ_KEY, str(snapshot.head))
            set_info(local, SERVER_SEQ_KEY, str(snapshot.head))
            machine = str(
                local.execute(
                    text("SELECT value FROM database_info WHERE key = 'database_uid'")
                ).scalar_one()
            )
    except BaseException:
        if signed_in is not None:
            signed_in.db.dispose()
        _remove_half_made(location)
        raise
    log.info("joined the team server: %d records copied", snapshot.total)
    return JoinResult(
        signed_in=signed_in,
        recovery_key=recovery,
        clients=len(snapshot.rows.get("clients", ())),
        machine_uid=machine,
    )


@dataclass
class Snapshot:
    """Rows read from the server in one repeatable-read transaction, and its last number."""

    head: int
    rows: dict[str, list[tuple[Any, ...]]]
    columns: dict[str, list[str]]

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def begin_snapshot(conn: Connection) -> None:
    """Make the caller's new server transaction one consistent, read-only view; refuse a role
    without an active user."""
    conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
    if conn.execute(text("SELECT hemlos_user_id()")).scalar() is None:
        raise NotATeamMemberError("no active user for the role")


def read_tables(
    conn: Connection,
    tables: Sequence[Table],
    report: Progress,
    stop: Cancelled,
    *,
    clients: Sequence[int] | None = None,
) -> Snapshot:
    """Every row of ``tables`` the person may see, in the caller's snapshot transaction; with
    ``clients`` (server ids) only the records of those clients (tables whose records do not
    follow a client are skipped)."""
    snapshot = Snapshot(head=server_head(conn), rows={}, columns={})
    cursor: Any = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for number, table in enumerate(tables):
            if stop():
                raise JoinCancelledError("cancelled")
            names = [column.name for column in table.columns]
            sql = "SELECT " + ", ".join(f'"{n}"' for n in names) + f' FROM "{table.name}"'
            if clients is not None:
                scope = client_scope(table)
                if scope is None:
                    continue
                order = " ORDER BY id" if "id" in table.c else ""
                cursor.execute(sql + f" WHERE {scope}{order}", {"ids": list(clients)})
            else:
                cursor.execute(sql)
            snapshot.columns[table.name] = names
            snapshot.rows[table.name] = list(cursor.fetchall())
            report(SyncProgress(SyncPhase.JOIN, number + 1, len(tables)))
    finally:
        cursor.close()
    return snapshot


def _read_snapshot(conn: Connection, report: Progress, stop: Cancelled) -> Snapshot:
    tables = copied_tables()
    with conn.begin():
        begin_snapshot(conn)
        snapshot = read_tables(conn, tables, report, stop)
    _drop_dangling(snapshot, tables)
    return snapshot


def _drop_dangling(snapshot: Snapshot, tables: Iterable[Table]) -> None:
    """References to records the person may not see (or that are not copied) become empty;
    a record that cannot be without its parent is left out."""
    present: dict[str, set[Any]] = {}
    for table in tables:
        names = snapshot.columns[table.name]
        checks: list[tuple[int, str | None, bool]] = []
        for index, name in enumerate(names):
            column = table.c[name]
            fk = next(iter(column.foreign_keys), None)
            if fk is not None:
                checks.append((index, fk.column.table.name, bool(column.nullable)))
        if checks:
            kept: list[tuple[Any, ...]] = []
            for row in snapshot.rows[table.name]:
                values = list(row)
                keep = True
                for index, referred, nullable in checks:
                    value = values[index]
                    if value is None or (referred in present and value in present[referred]):
                        continue
                    if referred == table.name and referred not in present:
                        continue  # a reference within the table: checked below
                    if nullable:
                        values[index] = None
                    else:
                        keep = False
                        break
                if keep:
                    kept.append(tuple(values))
            snapshot.rows[table.name] = kept
        if "id" in names:
            at = names.index("id")
            present[table.name] = {row[at] for row in snapshot.rows[table.name]}
            _clear_self_references(snapshot, table, present[table.name])


def _clear_self_references(snapshot: Snapshot, table: Table, ids: set[Any]) -> None:
    names = snapshot.columns[table.name]
    own = [
        index
        for index, name in enumerate(names)
        if any(fk.column.table.name == table.name for fk in table.c[name].foreign_keys)
    ]
    if not own:
        return
    rows = []
    for row in snapshot.rows[table.name]:
        values = list(row)
        for index in own:
            if values[index] is not None and values[index] not in ids:
                values[index] = None
        rows.append(tuple(values))
    snapshot.rows[table.name] = rows


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _write_local(
    location: DataLocation,
    name: str,
    password: str,
    params: Argon2Params,
    snapshot: Snapshot,
) -> tuple[SignedIn, str]:
    data_key, recovery = KeyStore.create(
        location, admin_username=name, password=password, params=params
    )
    db = open_workspace(location, key=data_key)
    try:
        with db.begin_core() as local:
            with search_index.bulk_load(local):
                for table in copied_tables():
                    rows = snapshot.rows.get(table.name)
                    if not rows:
                        continue
                    names = snapshot.columns[table.name]
                    sql = (
                        f'INSERT INTO "{table.name}" ('
                        + ", ".join(f'"{n}"' for n in names)
                        + ") VALUES ("
                        + ", ".join("?" for _n in names)
                        + ")"
                    )
                    local.exec_driver_sql(
                        sql, [tuple(_sqlite_value(v) for v in row) for row in rows]
                    )
            _derive_due_items(local)
        actor = actor_for_login(db, name)
    except BaseException:
        db.dispose()
        raise
    db.acting_user = (actor.user_id, actor.username)
    return SignedIn(db=db, actor=actor, data_key=data_key), recovery


def _derive_due_items(local: Connection) -> None:
    local.execute(delete(PlanDueItem))
    rows: list[dict[str, Any]] = []
    for version_id, snapshot_text in local.execute(select(PlanVersion.id, PlanVersion.snapshot)):
        try:
            plan, _sip = snapshot_from_json(snapshot_text)
        except (ValueError, KeyError, TypeError):
            log.warning("a plan version could not be read; its due items are left out")
            continue
        rows.extend({**item, "version_id": version_id} for item in due_rows(plan))
    if rows:
        local.execute(insert(PlanDueItem), rows)


def _remove_half_made(location: DataLocation) -> None:
    for path in (
        location.database,
        location.database.with_name(location.database.name + "-wal"),
        location.database.with_name(location.database.name + "-shm"),
        location.keyslots,
        location.unlock_attempts,
    ):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.warning("a half-made file of a failed join could not be removed")
