"""Closing a case (with its reason and date) and reopening it; the closures of a period by
reason and gender for the follow-up.

Closing is the client's status, not a housing situation: the housing period going on ends on
the closing day (the situation is not followed after it, so the timeline does not run on to
today), the ended periods stay as they were, and reopening keeps the history (the closure is
in the access log) without inventing a period: the next situation is recorded when known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import active
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.assessment import Assessment
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import (
    Client,
    ClientStatus,
    ClosureReason,
    HousingPeriod,
    JournalEntry,
    OutreachContact,
)
from hemlos_desktop.models.validation import FieldError, ValidationFailed
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import (
    Actor,
    load_visible_client,
    require_write,
    visible_clients_clause,
)
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database

CLOSURE_NOTE_MAX = 200
CLOSURE_KINDS = frozenset({ChangeKind.HEADER, ChangeKind.DUE, ChangeKind.HOUSING})
"""What closing or reopening a case changes: the header and lists, what counts as due, and
the housing period that was going on."""


@dataclass(frozen=True)
class CaseStatus:
    status: ClientStatus
    closed_on: dt.date | None
    reason: ClosureReason | None
    note: str = ""


def closure_date_problem(on: dt.date, today: dt.date, first_record: dt.date | None = None) -> str:
    """A translated message when a case cannot be closed on ``on``, else "".

    ``first_record`` is the date of the client's earliest dated record (housing period,
    journal entry, contact or rating), None when there is none."""
    if on > today:
        return _("A case cannot be closed on a day in the future.")
    if first_record is not None and on < first_record:
        return _("A case cannot be closed before the client's first record ({date}).").format(
            date=active().format_date(first_record)
        )
    return ""


def closure_problems(
    reason: ClosureReason | None,
    note: str,
    on: dt.date,
    today: dt.date,
    first_record: dt.date | None = None,
) -> list[FieldError]:
    """Every broken rule of a closure, each with the field it belongs to (empty when fine)."""
    errors: list[FieldError] = []
    problem = closure_date_problem(on, today, first_record)
    if problem:
        errors.append(FieldError("closed_on", problem))
    if reason is None:
        errors.append(FieldError("reason", _("Choose why the case is closed.")))
    elif reason is ClosureReason.OTHER and not note.strip():
        errors.append(FieldError("note", _("Say in a few words why the case is closed.")))
    if len(note.strip()) > CLOSURE_NOTE_MAX:
        errors.append(
            FieldError(
                "note",
                _("The note may be at most {n} characters long.").format(n=CLOSURE_NOTE_MAX),
            )
        )
    return errors


def ongoing_periods(session: Session, client_id: int) -> list[HousingPeriod]:
    """The client's housing periods without an end (normally none or one)."""
    return list(
        session.scalars(
            select(HousingPeriod).where(
                HousingPeriod.client_id == client_id, HousingPeriod.end_date.is_(None)
            )
        )
    )


def ongoing_period_problem(on: dt.date, ongoing: list[HousingPeriod]) -> str:
    """A translated message when a closure on ``on`` would end a housing period before it
    began, else ""."""
    latest = max((p.start_date for p in ongoing), default=None)
    if latest is not None and on < latest:
        return _(
            "The current housing period began on {date}; a case cannot be closed before that."
        ).format(date=active().format_date(latest))
    return ""


def first_record_date(session: Session, client_id: int) -> dt.date | None:
    """The date of the client's earliest dated record, None when there is none."""
    firsts = [
        session.scalar(select(func.min(column)).where(owner == client_id))
        for column, owner in (
            (HousingPeriod.start_date, HousingPeriod.client_id),
            (JournalEntry.entry_date, JournalEntry.client_id),
            (OutreachContact.contact_date, OutreachContact.client_id),
            (Assessment.rated_on, Assessment.client_id),
        )
    ]
    dates = [d for d in firsts if d is not None]
    return min(dates) if dates else None


def client_first_record(db: Database, actor: Actor, client_id: int) -> dt.date | None:
    """The earliest day a closure may be dated for a client the actor may see (a query)."""
    with db.read() as session:
        load_visible_client(session, actor, client_id)
        return first_record_date(session, client_id)


def close_case(
    db: Database,
    actor: Actor,
    client_id: int,
    reason: ClosureReason | None,
    *,
    on: dt.date | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Outcome[None]:
    """Close the case of ``client_id`` on ``on`` (today by default) for ``reason``; ``note``
    says more (required for ClosureReason.OTHER). Broken rules raise ValidationFailed."""
    require_write(actor)
    today = today or dt.date.today()
    on = on or today
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        errors = closure_problems(reason, note, on, today, first_record_date(session, client_id))
        ongoing = ongoing_periods(session, client_id)
        problem = ongoing_period_problem(on, ongoing)
        if problem and not any(e.field == "closed_on" for e in errors):
            errors.append(FieldError("closed_on", problem))
        if errors or reason is None:
            raise ValidationFailed(errors)
        for period in ongoing:  # the situation is not followed after the closure
            period.end_date = on
        client.status = ClientStatus.CLOSED.value
        client.closed_on = on
        client.closure_reason = reason.value
        client.closure_note = note.strip()
        audit.record(session, actor, AuditAction.CHANGE, client_id=client_id, detail="case closed")
    return Outcome(None, ChangeSet.of(CLOSURE_KINDS, client_id))


def reopen_case(db: Database, actor: Actor, client_id: int) -> Outcome[None]:
    """Open a closed case again (the client is active; the closure date and reason go)."""
    require_write(actor)
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        if client.status != ClientStatus.CLOSED.value:
            raise InvalidInputError(_("The case is not closed."))
        client.status = ClientStatus.ACTIVE.value
        client.closed_on = None
        client.closure_reason = None
        client.closure_note = ""
        audit.record(
            session, actor, AuditAction.CHANGE, client_id=client_id, detail="case reopened"
        )
    return Outcome(None, ChangeSet.of(CLOSURE_KINDS, client_id))


def case_status(db: Database, actor: Actor, client_id: int) -> CaseStatus:
    with db.read() as session:
        client = load_visible_client(session, actor, client_id)
        return CaseStatus(
            ClientStatus(client.status),
            client.closed_on,
            ClosureReason(client.closure_reason) if client.closure_reason else None,
            client.closure_note or "",
        )


def closures_by_reason(
    db: Database,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    *,
    team_id: int | None = None,
    responsible_id: int | None = None,
) -> dict[ClosureReason, dict[str, int]]:
    """Cases closed from ``start`` to ``end`` (both included) per reason, each split by gender
    (``"total"`` and the gender values). Cases closed before reasons existed count as OTHER."""
    query = (
        select(Client.closure_reason, Client.gender, func.count())
        .where(
            visible_clients_clause(actor),
            Client.status == ClientStatus.CLOSED.value,
            Client.closed_on >= start,
            Client.closed_on <= end,
        )
        .group_by(Client.closure_reason, Client.gender)
    )
    if team_id is not None:
        query = query.where(Client.team_id == team_id)
    if responsible_id is not None:
        query = query.where(Client.responsible_user_id == responsible_id)
    result: dict[ClosureReason, dict[str, int]] = {reason: {"total": 0} for reason in ClosureReason}
    with db.read() as session:
        for reason, gender, count in session.execute(query):
            row = result[ClosureReason(reason) if reason else ClosureReason.OTHER]
            row["total"] += int(count)
            row[str(gender)] = row.get(str(gender), 0) + int(count)
    return result
