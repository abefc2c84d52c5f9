"""The client register walked as a caseworker and as a team lead, signed in through the real
sign-in dialog on an encrypted database."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import pnr
from office import Office
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services.clients import ClientQuery
from hemlos_desktop.ui.clients import ClientsPage
from hemlos_desktop.ui.clients.client_form import ClientFormDialog
from hemlos_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def clients_page(window: MainWindow) -> ClientsPage:
    window.show_area("clients")
    page = window.pages["clients"]
    assert isinstance(page, ClientsPage)
    return page


def listed_names(page: ClientsPage) -> list[str]:
    model = page.client_list.model
    return [
        str(model.data(model.index(row, 0), Qt.ItemDataRole.DisplayRole))
        for row in range(model.rowCount())
    ]


def test_caseworker_sees_the_team_in_swedish_order(qtbot: QtBot, office: Office) -> None:
    window = office.sign_in("worker", language="sv")
    page = clients_page(window)
    page.client_list.search_now()
    surnames = [name.split(",")[0] for name in listed_names(page)]
    assert surnames == ["Nilsson", "Söderström", "Åberg", "Öberg"]


def test_caseworker_registers_with_the_forms_defaults_and_keeps_the_client(
    qtbot: QtBot, office: Office
) -> None:
    window = office.sign_in("worker")
    context = window.context
    form = ClientFormDialog(context=context, parent=window)
    qtbot.addWidget(form)
    assert form.responsible_combo.currentData() == context.actor.user_id
    assert form.team_combo.currentData() == office.team_id
    form.kind_combo.setCurrentIndex(form.kind_combo.findData(IdKind.PERSONNUMMER.value))
    form.number_edit.setText(pnr(dt.date(1991, 5, 17)))
    form.first_name_edit.setText("Ny")
    form.last_name_edit.setText("Klient")
    form.ok_button.click()
    assert form.saved_client_id is not None
    found = client_service.search_ids(context.db, context.actor, ClientQuery(text="Klient"))
    assert found == [form.saved_client_id]


def test_caseworker_is_asked_before_a_save_that_hides_the_client(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = office.sign_in("worker")
    form = ClientFormDialog(context=window.context, parent=window)
    qtbot.addWidget(form)
    form.show()
    asked: list[bool] = []
    monkeypatch.setattr(form, "confirm_hide", lambda: asked.append(True) or False)
    monkeypatch.setattr(form, "confirm_discard", lambda: True)
    form.number_edit.setText(pnr(dt.date(1991, 5, 17)))
    form.first_name_edit.setText("Ny")
    form.last_name_edit.setText("Klient")
    form.responsible_combo.setCurrentIndex(form.responsible_combo.findText("Olle Berg"))
    form.team_combo.setCurrentIndex(form.team_combo.findData(office.other_team_id))
    form.ok_button.click()
    assert asked == [True]
    assert form.saved_client_id is None and form.isVisible()  # nothing saved, nothing lost
    assert form.last_name_edit.text() == "Klient"


def test_enter_after_a_pasted_number_opens_only_the_match(qtbot: QtBot, office: Office) -> None:
    window = office.sign_in("worker")
    page = clients_page(window)
    widget = page.client_list
    widget.search_now()
    widget.select_client(office.client_ids["Åberg"])
    number = pnr(dt.date(1985, 3, 12))  # Emma Söderström's
    widget.search_edit.setFocus()
    qtbot.keyClicks(widget.search_edit, number)  # the search is still waiting to run
    assert widget.is_searching()
    qtbot.keyClick(widget.search_edit, Qt.Key.Key_Return)
    assert widget.current_client_id() == office.client_ids["Söderström"]
    with qtbot.waitSignal(widget.sig_open_client) as opened:
        qtbot.keyClick(widget.view, Qt.Key.Key_Return)
    assert opened.args == [office.client_ids["Söderström"]]


def test_search_the_name_as_the_list_shows_it(qtbot: QtBot, office: Office) -> None:
    window = office.sign_in("lead")
    widget = clients_page(window).client_list
    widget.search_edit.setText("Söderström, Emma")
    widget.search_now()
    assert list(widget.model.ids) == [office.client_ids["Söderström"]]


def test_team_lead_sees_the_team_and_opens_a_case(qtbot: QtBot, office: Office) -> None:
    window = office.sign_in("lead", language="da")
    page = clients_page(window)
    page.client_list.search_now()
    surnames = [name.split(",")[0] for name in listed_names(page)]
    assert surnames == ["Nilsson", "Söderström", "Öberg", "Åberg"]
    page.open_client(office.client_ids["Öberg"])
    assert page.open_case_ids() == [office.client_ids["Öberg"]]


def test_another_teams_caseworker_sees_none_of_them(qtbot: QtBot, office: Office) -> None:
    window = office.sign_in("other")
    page = clients_page(window)
    page.client_list.search_now()
    assert listed_names(page) == []


def test_a_danish_caseworker_registers_with_cpr_by_default(qtbot: QtBot, office: Office) -> None:
    window = office.sign_in("worker", language="da")
    form = ClientFormDialog(context=window.context, parent=window)
    qtbot.addWidget(form)
    assert form.kind_combo.currentData() == IdKind.CPR.value
    assert form.kind_combo.currentText() == "Dansk CPR-nummer"
    assert form.number_edit.placeholderText() == "DDMMÅÅ-NNNN"
    form.number_edit.setText("120385-1234")
    form.first_name_edit.setText("Jens")
    form.last_name_edit.setText("Mørch")
    form.ok_button.click()
    assert form.saved_client_id is not None
    context = window.context
    detail = client_service.get_client(context.db, context.actor, form.saved_client_id)
    assert detail.data.id_kind is IdKind.CPR
