"""The client list: search as you type, filters, count, and the paged table of clients.

The search runs in SQL on a worker thread after a short pause in typing; only the newest
search's result is shown, in two steps: the first page (read from the sort index, a few
milliseconds even at 200,000 clients) at once, then the rest of a longer result, appended when
a second background query has read it. A newer keystroke or a header click cancels either step.
"""

from __future__ import annotations

import logging
from array import array
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import active, ngettext
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import (
    ClientStatus,
    Gender,
    TargetGroup,
)
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.services.clients import ClientQuery
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.ui.clients.client_filters import fill_filter_items, translate_filter_items
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.itemmodels.client_table_model import (
    ClientColumn,
    ClientTableModel,
)
from hemlos_desktop.ui.operations import run_query
from hemlos_desktop.ui.tasks import BackgroundTask, run_in_background

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 150
FIRST_PAGE = 200
"""Rows a search shows at once; a longer result's other rows follow from the background."""
REST_DELAY_MS = 250
"""The rest of a long result is read once typing has paused this long (or at once when the
view scrolls to the end of the first page), so it never slows the next keystroke."""

LIST_KINDS = frozenset({ChangeKind.HEADER, ChangeKind.HOUSING, ChangeKind.TEAM})
"""What the list's rows show (and who may see which client)."""


class ClientListWidget(QWidget):
    """Search box, filters, count label, the client table and its buttons."""

    sig_open_client = Signal(int)
    """The user asked to open the case of this client id (Enter, double-click, Open)."""

    sig_new_client = Signal()
    """The user asked to register a new client (New client button or Ctrl+N)."""

    sig_edit_client = Signal(int)
    """The user asked to edit this client's details (context menu)."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientList")
        self._context = context
        self._logged_search = ""
        self._generation = 0
        self._shown_generation = 0  # the newest search whose first page is shown
        self._complete_generation = 0  # the newest search shown whole
        self._pending_select: int | None = None
        self._search: BackgroundTask | None = None
        self._search_waiting = False
        self._cancel: client_service.SearchCancel | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._rest_timer = QTimer(self)
        self._rest_timer.setSingleShot(True)
        self._rest_timer.setInterval(REST_DELAY_MS)
        self._rest: tuple[int, ClientQuery] | None = None

        self.model = ClientTableModel(db=context.db, actor=context.actor, parent=self)
        self._build_widgets()
        self._build_layout()
        self._connect_signals()
        self.retranslate_ui()
        # One search at start, in the order the header shows (setting the sort indicator above
        # only told the model the order): its first page now, the rest from the background.
        self._generation = 1
        query = self.current_query()
        first = client_service.search_first(context.db, context.actor, query, limit=FIRST_PAGE + 1)
        self._on_first_page(self._generation, query, first)
        self._update_count()
        self._update_buttons()

    # -- construction -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("clientSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaxLength(client_service.MAX_SEARCH_LENGTH)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search_edit)

        self.team_combo = QComboBox()
        self.responsible_combo = QComboBox()
        self.status_combo = QComboBox()
        self.target_combo = QComboBox()
        self.gender_combo = QComboBox()
        self.housing_combo = QComboBox()
        self._filter_labels: dict[QComboBox, QLabel] = {}
        for combo in self._filter_combos():
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(8)
            label = QLabel()
            label.setBuddy(combo)
            self._filter_labels[combo] = label
        self._fill_filter_data()

        self.count_label = QLabel()
        self.count_label.setObjectName("clientCount")
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)

        self.view = QTableView()
        self.view.setObjectName("clientTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.verticalHeader().hide()
        vertical = self.view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ClientColumn.HOUSING, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(ClientColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self._set_column_widths()

        self.new_button = QPushButton()
        self.new_button.setObjectName("newClient")
        self.open_button = QPushButton()
        self.open_button.setObjectName("openClient")
        self.reveal_button = QPushButton()
        self.reveal_button.setObjectName("revealNumber")
        self.new_button.setEnabled(self._context.actor.can_write)

        self.action_open = QAction(self)
        self.action_edit = QAction(self)
        self.action_reveal = QAction(self)
        self._shortcut_find = QShortcut(QKeySequence.StandardKey.Find, self)
        self._shortcut_find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._shortcut_new = QShortcut(QKeySequence.StandardKey.New, self)
        self._shortcut_new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _filter_combos(self) -> tuple[QComboBox, ...]:
        return (
            self.team_combo,
            self.responsible_combo,
            self.status_combo,
            self.target_combo,
            self.gender_combo,
            self.housing_combo,
        )

    def _fill_filter_data(self) -> None:
        """Items with their data; texts are set in :meth:`retranslate_ui`."""
        fill_filter_items(self._context.db, self._filter_combos())

    def _set_column_widths(self) -> None:
        """Room for typical content and for the (translated) header with its sort arrow."""
        metrics = self.fontMetrics()
        em = metrics.horizontalAdvance("M")
        widths = {
            ClientColumn.NAME: em * 18,
            ClientColumn.ID_NUMBER: metrics.horizontalAdvance("19850312-****") + em,
            ClientColumn.AGE: em * 3,
            ClientColumn.GENDER: em * 6,
            ClientColumn.HOUSING: em * 20,
            ClientColumn.RESPONSIBLE: em * 11,
            ClientColumn.TEAM: em * 11,
            ClientColumn.STATUS: em * 6,
        }
        header_metrics = self.view.horizontalHeader().fontMetrics()
        for column, width in widths.items():
            title = self.model.headerData(column, Qt.Orientation.Horizontal)
            needed = header_metrics.horizontalAdvance(str(title)) + em * 3  # padding and arrow
            self.view.setColumnWidth(column, max(width, needed))

    def _build_layout(self) -> None:
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.count_label)

        filters = QGridLayout()
        filters.setHorizontalSpacing(6)
        for position, combo in enumerate(self._filter_combos()):
            row, col = divmod(position, 3)
            filters.addWidget(self._filter_labels[combo], row, col * 2)
            filters.addWidget(combo, row, col * 2 + 1)
            filters.setColumnStretch(col * 2 + 1, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reveal_button)
        buttons.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        order: list[QWidget] = [self.search_edit, *self._filter_combos(), self.view]
        order += [self.new_button, self.reveal_button, self.open_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.search_edit.textEdited.connect(self._on_search_edited)
        self.search_edit.textChanged.connect(self._on_search_changed)
        self.search_edit.returnPressed.connect(self._on_search_return)
        self._timer.timeout.connect(self._start_search)
        self._rest_timer.timeout.connect(self._run_rest)
        self.model.sig_more_wanted.connect(self._run_rest)
        for combo in self._filter_combos():
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.view.activated.connect(self._on_row_activated)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.model.order_handler = self._on_order_changed
        self.model.modelReset.connect(self._on_model_reset)
        self.model.layoutChanged.connect(self._update_buttons)
        self.new_button.clicked.connect(self.sig_new_client)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.reveal_button.clicked.connect(self._on_reveal_clicked)
        self.action_open.triggered.connect(self._on_open_clicked)
        self.action_edit.triggered.connect(self._on_edit_triggered)
        self.action_reveal.triggered.connect(self._on_reveal_clicked)
        self._shortcut_find.activated.connect(self.focus_search)
        self._shortcut_new.activated.connect(self._on_new_shortcut)
        self._context.notifier.subscribe(self, LIST_KINDS, self._on_changed)

    def retranslate_ui(self) -> None:
        self.search_label.setText(_("&Search:"))
        self.search_edit.setPlaceholderText(_("Name or identity number"))
        self.search_edit.setAccessibleName(_("Search clients"))
        self.search_edit.setToolTip(
            _(
                "Part of a name (accents optional) or an identity number with or without "
                "century and dash (Ctrl+F)"
            )
        )
        labels = {
            self.team_combo: _("&Team:"),
            self.responsible_combo: _("&Responsible:"),
            self.status_combo: _("St&atus:"),
            self.target_combo: _("Target gro&up:"),
            self.gender_combo: _("&Gender:"),
            self.housing_combo: _("&Housing:"),
        }
        names = {
            self.team_combo: _("Filter by team"),
            self.responsible_combo: _("Filter by responsible caseworker"),
            self.status_combo: _("Filter by status"),
            self.target_combo: _("Filter by target group"),
            self.gender_combo: _("Filter by gender"),
            self.housing_combo: _("Filter by current housing"),
        }
        for combo in self._filter_combos():
            self._filter_labels[combo].setText(labels[combo])
            combo.setAccessibleName(names[combo])
            combo.setItemText(0, _("All"))
        translate_filter_items(*self._filter_combos()[2:])
        self.view.setAccessibleName(_("Clients"))
        self.view.setAccessibleDescription(_("Press Enter to open the selected client's case"))
        self.new_button.setText(_("&New client…"))
        self.new_button.setToolTip(_("Register a new client (Ctrl+N)"))
        self.open_button.setText(_("&Open"))
        self.open_button.setToolTip(_("Open the selected client's case (Enter)"))
        self.action_open.setText(_("&Open"))
        self.action_edit.setText(_("&Edit details…"))
        self._update_reveal_texts()
        self.count_label.setAccessibleName(_("Number of clients found"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ClientColumn) - 1)
        self._set_column_widths()
        self._update_count()

    # -- public -------------------------------------------------------------------------------

    def current_query(self) -> ClientQuery:
        """The query the search box and filters describe, in the model's current order."""
        base = self.model.query
        status = self.status_combo.currentData()
        group = self.target_combo.currentData()
        gender = self.gender_combo.currentData()
        return ClientQuery(
            text=self.search_edit.text(),
            team_id=self.team_combo.currentData(),
            responsible_user_id=self.responsible_combo.currentData(),
            status=ClientStatus(status) if status else None,
            target_group=TargetGroup(group) if group else None,
            gender=Gender(gender) if gender else None,
            housing_code=self.housing_combo.currentData(),
            sort=base.sort,
            descending=base.descending,
        )

    def search_now(self) -> None:
        """Run the search at once on the GUI thread (tests; after a registration)."""
        self._timer.stop()
        self._rest_timer.stop()
        self._rest = None
        self._generation += 1
        self._shown_generation = self._complete_generation = self._generation
        self._pending_select = None
        self.model.search(self.current_query())

    def is_searching(self) -> bool:
        """True until the newest search is shown whole."""
        return self._timer.isActive() or self._complete_generation != self._generation

    def shows_newest_first_page(self) -> bool:
        """True once the first page of the newest search is shown (the rest may follow)."""
        return not self._timer.isActive() and self._shown_generation == self._generation

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def current_client_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.client_id(index.row())

    def select_client(self, client_id: int) -> bool:
        row = self.model.row_of(client_id)
        if row is None:
            return False
        index = self.model.index(row, ClientColumn.NAME)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    # -- searching ----------------------------------------------------------------------------

    def _on_search_edited(self, _text: str) -> None:
        self._timer.start()

    def _on_search_changed(self, text: str) -> None:
        if not text:  # the clear button: show everything at once
            self._timer.start(0)

    def _on_filter_changed(self, _index: int) -> None:
        self._timer.start(0)

    def _on_order_changed(self) -> None:
        """A click on a column header: search again in the new order (the model only noted
        it), first page at once."""
        self._timer.stop()
        self._start_search()

    def _start_search(self) -> None:
        self._generation += 1
        self._rest_timer.stop()
        self._rest = None
        self._run_first_page()

    def _run_first_page(self) -> None:
        if self._search is not None and self._search.is_running():
            # One search at a time: the running one is stale, so it is cancelled (SQLite stops
            # between steps) and the newest query starts as soon as it has stopped.
            self._search_waiting = True
            if self._cancel is not None:
                self._cancel.cancel()
            return
        self._search_waiting = False
        db, actor, query = self._context.db, self._context.actor, self.current_query()
        generation = self._generation
        cancel = self._cancel = client_service.SearchCancel()
        self._search = run_in_background(
            self,
            lambda: client_service.search_first(
                db, actor, query, limit=FIRST_PAGE + 1, cancel=cancel
            ),
            lambda ids: self._on_first_page(generation, query, ids),
            lambda error: self._on_search_failed(generation, error),
        )

    def _is_stale(self, generation: int, query: ClientQuery) -> bool:
        """A newer search came while this one ran: run the newest (unless already shown)."""
        model_query = self.model.query
        resorted = (query.sort, query.descending) != (model_query.sort, model_query.descending)
        if not (self._search_waiting or generation != self._generation or resorted):
            return False
        self._search_waiting = False
        if self._complete_generation != self._generation:
            self._run_first_page()
        return True

    def _on_first_page(self, generation: int, query: ClientQuery, ids: list[int]) -> None:
        self._search = None
        if self._is_stale(generation, query):
            return
        current = self._pending_select or self.current_client_id()
        complete = len(ids) <= FIRST_PAGE
        self.model.set_result(query, ids, complete=complete)
        self._shown_generation = generation
        self._pending_select = None
        if current is not None and not self.select_client(current) and not complete:
            self._pending_select = current  # selected again when the whole result is shown
        if complete:
            self._complete_generation = generation
            self._log_identity_search(query.text, len(ids))
            return
        self._rest = (generation, query)
        self._rest_timer.start()

    def _run_rest(self) -> None:
        """Read the whole result of the search whose first page is shown."""
        self._rest_timer.stop()
        rest, self._rest = self._rest, None
        if rest is None or rest[0] != self._generation or self._search is not None:
            return
        generation, query = rest
        db, actor = self._context.db, self._context.actor
        cancel = self._cancel = client_service.SearchCancel()
        self._search = run_in_background(
            self,
            lambda: client_service.search_id_array(db, actor, query, cancel=cancel),
            lambda whole: self._on_whole_result(generation, query, whole),
            lambda error: self._on_search_failed(generation, error),
        )

    def _on_whole_result(self, generation: int, query: ClientQuery, ids: array[int]) -> None:
        self._search = None
        if self._is_stale(generation, query):
            return
        self.model.extend_result(query, ids)
        self._complete_generation = generation
        if self._pending_select is not None:
            self.select_client(self._pending_select)
            self._pending_select = None
        self._update_count()
        self._log_identity_search(query.text, len(ids))

    def _on_search_failed(self, generation: int, error: BaseException) -> None:
        self._search = None
        if self._search_waiting or isinstance(error, client_service.SearchCancelled):
            self._search_waiting = False
            if self._complete_generation != self._generation:
                self._run_first_page()
            return
        self._shown_generation = self._complete_generation = generation
        known = classify(error)
        if known is None:
            raise error
        show_error(self, known)

    def _log_identity_search(self, text: str, matches: int) -> None:
        """A search by a full identity number is logged once per number the person typed."""
        if text == self._logged_search:
            return
        self._logged_search = text
        ctx = self._context
        run_query(
            self, lambda: client_service.record_identity_search(ctx.db, ctx.actor, text, matches)
        )

    def _on_model_reset(self) -> None:
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        count = self.model.rowCount()
        if not self.model.complete:
            self.count_label.setText(
                _("More than {count} clients").format(count=active().format_number(count - 1))
            )
            return
        self.count_label.setText(
            ngettext("{count} client", "{count} clients", count).format(
                count=active().format_number(count)
            )
        )

    # -- rows ---------------------------------------------------------------------------------

    def _on_search_return(self) -> None:
        if self.is_searching():
            # Finish the search first: Enter must never act on a row of the previous result.
            self.search_now()
        if self.model.rowCount() == 0:
            return
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, ClientColumn.NAME))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_row_activated(self, index: Any) -> None:
        client_id = self.model.client_id(index.row())
        if client_id is not None:
            self.sig_open_client.emit(client_id)

    def _on_open_clicked(self) -> None:
        client_id = self.current_client_id()
        if client_id is not None:
            self.sig_open_client.emit(client_id)

    def _on_edit_triggered(self) -> None:
        client_id = self.current_client_id()
        if client_id is not None:
            self.sig_edit_client.emit(client_id)

    def _on_new_shortcut(self) -> None:
        if self._context.actor.can_write:
            self.sig_new_client.emit()

    def _on_reveal_clicked(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        row = index.row()
        if self.model.is_revealed(row):
            self.model.hide_number(row)
        else:
            run_query(self, lambda: self.model.reveal_number(row))
        self._update_buttons()

    def _on_current_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_row = self.view.currentIndex().isValid()
        self.open_button.setEnabled(has_row)
        self.reveal_button.setEnabled(has_row)
        self.action_open.setEnabled(has_row)
        self.action_edit.setEnabled(has_row and self._context.actor.can_write)
        self.action_reveal.setEnabled(has_row)
        self._update_reveal_texts()

    def _update_reveal_texts(self) -> None:
        index = self.view.currentIndex()
        revealed = index.isValid() and self.model.is_revealed(index.row())
        text = _("Hi&de number") if revealed else _("Rev&eal number")
        self.reveal_button.setText(text)
        self.action_reveal.setText(text)
        self.reveal_button.setToolTip(
            _("Show the whole identity number of the selected client")
            if not revealed
            else _("Mask the identity number again")
        )

    def _on_context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        self.view.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction(self.action_open)
        menu.addAction(self.action_edit)
        menu.addAction(self.action_reveal)
        menu.exec(self.view.viewport().mapToGlobal(position))

    def _on_changed(self, changes: ChangeSet) -> None:
        # An empty list means "reload everything"; so do team and user changes (visibility).
        many = changes.everything or not changes.client_ids
        try:
            self.model.refresh_clients([] if many else sorted(changes.client_ids))
        except HemlosError as error:  # a quiet refresh after another view's change
            log.warning("client list refresh failed: %s", type(error).__name__)
        self._update_count()
