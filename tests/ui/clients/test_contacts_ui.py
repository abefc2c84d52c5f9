"""Contacts log: adding a contact (rules beside fields) and linking an unidentified person."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from hemlos_desktop.errors import NotFoundError
from hemlos_desktop.models.client import ContactKind, ContactOutcome
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import contacts as contacts_service
from hemlos_desktop.services.case_overview import client_header
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.contacts import ContactInput
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget
from hemlos_desktop.ui.clients.contacts import ContactDialog, LinkPersonDialog
from hemlos_desktop.ui.context import UiContext

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def ctx(db: Database) -> UiContext:
    return UiContext(
        db=db, actor=ensure_local_actor(db), notifier=ChangeNotifier(), settings=Settings()
    )


@pytest.fixture
def client_id(ctx: UiContext) -> int:
    data = ClientInput(
        id_kind=IdKind.PERSONNUMMER, id_text="19121212-1212", first_name="Karin", last_name="Björk"
    )
    return register_client(ctx.db, ctx.actor, data, today=TODAY).value


@pytest.fixture
def person_id(ctx: UiContext) -> int:
    data = ClientInput(id_kind=IdKind.NONE, alias="Skägget", description="Grey coat")
    pid = register_client(ctx.db, ctx.actor, data, today=TODAY).value
    contacts_service.add_contact(
        ctx.db,
        ctx.actor,
        pid,
        ContactInput(TODAY, ContactKind.STREET, ContactOutcome.BRIEF, "Centralen"),
        today=TODAY,
    )
    return pid


def test_add_contact(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    overview = CaseOverviewWidget(context=ctx, client_id=client_id, today=TODAY)
    qtbot.addWidget(overview)
    assert overview.contacts.link_button.isHidden()  # identified: nothing to link
    dialog = ContactDialog(context=ctx, client_id=client_id, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.place_edit.setText("Stadsmissionen")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(ContactKind.DROP_IN.value))
    dialog.note_edit.setPlainText("Asked about housing")
    assert dialog.save()
    [contact] = overview.contacts.contacts()
    assert (contact.place, contact.kind, contact.note) == (
        "Stadsmissionen",
        ContactKind.DROP_IN,
        "Asked about housing",
    )
    assert overview.contacts.tree.topLevelItemCount() == 1


def test_contact_in_the_future_refused_beside_date(
    qtbot: QtBot, ctx: UiContext, client_id: int
) -> None:
    dialog = ContactDialog(context=ctx, client_id=client_id, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.date_edit.setDate(QDate(2026, 11, 5))
    dialog.place_edit.setText("Kept")
    assert not dialog.save()
    assert dialog.errors["contact_date"].text() == "The date of the contact is in the future."
    assert dialog.place_edit.text() == "Kept"
    assert contacts_service.list_contacts(ctx.db, ctx.actor, client_id) == []


def test_over_long_place_refused(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    dialog = ContactDialog(context=ctx, client_id=client_id, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.place_edit.setText("x" * 5000)
    assert not dialog.save()
    assert "at most" in dialog.errors["place"].text()


def test_link_person_moves_history(
    qtbot: QtBot,
    ctx: UiContext,
    client_id: int,
    person_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    overview = CaseOverviewWidget(context=ctx, client_id=person_id, today=TODAY)
    qtbot.addWidget(overview)
    assert not overview.contacts.link_button.isHidden()
    assert overview.number_label.text() == "Not yet identified"
    dialog = LinkPersonDialog(context=ctx, person_id=person_id, person_name="Skägget")
    qtbot.addWidget(dialog)
    assert not dialog.link_button.isEnabled()

    def found(text: str) -> list[int]:
        """What a search lists (the picker answers from a worker thread)."""
        dialog.search(text)
        qtbot.waitUntil(lambda: not dialog.is_searching())
        return dialog.found_ids()

    assert found("Björk") == [client_id]
    assert found("Skägget") == []  # the person itself and unidentified are not offered
    assert dialog.hint_label.text() == "No registered client matches."
    dialog.search_edit.setText("19121212")
    qtbot.waitUntil(lambda: dialog.chosen_client_id() is not None)
    assert dialog.chosen_client_id() == client_id
    monkeypatch.setattr(dialog, "_confirm", lambda *_a: False)
    assert not dialog.link()
    monkeypatch.setattr(dialog, "_confirm", lambda *_a: True)
    with qtbot.waitSignal(overview.sig_client_gone):
        assert dialog.link()
    moved = contacts_service.list_contacts(ctx.db, ctx.actor, client_id)
    assert [c.place for c in moved] == ["Centralen"]
    with pytest.raises(NotFoundError):
        client_header(ctx.db, ctx.actor, person_id)
    assert not overview.gone_label.isHidden()
