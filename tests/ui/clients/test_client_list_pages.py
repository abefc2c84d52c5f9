"""A long search result in the client list: the first page at once, the rest appended after.

On a register of 450 demo clients (more than the first page of 200): the list shows the
first page with "More than 200 clients", then the whole result without a reset, keeps the
selected client through a sort, and reads the rest at once when the view reaches the end.
"""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt

from hemlos_desktop import i18n
from hemlos_desktop.demo.data import fill_demo
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services.users import actor_by_username
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients import ClientListWidget
from hemlos_desktop.ui.clients.client_list import FIRST_PAGE
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.itemmodels.client_table_model import ClientColumn

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def context(db: Database) -> UiContext:
    fill_demo(db, random.Random(3), 450)
    actor = actor_by_username(db, "admin")
    i18n.set_language("en")
    return UiContext(db=db, actor=actor, notifier=ChangeNotifier(), settings=Settings())


@pytest.fixture
def widget(qtbot, context: UiContext) -> ClientListWidget:
    list_widget = ClientListWidget(context=context)
    qtbot.addWidget(list_widget)
    list_widget.resize(900, 600)
    list_widget.show()
    return list_widget


def test_the_first_page_then_the_whole_result(
    qtbot, widget: ClientListWidget, context: UiContext
) -> None:
    everyone = client_service.search_ids(context.db, context.actor, client_service.ClientQuery())
    assert len(everyone) > FIRST_PAGE + 1
    model = widget.model
    assert not model.complete and model.rowCount() == FIRST_PAGE + 1
    assert list(model.ids) == everyone[: FIRST_PAGE + 1]
    assert widget.count_label.text() == "More than 200 clients"
    assert widget.is_searching() and widget.shows_newest_first_page()
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    widget.view.setCurrentIndex(model.index(7, ClientColumn.NAME))
    qtbot.waitUntil(lambda: not widget.is_searching(), timeout=10_000)
    assert list(model.ids) == everyone and model.complete
    assert resets == []  # appended, not reset: the current row stays
    assert widget.current_client_id() == everyone[7]
    assert widget.count_label.text() == f"{len(everyone)} clients"
    assert model.row_data(len(everyone) - 1) is not None


def test_a_sort_keeps_the_selected_client(
    qtbot, widget: ClientListWidget, context: UiContext
) -> None:
    qtbot.waitUntil(lambda: not widget.is_searching(), timeout=10_000)
    chosen = widget.model.client_id(300)
    assert chosen is not None and widget.select_client(chosen)
    widget.view.sortByColumn(ClientColumn.AGE, Qt.SortOrder.DescendingOrder)
    assert widget.is_searching()  # the header click searches in the background
    qtbot.waitUntil(lambda: not widget.is_searching(), timeout=10_000)
    query = widget.model.query
    assert query.sort is client_service.SortKey.BIRTH_DATE
    assert list(widget.model.ids) == client_service.search_ids(context.db, context.actor, query)
    assert widget.current_client_id() == chosen


def test_the_end_of_the_first_page_reads_the_rest_at_once(qtbot, widget: ClientListWidget) -> None:
    widget._rest_timer.setInterval(600_000)  # no pause in typing would start it
    widget.search_edit.setText("söderström")
    widget.search_now()
    widget.search_edit.clear()  # everyone again
    widget._timer.stop()
    widget._start_search()
    qtbot.waitUntil(widget.shows_newest_first_page, timeout=10_000)
    assert not widget.model.complete
    widget.view.scrollToBottom()
    qtbot.waitUntil(lambda: not widget.is_searching(), timeout=10_000)
    assert widget.model.complete and widget.model.rowCount() > FIRST_PAGE + 1


def test_typing_on_cancels_the_rest_and_shows_the_newest(
    qtbot, widget: ClientListWidget, context: UiContext
) -> None:
    widget._run_rest()  # the rest of the whole register is being read
    for text in ("s", "so", "sod"):
        widget.search_edit.setText(text)
        widget._timer.stop()
        widget._start_search()
    qtbot.waitUntil(lambda: not widget.is_searching(), timeout=10_000)
    query = client_service.ClientQuery(text="sod")
    assert list(widget.model.ids) == client_service.search_ids(context.db, context.actor, query)
