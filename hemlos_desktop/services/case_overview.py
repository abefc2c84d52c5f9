"""The case overview: one page per client with header, housing timeline, journal and contacts.

Other features (ratings, plans, eviction cases) add their panels beside these; each panel
loads its own data through its own service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from hemlos_desktop.errors import NotFoundError
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import (
    Client,
    ClientStatus,
    ClientTargetGroup,
    ClosureReason,
    Gender,
    TargetGroup,
)
from hemlos_desktop.models.client_rules import age_on
from hemlos_desktop.models.identity import IdKind, mask_canonical
from hemlos_desktop.models.people import Team, User
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, visible_clients_clause
from hemlos_desktop.services.clients import display_name
from hemlos_desktop.services.contacts import ContactInfo, list_contacts
from hemlos_desktop.services.housing import HousingPeriodInfo, list_periods
from hemlos_desktop.services.journal import JournalEntryInfo, list_entries
from hemlos_desktop.storage import Database

LATEST_JOURNAL = 5
LATEST_CONTACTS = 5


@dataclass(frozen=True)
class ClientHeader:
    id: int
    display_name: str
    id_kind: IdKind
    id_masked: str
    age: int | None
    gender: Gender
    birth_date: dt.date | None
    housing_code: int | None
    housing_since: dt.date | None
    housing_days: int | None
    responsible: str
    team: str
    status: ClientStatus
    closed_on: dt.date | None
    protected_identity: bool
    language: str
    target_groups: tuple[TargetGroup, ...]
    closure_reason: ClosureReason | None = None
    closure_note: str = ""


@dataclass(frozen=True)
class CaseOverview:
    header: ClientHeader
    periods: list[HousingPeriodInfo]
    journal: list[JournalEntryInfo]
    contacts: list[ContactInfo]


def open_case_file(
    db: Database, actor: Actor, client_id: int, *, part: str = "", today: dt.date | None = None
) -> ClientHeader:
    """The person opens a client's case file (or, with ``part``, one area of it such as
    "plan" or "assessments"): one "viewed the record" entry in the access log.

    This is the use case the UI calls once when a case file (or an area's view of one client)
    is opened; refreshing what is shown afterwards uses the queries, which write nothing.
    Raises NotFoundError when the client is not visible to ``actor``.
    """
    with db.begin() as session:
        header = header_of(session, actor, client_id, today=today)
        audit.record(session, actor, AuditAction.VIEW, client_id=client_id, detail=part)
    return header


def client_header(
    db: Database, actor: Actor, client_id: int, *, today: dt.date | None = None
) -> ClientHeader:
    """The case file's header (a query: writes nothing)."""
    with db.read() as session:
        return header_of(session, actor, client_id, today=today)


def header_of(
    session: Session, actor: Actor, client_id: int, *, today: dt.date | None = None
) -> ClientHeader:
    today = today or dt.date.today()
    responsible = aliased(User)
    row = session.execute(
        select(Client, responsible.display_name, Team.name)
        .outerjoin(responsible, responsible.id == Client.responsible_user_id)
        .outerjoin(Team, Team.id == Client.team_id)
        .where(Client.id == client_id, visible_clients_clause(actor))
    ).first()
    if row is None:
        raise NotFoundError("client not visible")
    client, responsible_name, team_name = row
    groups = tuple(
        TargetGroup(g)
        for g in session.scalars(
            select(ClientTargetGroup.target_group)
            .where(ClientTargetGroup.client_id == client_id)
            .order_by(ClientTargetGroup.target_group)
        )
    )
    kind = IdKind(client.id_kind)
    since = client.current_housing_since
    return ClientHeader(
        id=client.id,
        display_name=display_name(client.first_name, client.last_name, client.alias),
        id_kind=kind,
        id_masked=mask_canonical(client.id_number or "", kind),
        age=age_on(client.birth_date, today),
        gender=Gender(client.gender),
        birth_date=client.birth_date,
        housing_code=client.current_housing_code,
        housing_since=since,
        housing_days=(today - since).days if since is not None else None,
        responsible=responsible_name or "",
        team=team_name or "",
        status=ClientStatus(client.status),
        closed_on=client.closed_on,
        protected_identity=client.protected_identity,
        language=client.language,
        target_groups=groups,
        closure_reason=ClosureReason(client.closure_reason) if client.closure_reason else None,
        closure_note=client.closure_note or "",
    )


def case_overview(
    db: Database, actor: Actor, client_id: int, *, today: dt.date | None = None
) -> CaseOverview:
    """Open the case file (one "viewed" entry) and return what its first page shows."""
    header = open_case_file(db, actor, client_id, today=today)
    return CaseOverview(
        header=header,
        periods=list_periods(db, actor, client_id),
        journal=list_entries(db, actor, client_id, limit=LATEST_JOURNAL),
        contacts=list_contacts(db, actor, client_id, limit=LATEST_CONTACTS),
    )
