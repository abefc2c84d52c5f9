"""The proposed agenda of a case review meeting (a query: writes nothing).

The agenda is proposed from the team's active clients, each client once, in this order:
1. an open eviction case that is new (notice in the last 14 days) or urgent (hearing or eviction
   within 14 days);
2. a plan follow-up overdue or due by the end of the meeting's week;
3. newly qualified: the newest signed rating, dated in the 14 days before the meeting (or since
   the team's previous meeting), has every area at 1 or 2 and the rating before it did not;
4. no contact: no journal note and no outreach contact for the team's ``no_contact_days``
   (default 30) before the meeting, and registered before that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import NotFoundError
from hemlos_desktop.i18n import current_language
from hemlos_desktop.models import plan_rules
from hemlos_desktop.models.assessment import AreaRatingRow, Assessment, AssessmentStatus
from hemlos_desktop.models.client import Client, ClientStatus, JournalEntry, OutreachContact
from hemlos_desktop.models.eviction_rules import NEW_DAYS, URGENT_DAYS
from hemlos_desktop.models.people import Team
from hemlos_desktop.models.plan import DueKind, Plan, PlanDueItem, PlanVersion
from hemlos_desktop.models.team import AgendaReason, EvictionCase, ReviewMeeting
from hemlos_desktop.services.actor import Actor, visible_clients_clause
from hemlos_desktop.services.client_order import stored_name_key
from hemlos_desktop.services.evictions import next_date_expr
from hemlos_desktop.services.plan_due import week_end
from hemlos_desktop.storage import Database

QUALIFIED_WINDOW_DAYS = 14


@dataclass(frozen=True)
class Proposal:
    client_id: int
    client_name: str
    reason: AgendaReason


def _name(first: str, last: str, alias: str) -> str:
    return " ".join(p for p in (first, last) if p) or alias


def propose_agenda(
    db: Database, actor: Actor, team_id: int, *, meeting_date: dt.date | None = None
) -> list[Proposal]:
    """The clients the rules above propose for a meeting on ``meeting_date`` (a query)."""
    day = meeting_date or dt.date.today()
    with db.read() as session:
        return proposals_in(session, actor, team_id, day)


def proposals_in(session: Session, actor: Actor, team_id: int, day: dt.date) -> list[Proposal]:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFoundError("no such team")
    base = [
        Client.team_id == team_id,
        Client.status == ClientStatus.ACTIVE.value,
        visible_clients_clause(actor),
    ]
    names: dict[int, str] = {}
    chosen: dict[int, AgendaReason] = {}

    def take(rows: object, reason: AgendaReason) -> None:
        for client_id, first, last, alias in rows:  # type: ignore[attr-defined]
            names[client_id] = _name(first, last, alias)
            chosen.setdefault(client_id, reason)

    person = (Client.id, Client.first_name, Client.last_name, Client.alias)
    by_name = (stored_name_key(current_language()), Client.first_name_fold, Client.id)
    nxt = next_date_expr(day)
    take(
        session.execute(
            select(*person)
            .join(EvictionCase, EvictionCase.client_id == Client.id)
            .where(
                *base,
                EvictionCase.outcome == "",
                or_(
                    EvictionCase.notice_date >= day - dt.timedelta(days=NEW_DAYS),
                    nxt <= day + dt.timedelta(days=URGENT_DAYS),
                ),
            )
            .distinct()
            .order_by(*by_name)
        ),
        AgendaReason.EVICTION,
    )
    in_force = [s.value for s in plan_rules.IN_FORCE_STATES]
    take(
        session.execute(
            select(*person)
            .join(Plan, Plan.client_id == Client.id)
            .join(PlanVersion, PlanVersion.plan_id == Plan.id)
            .join(PlanDueItem, PlanDueItem.version_id == PlanVersion.id)
            .where(
                *base,
                PlanVersion.state.in_(in_force),
                PlanDueItem.kind == DueKind.FOLLOW_UP.value,
                PlanDueItem.done.is_(False),
                PlanDueItem.due <= week_end(day),
            )
            .distinct()
            .order_by(*by_name)
        ),
        AgendaReason.FOLLOW_UP_DUE,
    )
    previous = session.scalar(
        select(func.max(ReviewMeeting.meeting_date)).where(
            ReviewMeeting.team_id == team_id, ReviewMeeting.meeting_date < day
        )
    )
    since = previous or day - dt.timedelta(days=QUALIFIED_WINDOW_DAYS)
    for client_id, first, last, alias in session.execute(
        select(*person)
        .join(Assessment, Assessment.client_id == Client.id)
        .where(
            *base,
            Assessment.status == AssessmentStatus.SIGNED.value,
            Assessment.rated_on >= since,
            Assessment.rated_on <= day,
        )
        .distinct()
        .order_by(*by_name)
    ):
        if _newly_qualified(session, client_id, day):
            take([(client_id, first, last, alias)], AgendaReason.NEWLY_QUALIFIED)
    cutoff = day - dt.timedelta(days=team.no_contact_days)
    journal = exists().where(JournalEntry.client_id == Client.id, JournalEntry.entry_date >= cutoff)
    contact = exists().where(
        OutreachContact.client_id == Client.id, OutreachContact.contact_date >= cutoff
    )
    take(
        session.execute(
            select(*person)
            .where(
                *base,
                Client.created_at < dt.datetime.combine(cutoff, dt.time()),
                ~journal,
                ~contact,
            )
            .order_by(*by_name)
        ),
        AgendaReason.NO_CONTACT,
    )
    order = [
        AgendaReason.EVICTION,
        AgendaReason.FOLLOW_UP_DUE,
        AgendaReason.NEWLY_QUALIFIED,
        AgendaReason.NO_CONTACT,
        AgendaReason.ADDED,
    ]
    ranked = sorted(chosen.items(), key=lambda kv: order.index(kv[1]))
    return [Proposal(cid, names[cid], reason) for cid, reason in ranked]


def _newly_qualified(session: Session, client_id: int, day: dt.date) -> bool:
    ratings = list(
        session.scalars(
            select(Assessment.id)
            .where(
                Assessment.client_id == client_id,
                Assessment.status == AssessmentStatus.SIGNED.value,
                Assessment.rated_on <= day,
            )
            .order_by(Assessment.rated_on.desc(), Assessment.id.desc())
            .limit(2)
        )
    )

    def qualifies(assessment_id: int) -> bool:
        levels = list(
            session.scalars(
                select(AreaRatingRow.level).where(AreaRatingRow.assessment_id == assessment_id)
            )
        )
        return bool(levels) and all(lv is not None and 1 <= lv <= 2 for lv in levels)

    if not ratings or not qualifies(ratings[0]):
        return False
    return len(ratings) == 1 or not qualifies(ratings[1])
