"""Individual plans: drafting, agreeing, following up, revising and closing, per client.

Every function takes the acting user, checks that they may see the client, records the read or
change in the audit log inside the same transaction, and returns frozen data. The rules are
those of :mod:`hemlos_desktop.models.plan_rules`; this module adds storage, access and the
"two windows editing one draft" check (``expected_revision``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import HemlosError, NotFoundError
from hemlos_desktop.i18n import Translator
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models import plan_diff, plan_lifecycle, plan_rules
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.cti import CtiPhaseKey, CtiStatus, cti_status
from hemlos_desktop.models.plan import (
    Plan,
    PlanDueItem,
    PlanVersion,
    SipInfo,
    due_rows,
    snapshot_from_json,
    snapshot_to_json,
    validate_sip,
)
from hemlos_desktop.models.plan_draft import draft_snapshot, instantiate
from hemlos_desktop.models.plan_info import PlanVersionInfo
from hemlos_desktop.models.plan_rules import (
    ActionStatus,
    AgreementRecord,
    FollowUpRecord,
    PlanRuleError,
    PlanSnapshot,
    PlanState,
    RuleProblem,
)
from hemlos_desktop.models.plan_template import shipped_template
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, load_visible_client, require_write
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database

if TYPE_CHECKING:
    from hemlos_desktop.reports.summary_data import PlanSummary


class StalePlanError(HemlosError):
    """The draft was saved from another window after this one loaded it."""

    def title(self) -> str:
        return _("The plan was changed in another window")

    def message(self) -> str:
        return _(
            "Someone saved this draft from another window after you opened it, so your "
            "changes were not saved over theirs."
        )

    def advice(self) -> str:
        return _(
            "Your text is still in the form. Copy what you need, reload the plan, and add "
            "your changes again."
        )


class NoPlanError(HemlosError):
    """The client has no plan to print."""

    def title(self) -> str:
        return _("No plan to print")

    def message(self) -> str:
        return _("This client has no individual plan yet.")

    def advice(self) -> str:
        return _("Draft a plan with the client first, on the Plans page.")


class OpenPlanExistsError(HemlosError):
    def title(self) -> str:
        return _("The client already has a plan")

    def message(self) -> str:
        return _("This client already has a plan that is not closed.")

    def advice(self) -> str:
        return _("Open the existing plan, revise it, or close it before starting a new one.")


@dataclass(frozen=True)
class PlanOverview:
    """What the case overview shows about a client's plan."""

    client_id: int
    version: PlanVersionInfo | None
    next_follow_up: dt.date | None
    cti: CtiStatus | None
    overdue: int


def _info(session: Session, row: PlanVersion, plan: Plan) -> PlanVersionInfo:
    snapshot, sip = snapshot_from_json(row.snapshot)
    return PlanVersionInfo(
        version_id=row.id,
        plan_id=plan.id,
        plan_uid=plan.uid,
        client_id=plan.client_id,
        version=row.version,
        state=PlanState(row.state),
        snapshot=snapshot,
        sip=sip,
        revision=row.revision,
        updated_at=row.updated_at,
    )


def _changed(info: PlanVersionInfo) -> Outcome[PlanVersionInfo]:
    """A plan changed: the Plans page, the case file's plan panel and what is due."""
    return Outcome(info, ChangeSet.of({ChangeKind.PLAN, ChangeKind.DUE}, info.client_id))


def _write_version(
    session: Session, row: PlanVersion, snapshot: PlanSnapshot, sip: SipInfo, actor: Actor
) -> None:
    row.snapshot = snapshot_to_json(snapshot, sip)
    row.state = snapshot.state.value
    row.template_id = snapshot.template_id
    row.start = snapshot.start
    row.agreed_on = snapshot.agreement.agreed_on if snapshot.agreement else None
    row.is_sip = sip.is_sip
    row.changed_by_id = actor.user_id
    session.flush()
    session.execute(delete(PlanDueItem).where(PlanDueItem.version_id == row.id))
    rows = [{**r, "version_id": row.id} for r in due_rows(snapshot)]
    if rows:
        session.execute(insert(PlanDueItem), rows)


def _load_version(session: Session, actor: Actor, version_id: int) -> tuple[PlanVersion, Plan]:
    row = session.get(PlanVersion, version_id)
    if row is None:
        raise NotFoundError("plan version")
    plan = session.get(Plan, row.plan_id)
    assert plan is not None
    load_visible_client(session, actor, plan.client_id)
    return row, plan


def _check_revision(row: PlanVersion, expected_revision: int | None) -> None:
    if expected_revision is not None and row.revision != expected_revision:
        raise StalePlanError("stale plan write")


def _sip_problems(sip: SipInfo) -> list[RuleProblem]:
    return [RuleProblem(field, message) for field, message in validate_sip(sip)]


def _open_plan(session: Session, client_id: int) -> Plan | None:
    """The client's plan whose newest version is not closed (at most one)."""
    for plan in session.scalars(
        select(Plan).where(Plan.client_id == client_id).order_by(Plan.id.desc())
    ):
        newest = session.scalar(
            select(PlanVersion)
            .where(PlanVersion.plan_id == plan.id)
            .order_by(PlanVersion.version.desc())
            .limit(1)
        )
        if newest is not None and newest.state != PlanState.CLOSED.value:
            return plan
    return None


def create_draft(
    db: Database,
    actor: Actor,
    client_id: int,
    *,
    start: dt.date,
    template_id: str | None = None,
    language: str = "sv",
    sip: SipInfo | None = None,
) -> Outcome[PlanVersionInfo]:
    """A new plan for the client: version 1, a draft, from a shipped template or empty."""
    require_write(actor)
    plan_uid = str(uuid.uuid4())
    if template_id is not None:
        template = shipped_template(template_id)
        snapshot = draft_snapshot(instantiate(template, start, language), plan_uid=plan_uid)
    else:
        snapshot = PlanSnapshot(plan_uid=plan_uid, start=start)
    sip = sip or SipInfo()
    with db.begin() as session:
        load_visible_client(session, actor, client_id)
        if _open_plan(session, client_id) is not None:
            raise OpenPlanExistsError("open plan exists")
        plan = Plan(uid=plan_uid, client_id=client_id, created_by_id=actor.user_id)
        session.add(plan)
        session.flush()
        row = PlanVersion(plan_id=plan.id, version=1, revision=1)
        session.add(row)
        _write_version(session, row, snapshot, sip, actor)
        audit.record(session, actor, AuditAction.CREATE, client_id=client_id, detail="plan")
        return _changed(_info(session, row, plan))


def save_draft(
    db: Database,
    actor: Actor,
    version_id: int,
    snapshot: PlanSnapshot,
    sip: SipInfo,
    *,
    expected_revision: int,
) -> Outcome[PlanVersionInfo]:
    """Save the whole draft as edited. Refused when it is no longer a draft, breaks a rule
    (e.g. due before start), or was saved from another window since ``expected_revision``."""
    require_write(actor)
    with db.begin() as session:
        row, plan = _load_version(session, actor, version_id)
        plan_rules.ensure_editable(_as_state(row))
        _check_revision(row, expected_revision)
        current, _sip = snapshot_from_json(row.snapshot)
        # Identity, version and life-cycle fields are the store's, not the form's.
        snapshot = replace(
            snapshot,
            plan_uid=current.plan_uid,
            version=current.version,
            state=current.state,
            previous_version=current.previous_version,
            agreement=None,
            follow_ups=(),
        )
        problems = draft_problems(snapshot) + _sip_problems(sip)
        if problems:
            raise PlanRuleError(problems)
        _write_version(session, row, snapshot, sip, actor)
        row.revision += 1
        session.flush()
        audit.record(session, actor, AuditAction.CHANGE, client_id=plan.client_id, detail="plan")
        return _changed(_info(session, row, plan))


def draft_problems(snapshot: PlanSnapshot) -> list[RuleProblem]:
    """What a draft may not hold. A responsible not yet named and a goal not yet written in
    the client's words are incomplete, not wrong (a template leaves both empty on purpose):
    agreeing asks for them."""
    unnamed = {
        f"actions.{action.uid}.responsible"
        for goal in snapshot.goals
        for action in goal.actions
        if action.responsible is None or not action.responsible.name.strip()
    }
    unwritten = {f"goals.{goal.uid}.text" for goal in snapshot.goals if not goal.text.strip()}
    incomplete = unnamed | unwritten
    return [p for p in plan_rules.validate_plan(snapshot) if p.field not in incomplete]


def _as_state(row: PlanVersion) -> PlanSnapshot:
    snapshot, _sip = snapshot_from_json(row.snapshot)
    return snapshot


def _in_force_row(session: Session, plan_id: int) -> PlanVersion | None:
    return session.scalar(
        select(PlanVersion).where(
            PlanVersion.plan_id == plan_id,
            PlanVersion.state.in_([s.value for s in plan_rules.IN_FORCE_STATES]),
        )
    )


def agree(
    db: Database,
    actor: Actor,
    version_id: int,
    record: AgreementRecord,
    *,
    today: dt.date | None = None,
    expected_revision: int | None = None,
) -> Outcome[PlanVersionInfo]:
    """Agree a draft (a revision replaces the version in force, which becomes revised)."""
    require_write(actor)
    today = today or dt.date.today()
    with db.begin() as session:
        row, plan = _load_version(session, actor, version_id)
        _check_revision(row, expected_revision)
        snapshot, sip = snapshot_from_json(row.snapshot)
        previous_row = None
        previous = None
        if snapshot.previous_version is not None:
            previous_row = session.scalar(
                select(PlanVersion).where(
                    PlanVersion.plan_id == plan.id,
                    PlanVersion.version == snapshot.previous_version,
                )
            )
            previous = _as_state(previous_row) if previous_row is not None else None
        sip_problems = _sip_problems(sip)
        if sip_problems:
            raise PlanRuleError(sip_problems)
        result = plan_lifecycle.agree(snapshot, record, today, previous=previous)
        _write_version(session, row, result.plan, sip, actor)
        row.revision += 1
        if previous_row is not None and result.superseded is not None:
            _prev_snapshot, prev_sip = snapshot_from_json(previous_row.snapshot)
            _write_version(session, previous_row, result.superseded, prev_sip, actor)
            previous_row.revision += 1
        audit.record(session, actor, AuditAction.SIGN, client_id=plan.client_id, detail="plan")
        return _changed(_info(session, row, plan))


def follow_up(
    db: Database,
    actor: Actor,
    version_id: int,
    record: FollowUpRecord,
    *,
    today: dt.date | None = None,
) -> Outcome[PlanVersionInfo]:
    """Record a follow-up of the plan in force (refuses actions or goals not in it)."""
    require_write(actor)
    today = today or dt.date.today()
    with db.begin() as session:
        row, plan = _load_version(session, actor, version_id)
        snapshot, sip = snapshot_from_json(row.snapshot)
        followed = plan_lifecycle.follow_up(snapshot, record, today)
        _write_version(session, row, followed, sip, actor)
        row.revision += 1
        audit.record(session, actor, AuditAction.CHANGE, client_id=plan.client_id, detail="plan")
        return _changed(_info(session, row, plan))


def revise(db: Database, actor: Actor, version_id: int) -> Outcome[PlanVersionInfo]:
    """A new draft version of the plan in force; the old one stays in force until agreed."""
    require_write(actor)
    with db.begin() as session:
        row, plan = _load_version(session, actor, version_id)
        snapshot, sip = snapshot_from_json(row.snapshot)
        existing = session.scalar(
            select(PlanVersion).where(
                PlanVersion.plan_id == plan.id, PlanVersion.state == PlanState.DRAFT.value
            )
        )
        if existing is not None:
            return _changed(_info(session, existing, plan))
        new = plan_lifecycle.revise(snapshot)
        new_row = PlanVersion(plan_id=plan.id, version=new.version, revision=1)
        session.add(new_row)
        _write_version(session, new_row, new, sip, actor)
        audit.record(session, actor, AuditAction.CREATE, client_id=plan.client_id, detail="plan")
        return _changed(_info(session, new_row, plan))


def close(db: Database, actor: Actor, version_id: int) -> Outcome[PlanVersionInfo]:
    """Close a plan (an abandoned draft, or a plan that is finished)."""
    require_write(actor)
    with db.begin() as session:
        row, plan = _load_version(session, actor, version_id)
        snapshot, sip = snapshot_from_json(row.snapshot)
        closed = plan_rules.transition(snapshot, PlanState.CLOSED)
        _write_version(session, row, closed, sip, actor)
        row.revision += 1
        audit.record(session, actor, AuditAction.CHANGE, client_id=plan.client_id, detail="plan")
        return _changed(_info(session, row, plan))


def list_versions(db: Database, actor: Actor, client_id: int) -> tuple[PlanVersionInfo, ...]:
    """Every version of every plan of the client, newest plan and version first (a query)."""
    with db.read() as session:
        load_visible_client(session, actor, client_id)
        rows = session.execute(
            select(PlanVersion, Plan)
            .join(Plan, Plan.id == PlanVersion.plan_id)
            .where(Plan.client_id == client_id)
            .order_by(Plan.id.desc(), PlanVersion.version.desc())
        ).all()
        return tuple(_info(session, row, plan) for row, plan in rows)


def get_version(db: Database, actor: Actor, version_id: int) -> PlanVersionInfo:
    with db.read() as session:
        row, plan = _load_version(session, actor, version_id)
        return _info(session, row, plan)


def current_plan(db: Database, actor: Actor, client_id: int) -> PlanVersionInfo | None:
    """The plan to show or print: the latest agreed (or followed-up) version of the newest plan,
    or else its draft; None when the client has no plan."""
    return _current_of(list_versions(db, actor, client_id))


def _current_of(versions: Sequence[PlanVersionInfo]) -> PlanVersionInfo | None:
    """:func:`current_plan` among one client's versions (newest plan and version first)."""
    if not versions:
        return None
    newest_plan = versions[0].plan_id
    mine = [v for v in versions if v.plan_id == newest_plan]
    for v in mine:
        if v.state in plan_rules.IN_FORCE_STATES:
            return v
    for v in mine:
        if v.state is PlanState.DRAFT:
            return v
    return mine[0]


def compare(
    db: Database, actor: Actor, old_version_id: int, new_version_id: int
) -> tuple[plan_diff.DiffRow, ...]:
    """Side-by-side rows of two versions of one plan (old on the left)."""
    old = get_version(db, actor, old_version_id)
    new = get_version(db, actor, new_version_id)
    if old.plan_id != new.plan_id:
        raise NotFoundError("versions of different plans")
    return plan_diff.diff(old.snapshot, new.snapshot)


def overview(
    db: Database, actor: Actor, client_id: int, *, today: dt.date | None = None
) -> PlanOverview:
    today = today or dt.date.today()
    current = current_plan(db, actor, client_id)
    if current is None or current.state is PlanState.CLOSED:
        return PlanOverview(client_id, current, None, None, 0)
    snap = current.snapshot
    held = max((f.held_on for f in snap.follow_ups), default=None)
    upcoming = sorted(p.on for p in snap.follow_up_points if held is None or p.on > held)
    next_follow_up = upcoming[0] if upcoming else None
    cti = None
    if current.is_cti and snap.start is not None:
        cti = cti_status(snap.start, today)
    overdue = sum(
        1
        for g in snap.goals
        for a in g.actions
        if not a.done and a.due is not None and a.due < today
    )
    return PlanOverview(client_id, current, next_follow_up, cti, overdue)


def cti_phase_key(info: PlanVersionInfo, today: dt.date) -> CtiPhaseKey | None:
    if not info.is_cti or info.snapshot.start is None:
        return None
    status = cti_status(info.snapshot.start, today)
    return status.phase.key if status.phase else None


def new_item_uid() -> str:
    """A fresh uid for a goal or action added in the editor."""
    return uuid.uuid4().hex


# --- the case summary's plan section -------------------------------------------------------------

_STATE_MSGIDS = {
    PlanState.DRAFT: "Draft",
    PlanState.AGREED: "Agreed",
    PlanState.FOLLOWED_UP: "Followed up",
    PlanState.REVISED: "Revised",
    PlanState.CLOSED: "Closed",
}
_STATUS_MSGIDS = {
    ActionStatus.PLANNED: "Planned",
    ActionStatus.STARTED: "Started",
    ActionStatus.DONE: "Done",
    ActionStatus.NOT_DONE: "Not done",
}


def plans_for_summaries(
    session: Session, client_ids: Sequence[int], translator: Translator
) -> dict[int, PlanSummary]:
    """For each of ``client_ids`` (already checked visible) that has a plan: the current plan's
    goals and actions with their status, in the document's language. Read with one query for
    all the clients (the case summaries of a batch)."""
    if not client_ids:
        return {}
    versions: dict[int, list[PlanVersionInfo]] = {}
    for row, plan in session.execute(
        select(PlanVersion, Plan)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(Plan.client_id.in_(client_ids))
        .order_by(Plan.client_id, Plan.id.desc(), PlanVersion.version.desc())
    ):
        versions.setdefault(plan.client_id, []).append(_info(session, row, plan))
    result: dict[int, PlanSummary] = {}
    for client_id, mine in versions.items():
        info = _current_of(mine)
        if info is not None:
            result[client_id] = _plan_summary(info, translator)
    return result


def _plan_summary(info: PlanVersionInfo, translator: Translator) -> PlanSummary:
    from hemlos_desktop.reports.summary_data import PlanAction, PlanGoal, PlanSummary

    snapshot = info.snapshot
    state = translator.pgettext("plan state", _STATE_MSGIDS[info.state])
    title = translator.gettext("Individual plan") + f", v{info.version} ({state})"
    goals = tuple(
        PlanGoal(
            text=goal.text,
            status="",
            actions=tuple(
                PlanAction(
                    text=action.text,
                    responsible=action.responsible.name if action.responsible else "",
                    due=action.due,
                    status=translator.pgettext("action status", _STATUS_MSGIDS[action.status]),
                )
                for action in goal.actions
            ),
        )
        for goal in snapshot.goals
    )
    ends = [p.on for p in snapshot.follow_up_points]
    return PlanSummary(
        title=title,
        valid_from=snapshot.start,
        valid_to=max(ends) if ends else None,
        goals=goals,
    )
