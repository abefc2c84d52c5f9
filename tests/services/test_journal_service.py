"""Journal service: drafts update one row, signing is final, corrections are linked."""

from __future__ import annotations

import datetime as dt

import pytest

from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.validation import ValidationFailed
from hemlos_desktop.services import journal
from hemlos_desktop.services.actor import Actor
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


def draft(db: Database, actor: Actor, client_id: int, text: str, **kw: object) -> int:
    return journal.save_draft(
        db,
        actor,
        client_id,
        draft_id=kw.get("draft_id"),  # type: ignore[arg-type]
        entry_date=kw.get("entry_date", TODAY),  # type: ignore[arg-type]
        category=JournalCategory.MEETING,
        text=text,
    ).value


def test_draft_updates_same_row(db: Database, actor: Actor, client_id: int) -> None:
    first = draft(db, actor, client_id, "a")
    assert draft(db, actor, client_id, "ab", draft_id=first) == first
    [only] = journal.open_drafts(db, actor, client_id)
    assert (only.id, only.text) == (first, "ab")


def test_draft_keeps_text_exactly(db: Database, actor: Actor, client_id: int) -> None:
    text = "  indented\n\n\ttab  \n" + "å" * 100
    draft(db, actor, client_id, text)
    assert journal.open_drafts(db, actor, client_id)[0].text == text


def test_signed_entry_never_changes(db: Database, actor: Actor, client_id: int) -> None:
    entry = draft(db, actor, client_id, "final words")
    journal.sign_entry(db, actor, entry, today=TODAY)
    with pytest.raises(journal.SignedEntryError):
        draft(db, actor, client_id, "other words", draft_id=entry)
    with pytest.raises(journal.SignedEntryError):
        journal.sign_entry(db, actor, entry, today=TODAY)
    with pytest.raises(journal.SignedEntryError):
        journal.discard_draft(db, actor, entry)
    [signed] = journal.list_entries(db, actor, client_id)
    assert signed.signed and signed.text == "final words" and signed.signed_at is not None


def test_sign_rules(db: Database, actor: Actor, client_id: int) -> None:
    empty = draft(db, actor, client_id, "   ")
    with pytest.raises(ValidationFailed) as failed:
        journal.sign_entry(db, actor, empty, today=TODAY)
    assert [e.field for e in failed.value.errors] == ["text"]
    future = draft(db, actor, client_id, "x", entry_date=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationFailed) as failed:
        journal.sign_entry(db, actor, future, today=TODAY)
    assert [e.field for e in failed.value.errors] == ["entry_date"]


def test_correction_linked_to_original(db: Database, actor: Actor, client_id: int) -> None:
    original = draft(db, actor, client_id, "Monday")
    journal.sign_entry(db, actor, original, today=TODAY)
    correction = journal.start_correction(db, actor, original).value
    draft(db, actor, client_id, "Tuesday", draft_id=correction)
    journal.sign_entry(db, actor, correction, today=dt.date.today())
    entries = {e.id: e for e in journal.list_entries(db, actor, client_id)}
    assert entries[original].corrected_by_ids == (correction,)
    assert entries[correction].corrects_id == original
    assert entries[original].text == "Monday"


def test_autosave_path_refuses_what_it_must(db: Database, actor: Actor, client_id: int) -> None:
    from hemlos_desktop.errors import NotFoundError
    from hemlos_desktop.models.people import Role
    from hemlos_desktop.services.actor import actor_for_user
    from hemlos_desktop.services.users import create_team, create_user

    mine = draft(db, actor, client_id, "mine")
    other_client = register_client(
        db,
        actor,
        ClientInput(
            id_kind=IdKind.PERSONNUMMER, id_text="19850312-1231", first_name="O", last_name="P"
        ),
        today=TODAY,
    ).value
    with pytest.raises(NotFoundError):  # the draft belongs to another client
        draft(db, actor, other_client, "moved?", draft_id=mine)
    with db.begin() as session:
        team = create_team(session, "Other team")
        user = create_user(
            session, username="w2", display_name="W2", role=Role.CASEWORKER, team_ids=[team.id]
        )
        worker = actor_for_user(session, user)
    with pytest.raises(NotFoundError):  # not visible to this worker, and not their draft
        draft(db, worker, client_id, "theirs", draft_id=mine)
    assert journal.open_drafts(db, actor, client_id)[0].text == "mine"
