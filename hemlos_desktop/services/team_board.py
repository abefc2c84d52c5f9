"""The team board: per member their caseload, what is due, eviction cases and competences.

Each figure is one grouped SQL query over the team's clients (indexed on ``team_id``):

- **caseload**: the member's active clients in this team (``clients.responsible_user_id``), split
  by qualification status (*qualified*: the newest signed rating has every area at level 1 or 2;
  *not qualified*: it has not; *not rated*: no signed rating) and by current housing code;
- **due / overdue**: open actions of plans in force whose responsible person is the member and
  follow-ups of plans of the member's clients, plus meeting actions assigned to the member; due
  means from today to the end of this week, overdue before today;
- **evictions**: open eviction cases of the member's clients and the soonest next date.

A query: it writes nothing. Team leads, administrators and the team's boendelots see every
member; any other member sees their own row only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import AccessDeniedError
from hemlos_desktop.models import plan_rules
from hemlos_desktop.models.assessment import AreaRatingRow, Assessment, AssessmentStatus
from hemlos_desktop.models.client import Client, ClientStatus
from hemlos_desktop.models.people import Role, Team, TeamMember
from hemlos_desktop.models.plan import DueKind, Plan, PlanDueItem, PlanVersion
from hemlos_desktop.models.team import Competence, EvictionCase, MeetingAction, TeamRole
from hemlos_desktop.services.actor import Actor, visible_clients_clause
from hemlos_desktop.services.evictions import next_date_expr
from hemlos_desktop.services.plan_due import week_end
from hemlos_desktop.services.team_org import MemberInfo, list_members
from hemlos_desktop.storage import Database

QUALIFY_MAX_LEVEL = 2


class Qualification:
    QUALIFIED = "qualified"
    NOT_QUALIFIED = "not_qualified"
    NOT_RATED = "not_rated"
    ALL = (QUALIFIED, NOT_QUALIFIED, NOT_RATED)


@dataclass(frozen=True)
class MemberFigures:
    user_id: int
    name: str
    team_role: TeamRole
    unit_name: str
    active: int = 0
    by_qualification: dict[str, int] = field(default_factory=dict)
    by_housing: dict[int | None, int] = field(default_factory=dict)
    due: int = 0
    overdue: int = 0
    evictions_open: int = 0
    next_eviction_date: dt.date | None = None
    competences: dict[Competence, dt.date | None] = field(default_factory=dict)
    overloaded: bool = False


@dataclass(frozen=True)
class TeamBoard:
    team_id: int
    team_name: str
    caseload_ceiling: int
    today: dt.date
    members: tuple[MemberFigures, ...]
    unassigned: int  # active clients of the team without a responsible member

    @property
    def total_active(self) -> int:
        return sum(m.active for m in self.members) + self.unassigned


def sees_whole_board(session: Session, actor: Actor, team_id: int) -> bool:
    if actor.role in (Role.ADMIN, Role.READ_ONLY):
        return True
    if team_id not in actor.team_ids:
        return False
    if actor.role is Role.TEAM_LEAD:
        return True
    role = session.scalar(
        select(TeamMember.team_role).where(
            TeamMember.team_id == team_id, TeamMember.user_id == actor.user_id
        )
    )
    return role == TeamRole.COORDINATOR.value


def _team_clients(actor: Actor, team_id: int) -> list[ColumnElement[bool]]:
    return [
        Client.team_id == team_id,
        Client.status == ClientStatus.ACTIVE.value,
        visible_clients_clause(actor),
    ]


def worst_level_expr() -> ColumnElement[int | None]:
    """SQL, per client: the highest level of the newest signed rating (99 when an area was not
    assessed; NULL when there is no signed rating)."""
    newest = (
        select(Assessment.id)
        .where(
            Assessment.client_id == Client.id,
            Assessment.status == AssessmentStatus.SIGNED.value,
        )
        .order_by(Assessment.rated_on.desc(), Assessment.id.desc())
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )
    return (
        select(
            case(
                (func.count() == 0, None),
                (func.count() != func.count(AreaRatingRow.level), 99),
                else_=func.max(AreaRatingRow.level),
            )
        )
        .where(AreaRatingRow.assessment_id == newest)
        .correlate(Client)
        .scalar_subquery()
    )


def qualification_of(worst: ColumnElement[int | None]) -> ColumnElement[str]:
    return case(
        (worst.is_(None), Qualification.NOT_RATED),
        (worst <= QUALIFY_MAX_LEVEL, Qualification.QUALIFIED),
        else_=Qualification.NOT_QUALIFIED,
    )


def team_board(
    db: Database, actor: Actor, team_id: int, *, today: dt.date | None = None
) -> TeamBoard:
    today = today or dt.date.today()
    end = week_end(today)
    members = list_members(db, team_id)
    with db.read() as session:
        team = session.get(Team, team_id)
        if team is None or not (actor.sees_all_teams or team_id in actor.team_ids):
            raise AccessDeniedError("not this team")
        ceiling, team_name = team.caseload_ceiling, team.name
        whole = sees_whole_board(session, actor, team_id)
        shown: list[MemberInfo] = [m for m in members if whole or m.user_id == actor.user_id]
        where = _team_clients(actor, team_id)
        owner = Client.responsible_user_id
        per_status: dict[int | None, dict[str, int]] = defaultdict(dict)
        active: dict[int | None, int] = defaultdict(int)
        # LIMIT -1 keeps SQLite from flattening the subquery, which would evaluate the
        # correlated rating lookup once per use of ``worst`` instead of once per client.
        inner = select(owner, worst_level_expr().label("worst")).where(*where).limit(-1).subquery()
        for user_id, worst, count in session.execute(
            select(inner.c.responsible_user_id, inner.c.worst, func.count()).group_by(
                inner.c.responsible_user_id, inner.c.worst
            )
        ):
            if worst is None:
                status_key = Qualification.NOT_RATED
            elif worst <= QUALIFY_MAX_LEVEL:
                status_key = Qualification.QUALIFIED
            else:
                status_key = Qualification.NOT_QUALIFIED
            per_status[user_id][status_key] = per_status[user_id].get(status_key, 0) + int(count)
            active[user_id] += int(count)
        per_housing: dict[int | None, dict[int | None, int]] = defaultdict(dict)
        for user_id, code, count in session.execute(
            select(owner, Client.current_housing_code, func.count())
            .where(*where)
            .group_by(owner, Client.current_housing_code)
        ):
            per_housing[user_id][code] = int(count)
        due, overdue = _due_counts(session, actor, team_id, today, end)
        evictions: dict[int | None, tuple[int, dt.date | None]] = {}
        nxt = next_date_expr(today)
        for user_id, count, soonest in session.execute(
            select(owner, func.count(), func.min(nxt))
            .join(EvictionCase, EvictionCase.client_id == Client.id)
            .where(*where, EvictionCase.outcome == "")
            .group_by(owner)
        ):
            day = dt.date.fromisoformat(soonest) if isinstance(soonest, str) else soonest
            evictions[user_id] = (int(count), day)
    rows = []
    for member in shown:
        uid = member.user_id
        n_active = active.get(uid, 0)
        n_evictions, next_day = evictions.get(uid, (0, None))
        rows.append(
            MemberFigures(
                user_id=uid,
                name=member.display_name,
                team_role=member.team_role,
                unit_name=member.unit_name,
                active=n_active,
                by_qualification={s: per_status[uid].get(s, 0) for s in Qualification.ALL},
                by_housing=dict(per_housing.get(uid, {})),
                due=due.get(uid, 0),
                overdue=overdue.get(uid, 0),
                evictions_open=n_evictions,
                next_eviction_date=next_day,
                competences=dict(member.competences),
                overloaded=n_active > ceiling,
            )
        )
    member_ids = {m.user_id for m in members}
    unassigned = sum(n for uid, n in active.items() if uid not in member_ids) if whole else 0
    return TeamBoard(team_id, team_name, ceiling, today, tuple(rows), unassigned)


def _due_counts(
    session: Session, actor: Actor, team_id: int, today: dt.date, end: dt.date
) -> tuple[dict[int, int], dict[int, int]]:
    """(due this week, overdue) per member: plan items and meeting actions."""
    due: dict[int, int] = defaultdict(int)
    overdue: dict[int, int] = defaultdict(int)
    who = case(
        (PlanDueItem.kind == DueKind.ACTION.value, PlanDueItem.responsible_user_id),
        else_=Client.responsible_user_id,
    )
    in_force = [s.value for s in plan_rules.IN_FORCE_STATES]
    plan_query = (
        select(
            who,
            func.count().filter(PlanDueItem.due < today),
            func.count().filter(and_(PlanDueItem.due >= today, PlanDueItem.due <= end)),
        )
        .select_from(PlanDueItem)
        .join(PlanVersion, PlanVersion.id == PlanDueItem.version_id)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .join(Client, Client.id == Plan.client_id)
        .where(
            PlanVersion.state.in_(in_force),
            PlanDueItem.done.is_(False),
            PlanDueItem.due <= end,
            *_team_clients(actor, team_id),
        )
        .group_by(who)
    )
    action_query = (
        select(
            MeetingAction.assigned_user_id,
            func.count().filter(MeetingAction.due < today),
            func.count().filter(MeetingAction.due >= today),
        )
        .join(TeamMember, TeamMember.user_id == MeetingAction.assigned_user_id)
        .where(
            TeamMember.team_id == team_id,
            MeetingAction.done.is_(False),
            MeetingAction.due <= end,
        )
        .group_by(MeetingAction.assigned_user_id)
    )
    for query in (plan_query, action_query):
        for user_id, late, soon in session.execute(query):
            if user_id is None:
                continue
            overdue[user_id] += int(late)
            due[user_id] += int(soon)
    return due, overdue
