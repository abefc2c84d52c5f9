"""Closing a case (with its reason and date) and reopening it; the closures of a period by
reason and gender for the follow-up.

Closing is the client's status, not a housing situation: the housing periods stay as they were,
and reopening keeps the history (the closure is in the access log).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client, ClientStatus, ClosureReason
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import (
    Actor,
    load_visible_client,
    require_write,
    visible_clients_clause,
)
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database


@dataclass(frozen=True)
class CaseStatus:
    status: ClientStatus
    closed_on: dt.date | None
    reason: ClosureReason | None


def closure_date_problem(on: dt.date, today: dt.date) -> str:
    """A translated message when a case cannot be closed on ``on``, else ""."""
    if on > today:
        return _("A case cannot be closed on a day in the future.")
    return ""


def close_case(
    db: Database,
    actor: Actor,
    client_id: int,
    reason: ClosureReason,
    *,
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> Outcome[None]:
    """Close the case of ``client_id`` on ``on`` (today by default) for ``reason``."""
    require_write(actor)
    today = today or dt.date.today()
    on = on or today
    problem = closure_date_problem(on, today)
    if problem:
        raise InvalidInputError(problem, field="closed_on")
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        client.status = ClientStatus.CLOSED.value
        client.closed_on = on
        client.closure_reason = reason.value
        audit.record(session, actor, AuditAction.CHANGE, client_id=client_id, detail="case closed")
    return Outcome(None, ChangeSet.of(ChangeKind.HEADER, client_id))


def reopen_case(db: Database, actor: Actor, client_id: int) -> Outcome[None]:
    """Open a closed case again (the client is active; the closure date and reason go)."""
    require_write(actor)
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        client.status = ClientStatus.ACTIVE.value
        client.closed_on = None
        client.closure_reason = None
        audit.record(
            session, actor, AuditAction.CHANGE, client_id=client_id, detail="case reopened"
        )
    return Outcome(None, ChangeSet.of(ChangeKind.HEADER, client_id))


def case_status(db: Database, actor: Actor, client_id: int) -> CaseStatus:
    with db.read() as session:
        client = load_visible_client(session, actor, client_id)
        return CaseStatus(
            ClientStatus(client.status),
            client.closed_on,
            ClosureReason(client.closure_reason) if client.closure_reason else None,
        )


def closures_by_reason(
    db: Database,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    *,
    team_id: int | None = None,
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
    result: dict[ClosureReason, dict[str, int]] = {reason: {"total": 0} for reason in ClosureReason}
    with db.read() as session:
        for reason, gender, count in session.execute(query):
            row = result[ClosureReason(reason) if reason else ClosureReason.OTHER]
            row["total"] += int(count)
            row[str(gender)] = row.get(str(gender), 0) + int(count)
    return result
