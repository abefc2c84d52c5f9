"""Clients inserted in the caller's transaction, for the bulk import (``services.client_io``):
duplicates are checked before, the rules are the same as for one client registered by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import ClientTargetGroup
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, require_write
from hemlos_desktop.services.clients import clean_or_raise, new_client


def insert_clean_client(
    session: Session, actor: Actor, data: ClientInput, *, today: dt.date | None = None
) -> int:
    """Insert one client inside the caller's transaction."""
    return insert_clean_clients(session, actor, [data], today=today)[0]


def insert_clean_clients(
    session: Session, actor: Actor, rows: Sequence[ClientInput], *, today: dt.date | None = None
) -> list[int]:
    """Insert a batch of clients with one flush (the rows go to SQLite together, and change
    capture sees them in one go); one access-log entry per client, as for one at a time."""
    require_write(actor)
    cleans = [clean_or_raise(data, today) for data in rows]
    clients = [new_client(actor, clean) for clean in cleans]
    session.add_all(clients)
    session.flush()
    session.add_all(
        ClientTargetGroup(client_id=client.id, target_group=group.value)
        for client, clean in zip(clients, cleans, strict=True)
        for group in sorted(clean.data.target_groups)
    )
    audit.record_many(session, actor, AuditAction.IMPORT, [client.id for client in clients])
    return [client.id for client in clients]
