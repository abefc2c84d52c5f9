"""Clients inserted in the caller's transaction, for the bulk import (``services.client_io``):
duplicates are checked before, the rules are the same as for one client registered by hand.

A batch goes to SQLite as plain rows (one prepared statement per table, ``executemany``), not
as ORM objects: the columns are the ones a client registered by hand gets
(``clients.new_client_values``, the name keys, the columns' defaults), and change capture
writes the same outbox rows and field clocks for them (``bulk_capture.capture_inserts``).
That is what lets an import of hundreds of thousands of rows finish in about a minute.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.base import ordered_uids
from hemlos_desktop.models.client import Client, ClientTargetGroup
from hemlos_desktop.models.client_rules import CleanClient, ClientInput
from hemlos_desktop.models.text import name_sort_key
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, require_write
from hemlos_desktop.services.clients import clean_or_raise, new_client_values
from hemlos_desktop.storage.bulk import insert_rows
from hemlos_desktop.storage.bulk_capture import capture_inserts

CLIENTS = cast(Table, Client.__table__)
TARGET_GROUPS = cast(Table, ClientTargetGroup.__table__)


DEFER_INDEXES_FROM = 5_000
"""Rows from which an import may build the register's indexes once, at its end."""


def defer_indexes(session: Session, total: int) -> bool:
    """Whether to build the clients' secondary indexes (names, sort keys, list orders) and
    the search index once at the end of the import instead of row by row: when it adds at
    least as many clients as the register holds already. Kept in step, each index is written
    at random places, slower and slower as it outgrows the page cache; built again, all of it
    is sorted once (the clients already there included, which is why a small import into a
    large register keeps them in step)."""
    if total < DEFER_INDEXES_FROM:
        return False
    existing = session.scalar(select(func.count()).select_from(Client)) or 0
    return total >= existing


def insert_clean_client(
    session: Session, actor: Actor, data: ClientInput, *, today: dt.date | None = None
) -> int:
    """Insert one client inside the caller's transaction."""
    return insert_clean_clients(session, actor, [data], today=today)[0]


def insert_clean_clients(
    session: Session, actor: Actor, rows: Sequence[ClientInput], *, today: dt.date | None = None
) -> list[int]:
    """Check and insert a batch of clients; one access-log entry per client, as for one at a
    time."""
    return insert_checked_clients(session, actor, [clean_or_raise(data, today) for data in rows])


def _nothing() -> None:
    return None


def _constant(value: Any) -> Any:
    return value


def _columns() -> list[tuple[str, Callable[[], Any]]]:
    """Each column of ``clients`` and how a row that does not set it gets its value: the
    column's default, a constant or its function called for each row, as the ORM does."""
    plan: list[tuple[str, Callable[[], Any]]] = []
    for column in CLIENTS.columns:
        default: Any = column.default
        if default is None:
            plan.append((column.name, _nothing))
        elif getattr(default, "is_callable", False):
            plan.append((column.name, functools.partial(default.arg, None)))
        else:
            plan.append((column.name, functools.partial(_constant, default.arg)))
    return plan


def _row(
    actor: Actor,
    clean: CleanClient,
    client_id: int,
    uid: str,
    columns: list[tuple[str, Callable[[], Any]]],
) -> dict[str, Any]:
    values = new_client_values(actor, clean)
    # As the ORM's hook on clients writes them (models.client._keep_name_keys).
    for lang in ("sv", "da"):
        values[f"sort_key_{lang}"] = name_sort_key(
            values["first_name"], values["last_name"], values["alias"], lang
        )
    values["id"] = client_id
    values["uid"] = uid
    return {name: values[name] if name in values else make() for name, make in columns}


def insert_checked_clients(
    session: Session, actor: Actor, cleans: Sequence[CleanClient]
) -> list[int]:
    """Insert clients that passed the rules (``clean_or_raise``) in the caller's transaction;
    returns their ids in order."""
    require_write(actor)
    if not cleans:
        return []
    session.flush()  # what the ORM holds is written and captured before this batch
    # The ids SQLite would give them (a rowid table: one above the highest), given here so
    # that the rows need not be read back.
    first = int(session.scalar(select(func.max(Client.id))) or 0) + 1
    # Ids in ascending order: the indexes keyed by them are appended to in runs.
    uids = ordered_uids(len(cleans))
    columns = _columns()
    clients = [
        _row(actor, clean, first + n, uid, columns)
        for n, (clean, uid) in enumerate(zip(cleans, uids, strict=True))
    ]
    insert_rows(session, Client, clients)
    capture_inserts(session, CLIENTS, clients)
    groups = [
        {"client_id": client["id"], "target_group": group.value}
        for client, clean in zip(clients, cleans, strict=True)
        for group in sorted(clean.data.target_groups)
    ]
    insert_rows(session, ClientTargetGroup, groups)
    capture_inserts(session, TARGET_GROUPS, groups)
    ids = [client["id"] for client in clients]
    audit.record_many(session, actor, AuditAction.IMPORT, ids, bulk=True)
    return ids
