"""The rows of the client list: plain data for a page of ids, read in one query.

The list shows a page of about 200 clients at a time; each page is one query of the columns
the list shows (no ORM objects: building 200 mapped instances costs more than the query).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from hemlos_desktop.models.client import Client, ClientStatus, Gender
from hemlos_desktop.models.client_rules import age_on
from hemlos_desktop.models.identity import IdKind, mask_canonical
from hemlos_desktop.models.people import Team, User
from hemlos_desktop.services.actor import Actor, visible_clients_clause
from hemlos_desktop.storage import Database


@dataclass(frozen=True)
class ClientRow:
    """One line of the client list (plain data)."""

    id: int
    display_name: str
    id_kind: IdKind
    id_masked: str
    gender: Gender
    birth_date: dt.date | None
    age: int | None
    housing_code: int | None
    housing_since: dt.date | None
    responsible: str
    team: str
    status: ClientStatus
    protected_identity: bool


def display_name(first: str, last: str, alias: str) -> str:
    name = f"{last}, {first}".strip(", ") if (first or last) else ""
    if alias and name:
        return f"{name} ({alias})"
    return name or alias


def rows_statement(actor: Actor, ids: Sequence[int]) -> Select[*tuple[Any, ...]]:
    """The list's columns of the clients ``ids`` that ``actor`` may see."""
    responsible = aliased(User)
    return (
        select(
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.alias,
            Client.id_kind,
            Client.id_number,
            Client.gender,
            Client.birth_date,
            Client.current_housing_code,
            Client.current_housing_since,
            responsible.display_name,
            Team.name,
            Client.status,
            Client.protected_identity,
        )
        .outerjoin(responsible, responsible.id == Client.responsible_user_id)
        .outerjoin(Team, Team.id == Client.team_id)
        .where(Client.id.in_(list(ids)), visible_clients_clause(actor))
    )


def fetch_rows(
    db: Database, actor: Actor, ids: Sequence[int], *, today: dt.date | None = None
) -> dict[int, ClientRow]:
    """Rows for ``ids`` (those the actor may see), keyed by id, in one query."""
    if not ids:
        return {}
    today = today or dt.date.today()
    stmt = rows_statement(actor, ids)
    rows: dict[int, ClientRow] = {}
    with db.read() as session:
        for (
            cid,
            first,
            last,
            alias,
            id_kind,
            number,
            gender,
            birth,
            housing,
            since,
            responsible_name,
            team_name,
            status,
            protected,
        ) in session.execute(stmt):
            kind = IdKind(id_kind)
            rows[cid] = ClientRow(
                id=cid,
                display_name=display_name(first, last, alias),
                id_kind=kind,
                id_masked=mask_canonical(number or "", kind),
                gender=Gender(gender),
                birth_date=birth,
                age=age_on(birth, today),
                housing_code=housing,
                housing_since=since,
                responsible=responsible_name or "",
                team=team_name or "",
                status=ClientStatus(status),
                protected_identity=bool(protected),
            )
    return rows
