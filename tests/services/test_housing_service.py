"""Housing service: overlaps, dates, and the client's current situation."""

from __future__ import annotations

import datetime as dt

import pytest

from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.validation import ValidationFailed
from hemlos_desktop.services import housing
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.case_overview import client_header
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.storage import Database

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def actor(db: Database) -> Actor:
    return ensure_local_actor(db)


@pytest.fixture
def client_id(db: Database, actor: Actor) -> int:
    data = ClientInput(
        id_kind=IdKind.PERSONNUMMER, id_text="19121212-1212", first_name="K", last_name="B"
    )
    return register_client(db, actor, data, today=TODAY).value


def save(db: Database, actor: Actor, cid: int, data: PeriodInput, pid: int | None = None) -> None:
    housing.save_period(db, actor, cid, data, period_id=pid, today=TODAY)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            PeriodInput(1, dt.date(2026, 5, 1), dt.date(2026, 4, 1)),
            ("end_date", "before the start"),
        ),
        (PeriodInput(1, dt.date(2026, 12, 1)), ("start_date", "in the future")),
        (PeriodInput(7, dt.date(2026, 1, 1)), ("code", "from 1 to 6")),
        (PeriodInput(None, dt.date(2026, 1, 1)), ("code", "required")),
        (PeriodInput(1, None), ("start_date", "required")),
        (PeriodInput(1, dt.date(2026, 1, 1), place="x" * 10_000), ("place", "at most")),
        (PeriodInput(1, dt.date(1900, 1, 1)), ("start_date", "before the birth")),
    ],
)
def test_bad_input(
    db: Database, actor: Actor, client_id: int, data: PeriodInput, expected: tuple[str, str]
) -> None:
    field, message = expected
    with pytest.raises(ValidationFailed) as failed:
        save(db, actor, client_id, data)
    assert field in [e.field for e in failed.value.errors]
    assert any(message in e.message for e in failed.value.errors)


def test_overlap_refused_but_editing_itself_allowed(
    db: Database, actor: Actor, client_id: int
) -> None:
    save(db, actor, client_id, PeriodInput(1, dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    with pytest.raises(ValidationFailed) as failed:
        save(db, actor, client_id, PeriodInput(2, dt.date(2025, 12, 31), None))
    assert "overlaps" in failed.value.errors[0].message
    [period] = housing.list_periods(db, actor, client_id)
    save(db, actor, client_id, PeriodInput(2, dt.date(2025, 1, 1), dt.date(2025, 6, 1)), period.id)


def test_current_situation_follows_periods(db: Database, actor: Actor, client_id: int) -> None:
    save(db, actor, client_id, PeriodInput(1, dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    save(db, actor, client_id, PeriodInput(4, dt.date(2026, 1, 1), None))
    header = client_header(db, actor, client_id, today=TODAY)
    assert (header.housing_code, header.housing_since) == (4, dt.date(2026, 1, 1))
    assert header.housing_days == (TODAY - dt.date(2026, 1, 1)).days
    latest = housing.list_periods(db, actor, client_id)[-1]
    housing.delete_period(db, actor, client_id, latest.id, today=TODAY)
    assert client_header(db, actor, client_id, today=TODAY).housing_code == 1
