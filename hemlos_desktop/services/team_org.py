"""Setting up the organisation: teams, their units, members (role, unit), competences, partners.

Administrators set up teams and units; an administrator or the team's own lead manages members,
competences and partners. Removing a team, unit or member that still has clients moves those
clients to the one named in ``reassign_to`` first; without it the removal is refused with the
count, so nothing is lost. One access-log entry per action (``user_admin``, no client named).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError, NotFoundError
from hemlos_desktop.i18n import current_language, ngettext
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client, ClientStatus
from hemlos_desktop.models.people import Role, Team, TeamMember, User
from hemlos_desktop.models.team import (
    SUGGESTED_UNITS,
    UNIT_KIND_LABELS,
    Competence,
    MemberCompetence,
    Partner,
    PartnerKind,
    Responsibility,
    ReviewMeeting,
    TeamRole,
    Unit,
    UnitKind,
)
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.client_order import locale_key
from hemlos_desktop.storage import Database

NAME_MAX = 120


@dataclass(frozen=True)
class TeamSummary:
    id: int
    name: str
    municipality: str
    caseload_ceiling: int
    no_contact_days: int
    members: int
    active_clients: int


@dataclass(frozen=True)
class UnitInfo:
    id: int
    team_id: int
    name: str
    kind: UnitKind


@dataclass(frozen=True)
class MemberInfo:
    user_id: int
    username: str
    display_name: str
    team_role: TeamRole
    unit_id: int | None
    unit_name: str
    competences: dict[Competence, dt.date | None]


@dataclass(frozen=True)
class PartnerInfo:
    id: int
    team_id: int
    name: str
    kind: PartnerKind
    contact: str


class StillInUseError(InvalidInputError):
    """A team, unit or member still has clients; name someone to take them over."""

    def title(self) -> str:
        return _("Clients need a new owner first")


# --- access ----------------------------------------------------------------------------------


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise AccessDeniedError("administrators only")


def require_team_manager(actor: Actor, team_id: int) -> None:
    """Administrators, and the team lead of this team."""
    if actor.role is Role.ADMIN:
        return
    if actor.role is Role.TEAM_LEAD and team_id in actor.team_ids:
        return
    raise AccessDeniedError("team managers only")


def _clean_name(name: str, field: str = "name") -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInputError(_("Write a name."), field=field)
    if len(cleaned) > NAME_MAX:
        raise InvalidInputError(
            _("The name is too long (at most {limit} characters).").format(limit=NAME_MAX),
            field=field,
        )
    return cleaned


def _team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFoundError("no such team")
    return team


def find_team_id(db: Database, name: str) -> int | None:
    """The id of the team called ``name`` (letter case ignored), or None."""
    wanted = " ".join(name.split()).casefold()
    with db.read() as session:
        for team_id, team_name in session.execute(select(Team.id, Team.name)):
            if team_name.casefold() == wanted:
                return int(team_id)
    return None


# --- teams -----------------------------------------------------------------------------------


def add_team(
    db: Database,
    actor: Actor,
    name: str,
    *,
    municipality: str = "",
    suggested_units: bool = True,
) -> Outcome[int]:
    """A new team (with the suggested units of seed 001 unless told otherwise); its id."""
    require_admin(actor)
    cleaned = _clean_name(name)
    if find_team_id(db, cleaned) is not None:
        raise InvalidInputError(_("A team with this name exists already."), field="name")
    with db.begin() as session:
        team = Team(name=cleaned, municipality=" ".join(municipality.split())[:NAME_MAX])
        session.add(team)
        session.flush()
        if suggested_units:
            for kind in SUGGESTED_UNITS:
                session.add(Unit(team_id=team.id, name=_(UNIT_KIND_LABELS[kind]), kind=kind.value))
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="team added")
        return Outcome(team.id, ChangeSet.of(ChangeKind.TEAM))


def update_team(
    db: Database,
    actor: Actor,
    team_id: int,
    *,
    name: str,
    municipality: str,
    caseload_ceiling: int,
    no_contact_days: int,
) -> Outcome[None]:
    require_team_manager(actor, team_id)
    cleaned = _clean_name(name)
    other = find_team_id(db, cleaned)
    if other is not None and other != team_id:
        raise InvalidInputError(_("A team with this name exists already."), field="name")
    if not 1 <= caseload_ceiling <= 500:
        raise InvalidInputError(
            _("The caseload ceiling must be between 1 and 500."), field="caseload_ceiling"
        )
    if not 1 <= no_contact_days <= 365:
        raise InvalidInputError(
            _("The number of days must be between 1 and 365."), field="no_contact_days"
        )
    with db.begin() as session:
        team = _team(session, team_id)
        team.name = cleaned
        team.municipality = " ".join(municipality.split())[:NAME_MAX]
        team.caseload_ceiling = caseload_ceiling
        team.no_contact_days = no_contact_days
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="team changed")
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM))


def list_team_summaries(db: Database, actor: Actor | None = None) -> list[TeamSummary]:
    """Every team (or, for a lead or caseworker, their own), by name, with counts."""
    members = (
        select(TeamMember.team_id, func.count().label("n")).group_by(TeamMember.team_id).subquery()
    )
    clients = (
        select(Client.team_id, func.count().label("n"))
        .where(Client.status == ClientStatus.ACTIVE.value, Client.merged_into_id.is_(None))
        .group_by(Client.team_id)
        .subquery()
    )
    query = (
        select(Team, func.coalesce(members.c.n, 0), func.coalesce(clients.c.n, 0))
        .outerjoin(members, members.c.team_id == Team.id)
        .outerjoin(clients, clients.c.team_id == Team.id)
        .order_by(locale_key(Team.name, current_language()), Team.id)
    )
    if actor is not None and not actor.sees_all_teams:
        query = query.where(Team.id.in_(sorted(actor.team_ids)))
    with db.read() as session:
        return [
            TeamSummary(
                team.id,
                team.name,
                team.municipality,
                team.caseload_ceiling,
                team.no_contact_days,
                int(n_members),
                int(n_clients),
            )
            for team, n_members, n_clients in session.execute(query)
        ]


def team_summary(db: Database, team_id: int) -> TeamSummary:
    for summary in list_team_summaries(db):
        if summary.id == team_id:
            return summary
    raise NotFoundError("no such team")


def remove_team(
    db: Database, actor: Actor, team_id: int, *, reassign_to: int | None
) -> Outcome[int]:
    """Remove a team; its clients, units, partners and meetings move to ``reassign_to``.

    Refused (StillInUseError) when the team has clients and no team is named. Returns the
    number of clients moved.
    """
    require_admin(actor)
    with db.begin() as session:
        _team(session, team_id)
        count = int(
            session.scalar(
                select(func.count()).select_from(Client).where(Client.team_id == team_id)
            )
            or 0
        )
        if reassign_to == team_id:
            raise InvalidInputError(_("Choose another team."), field="reassign_to")
        if reassign_to is None and count:
            raise StillInUseError(
                ngettext(
                    "The team has {count} client. Choose a team to take them over.",
                    "The team has {count} clients. Choose a team to take them over.",
                    count,
                ).format(count=count),
                field="reassign_to",
            )
        if reassign_to is not None:
            _team(session, reassign_to)
            session.execute(
                update(Client).where(Client.team_id == team_id).values(team_id=reassign_to)
            )
            for model in (Unit, Partner, ReviewMeeting):
                session.execute(
                    update(model).where(model.team_id == team_id).values(team_id=reassign_to)
                )
        session.execute(delete(Team).where(Team.id == team_id))
        audit.record(
            session, actor, AuditAction.USER_ADMIN, detail=f"team removed; {count} clients moved"
        )
        return Outcome(count, ChangeSet.of({ChangeKind.TEAM, ChangeKind.HEADER}))


# --- units -----------------------------------------------------------------------------------


def list_units(db: Database, team_id: int) -> list[UnitInfo]:
    with db.read() as session:
        rows = session.scalars(
            select(Unit)
            .where(Unit.team_id == team_id, Unit.active)
            .order_by(locale_key(Unit.name, current_language()), Unit.id)
        )
        return [UnitInfo(u.id, u.team_id, u.name, UnitKind(u.kind)) for u in rows]


def add_unit(db: Database, actor: Actor, team_id: int, name: str, kind: UnitKind) -> Outcome[int]:
    require_team_manager(actor, team_id)
    cleaned = _clean_name(name)
    with db.begin() as session:
        _team(session, team_id)
        unit = Unit(team_id=team_id, name=cleaned, kind=kind.value)
        session.add(unit)
        session.flush()
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="unit added")
        return Outcome(unit.id, ChangeSet.of(ChangeKind.TEAM))


def rename_unit(
    db: Database, actor: Actor, unit_id: int, name: str, kind: UnitKind
) -> Outcome[None]:
    cleaned = _clean_name(name)
    with db.begin() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFoundError("no such unit")
        require_team_manager(actor, unit.team_id)
        unit.name = cleaned
        unit.kind = kind.value
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="unit changed")
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM))


def remove_unit(
    db: Database, actor: Actor, unit_id: int, *, reassign_to: int | None
) -> Outcome[int]:
    """Remove a unit; its open involvements and members move to ``reassign_to``.

    The unit row stays (inactive) so that the history of who did what keeps its name.
    """
    with db.begin() as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFoundError("no such unit")
        require_team_manager(actor, unit.team_id)
        open_rows = int(
            session.scalar(
                select(func.count())
                .select_from(Responsibility)
                .where(Responsibility.unit_id == unit_id, Responsibility.end_date.is_(None))
            )
            or 0
        )
        if reassign_to is None and open_rows:
            raise StillInUseError(
                ngettext(
                    "The unit works with {count} client. Choose a unit to take over.",
                    "The unit works with {count} clients. Choose a unit to take over.",
                    open_rows,
                ).format(count=open_rows),
                field="reassign_to",
            )
        if reassign_to is not None:
            target = session.get(Unit, reassign_to)
            if target is None or target.id == unit_id or not target.active:
                raise InvalidInputError(_("Choose another unit."), field="reassign_to")
            session.execute(
                update(Responsibility)
                .where(Responsibility.unit_id == unit_id, Responsibility.end_date.is_(None))
                .values(unit_id=reassign_to)
            )
            session.execute(
                update(TeamMember).where(TeamMember.unit_id == unit_id).values(unit_id=reassign_to)
            )
        else:
            session.execute(
                update(TeamMember).where(TeamMember.unit_id == unit_id).values(unit_id=None)
            )
        unit.active = False
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="unit removed")
        return Outcome(open_rows, ChangeSet.of(ChangeKind.TEAM))


# --- members and competences -----------------------------------------------------------------


def list_members(db: Database, team_id: int) -> list[MemberInfo]:
    query = (
        select(User.id, User.username, User.display_name, TeamMember.team_role, Unit.id, Unit.name)
        .join(TeamMember, TeamMember.user_id == User.id)
        .outerjoin(Unit, Unit.id == TeamMember.unit_id)
        .where(TeamMember.team_id == team_id, User.active)
        .order_by(locale_key(User.display_name, current_language()), User.id)
    )
    with db.read() as session:
        rows = session.execute(query).all()
        ids = [row[0] for row in rows]
        skills: dict[int, dict[Competence, dt.date | None]] = {i: {} for i in ids}
        if ids:
            for comp in session.scalars(
                select(MemberCompetence).where(MemberCompetence.user_id.in_(ids))
            ):
                try:
                    skills[comp.user_id][Competence(comp.competence)] = comp.trained_on
                except ValueError:
                    continue
        return [
            MemberInfo(
                user_id,
                username,
                shown,
                TeamRole(role) if role in TeamRole._value2member_map_ else TeamRole.OTHER,
                unit_id,
                unit_name or "",
                skills[user_id],
            )
            for user_id, username, shown, role, unit_id, unit_name in rows
        ]


def set_member(
    db: Database,
    actor: Actor,
    team_id: int,
    user_id: int,
    *,
    team_role: TeamRole,
    unit_id: int | None,
) -> Outcome[None]:
    """Make ``user_id`` a member of the team (or change their role and unit)."""
    require_team_manager(actor, team_id)
    with db.begin() as session:
        _team(session, team_id)
        if session.get(User, user_id) is None:
            raise NotFoundError("no such user")
        if unit_id is not None:
            unit = session.get(Unit, unit_id)
            if unit is None or unit.team_id != team_id:
                raise InvalidInputError(_("The unit belongs to another team."), field="unit")
        member = session.get(TeamMember, (team_id, user_id))
        if member is None:
            member = TeamMember(team_id=team_id, user_id=user_id)
            session.add(member)
        member.team_role = team_role.value
        member.unit_id = unit_id
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="team member set")
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM))


def remove_member(
    db: Database, actor: Actor, team_id: int, user_id: int, *, reassign_to: int | None
) -> Outcome[int]:
    """Take a member off the team; their clients in this team go to ``reassign_to``."""
    require_team_manager(actor, team_id)
    today = dt.date.today()
    with db.begin() as session:
        clients = list(
            session.scalars(
                select(Client.id).where(
                    Client.team_id == team_id, Client.responsible_user_id == user_id
                )
            )
        )
        open_rows = list(
            session.scalars(
                select(Responsibility).where(
                    Responsibility.user_id == user_id,
                    Responsibility.end_date.is_(None),
                    Responsibility.client_id.in_(
                        select(Client.id).where(Client.team_id == team_id)
                    ),
                )
            )
        )
        count = len(set(clients) | {r.client_id for r in open_rows})
        if reassign_to is None and count:
            raise StillInUseError(
                ngettext(
                    "The member is responsible for {count} client. Choose who takes over.",
                    "The member is responsible for {count} clients. Choose who takes over.",
                    count,
                ).format(count=count),
                field="reassign_to",
            )
        if reassign_to is not None:
            if reassign_to == user_id or session.get(TeamMember, (team_id, reassign_to)) is None:
                raise InvalidInputError(
                    _("Choose another member of the team."), field="reassign_to"
                )
            if clients:
                session.execute(
                    update(Client)
                    .where(Client.id.in_(clients))
                    .values(responsible_user_id=reassign_to)
                )
            for row in open_rows:
                row.end_date = max(today, row.start_date)
                session.add(
                    Responsibility(
                        client_id=row.client_id,
                        role=row.role,
                        user_id=reassign_to,
                        unit_id=row.unit_id,
                        start_date=max(today, row.start_date),
                        created_by_id=actor.user_id,
                    )
                )
        session.execute(
            delete(TeamMember).where(TeamMember.team_id == team_id, TeamMember.user_id == user_id)
        )
        audit.record(
            session, actor, AuditAction.USER_ADMIN, detail=f"team member removed; {count} moved"
        )
        return Outcome(count, ChangeSet.of({ChangeKind.TEAM, ChangeKind.HEADER}))


def set_competence(
    db: Database,
    actor: Actor,
    user_id: int,
    competence: Competence,
    trained_on: dt.date | None,
    *,
    held: bool = True,
) -> Outcome[None]:
    """Record (or with ``held=False`` remove) a member's competence and the date trained."""
    with db.begin() as session:
        teams = set(
            session.scalars(select(TeamMember.team_id).where(TeamMember.user_id == user_id))
        )
        if actor.role is not Role.ADMIN and not (
            actor.role is Role.TEAM_LEAD and teams & actor.team_ids
        ):
            raise AccessDeniedError("team managers only")
        if trained_on is not None and trained_on > dt.date.today():
            raise InvalidInputError(_("The date cannot be in the future."), field="trained_on")
        row = session.get(MemberCompetence, (user_id, competence.value))
        if not held:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(
                MemberCompetence(
                    user_id=user_id, competence=competence.value, trained_on=trained_on
                )
            )
        else:
            row.trained_on = trained_on
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="competence set")
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM))


# --- partners --------------------------------------------------------------------------------


def list_partners(db: Database, team_id: int) -> list[PartnerInfo]:
    with db.read() as session:
        rows = session.scalars(
            select(Partner)
            .where(Partner.team_id == team_id)
            .order_by(locale_key(Partner.name, current_language()), Partner.id)
        )
        return [PartnerInfo(p.id, p.team_id, p.name, PartnerKind(p.kind), p.contact) for p in rows]


def add_partner(
    db: Database, actor: Actor, team_id: int, name: str, *, kind: PartnerKind, contact: str = ""
) -> Outcome[int]:
    require_team_manager(actor, team_id)
    cleaned = _clean_name(name)
    if len(contact) > 200:
        raise InvalidInputError(
            _("The text is too long (at most {limit} characters).").format(limit=200),
            field="contact",
        )
    with db.begin() as session:
        _team(session, team_id)
        partner = Partner(team_id=team_id, name=cleaned, kind=kind.value, contact=contact.strip())
        session.add(partner)
        session.flush()
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="partner added")
        return Outcome(partner.id, ChangeSet.of(ChangeKind.TEAM))


def remove_partner(db: Database, actor: Actor, partner_id: int) -> Outcome[None]:
    with db.begin() as session:
        partner = session.get(Partner, partner_id)
        if partner is None:
            raise NotFoundError("no such partner")
        require_team_manager(actor, partner.team_id)
        session.delete(partner)
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="partner removed")
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM))
