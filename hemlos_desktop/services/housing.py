"""Housing situation over time: periods with a code 1-6, no overlaps, the current situation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import NotFoundError
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import Client, HousingPeriod
from hemlos_desktop.models.housing_rules import (
    PeriodInput,
    PeriodSpan,
    current_period,
    validate_period,
)
from hemlos_desktop.models.validation import ValidationFailed
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, load_visible_client, require_write
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database


@dataclass(frozen=True)
class HousingPeriodInfo:
    id: int
    code: int
    start_date: dt.date
    end_date: dt.date | None
    place: str
    note: str


def list_periods(db: Database, actor: Actor, client_id: int) -> list[HousingPeriodInfo]:
    with db.read() as session:
        load_visible_client(session, actor, client_id)
        return _periods(session, client_id)


def _periods(session: Session, client_id: int) -> list[HousingPeriodInfo]:
    rows = session.scalars(
        select(HousingPeriod)
        .where(HousingPeriod.client_id == client_id)
        .order_by(HousingPeriod.start_date)
    )
    return [
        HousingPeriodInfo(p.id, p.code, p.start_date, p.end_date, p.place, p.note) for p in rows
    ]


def refresh_current(session: Session, client: Client, today: dt.date) -> None:
    """Keep the client's current housing code and its start in step with the periods."""
    spans = [
        PeriodSpan(p.id, p.start_date, p.end_date)
        for p in session.scalars(select(HousingPeriod).where(HousingPeriod.client_id == client.id))
    ]
    current = current_period(spans, today)
    if current is None:
        client.current_housing_code = None
        client.current_housing_since = None
        return
    period = session.get(HousingPeriod, current.id)
    assert period is not None
    client.current_housing_code = period.code
    client.current_housing_since = period.start_date


def save_period(
    db: Database,
    actor: Actor,
    client_id: int,
    data: PeriodInput,
    *,
    period_id: int | None = None,
    today: dt.date | None = None,
) -> Outcome[None]:
    """Add a period (``period_id`` None) or change one; refuses overlaps and wrong dates."""
    require_write(actor)
    today = today or dt.date.today()
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        others = [
            PeriodSpan(p.id, p.start_date, p.end_date)
            for p in session.scalars(
                select(HousingPeriod).where(
                    HousingPeriod.client_id == client_id, HousingPeriod.id != (period_id or -1)
                )
            )
        ]
        clean, errors = validate_period(data, others, today=today, birth_date=client.birth_date)
        if clean is None:
            raise ValidationFailed(errors)
        if period_id is None:
            period = HousingPeriod(client_id=client_id, created_by_id=actor.user_id)
            session.add(period)
        else:
            found = session.get(HousingPeriod, period_id)
            if found is None or found.client_id != client_id:
                raise NotFoundError("housing period")
            period = found
        assert clean.code is not None and clean.start_date is not None
        period.code = clean.code
        period.start_date = clean.start_date
        period.end_date = clean.end_date
        period.place = clean.place
        period.note = clean.note
        session.flush()
        refresh_current(session, client, today)
        audit.record(session, actor, AuditAction.CHANGE, client_id=client_id, detail="housing")
    return Outcome(None, ChangeSet.of(ChangeKind.HOUSING, client_id))


def delete_period(
    db: Database, actor: Actor, client_id: int, period_id: int, *, today: dt.date | None = None
) -> Outcome[None]:
    require_write(actor)
    with db.begin() as session:
        client = load_visible_client(session, actor, client_id)
        period = session.get(HousingPeriod, period_id)
        if period is None or period.client_id != client_id:
            raise NotFoundError("housing period")
        session.delete(period)
        session.flush()
        refresh_current(session, client, today or dt.date.today())
        audit.record(session, actor, AuditAction.CHANGE, client_id=client_id, detail="housing")
    return Outcome(None, ChangeSet.of(ChangeKind.HOUSING, client_id))
