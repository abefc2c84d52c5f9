"""Who does what for each client: the coordinating boendelots, the responsible caseworker and
the units involved (as purchaser or provider), with dates; and releases from prison or hospital.

A change of coordinator or caseworker ends the open row and starts a new one on the given day, so
the history stays; the caseworker row also sets the client's responsible user (the access rules
and the client list use that). Each change writes one access-log entry for the client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import InvalidInputError, NotFoundError
from hemlos_desktop.i18n import current_language
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.people import TeamMember, User
from hemlos_desktop.models.team import (
    Release,
    ReleaseKind,
    Responsibility,
    ResponsibilityRole,
    Unit,
)
from hemlos_desktop.models.text import sort_key
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, load_visible_client, require_write
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database

if TYPE_CHECKING:
    from hemlos_desktop.reports.summary_data import SummaryTeam

PERSON_ROLES = (ResponsibilityRole.COORDINATOR, ResponsibilityRole.CASEWORKER)
UNIT_ROLES = (ResponsibilityRole.PURCHASER, ResponsibilityRole.PROVIDER)


@dataclass(frozen=True)
class ResponsibilityRow:
    id: int
    role: ResponsibilityRole
    user_id: int | None
    unit_id: int | None
    who: str  # the person's or the unit's name
    start_date: dt.date
    end_date: dt.date | None
    note: str

    @property
    def current(self) -> bool:
        return self.end_date is None


@dataclass(frozen=True)
class WhoDoesWhat:
    client_id: int
    current: tuple[ResponsibilityRow, ...]
    history: tuple[ResponsibilityRow, ...]  # ended rows, newest first


@dataclass(frozen=True)
class ReleaseRow:
    id: int
    kind: ReleaseKind
    release_date: dt.date
    housing_arranged: bool


def responsibilities_in(session: Session, client_id: int) -> list[ResponsibilityRow]:
    return [row for _client_id, row in _responsibility_rows(session, [client_id])]


def _responsibility_rows(
    session: Session, client_ids: Sequence[int]
) -> list[tuple[int, ResponsibilityRow]]:
    """(client id, row) of the clients' responsibilities, newest start first per client."""
    query = (
        select(Responsibility, User.display_name, Unit.name)
        .outerjoin(User, User.id == Responsibility.user_id)
        .outerjoin(Unit, Unit.id == Responsibility.unit_id)
        .where(Responsibility.client_id.in_(client_ids))
        .order_by(
            Responsibility.client_id, Responsibility.start_date.desc(), Responsibility.id.desc()
        )
    )
    return [
        (
            r.client_id,
            ResponsibilityRow(
                r.id,
                ResponsibilityRole(r.role),
                r.user_id,
                r.unit_id,
                person or unit or "",
                r.start_date,
                r.end_date,
                r.note,
            ),
        )
        for r, person, unit in session.execute(query)
    ]


def _current_sorted(rows: Sequence[ResponsibilityRow]) -> list[ResponsibilityRow]:
    """The current rows, in role order and then by name (in the UI language)."""
    order = {role: index for index, role in enumerate(ResponsibilityRole)}
    language = current_language()
    return sorted(
        (r for r in rows if r.current), key=lambda r: (order[r.role], sort_key(r.who, language))
    )


def who_does_what(db: Database, actor: Actor, client_id: int) -> WhoDoesWhat:
    """The current responsibilities and the history of one client (a query: writes nothing)."""
    with db.read() as session:
        load_visible_client(session, actor, client_id)
        rows = responsibilities_in(session, client_id)
    current = _current_sorted(rows)
    return WhoDoesWhat(client_id, tuple(current), tuple(r for r in rows if not r.current))


def assign_person(
    db: Database,
    actor: Actor,
    client_id: int,
    role: ResponsibilityRole,
    user_id: int,
    *,
    start: dt.date,
    note: str = "",
) -> Outcome[None]:
    """Make ``user_id`` the client's coordinator or caseworker from ``start``."""
    require_write(actor)
    if role not in PERSON_ROLES:
        raise InvalidInputError(_("Choose a person's role."), field="role")
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise InvalidInputError(_("Choose an active user."), field="user")
        if client.team_id is not None and (
            session.get(TeamMember, (client.team_id, user_id)) is None
        ):
            raise InvalidInputError(
                _("The person is not a member of the client's team."), field="user"
            )
        current = session.scalar(
            select(Responsibility).where(
                Responsibility.client_id == client_id,
                Responsibility.role == role.value,
                Responsibility.end_date.is_(None),
            )
        )
        if current is not None:
            if current.user_id == user_id:
                return Outcome(None)
            if start < current.start_date:
                raise InvalidInputError(
                    _(
                        "The start cannot be before the current responsibility began ({date})."
                    ).format(date=current.start_date.isoformat()),
                    field="start",
                )
            current.end_date = start
        session.add(
            Responsibility(
                client_id=client_id,
                role=role.value,
                user_id=user_id,
                start_date=start,
                note=note.strip()[:200],
                created_by_id=actor.user_id,
            )
        )
        if role is ResponsibilityRole.CASEWORKER:
            client.responsible_user_id = user_id
        audit.record(
            session, actor, AuditAction.CHANGE, client_id=client_id, detail=f"responsible {role}"
        )
    return Outcome(None, ChangeSet.of({ChangeKind.TEAM, ChangeKind.HEADER}, client_id))


def add_unit_involvement(
    db: Database,
    actor: Actor,
    client_id: int,
    unit_id: int,
    role: ResponsibilityRole,
    *,
    start: dt.date,
    end: dt.date | None = None,
    note: str = "",
) -> Outcome[None]:
    """A unit works with the client as purchaser (beställare) or provider (utförare)."""
    require_write(actor)
    if role not in UNIT_ROLES:
        raise InvalidInputError(_("Choose purchaser or provider."), field="role")
    if end is not None and end < start:
        raise InvalidInputError(_("The end cannot be before the start."), field="end")
    with db.begin() as session:
        load_visible_client(session, actor, client_id)
        unit = session.get(Unit, unit_id)
        if unit is None or not unit.active:
            raise InvalidInputError(_("Choose a unit."), field="unit")
        session.add(
            Responsibility(
                client_id=client_id,
                role=role.value,
                unit_id=unit_id,
                start_date=start,
                end_date=end,
                note=note.strip()[:200],
                created_by_id=actor.user_id,
            )
        )
        audit.record(
            session, actor, AuditAction.CHANGE, client_id=client_id, detail="unit involvement"
        )
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM, client_id))


def end_involvement(db: Database, actor: Actor, row_id: int, *, end: dt.date) -> Outcome[None]:
    require_write(actor)
    with db.begin() as session:
        row = session.get(Responsibility, row_id)
        if row is None:
            raise NotFoundError("no such responsibility")
        load_visible_client(session, actor, row.client_id)
        if end < row.start_date:
            raise InvalidInputError(_("The end cannot be before the start."), field="end")
        row.end_date = end
        audit.record(
            session, actor, AuditAction.CHANGE, client_id=row.client_id, detail="involvement ended"
        )
        return Outcome(None, ChangeSet.of(ChangeKind.TEAM, row.client_id))


# --- releases --------------------------------------------------------------------------------


def record_release(
    db: Database,
    actor: Actor,
    client_id: int,
    kind: ReleaseKind,
    release_date: dt.date,
    *,
    housing_arranged: bool,
) -> Outcome[None]:
    require_write(actor)
    with db.begin() as session:
        load_visible_client(session, actor, client_id)
        session.add(
            Release(
                client_id=client_id,
                kind=kind.value,
                release_date=release_date,
                housing_arranged=housing_arranged,
            )
        )
        audit.record(session, actor, AuditAction.CHANGE, client_id=client_id, detail="release")
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM, client_id))


def client_releases(db: Database, actor: Actor, client_id: int) -> tuple[ReleaseRow, ...]:
    with db.read() as session:
        load_visible_client(session, actor, client_id)
        rows = session.scalars(
            select(Release)
            .where(Release.client_id == client_id)
            .order_by(Release.release_date.desc())
        )
        return tuple(
            ReleaseRow(r.id, ReleaseKind(r.kind), r.release_date, r.housing_arranged) for r in rows
        )


def teams_for_summaries(session: Session, client_ids: Sequence[int]) -> dict[int, SummaryTeam]:
    """For each of ``client_ids`` (already checked visible) that has any: who does what now
    and the eviction cases, read with one query per table for all the clients."""
    from hemlos_desktop.reports.summary_data import (
        SummaryEviction,
        SummaryResponsibility,
        SummaryTeam,
    )
    from hemlos_desktop.services.evictions import eviction_cases_in

    if not client_ids:
        return {}
    rows: dict[int, list[ResponsibilityRow]] = {}
    for client_id, row in _responsibility_rows(session, client_ids):
        rows.setdefault(client_id, []).append(row)
    cases = eviction_cases_in(session, client_ids, dt.date.today())
    result: dict[int, SummaryTeam] = {}
    for client_id in client_ids:
        current = _current_sorted(rows.get(client_id, []))
        mine = cases.get(client_id, [])
        if not current and not mine:
            continue
        result[client_id] = SummaryTeam(
            tuple(SummaryResponsibility(r.role, r.who, r.start_date) for r in current),
            tuple(
                SummaryEviction(
                    c.notice_date, c.landlord, c.reason, c.outcome, c.outcome_date, c.next_date
                )
                for c in mine
            ),
        )
    return result
