"""The Plans area's "What is due" tab: overdue, this week's and coming items, for me or my team.
Opening an item asks the page to show that client's plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import plan_due
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.itemmodels.plan_models import DueListModel


class DuePanel(QWidget):
    """The list of what is due, with its scope and counts."""

    sig_open_plan = Signal(int, int)
    """The user opened an item: the client's id and the plan version's id."""

    def __init__(
        self,
        *,
        context: UiContext,
        today: Callable[[], dt.date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._today = today
        self.scope_combo = QComboBox()
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.model = DueListModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.open_button = QPushButton()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.scope_combo)
        top.addWidget(self.counts_label, 1)
        top.addWidget(self.open_button)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.scope_combo.currentIndexChanged.connect(self.refresh)
        self.view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(self._on_activated)
        self.open_button.clicked.connect(self._on_open_clicked)

    def retranslate_ui(self) -> None:
        current = self.scope_combo.currentIndex()
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem(_("For me"), plan_due.DueScope.MINE.value)
        self.scope_combo.addItem(_("For my team"), plan_due.DueScope.TEAM.value)
        self.scope_combo.setCurrentIndex(max(current, 0))
        self.scope_combo.blockSignals(False)
        self.scope_combo.setAccessibleName(_("Whose items"))
        self.view.setAccessibleName(_("What is due"))
        self.open_button.setText(_("&Open plan"))
        self.refresh()

    def refresh(self, *_args: object) -> None:
        scope = plan_due.DueScope(self.scope_combo.currentData() or plan_due.DueScope.MINE.value)
        items = plan_due.due_items(
            self._context.db, self._context.actor, scope=scope, today=self._today()
        )
        self.model.set_items(items)
        counts = {b: sum(1 for i in items if i.bucket is b) for b in plan_due.DueBucket}
        self.counts_label.setText(
            _("Overdue: {overdue} · This week: {week} · Coming up: {coming}").format(
                overdue=counts[plan_due.DueBucket.OVERDUE],
                week=counts[plan_due.DueBucket.THIS_WEEK],
                coming=counts[plan_due.DueBucket.COMING_UP],
            )
        )
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        """Open plan only once an item is chosen (no button that does nothing)."""
        self.open_button.setEnabled(self.view.currentIndex().isValid())

    def _on_activated(self, index: QModelIndex) -> None:
        item = self.model.item(index.row())
        if item is not None:
            self.sig_open_plan.emit(item.client_id, item.version_id)

    def _on_open_clicked(self) -> None:
        self._on_activated(self.view.currentIndex())
