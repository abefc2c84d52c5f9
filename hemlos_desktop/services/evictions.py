"""Eviction prevention: a case per threatened tenancy, the team's list by next date, and the
cases of one client.

The list is sorted in SQL by the next hearing or eviction date on or after today (open cases
first, soonest first; open cases without an upcoming date after them; closed cases last, newest
outcome first). Open cases are found through the index on (outcome, outcome_date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import InvalidInputError, NotFoundError
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.eviction_rules import (
    NEW_DAYS,
    URGENT_DAYS,
    EvictionInput,
    validate_eviction,
)
from hemlos_desktop.models.team import EvictionCase, EvictionOutcome, EvictionReason
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import (
    Actor,
    load_visible_client,
    require_write,
    visible_clients_clause,
)
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database


class EvictionInputError(InvalidInputError):
    """The case breaks a rule; ``problems`` holds (field, message) for every one."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems[0][1], field=problems[0][0])
        self.problems = problems


@dataclass(frozen=True)
class EvictionRow:
    id: int
    client_id: int
    client_name: str
    landlord: str
    reason: EvictionReason
    arrears_cents: int | None
    notice_date: dt.date | None
    social_services_date: dt.date | None
    kronofogden_date: dt.date | None
    hearing_date: dt.date | None
    eviction_date: dt.date | None
    measures: str
    outcome: EvictionOutcome | None
    outcome_date: dt.date | None
    next_date: dt.date | None
    days_left: int | None
    urgent: bool
    new: bool

    @property
    def open(self) -> bool:
        return self.outcome is None

    @property
    def date_passed(self) -> bool:
        """Open, with a hearing or eviction date set, all of them past: the outcome is missing."""
        dates = [d for d in (self.hearing_date, self.eviction_date) if d is not None]
        return self.open and self.next_date is None and bool(dates)

    def as_input(self) -> EvictionInput:
        return EvictionInput(
            landlord=self.landlord,
            reason=self.reason,
            arrears_cents=self.arrears_cents,
            notice_date=self.notice_date,
            social_services_date=self.social_services_date,
            kronofogden_date=self.kronofogden_date,
            hearing_date=self.hearing_date,
            eviction_date=self.eviction_date,
            measures=self.measures,
            outcome=self.outcome,
            outcome_date=self.outcome_date,
        )


def next_date_expr(today: dt.date) -> ColumnElement[dt.date | None]:
    """SQL: the next hearing or eviction date on or after ``today`` of an open case."""
    hearing = case((EvictionCase.hearing_date >= today, EvictionCase.hearing_date))
    eviction = case((EvictionCase.eviction_date >= today, EvictionCase.eviction_date))
    both = case(
        (hearing.is_(None), eviction),
        (eviction.is_(None), hearing),
        else_=func.min(hearing, eviction),
    )
    return case((EvictionCase.outcome == "", both))


def apply_input(row: EvictionCase, data: EvictionInput) -> None:
    row.landlord = data.landlord.strip()
    row.reason = data.reason.value
    row.arrears_cents = data.arrears_cents
    row.notice_date = data.notice_date
    row.social_services_date = data.social_services_date
    row.kronofogden_date = data.kronofogden_date
    row.hearing_date = data.hearing_date
    row.eviction_date = data.eviction_date
    row.measures = data.measures.strip()
    row.outcome = data.outcome.value if data.outcome is not None else ""
    row.outcome_date = data.outcome_date


def _check(data: EvictionInput) -> None:
    problems = validate_eviction(data)
    if problems:
        raise EvictionInputError(problems)


def add_eviction_case(
    db: Database, actor: Actor, client_id: int, data: EvictionInput
) -> Outcome[int]:
    require_write(actor)
    _check(data)
    with db.begin() as session:
        load_visible_client(session, actor, client_id)
        row = EvictionCase(client_id=client_id, created_by_id=actor.user_id)
        apply_input(row, data)
        session.add(row)
        session.flush()
        audit.record(session, actor, AuditAction.CREATE, client_id=client_id, detail="eviction")
        return Outcome(row.id, ChangeSet.of(ChangeKind.TEAM, client_id))


def update_eviction_case(
    db: Database, actor: Actor, case_id: int, data: EvictionInput
) -> Outcome[None]:
    require_write(actor)
    _check(data)
    with db.begin() as session:
        row = session.get(EvictionCase, case_id)
        if row is None:
            raise NotFoundError("no such eviction case")
        load_visible_client(session, actor, row.client_id)
        apply_input(row, data)
        audit.record(session, actor, AuditAction.CHANGE, client_id=row.client_id, detail="eviction")
        return Outcome(None, ChangeSet.of(ChangeKind.TEAM, row.client_id))


def _query(today: dt.date) -> Select:  # type: ignore[type-arg]
    nxt = next_date_expr(today).label("next_date")
    return select(EvictionCase, Client.first_name, Client.last_name, Client.alias, nxt).join(
        Client, Client.id == EvictionCase.client_id
    )


def _rows(session: Session, query: Select, today: dt.date) -> list[EvictionRow]:  # type: ignore[type-arg]
    rows: list[EvictionRow] = []
    for case_row, first, last, alias, nxt in session.execute(query):
        next_day = dt.date.fromisoformat(nxt) if isinstance(nxt, str) else nxt
        days_left = (next_day - today).days if next_day is not None else None
        outcome = EvictionOutcome(case_row.outcome) if case_row.outcome else None
        notice = case_row.notice_date
        rows.append(
            EvictionRow(
                id=case_row.id,
                client_id=case_row.client_id,
                client_name=" ".join(p for p in (first, last) if p) or alias,
                landlord=case_row.landlord,
                reason=EvictionReason(case_row.reason),
                arrears_cents=case_row.arrears_cents,
                notice_date=notice,
                social_services_date=case_row.social_services_date,
                kronofogden_date=case_row.kronofogden_date,
                hearing_date=case_row.hearing_date,
                eviction_date=case_row.eviction_date,
                measures=case_row.measures,
                outcome=outcome,
                outcome_date=case_row.outcome_date,
                next_date=next_day,
                days_left=days_left,
                urgent=outcome is None and days_left is not None and days_left <= URGENT_DAYS,
                new=outcome is None
                and notice is not None
                and 0 <= (today - notice).days <= NEW_DAYS,
            )
        )
    return rows


def list_eviction_cases(
    db: Database,
    actor: Actor,
    *,
    team_id: int | None = None,
    open_only: bool = False,
    today: dt.date | None = None,
) -> list[EvictionRow]:
    """The cases of the clients ``actor`` may see (of one team, or all), by next date."""
    today = today or dt.date.today()
    nxt = next_date_expr(today)
    query = _query(today).where(visible_clients_clause(actor))
    if team_id is not None:
        query = query.where(Client.team_id == team_id)
    if open_only:
        query = query.where(EvictionCase.outcome == "")
    query = query.order_by(
        case((EvictionCase.outcome == "", 0), else_=1),
        nxt.is_(None),
        nxt,
        EvictionCase.outcome_date.desc(),
        EvictionCase.id,
    )
    with db.read() as session:
        return _rows(session, query, today)


def client_eviction_cases(
    db: Database, actor: Actor, client_id: int, *, today: dt.date | None = None
) -> list[EvictionRow]:
    """One client's cases, newest notice first (a query: writes nothing)."""
    today = today or dt.date.today()
    with db.read() as session:
        load_visible_client(session, actor, client_id)
        return eviction_cases_in(session, [client_id], today).get(client_id, [])


def eviction_cases_in(
    session: Session, client_ids: Sequence[int], today: dt.date
) -> dict[int, list[EvictionRow]]:
    """The cases of each of ``client_ids`` (visibility checked by the caller), newest notice
    first, read with one query."""
    query = (
        _query(today)
        .where(EvictionCase.client_id.in_(client_ids))
        .order_by(EvictionCase.client_id, EvictionCase.notice_date.desc(), EvictionCase.id.desc())
    )
    result: dict[int, list[EvictionRow]] = {}
    for row in _rows(session, query, today):
        result.setdefault(row.client_id, []).append(row)
    return result


def open_case_next_dates(
    session: Session, client_ids: list[int], today: dt.date
) -> dict[int, dt.date | None]:
    """For the team board: each client's soonest next date of an open case."""
    if not client_ids:
        return {}
    nxt = next_date_expr(today)
    query = (
        select(EvictionCase.client_id, func.min(nxt))
        .where(EvictionCase.outcome == "", EvictionCase.client_id.in_(client_ids))
        .group_by(EvictionCase.client_id)
    )
    out: dict[int, dt.date | None] = {}
    for client_id, day in session.execute(query):
        out[client_id] = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return out
