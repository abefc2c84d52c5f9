"""Case review meetings (ärendegenomgång / sagsgennemgang): participants, an agenda the
lead reorders and edits (proposed by ``services.team_agenda``), minutes per item with decisions
and actions assigned to members. Actions decided at a meeting appear in "what is due" for the
member they are assigned to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, delete, exists, func, select, update
from sqlalchemy.orm import Session

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError, NotFoundError
from hemlos_desktop.i18n import current_language
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import Role, Team, TeamMember, User
from hemlos_desktop.models.team import (
    AgendaItem,
    AgendaReason,
    MeetingAction,
    MeetingParticipant,
    ReviewMeeting,
    TeamRole,
)
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, require_write, visible_clients_clause
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.client_order import locale_key
from hemlos_desktop.services.plan_due import week_end
from hemlos_desktop.services.team_agenda import proposals_in
from hemlos_desktop.storage import Database

TEXT_MAX = 200
DECISION_MAX = 4000


@dataclass(frozen=True)
class ActionDraft:
    text: str
    assigned_user_id: int | None
    due: dt.date | None


@dataclass(frozen=True)
class ActionRow:
    id: int
    item_id: int
    client_id: int | None
    text: str
    assigned_user_id: int | None
    assigned_name: str
    due: dt.date
    done: bool


@dataclass(frozen=True)
class AgendaRow:
    id: int
    position: int
    client_id: int | None
    client_name: str
    reason: AgendaReason
    topic: str
    decision: str
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class MeetingSummary:
    id: int
    team_id: int
    meeting_date: dt.date
    title: str
    items: int
    minutes_done: bool


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    team_id: int
    team_name: str
    meeting_date: dt.date
    title: str
    minutes_done: bool
    participants: tuple[str, ...]
    participant_ids: tuple[int, ...]
    items: tuple[AgendaRow, ...]


def _name(first: str, last: str, alias: str) -> str:
    return " ".join(p for p in (first, last) if p) or alias


def require_meeting_lead(session: Session, actor: Actor, team_id: int) -> None:
    """Administrators, the team's lead and its boendelots run meetings."""
    require_write(actor)
    if actor.role is Role.ADMIN:
        return
    if team_id in actor.team_ids:
        if actor.role is Role.TEAM_LEAD:
            return
        role = session.scalar(
            select(TeamMember.team_role).where(
                TeamMember.team_id == team_id, TeamMember.user_id == actor.user_id
            )
        )
        if role == TeamRole.COORDINATOR.value:
            return
    raise AccessDeniedError("meeting leads only")


def can_lead_meetings(db: Database, actor: Actor, team_id: int) -> bool:
    """Whether ``actor`` may create meetings and write minutes for the team."""
    with db.read() as session:
        try:
            require_meeting_lead(session, actor, team_id)
        except AccessDeniedError:
            return False
    return True


def _meeting(session: Session, actor: Actor, meeting_id: int) -> ReviewMeeting:
    meeting = session.get(ReviewMeeting, meeting_id)
    if meeting is None or not (actor.sees_all_teams or meeting.team_id in actor.team_ids):
        raise NotFoundError("no such meeting")
    return meeting


# --- meetings --------------------------------------------------------------------------------


def create_meeting(
    db: Database,
    actor: Actor,
    team_id: int,
    *,
    meeting_date: dt.date,
    participant_ids: list[int],
    title: str = "",
    propose: bool = True,
) -> Outcome[int]:
    """A new meeting with its participants and (unless ``propose`` is False) proposed agenda."""
    if len(title) > TEXT_MAX:
        raise InvalidInputError(
            _("The text is too long (at most {limit} characters).").format(limit=TEXT_MAX),
            field="title",
        )
    with db.begin() as session:
        require_meeting_lead(session, actor, team_id)
        members = set(
            session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == team_id))
        )
        if not set(participant_ids) <= members:
            raise InvalidInputError(
                _("Every participant must be a member of the team."), field="participants"
            )
        meeting = ReviewMeeting(
            team_id=team_id,
            meeting_date=meeting_date,
            title=title.strip(),
            created_by_id=actor.user_id,
        )
        session.add(meeting)
        session.flush()
        for user_id in sorted(set(participant_ids)):
            session.add(MeetingParticipant(meeting_id=meeting.id, user_id=user_id))
        if propose:
            for position, proposal in enumerate(
                proposals_in(session, actor, team_id, meeting_date), start=1
            ):
                session.add(
                    AgendaItem(
                        meeting_id=meeting.id,
                        position=position,
                        client_id=proposal.client_id,
                        reason=proposal.reason.value,
                    )
                )
        audit.record(session, actor, AuditAction.CREATE, detail="review meeting")
        return Outcome(meeting.id, ChangeSet.of(ChangeKind.TEAM))


def list_meetings(db: Database, actor: Actor, team_id: int) -> list[MeetingSummary]:
    counts = (
        select(AgendaItem.meeting_id, func.count().label("n"))
        .group_by(AgendaItem.meeting_id)
        .subquery()
    )
    query = (
        select(ReviewMeeting, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.meeting_id == ReviewMeeting.id)
        .where(ReviewMeeting.team_id == team_id)
        .order_by(ReviewMeeting.meeting_date.desc(), ReviewMeeting.id.desc())
    )
    if not (actor.sees_all_teams or team_id in actor.team_ids):
        return []
    with db.read() as session:
        return [
            MeetingSummary(m.id, m.team_id, m.meeting_date, m.title, int(n), m.minutes_done)
            for m, n in session.execute(query)
        ]


def meeting_detail(db: Database, actor: Actor, meeting_id: int) -> MeetingDetail:
    """The meeting with its agenda, minutes and actions (a query). Items about clients the
    actor may not see show no name."""
    with db.read() as session:
        return _detail(session, actor, meeting_id)


def _detail(session: Session, actor: Actor, meeting_id: int) -> MeetingDetail:
    meeting = _meeting(session, actor, meeting_id)
    team = session.get(Team, meeting.team_id)
    people = session.execute(
        select(User.id, User.display_name)
        .join(MeetingParticipant, MeetingParticipant.user_id == User.id)
        .where(MeetingParticipant.meeting_id == meeting_id)
        .order_by(locale_key(User.display_name, current_language()), User.id)
    ).all()
    visible = set(
        session.scalars(
            select(Client.id)
            .join(AgendaItem, AgendaItem.client_id == Client.id)
            .where(AgendaItem.meeting_id == meeting_id, visible_clients_clause(actor))
        )
    )
    items = session.execute(
        select(AgendaItem, Client.first_name, Client.last_name, Client.alias)
        .outerjoin(Client, Client.id == AgendaItem.client_id)
        .where(AgendaItem.meeting_id == meeting_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    item_ids = [item.id for item, *_rest in items]
    actions: dict[int, list[ActionRow]] = {i: [] for i in item_ids}
    if item_ids:
        for action, shown in session.execute(
            select(MeetingAction, User.display_name)
            .outerjoin(User, User.id == MeetingAction.assigned_user_id)
            .where(MeetingAction.item_id.in_(item_ids))
            .order_by(MeetingAction.due, MeetingAction.id)
        ):
            actions[action.item_id].append(
                ActionRow(
                    action.id,
                    action.item_id,
                    action.client_id,
                    action.text,
                    action.assigned_user_id,
                    shown or "",
                    action.due,
                    action.done,
                )
            )
    rows = []
    for item, first, last, alias in items:
        shown_name = ""
        if item.client_id is not None:
            shown_name = _name(first, last, alias) if item.client_id in visible else "…"
        rows.append(
            AgendaRow(
                item.id,
                item.position,
                item.client_id,
                shown_name,
                AgendaReason(item.reason),
                item.topic,
                item.decision,
                tuple(actions[item.id]),
            )
        )
    return MeetingDetail(
        meeting.id,
        meeting.team_id,
        team.name if team else "",
        meeting.meeting_date,
        meeting.title,
        meeting.minutes_done,
        tuple(name for _id, name in people),
        tuple(int(uid) for uid, _n in people),
        tuple(rows),
    )


def add_item(
    db: Database, actor: Actor, meeting_id: int, *, client_id: int | None, topic: str = ""
) -> Outcome[int]:
    """Add an item at the end: a client, or a topic of its own."""
    if client_id is None and not topic.strip():
        raise InvalidInputError(_("Choose a client or write a topic."), field="topic")
    if len(topic) > TEXT_MAX:
        raise InvalidInputError(
            _("The text is too long (at most {limit} characters).").format(limit=TEXT_MAX),
            field="topic",
        )
    with db.begin() as session:
        meeting = _meeting(session, actor, meeting_id)
        require_meeting_lead(session, actor, meeting.team_id)
        if client_id is not None and not session.scalar(
            select(exists().where(Client.id == client_id, visible_clients_clause(actor)))
        ):
            raise NotFoundError("client not visible")
        last = session.scalar(
            select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
        )
        item = AgendaItem(
            meeting_id=meeting_id,
            position=(last or 0) + 1,
            client_id=client_id,
            reason=AgendaReason.ADDED.value,
            topic=topic.strip(),
        )
        session.add(item)
        session.flush()
        audit.record(session, actor, AuditAction.CHANGE, detail="agenda item added")
        return Outcome(item.id, ChangeSet.of(ChangeKind.TEAM))


def move_item(db: Database, actor: Actor, item_id: int, offset: int) -> Outcome[None]:
    """Move an item up (negative) or down (positive) in the agenda."""
    with db.begin() as session:
        item = session.get(AgendaItem, item_id)
        if item is None:
            raise NotFoundError("no such item")
        meeting = _meeting(session, actor, item.meeting_id)
        require_meeting_lead(session, actor, meeting.team_id)
        order = list(
            session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == item.meeting_id)
                .order_by(AgendaItem.position, AgendaItem.id)
            )
        )
        index = order.index(item)
        target = max(0, min(len(order) - 1, index + offset))
        order.insert(target, order.pop(index))
        for position, row in enumerate(order, start=1):
            row.position = position
        audit.record(session, actor, AuditAction.CHANGE, detail="agenda reordered")
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM))


def remove_item(db: Database, actor: Actor, item_id: int) -> Outcome[None]:
    with db.begin() as session:
        item = session.get(AgendaItem, item_id)
        if item is None:
            raise NotFoundError("no such item")
        meeting = _meeting(session, actor, item.meeting_id)
        require_meeting_lead(session, actor, meeting.team_id)
        session.delete(item)
        session.flush()
        rest = session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
        for position, row in enumerate(rest, start=1):
            row.position = position
        audit.record(session, actor, AuditAction.CHANGE, detail="agenda item removed")
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM))


def record_minutes(
    db: Database,
    actor: Actor,
    item_id: int,
    *,
    decision: str,
    new_actions: list[ActionDraft],
) -> Outcome[None]:
    """Write the decision of one item and add the actions decided (each checked first)."""
    if len(decision) > DECISION_MAX:
        raise InvalidInputError(
            _("The text is too long (at most {limit} characters).").format(limit=DECISION_MAX),
            field="decision",
        )
    for index, draft in enumerate(new_actions):
        if not draft.text.strip():
            raise InvalidInputError(_("Describe the action."), field=f"actions.{index}.text")
        if len(draft.text) > TEXT_MAX:
            raise InvalidInputError(
                _("The text is too long (at most {limit} characters).").format(limit=TEXT_MAX),
                field=f"actions.{index}.text",
            )
        if draft.due is None:
            raise InvalidInputError(_("Give the due date."), field=f"actions.{index}.due")
        if draft.assigned_user_id is None:
            raise InvalidInputError(
                _("Choose who does it."), field=f"actions.{index}.assigned_user_id"
            )
    with db.begin() as session:
        item = session.get(AgendaItem, item_id)
        if item is None:
            raise NotFoundError("no such item")
        meeting = _meeting(session, actor, item.meeting_id)
        require_meeting_lead(session, actor, meeting.team_id)
        members = set(
            session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == meeting.team_id))
        )
        for index, draft in enumerate(new_actions):
            if draft.assigned_user_id not in members:
                raise InvalidInputError(
                    _("Choose a member of the team."), field=f"actions.{index}.assigned_user_id"
                )
        item.decision = decision.strip()
        for draft in new_actions:
            assert draft.due is not None
            session.add(
                MeetingAction(
                    item_id=item.id,
                    client_id=item.client_id,
                    text=draft.text.strip(),
                    assigned_user_id=draft.assigned_user_id,
                    due=draft.due,
                )
            )
        audit.record(session, actor, AuditAction.CHANGE, client_id=item.client_id, detail="minutes")
        ids = (item.client_id,) if item.client_id else ()
        return Outcome(None, ChangeSet.of({ChangeKind.TEAM, ChangeKind.DUE}, *ids))


def finish_minutes(
    db: Database, actor: Actor, meeting_id: int, *, done: bool = True
) -> Outcome[None]:
    with db.begin() as session:
        meeting = _meeting(session, actor, meeting_id)
        require_meeting_lead(session, actor, meeting.team_id)
        meeting.minutes_done = done
        audit.record(session, actor, AuditAction.CHANGE, detail="minutes finished")
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM))


def set_action_done(db: Database, actor: Actor, action_id: int, *, done: bool) -> Outcome[None]:
    """The member it is assigned to, or a meeting lead, marks an action done."""
    require_write(actor)
    with db.begin() as session:
        action = session.get(MeetingAction, action_id)
        if action is None:
            raise NotFoundError("no such action")
        item = session.get(AgendaItem, action.item_id)
        assert item is not None
        meeting = _meeting(session, actor, item.meeting_id)
        if action.assigned_user_id != actor.user_id:
            require_meeting_lead(session, actor, meeting.team_id)
        session.execute(
            update(MeetingAction).where(MeetingAction.id == action_id).values(done=done)
        )
        audit.record(
            session, actor, AuditAction.CHANGE, client_id=action.client_id, detail="action done"
        )
        ids = (action.client_id,) if action.client_id else ()
        return Outcome(None, ChangeSet.of({ChangeKind.TEAM, ChangeKind.DUE}, *ids))


def delete_meeting(db: Database, actor: Actor, meeting_id: int) -> Outcome[None]:
    """Remove a meeting whose minutes are not finished (a planned meeting called off)."""
    with db.begin() as session:
        meeting = _meeting(session, actor, meeting_id)
        require_meeting_lead(session, actor, meeting.team_id)
        if meeting.minutes_done:
            raise InvalidInputError(_("Finished minutes are kept."), field="meeting")
        session.execute(delete(ReviewMeeting).where(ReviewMeeting.id == meeting_id))
        audit.record(session, actor, AuditAction.CHANGE, detail="review meeting removed")
    return Outcome(None, ChangeSet.of(ChangeKind.TEAM))


def my_open_actions(db: Database, actor: Actor, *, today: dt.date | None = None) -> tuple[int, int]:
    """(overdue, due this week) meeting actions assigned to ``actor`` (status-bar counter)."""
    today = today or dt.date.today()
    with db.read() as session:
        late, soon = session.execute(
            select(
                func.count().filter(MeetingAction.due < today),
                func.count().filter(
                    and_(MeetingAction.due >= today, MeetingAction.due <= week_end(today))
                ),
            ).where(MeetingAction.assigned_user_id == actor.user_id, MeetingAction.done.is_(False))
        ).one()
    return int(late), int(soon)
