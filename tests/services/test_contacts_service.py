"""Contacts service: adding contacts and linking an unidentified person (history moves)."""

from __future__ import annotations

import datetime as dt

import pytest

from hemlos_desktop.models.client import ContactKind, ContactOutcome, JournalCategory
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.validation import ValidationFailed
from hemlos_desktop.services import contacts, housing, journal
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.contacts import ContactInput, LinkRefusedError
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


@pytest.fixture
def person_id(db: Database, actor: Actor) -> int:
    return register_client(db, actor, ClientInput(id_kind=IdKind.NONE, alias="Skägget")).value


def contact(when: dt.date | None, place: str = "", note: str = "") -> ContactInput:
    return ContactInput(when, ContactKind.STREET, ContactOutcome.BRIEF, place, note)


def test_add_and_list(db: Database, actor: Actor, client_id: int) -> None:
    contacts.add_contact(db, actor, client_id, contact(TODAY, " Centralen "), today=TODAY)
    [found] = contacts.list_contacts(db, actor, client_id)
    assert found.place == "Centralen" and found.recorded_by


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (contact(None), "contact_date"),
        (contact(TODAY + dt.timedelta(days=1)), "contact_date"),
        (contact(TODAY, place="p" * 5000), "place"),
        (contact(TODAY, note="n" * 5000), "note"),
    ],
)
def test_bad_contact(
    db: Database, actor: Actor, client_id: int, data: ContactInput, field: str
) -> None:
    with pytest.raises(ValidationFailed) as failed:
        contacts.add_contact(db, actor, client_id, data, today=TODAY)
    assert [e.field for e in failed.value.errors] == [field]


def test_link_moves_history(db: Database, actor: Actor, client_id: int, person_id: int) -> None:
    contacts.add_contact(db, actor, person_id, contact(TODAY, "Bron"), today=TODAY)
    housing.save_period(db, actor, person_id, PeriodInput(1, dt.date(2026, 1, 1)), today=TODAY)
    entry = journal.save_draft(
        db,
        actor,
        person_id,
        draft_id=None,
        entry_date=TODAY,
        category=JournalCategory.CONTACT,
        text="met",
    ).value
    contacts.link_person(db, actor, person_id, client_id, today=TODAY)
    assert [c.place for c in contacts.list_contacts(db, actor, client_id)] == ["Bron"]
    assert [p.code for p in housing.list_periods(db, actor, client_id)] == [1]
    assert [d.id for d in journal.open_drafts(db, actor, client_id)] == [entry]


def test_link_refusals(db: Database, actor: Actor, client_id: int, person_id: int) -> None:
    with pytest.raises(LinkRefusedError):
        contacts.link_person(db, actor, person_id, person_id)
    with pytest.raises(LinkRefusedError):
        contacts.link_person(db, actor, client_id, person_id)
