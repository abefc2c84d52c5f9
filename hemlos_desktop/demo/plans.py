"""Demo plans: every state (draft, agreed, followed up, revised with two versions, closed),
CTI plans in each phase, and coordinated plans (SIP). Rows are built as plain dicts and written
with a few bulk INSERTs.

The team keeps up, as a real one mostly does: actions whose day has passed are done and planned
follow-ups lie ahead, but for a handful (``SHARE_LATE``) that are late. A closed case's plan is
closed and dated before the closure."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemlos_desktop.models.base import utcnow
from hemlos_desktop.models.client import Client, ClientStatus
from hemlos_desktop.models.people import User
from hemlos_desktop.models.plan import (
    Plan,
    PlanDueItem,
    PlanVersion,
    SipInfo,
    SipParty,
    due_rows,
    snapshot_to_json,
)
from hemlos_desktop.models.plan_draft import draft_snapshot, instantiate
from hemlos_desktop.models.plan_lifecycle import agree, follow_up, revise
from hemlos_desktop.models.plan_rules import (
    ActionResult,
    ActionSnapshot,
    ActionStatus,
    AgreementRecord,
    FollowUpPoint,
    FollowUpRecord,
    GoalResult,
    PlanSnapshot,
    PlanState,
    Responsible,
    ResponsibleKind,
    transition,
)
from hemlos_desktop.models.plan_template import shipped_templates
from hemlos_desktop.storage.bulk import insert_rows

SHARE_WITH_PLAN = 0.4
SHARE_LATE = 0.03  # of the actions and follow-ups whose day has passed: still open, overdue
MAX_PLANS = 400
STORIES = ("draft", "agreed", "followed_up", "revised", "closed")
SIP_PARTIES = (
    ("Psykiatrin Nord", "Eva Holm", "Samtal varannan vecka och medicinuppföljning."),
    ("Beroendemottagningen", "Jonas Ek", "Öppenvård två dagar i veckan."),
    ("Arbetsförmedlingen", "Lina Sand", "Kartläggning och praktikplats."),
)


def _named(plan: PlanSnapshot, user_id: int | None, name: str) -> PlanSnapshot:
    goals = tuple(
        replace(
            goal,
            actions=tuple(
                replace(
                    action,
                    responsible=Responsible(ResponsibleKind.TEAM_MEMBER, name, None, user_id)
                    if action.responsible is None
                    or action.responsible.kind is not ResponsibleKind.OUTSIDE
                    else replace(action.responsible, name="Kontakt"),
                )
                for action in goal.actions
            ),
        )
        for goal in plan.goals
    )
    return replace(plan, goals=goals, participants=("Klienten", name))


def _story(kind: str, plan: PlanSnapshot, today: dt.date, rng: random.Random) -> list[PlanSnapshot]:
    """The versions of one demo plan, oldest first."""
    start = plan.start or today
    record = AgreementRecord(start, plan.participants, client_agreed=True, client_signed=True)
    if kind == "draft":
        return [plan]
    agreed = agree(plan, record, max(start, today)).plan
    if kind == "agreed":
        return [agreed]
    held = min(today, start + dt.timedelta(days=rng.randint(60, 100)))
    held = max(held, start)
    first_goal = plan.goals[0]
    results = tuple(
        ActionResult(a.uid, rng.choice(list(ActionStatus)), "Gick bra.") for a in first_goal.actions
    )
    followed = follow_up(
        agreed,
        FollowUpRecord(held, (GoalResult(first_goal.uid, rng.randint(0, 4)),), results),
        today,
    )
    if kind == "followed_up":
        return [followed]
    if kind == "closed":
        return [transition(followed, PlanState.CLOSED)]
    draft2 = revise(followed)
    draft2 = replace(draft2, goals=draft2.goals[:-1] or draft2.goals)
    result = agree(draft2, replace(record, agreed_on=held), today, previous=followed)
    assert result.superseded is not None
    return [result.superseded, result.plan]


def _kept_up(plan: PlanSnapshot, today: dt.date, rng: random.Random) -> PlanSnapshot:
    """A plan in force as a team that keeps up has it: actions past their day done, planned
    follow-ups ahead (moved to the coming weeks), except a few left late."""
    if plan.state not in (PlanState.AGREED, PlanState.FOLLOWED_UP):
        return plan

    def action(a: ActionSnapshot) -> ActionSnapshot:
        if a.done or a.due is None or a.due >= today or rng.random() < SHARE_LATE:
            return a
        return replace(a, status=ActionStatus.DONE)

    held = max((f.held_on for f in plan.follow_ups), default=None)

    def point(p: FollowUpPoint) -> FollowUpPoint:
        if p.on >= today or (held is not None and held >= p.on) or rng.random() < SHARE_LATE:
            return p
        return replace(p, on=today + dt.timedelta(days=rng.randint(3, 90)))

    goals = tuple(
        replace(goal, actions=tuple(action(a) for a in goal.actions)) for goal in plan.goals
    )
    points = tuple(sorted((point(p) for p in plan.follow_up_points), key=lambda p: p.on))
    return replace(plan, goals=goals, follow_up_points=points)


def _ended_by(plan: PlanSnapshot, closed_on: dt.date) -> PlanSnapshot:
    """A closed case's plan: no action or follow-up dated after the closure."""

    def clip(day: dt.date | None) -> dt.date | None:
        return None if day is None else min(day, closed_on)

    goals = tuple(
        replace(
            goal,
            actions=tuple(replace(a, start=clip(a.start), due=clip(a.due)) for a in goal.actions),
        )
        for goal in plan.goals
    )
    points = tuple(replace(p, on=min(p.on, closed_on)) for p in plan.follow_up_points)
    return replace(plan, goals=goals, follow_up_points=points)


def generate(session: Session, rng: random.Random, today: dt.date) -> None:
    rows = session.execute(
        select(Client.id, Client.responsible_user_id, Client.status, Client.closed_on).order_by(
            Client.id
        )
    ).all()
    names = dict(session.execute(select(User.id, User.display_name)).all())
    chosen = [r for r in rows if rng.random() < SHARE_WITH_PLAN][:MAX_PLANS]
    templates = shipped_templates()
    next_plan = (session.scalar(select(func.max(Plan.id))) or 0) + 1
    next_version = (session.scalar(select(func.max(PlanVersion.id))) or 0) + 1
    now = utcnow()
    plan_rows: list[dict[str, Any]] = []
    version_rows: list[dict[str, Any]] = []
    due: list[dict[str, Any]] = []
    for index, (client_id, user_id, status, closed_on) in enumerate(chosen):
        template = templates[index % len(templates)]
        kind = STORIES[index % len(STORIES)]
        until = today  # the last day anything of the plan is dated
        if status == ClientStatus.CLOSED.value and closed_on is not None:
            kind, until = "closed", closed_on  # a closed case's plan ended with it
        start = until - dt.timedelta(days=rng.randint(0, 200))
        plan_uid = str(uuid.uuid4())
        snapshot = draft_snapshot(instantiate(template, start, "sv"), plan_uid=plan_uid)
        snapshot = _named(snapshot, user_id, names.get(user_id or 0, "Handläggare"))
        sip = SipInfo()
        if index % 4 == 1:
            parties = tuple(SipParty(*p) for p in SIP_PARTIES[: rng.randint(2, 3)])
            sip = SipInfo(parties, lead=parties[0].organisation)
        plan_rows.append(
            {
                "id": next_plan,
                "uid": plan_uid,
                "client_id": client_id,
                "created_by_id": user_id,
                "created_at": now,
                "updated_at": now,
            }
        )
        for version in _story(kind, snapshot, until, rng):
            version = _kept_up(version, today, rng)  # noqa: PLW2901 - the stored version
            if until < today:
                version = _ended_by(version, until)  # noqa: PLW2901
            version_rows.append(
                {
                    "id": next_version,
                    "plan_id": next_plan,
                    "version": version.version,
                    "state": version.state.value,
                    "template_id": version.template_id,
                    "start": version.start,
                    "agreed_on": version.agreement.agreed_on if version.agreement else None,
                    "is_sip": sip.is_sip,
                    "snapshot": snapshot_to_json(version, sip),
                    "revision": 1,
                    "changed_by_id": user_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            due.extend({**row, "version_id": next_version} for row in due_rows(version))
            next_version += 1
        next_plan += 1
    if plan_rows:
        insert_rows(session, Plan, plan_rows)
        insert_rows(session, PlanVersion, version_rows)
    if due:
        insert_rows(session, PlanDueItem, due)
