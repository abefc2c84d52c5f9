"""What is due: actions and planned follow-ups of plans in force, for me or for my team.

One SQL query over ``plan_due_items`` (indexed on the due date) joined to the versions in force
and the clients the actor may see. "Mine" means actions whose responsible team member is me,
and follow-ups of clients I am responsible for; "team" means every client I may see.

Actions decided at a case review (``meeting_actions``, indexed on the due date) about a client
are listed and counted beside them: "mine" when they are assigned to me; "team" for every client
I may see. They carry ``version_id`` 0 (no plan version).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from hemlos_desktop.models import plan_rules
from hemlos_desktop.models.client import Client, ClientStatus
from hemlos_desktop.models.people import User
from hemlos_desktop.models.plan import DueKind, Plan, PlanDueItem, PlanVersion
from hemlos_desktop.models.team import MeetingAction
from hemlos_desktop.services.actor import Actor, visible_clients_clause
from hemlos_desktop.storage import Database

COMING_UP_DAYS = 28
# The client's responsible team member (joined beside the action's own responsible).
_OWNER = aliased(User)


class DueScope(StrEnum):
    MINE = "mine"
    TEAM = "team"


class DueBucket(StrEnum):
    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    COMING_UP = "coming_up"


@dataclass(frozen=True)
class DueItem:
    client_id: int
    client_name: str
    version_id: int
    kind: DueKind
    item_uid: str
    text: str
    due: dt.date
    bucket: DueBucket
    responsible_name: str
    responsible_user_id: int | None
    phase: str | None
    # The client's responsible team member (a follow-up is theirs), and the client's name as
    # lists show it ("Söderström, Emma"), for grouping a long list (services.due_groups).
    client_owner_id: int | None = None
    client_owner_name: str = ""
    client_list_name: str = ""


@dataclass(frozen=True)
class DueCounts:
    overdue: int
    this_week: int
    coming_up: int

    @property
    def total(self) -> int:
        return self.overdue + self.this_week + self.coming_up


def week_end(today: dt.date) -> dt.date:
    """The Sunday of ``today``'s week (weeks start on Monday in Sweden and Denmark)."""
    return today + dt.timedelta(days=6 - today.weekday())


def bucket_of(due: dt.date, today: dt.date) -> DueBucket | None:
    if due < today:
        return DueBucket.OVERDUE
    if due <= week_end(today):
        return DueBucket.THIS_WEEK
    if due <= today + dt.timedelta(days=COMING_UP_DAYS):
        return DueBucket.COMING_UP
    return None


def _where(actor: Actor, scope: DueScope, today: dt.date) -> ColumnElement[bool]:
    in_force = [s.value for s in plan_rules.IN_FORCE_STATES]
    horizon = max(week_end(today), today + dt.timedelta(days=COMING_UP_DAYS))
    clauses: list[ColumnElement[bool]] = [
        PlanVersion.state.in_(in_force),
        PlanDueItem.done.is_(False),
        PlanDueItem.due.is_not(None),
        PlanDueItem.due <= horizon,
        Client.status != ClientStatus.CLOSED.value,  # a closed case has nothing due
        visible_clients_clause(actor),
    ]
    if scope is DueScope.MINE:
        clauses.append(
            or_(
                PlanDueItem.responsible_user_id == actor.user_id,
                and_(
                    PlanDueItem.kind == DueKind.FOLLOW_UP.value,
                    Client.responsible_user_id == actor.user_id,
                ),
            )
        )
    return and_(*clauses)


def _joined(query: Select) -> Select:  # type: ignore[type-arg]
    return (
        query.select_from(PlanDueItem)
        .join(PlanVersion, PlanVersion.id == PlanDueItem.version_id)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .join(Client, Client.id == Plan.client_id)
    )


def _meeting_where(actor: Actor, scope: DueScope, today: dt.date) -> ColumnElement[bool]:
    horizon = max(week_end(today), today + dt.timedelta(days=COMING_UP_DAYS))
    clauses: list[ColumnElement[bool]] = [
        MeetingAction.done.is_(False),
        MeetingAction.due <= horizon,
        Client.status != ClientStatus.CLOSED.value,
        visible_clients_clause(actor),
    ]
    if scope is DueScope.MINE:
        clauses.append(MeetingAction.assigned_user_id == actor.user_id)
    return and_(*clauses)


def _list_name(first: str | None, last: str | None, alias: str | None) -> str:
    """The client's name as lists show it: surname first."""
    if last and first:
        return f"{last}, {first}"
    return last or first or alias or ""


def _meeting_items(
    session: Session, actor: Actor, scope: DueScope, today: dt.date
) -> list[DueItem]:
    query = (
        select(
            MeetingAction,
            Client.first_name,
            Client.last_name,
            Client.alias,
            User.display_name,
            Client.responsible_user_id,
            _OWNER.display_name,
        )
        .join(Client, Client.id == MeetingAction.client_id)
        .outerjoin(User, User.id == MeetingAction.assigned_user_id)
        .outerjoin(_OWNER, _OWNER.id == Client.responsible_user_id)
        .where(_meeting_where(actor, scope, today))
        .order_by(MeetingAction.due, MeetingAction.id)
    )
    items: list[DueItem] = []
    for action, first, last, alias, who, owner_id, owner in session.execute(query):
        bucket = bucket_of(action.due, today)
        if bucket is None or action.client_id is None:
            continue
        items.append(
            DueItem(
                client_id=action.client_id,
                client_name=" ".join(p for p in (first, last) if p) or alias,
                version_id=0,
                kind=DueKind.ACTION,
                item_uid=f"meeting-action-{action.id}",
                text=action.text,
                due=action.due,
                bucket=bucket,
                responsible_name=who or "",
                responsible_user_id=action.assigned_user_id,
                phase=None,
                client_owner_id=owner_id,
                client_owner_name=owner or "",
                client_list_name=_list_name(first, last, alias),
            )
        )
    return items


def due_items(
    db: Database, actor: Actor, *, scope: DueScope = DueScope.MINE, today: dt.date | None = None
) -> tuple[DueItem, ...]:
    """Open items due up to four weeks ahead (and all overdue), soonest first."""
    today = today or dt.date.today()
    query = (
        _joined(
            select(
                PlanDueItem,
                Plan.client_id,
                Client.first_name,
                Client.last_name,
                Client.alias,
                Client.responsible_user_id,
                _OWNER.display_name,
            )
        )
        .outerjoin(_OWNER, _OWNER.id == Client.responsible_user_id)
        .where(_where(actor, scope, today))
        .order_by(PlanDueItem.due, PlanDueItem.id)
    )
    items: list[DueItem] = []
    with db.read() as session:
        for item, client_id, first, last, alias, owner_id, owner in session.execute(query):
            due = item.due
            assert due is not None
            bucket = bucket_of(due, today)
            if bucket is None:
                continue
            name = " ".join(p for p in (first, last) if p) or alias
            items.append(
                DueItem(
                    client_id=client_id,
                    client_name=name,
                    version_id=item.version_id,
                    kind=DueKind(item.kind),
                    item_uid=item.item_uid,
                    text=item.text,
                    due=due,
                    bucket=bucket,
                    responsible_name=item.responsible_name,
                    responsible_user_id=item.responsible_user_id,
                    phase=item.phase,
                    client_owner_id=owner_id,
                    client_owner_name=owner or "",
                    client_list_name=_list_name(first, last, alias),
                )
            )
        items.extend(_meeting_items(session, actor, scope, today))
    items.sort(key=lambda i: i.due)
    return tuple(items)


def due_counts(
    db: Database, actor: Actor, *, scope: DueScope = DueScope.MINE, today: dt.date | None = None
) -> DueCounts:
    """Counts for the status bar, computed in SQL (no rows loaded)."""
    today = today or dt.date.today()
    end = week_end(today)
    query = _joined(
        select(
            func.count().filter(PlanDueItem.due < today),
            func.count().filter(and_(PlanDueItem.due >= today, PlanDueItem.due <= end)),
            func.count().filter(PlanDueItem.due > end),
        )
    ).where(_where(actor, scope, today))
    meeting = (
        select(
            func.count().filter(MeetingAction.due < today),
            func.count().filter(and_(MeetingAction.due >= today, MeetingAction.due <= end)),
            func.count().filter(MeetingAction.due > end),
        )
        .select_from(MeetingAction)
        .join(Client, Client.id == MeetingAction.client_id)
        .where(_meeting_where(actor, scope, today))
    )
    with db.read() as session:
        overdue, this_week, coming_up = session.execute(query).one()
        m_overdue, m_week, m_coming = session.execute(meeting).one()
    return DueCounts(
        int(overdue) + int(m_overdue), int(this_week) + int(m_week), int(coming_up) + int(m_coming)
    )
