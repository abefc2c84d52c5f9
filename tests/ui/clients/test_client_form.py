"""The registration and edit form: every bad input shows next to its field and is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from stdnum import luhn

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.models.client import Gender, TargetGroup
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.services.clients import ClientQuery
from hemlos_desktop.services.users import create_team, ensure_local_actor
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database
from hemlos_desktop.ui import operations
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients import client_form
from hemlos_desktop.ui.clients.client_form import ClientFormDialog
from hemlos_desktop.ui.context import UiContext

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TODAY = dt.date(2026, 11, 2)


def swedish(yymmdd: str, serial3: str) -> str:
    nine = yymmdd + serial3
    ten = nine + luhn.calc_check_digit(nine)
    return f"19{ten[:6]}-{ten[6:]}"


PNR = swedish("850312", "123")
WRONG_CHECK = PNR[:-1] + str((int(PNR[-1]) + 1) % 10)


@pytest.fixture
def context(db: Database) -> UiContext:
    with db.begin() as session:
        create_team(session, "Boendeteamet")
    actor = ensure_local_actor(db)
    return UiContext(db=db, actor=actor, notifier=ChangeNotifier(), settings=Settings())


@pytest.fixture(autouse=True)
def discard_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    """No modal question when a test leaves a form with typed data open."""
    monkeypatch.setattr(ClientFormDialog, "confirm_discard", lambda _self: True)


@pytest.fixture
def errors_shown(monkeypatch: pytest.MonkeyPatch) -> list[HemlosError]:
    shown: list[HemlosError] = []
    monkeypatch.setattr(client_form, "show_error", lambda _parent, error: shown.append(error))
    # Actions run through the operation runner, which shows known errors itself.
    monkeypatch.setattr(operations, "show_error", lambda _parent, error: shown.append(error))
    return shown


def make_form(qtbot, context: UiContext, client_id: int | None = None) -> ClientFormDialog:
    form = ClientFormDialog(context=context, client_id=client_id, today=TODAY)
    qtbot.addWidget(form)
    form.show()
    return form


def fill(form: ClientFormDialog, *, number: str = PNR, first: str = "Anna", last: str = "Berg"):
    form.number_edit.setText(number)
    form.first_name_edit.setText(first)
    form.last_name_edit.setText(last)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (WRONG_CHECK, "The check digit is wrong"),
        ("19850230-1234", "not a real date"),
        ("1985031", "10 or 12 digits"),
        ("19850312-12a4", "only contain digits"),
    ],
)
def test_a_bad_number_shows_next_to_the_field_and_stays(
    qtbot, context: UiContext, number: str, message: str
) -> None:
    form = make_form(qtbot, context)
    fill(form, number=number)
    form.ok_button.click()
    assert message in form.field_error("id_number")
    assert form.errors["id_number"].isVisible()
    assert form.number_edit.text() == number
    assert form.isVisible()
    assert form.saved_client_id is None


def test_empty_required_names(qtbot, context: UiContext) -> None:
    form = make_form(qtbot, context)
    fill(form, first="", last="  ")
    form.ok_button.click()
    assert form.field_error("first_name") == "This field is required."
    assert form.field_error("last_name") == "This field is required."
    assert form.last_name_edit.text() == "  "
    assert form.first_name_edit.hasFocus() or not QApplication.focusWidget()


def test_a_huge_paste_into_a_name_is_refused_but_kept(qtbot, context: UiContext) -> None:
    form = make_form(qtbot, context)
    fill(form, first="")
    huge = "Anna " * 2_000_000  # 10 MB
    QApplication.clipboard().setText(huge)
    form.first_name_edit.setFocus()
    form.first_name_edit.paste()
    form.ok_button.click()
    assert "at most 100 characters" in form.field_error("first_name")
    assert len(form.first_name_edit.text()) == len(huge)
    assert form.saved_client_id is None


def test_other_field_errors(qtbot, context: UiContext) -> None:
    form = make_form(qtbot, context)
    fill(form)
    form.email_edit.setText("anna.at.example")
    form.phone_edit.setText("070-123 ab")
    form.ok_button.click()
    assert "e-mail" in form.field_error("email")
    assert "phone number" in form.field_error("phone")
    assert form.email_edit.text() == "anna.at.example"
    assert form.field_error("id_number") == ""


def test_register_then_find(qtbot, context: UiContext, errors_shown: list[HemlosError]) -> None:
    form = make_form(qtbot, context)
    fill(form, first="Åsa", last="Söderström")
    form.gender_combo.setCurrentIndex(form.gender_combo.findData(Gender.WOMAN.value))
    form.target_checks[TargetGroup.SUBSTANCE_ABUSE].setChecked(True)
    form.team_combo.setCurrentIndex(1)
    assert form.birth_edit.date_value() == dt.date(1985, 3, 12)
    assert form.birth_edit.isReadOnly()
    with qtbot.waitSignal(context.notifier.sig_changed) as changed:
        form.ok_button.click()
    assert not errors_shown
    client_id = form.saved_client_id
    assert client_id is not None
    assert changed.args[0] == ChangeSet.of(ChangeKind.HEADER, client_id)
    assert client_service.search_ids(context.db, context.actor, ClientQuery(text="soderstrom")) == [
        client_id
    ]
    detail = client_service.get_client(context.db, context.actor, client_id)
    assert detail.data.gender is Gender.WOMAN
    assert detail.data.target_groups == frozenset({TargetGroup.SUBSTANCE_ABUSE})
    assert detail.data.team_id is not None


def test_the_same_number_blocks_and_offers_the_existing_client(qtbot, context: UiContext) -> None:
    existing = client_service.register_client(
        context.db,
        context.actor,
        ClientInput(id_kind=IdKind.PERSONNUMMER, id_text=PNR, first_name="Anna", last_name="Berg"),
        today=TODAY,
    ).value
    form = make_form(qtbot, context)
    fill(form, number=PNR.replace("-", "")[2:], first="Annika", last="Holm")
    form.ok_button.click()
    assert form.saved_client_id is None
    assert "already registered" in form.field_error("id_number")
    assert "Berg, Anna" in form.duplicate_text()
    assert form.open_existing_button.isVisible()
    assert form.first_name_edit.text() == "Annika"
    with qtbot.waitSignal(form.sig_open_existing) as opened:
        form.open_existing_button.click()
    assert opened.args == [existing]
    assert not form.isVisible()


def test_same_name_and_birth_date_is_a_warning_to_accept(qtbot, context: UiContext) -> None:
    client_service.register_client(
        context.db,
        context.actor,
        ClientInput(
            id_kind=IdKind.NONE,
            first_name="Anna",
            last_name="Berg",
            birth_date=dt.date(1985, 3, 12),
        ),
        today=TODAY,
    )
    form = make_form(qtbot, context)
    fill(form)
    form.ok_button.click()
    assert form.saved_client_id is None
    assert "Possibly the same person" in form.duplicate_text()
    assert form.accept_similar_check.isVisible()
    form.ok_button.click()  # not ticked: still waiting
    assert form.saved_client_id is None
    form.accept_similar_check.setChecked(True)
    form.ok_button.click()
    assert form.saved_client_id is not None


def test_not_yet_identified_shows_alias_and_description(qtbot, context: UiContext) -> None:
    form = make_form(qtbot, context)
    form.kind_combo.setCurrentIndex(form.kind_combo.findData(IdKind.NONE.value))
    assert not form.number_edit.isVisible()
    assert form.alias_edit.isVisible()
    assert form.description_edit.isVisible()
    form.ok_button.click()
    assert "alias" in form.field_error("alias")
    form.alias_edit.setText("Nattugglan")
    form.description_edit.setPlainText("Sover vid Centralen")
    form.ok_button.click()
    assert form.saved_client_id is not None
    detail = client_service.get_client(context.db, context.actor, form.saved_client_id)
    assert detail.data.alias == "Nattugglan"
    assert detail.data.id_kind is IdKind.NONE


def test_edit_loads_and_saves(qtbot, context: UiContext) -> None:
    client_id = client_service.register_client(
        context.db,
        context.actor,
        ClientInput(
            id_kind=IdKind.PERSONNUMMER,
            id_text=PNR,
            first_name="Anna",
            last_name="Berg",
            language="sv",
            target_groups=frozenset({TargetGroup.OVER_65}),
        ),
        today=TODAY,
    ).value
    form = make_form(qtbot, context, client_id)
    assert form.windowTitle() == "Edit client details"
    assert form.number_edit.text() == PNR
    assert form.target_checks[TargetGroup.OVER_65].isChecked()
    assert not form.is_dirty()
    form.first_name_edit.setText("Annika")
    with qtbot.waitSignal(context.notifier.sig_changed) as changed:
        form.ok_button.click()
    assert changed.args[0] == ChangeSet.of(ChangeKind.HEADER, client_id)
    assert client_service.get_client(context.db, context.actor, client_id).data.first_name == (
        "Annika"
    )


def test_escape_asks_before_discarding(
    qtbot, context: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = make_form(qtbot, context)
    qtbot.keyClick(form, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert not form.isVisible()
    form = make_form(qtbot, context)
    form.first_name_edit.setText("Anna")
    answers = [False, True]
    monkeypatch.setattr(form, "confirm_discard", lambda: answers.pop(0))
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert form.isVisible()
    assert form.first_name_edit.text() == "Anna"
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_enter_saves(qtbot, context: UiContext) -> None:
    form = make_form(qtbot, context)
    fill(form)
    qtbot.keyClick(form.last_name_edit, Qt.Key.Key_Return)
    assert form.saved_client_id is not None


def test_labels_have_buddies_and_fields_have_names(qtbot, context: UiContext) -> None:
    form = make_form(qtbot, context)
    for name, label in form.labels.items():
        assert label.buddy() is form.fields[name]
        assert form.fields[name].accessibleName()
