"""The client list page: search as you type, every number format, filters, keys, tabs."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from stdnum import luhn

from hemlos_desktop import i18n
from hemlos_desktop.models.client import Gender, TargetGroup
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import client_bulk
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services.users import create_team, ensure_local_actor
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients import ClientListWidget, ClientsPage
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.itemmodels.client_table_model import ClientColumn, ClientTableModel

# The offscreen platform warns when a top-level window is shown.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TODAY = dt.date(2026, 11, 2)


def swedish(yymmdd: str, serial3: str) -> str:
    nine = yymmdd + serial3
    return nine + luhn.calc_check_digit(nine)  # ten digits


PNR = swedish("850312", "123")  # 850312xxxx
SAM = swedish("850372", "456")  # day 12 + 60
CPR = "1203851234"


@pytest.fixture
def context(db: Database) -> UiContext:
    with db.begin() as session:
        create_team(session, "Boendeteamet")
    actor = ensure_local_actor(db)
    return UiContext(db=db, actor=actor, notifier=ChangeNotifier(), settings=Settings())


@pytest.fixture
def people(context: UiContext) -> dict[str, int]:
    db, actor = context.db, context.actor
    team_id = 1

    def add(key: str, **fields: object) -> tuple[str, int]:
        data = ClientInput(**fields)  # type: ignore[arg-type]
        return key, client_service.register_client(db, actor, data, today=TODAY).value

    return dict(
        [
            add(
                "anna",
                id_kind=IdKind.PERSONNUMMER,
                id_text=f"19{PNR[:6]}-{PNR[6:]}",
                first_name="Anna",
                last_name="Söderström",
                gender=Gender.WOMAN,
                team_id=team_id,
                target_groups=frozenset({TargetGroup.OVER_65}),
            ),
            add(
                "bo",
                id_kind=IdKind.SAMORDNINGSNUMMER,
                id_text=f"19{SAM[:6]}-{SAM[6:]}",
                first_name="Bo",
                last_name="Ekström",
                gender=Gender.MAN,
            ),
            add(
                "søren",
                id_kind=IdKind.CPR,
                id_text=f"{CPR[:6]}-{CPR[6:]}",
                first_name="Søren",
                last_name="Jørgensen",
                gender=Gender.MAN,
                team_id=team_id,
            ),
            add(
                "reserve",
                id_kind=IdKind.RESERVE,
                id_text="RES-0042",
                first_name="Okänd",
                last_name="Person",
                gender=Gender.NOT_STATED,
            ),
        ]
    )


@pytest.fixture
def widget(qtbot, context: UiContext, people: dict[str, int]) -> ClientListWidget:
    list_widget = ClientListWidget(context=context)
    qtbot.addWidget(list_widget)
    list_widget.show()
    return list_widget


def type_search(qtbot, widget: ClientListWidget, text: str) -> list[int]:
    widget.search_edit.clear()
    qtbot.waitUntil(lambda: not widget.is_searching())
    for char in text:  # QTest types ASCII only; other letters arrive as input
        if char.isascii():
            qtbot.keyClick(widget.search_edit, char)
        else:
            widget.search_edit.insert(char)
    qtbot.waitUntil(lambda: not widget.is_searching())
    return list(widget.model.ids)


def test_lists_everyone_at_start(widget: ClientListWidget, people: dict[str, int]) -> None:
    assert sorted(widget.model.ids) == sorted(people.values())
    assert widget.count_label.text() == "4 clients"


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Soderstrom", "anna"),
        ("söderström anna", "anna"),
        ("SODER", "anna"),
        ("ekstrom", "bo"),
        ("Jorgensen", "søren"),
        ("soren jorg", "søren"),
        (f"19{PNR[:6]}-{PNR[6:]}", "anna"),
        (f"{PNR[:6]}-{PNR[6:]}", "anna"),
        (PNR, "anna"),
        (f"19{PNR}", "anna"),
        (f"{SAM[:6]}-{SAM[6:]}", "bo"),
        (f"19{SAM}", "bo"),
        (f"{CPR[:6]}-{CPR[6:]}", "søren"),
        (CPR, "søren"),
        ("RES-0042", "reserve"),
        ("res0042", "reserve"),
    ],
)
def test_search_as_you_type(
    qtbot, widget: ClientListWidget, people: dict[str, int], text: str, who: str
) -> None:
    assert type_search(qtbot, widget, text) == [people[who]]
    assert widget.count_label.text() == "1 client"


def test_a_partial_number_narrows_while_typing(
    qtbot, widget: ClientListWidget, people: dict[str, int]
) -> None:
    found = type_search(qtbot, widget, "8503")
    assert set(found) == {people["anna"], people["bo"]}
    assert type_search(qtbot, widget, "zzz") == []
    assert widget.count_label.text() == "0 clients"


def test_filters(qtbot, widget: ClientListWidget, people: dict[str, int]) -> None:
    widget.gender_combo.setCurrentIndex(widget.gender_combo.findData(Gender.MAN.value))
    qtbot.waitUntil(lambda: not widget.is_searching())
    assert set(widget.model.ids) == {people["bo"], people["søren"]}
    widget.team_combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not widget.is_searching())
    assert list(widget.model.ids) == [people["søren"]]
    widget.gender_combo.setCurrentIndex(0)
    widget.team_combo.setCurrentIndex(0)
    widget.target_combo.setCurrentIndex(widget.target_combo.findData(TargetGroup.OVER_65.value))
    qtbot.waitUntil(lambda: not widget.is_searching())
    assert list(widget.model.ids) == [people["anna"]]
    widget.target_combo.setCurrentIndex(0)
    widget.status_combo.setCurrentIndex(widget.status_combo.findData("closed"))
    qtbot.waitUntil(lambda: not widget.is_searching())
    assert list(widget.model.ids) == []


def test_enter_opens_and_shortcuts(qtbot, widget: ClientListWidget) -> None:
    widget.view.setFocus()
    widget.view.setCurrentIndex(widget.model.index(1, ClientColumn.NAME))
    with qtbot.waitSignal(widget.sig_open_client) as blocker:
        qtbot.keyClick(widget.view, Qt.Key.Key_Return)
    assert blocker.args == [widget.model.client_id(1)]
    with qtbot.waitSignal(widget.sig_new_client):
        qtbot.keyClick(widget.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert widget.search_edit.hasFocus()


def test_reveal_button_shows_one_number(widget: ClientListWidget, people: dict[str, int]) -> None:
    row = widget.model.row_of(people["anna"])
    assert row is not None
    widget.view.setCurrentIndex(widget.model.index(row, ClientColumn.NAME))
    masked = widget.model.index(row, ClientColumn.ID_NUMBER).data()
    assert masked == f"19{PNR[:6]}-****"
    widget.reveal_button.click()
    assert widget.model.index(row, ClientColumn.ID_NUMBER).data() == f"19{PNR[:6]}-{PNR[6:]}"
    assert widget.reveal_button.text() == "Hi&de number"
    widget.reveal_button.click()
    assert widget.model.index(row, ClientColumn.ID_NUMBER).data() == masked


def test_changes_refresh_the_list(
    qtbot, widget: ClientListWidget, context: UiContext, people: dict[str, int]
) -> None:
    from dataclasses import replace

    detail = client_service.get_client(context.db, context.actor, people["bo"])
    changes = client_service.update_client(
        context.db, context.actor, people["bo"], replace(detail.data, first_name="Bosse")
    ).changes
    with qtbot.waitSignal(widget.model.dataChanged):
        context.notifier.publish(changes)
    row = widget.model.row_of(people["bo"])
    assert row is not None
    assert widget.model.index(row, ClientColumn.NAME).data() == "Ekström, Bosse"


def test_count_uses_the_language(qtbot, widget: ClientListWidget) -> None:
    i18n.set_language("sv")
    widget.retranslate_ui()
    assert widget.count_label.text() == "4 klienter"
    i18n.set_language("en")
    widget.retranslate_ui()


def test_page_opens_cases_in_tabs(qtbot, context: UiContext, people: dict[str, int]) -> None:
    made: list[int] = []

    def factory(client_id: int) -> QWidget:
        made.append(client_id)
        return QLabel(str(client_id))

    page = ClientsPage(context=context, case_factory=factory)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.sig_open_client):
        page.client_list.sig_open_client.emit(people["anna"])
    assert page.tabs.count() == 2
    assert page.tabs.tabText(1) == "Söderström, Anna"
    page.tabs.setCurrentIndex(0)
    page.open_client(people["anna"])  # focuses the open tab, makes no new one
    assert made == [people["anna"]]
    assert page.tabs.currentIndex() == 1
    page.tabs.tabCloseRequested.emit(0)  # the list cannot be closed
    page.tabs.tabCloseRequested.emit(1)
    assert page.tabs.count() == 1
    assert page.open_case_ids() == []


def test_page_without_case_factory_only_signals(
    qtbot, context: UiContext, people: dict[str, int]
) -> None:
    page = ClientsPage(context=context)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.sig_open_client) as blocker:
        page.open_client(people["bo"])
    assert blocker.args == [people["bo"]]
    assert page.tabs.count() == 1


def test_page_registers_a_client_and_opens_the_case(
    qtbot, context: UiContext, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemlos_desktop.ui.clients.client_form import ClientFormDialog

    def fill_and_save(form: ClientFormDialog) -> int:
        form.kind_combo.setCurrentIndex(form.kind_combo.findData(IdKind.NONE.value))
        form.alias_edit.setText("Nattugglan")
        form.ok_button.click()
        return int(form.result())

    monkeypatch.setattr(ClientFormDialog, "exec", fill_and_save)
    page = ClientsPage(context=context, case_factory=lambda cid: QLabel(str(cid)))
    qtbot.addWidget(page)
    page.client_list.sig_new_client.emit()
    assert page.tabs.count() == 2
    assert page.tabs.tabText(1) == "Nattugglan"
    new_id = page.open_case_ids()[0]
    assert page.client_list.model.row_of(new_id) is not None
    assert page.client_list.current_client_id() == new_id


def test_page_edits_from_the_list(
    qtbot, context: UiContext, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemlos_desktop.ui.clients.client_form import ClientFormDialog

    def rename(form: ClientFormDialog) -> int:
        form.first_name_edit.setText("Annika")
        form.ok_button.click()
        return int(form.result())

    monkeypatch.setattr(ClientFormDialog, "exec", rename)
    page = ClientsPage(context=context, case_factory=lambda cid: QLabel(str(cid)))
    qtbot.addWidget(page)
    page.open_client(people["anna"])
    page.client_list.sig_edit_client.emit(people["anna"])
    assert page.tabs.tabText(1) == "Söderström, Annika"
    row = page.client_list.model.row_of(people["anna"])
    assert row is not None
    assert page.client_list.model.index(row, ClientColumn.NAME).data() == "Söderström, Annika"


def test_the_start_searches_the_register_once(
    qtbot, context: UiContext, people: dict[str, int]
) -> None:
    """The view sets its sort indicator before the first search: that only records the order
    (no search of the whole register); the first search then runs in that order."""
    model = ClientTableModel(db=context.db, actor=context.actor)
    model.sort(ClientColumn.NAME, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == 0 and model.pages_loaded == 0
    assert model.query.descending
    model.search(model.query)
    descending = list(model.ids)
    assert sorted(descending) == sorted(people.values())
    model.sort(ClientColumn.NAME, Qt.SortOrder.AscendingOrder)  # after it, a click searches
    assert list(model.ids) == descending[::-1]


def test_a_stale_search_is_cancelled_and_the_newest_shown(
    qtbot, widget: ClientListWidget, people: dict[str, int]
) -> None:
    widget.search_edit.clear()
    qtbot.waitUntil(lambda: not widget.is_searching())
    for text in ("s", "so", "sod", "sode", "soder"):
        widget.search_edit.setText(text)
        widget._start_search()  # as the typing pause ends, while the last search still runs
    qtbot.waitUntil(lambda: not widget.is_searching())
    assert list(widget.model.ids) == [people["anna"]]
    assert widget.model.query.text == "soder"


def test_a_cancelled_search_stops_with_its_own_exception(context: UiContext) -> None:
    with context.db.begin() as session:  # enough rows for SQLite to look at the flag
        for n in range(300):
            data = ClientInput(IdKind.NONE, "", "", "", alias=f"Alias {n}")
            client_bulk.insert_clean_client(session, context.actor, data)
    cancel = client_service.SearchCancel()
    cancel.cancel()
    with pytest.raises(client_service.SearchCancelled):
        client_service.search_ids(
            context.db, context.actor, client_service.ClientQuery(), cancel=cancel
        )
    # The connection goes back to the pool without the handler: the next search runs.
    query = client_service.ClientQuery(text="alias")
    assert len(client_service.search_ids(context.db, context.actor, query)) == 300


def test_a_search_by_a_full_identity_number_is_logged_once(
    qtbot, widget: ClientListWidget, people: dict[str, int], context: UiContext
) -> None:
    from hemlos_desktop.models.audit import AuditAction
    from hemlos_desktop.services import audit

    def searches() -> list[audit.AuditRow]:
        rows = audit.list_entries(context.db, context.actor, audit.AuditQuery())
        return [r for r in rows if r.action is AuditAction.SEARCH_NUMBER]

    type_search(qtbot, widget, "Söder")
    type_search(qtbot, widget, PNR[:6])  # part of a number: not an identity search
    assert searches() == []
    assert type_search(qtbot, widget, PNR) == [people["anna"]]
    logged = searches()
    assert len(logged) == 1  # one entry for the search, not one per keystroke
    assert logged[0].detail == "1 found" and PNR not in logged[0].detail
