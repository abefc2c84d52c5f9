"""The one client picker: a search field and the matching clients, searched off the GUI thread.

Typing waits for a short pause (``SEARCH_DELAY_MS``) before searching; the search runs on a
worker thread (``ui/tasks.run_in_background``) and only the newest answer is shown. Enter
chooses the first (or the selected) client, also when pressed before the answer came.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services.clients import ClientQuery, ClientRow, fetch_rows, search_ids
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.tasks import BackgroundTask, run_in_background

SEARCH_LIMIT = 200
"""Clients listed at most (the search narrows them down)."""
SEARCH_DELAY_MS = 200
"""Pause after the last keystroke before searching."""


class ClientPicker(QWidget):
    """A search field and the matching clients (names as the register shows them)."""

    sig_client_chosen = Signal(int)
    """Emitted with the client id when a client is chosen (click or arrow keys)."""

    sig_client_activated = Signal(int)
    """Emitted with the client id when the user presses Enter on a client."""

    sig_results_shown = Signal(int)
    """A search's answer is shown; the argument is how many clients it lists."""

    def __init__(
        self,
        *,
        context: UiContext,
        delay_ms: int = SEARCH_DELAY_MS,
        accept: Callable[[ClientRow], bool] | None = None,
        describe: Callable[[ClientRow], str] | None = None,
        list_all_when_empty: bool = True,
        select_first: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``accept`` leaves clients out (it runs on the worker thread: plain data only),
        ``describe`` gives a row's text, ``list_all_when_empty=False`` lists nobody until
        something is typed, ``select_first`` chooses the first client found."""
        super().__init__(parent)
        self._context = context
        self._accept = accept
        self._describe = describe or _row_text
        self._list_all_when_empty = list_all_when_empty
        self._select_first = select_first
        self._generation = 0
        self._task: BackgroundTask | None = None
        self._activate_when_found = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self.search_label = QLabel(self)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.results = QListWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_label)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        self.results.setMinimumWidth(self.fontMetrics().averageCharWidth() * NAME_WIDTH_CHARS)
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._on_text_changed)
        self.search.returnPressed.connect(self._on_return_pressed)
        self.results.currentItemChanged.connect(self._on_current_changed)
        self.results.activated.connect(self._on_activated)

    def retranslate_ui(self) -> None:
        self.search_label.setText(_("&Find client:"))
        self.search.setPlaceholderText(_("Name, alias or number"))
        self.search.setAccessibleName(_("Find client"))
        self.results.setAccessibleName(_("Clients found"))

    # -- searching ------------------------------------------------------------------------------

    def is_searching(self) -> bool:
        """True while a search waits for the pause or runs."""
        return self._timer.isActive() or self._task is not None

    def refresh(self) -> None:
        """Search now (in the background) for what the field holds."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        db, actor = self._context.db, self._context.actor
        text = self.search.text().strip()
        accept, list_all = self._accept, self._list_all_when_empty

        def work() -> tuple[list[int], dict[int, ClientRow]]:
            if not text and not list_all:
                return [], {}
            ids = search_ids(db, actor, ClientQuery(text=text))
            if accept is None:
                ids = ids[:SEARCH_LIMIT]
                return ids, fetch_rows(db, actor, ids)
            rows = fetch_rows(db, actor, ids[: SEARCH_LIMIT * 2])
            kept = [i for i in ids if i in rows and accept(rows[i])][:SEARCH_LIMIT]
            return kept, rows

        self._task = run_in_background(
            self,
            work,
            lambda found: self._on_found(generation, *found),
            lambda error: self._on_failed(generation, error),
        )

    def _on_text_changed(self, _text: str) -> None:
        self._timer.start()

    def _on_found(self, generation: int, ids: list[int], rows: dict[int, ClientRow]) -> None:
        if generation != self._generation:
            return  # a newer search is on its way
        self._task = None
        self.results.blockSignals(True)
        self.results.clear()
        for cid in ids:
            row = rows.get(cid)
            if row is None:
                continue
            text = self._describe(row)
            item = QListWidgetItem(text)
            item.setToolTip(" ".join(text.split("\n")))
            item.setData(Qt.ItemDataRole.UserRole, cid)
            self.results.addItem(item)
        self.results.blockSignals(False)
        if self._select_first and self.results.count():
            self.results.setCurrentRow(0)
        self.sig_results_shown.emit(self.results.count())
        if self._activate_when_found:
            self._activate_when_found = False
            self._on_return_pressed()

    def _on_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._task = None
        self._activate_when_found = False
        known = classify(error)
        if known is None:
            raise error
        show_error(self, known)

    def chosen_client_id(self) -> int | None:
        item = self.results.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    # -- choosing -------------------------------------------------------------------------------

    def select_client(self, client_id: int) -> None:
        for index in range(self.results.count()):
            item = self.results.item(index)
            if item.data(Qt.ItemDataRole.UserRole) == client_id:
                self.results.setCurrentItem(item)
                return
        self.sig_client_chosen.emit(client_id)

    def _on_return_pressed(self) -> None:
        if self._timer.isActive():
            self.refresh()  # no need to wait for the pause
        if self._task is not None:
            self._activate_when_found = True
            return
        if self.results.count():
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)
            item = self.results.currentItem()
            if item is not None:
                self.sig_client_activated.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def _on_activated(self, index: QModelIndex) -> None:
        self.sig_client_activated.emit(int(index.data(Qt.ItemDataRole.UserRole)))

    def _on_current_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.sig_client_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))


def _row_text(row: ClientRow) -> str:
    """The name on its own line (never cut off by a narrow list), the number below it."""
    return row.display_name + (f"\n{row.id_masked}" if row.id_masked else "")


NAME_WIDTH_CHARS = 26
"""The width, in average characters, a picker keeps for a name ("Kristoffersen, Anne-Sofie")."""
