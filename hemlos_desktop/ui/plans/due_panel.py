"""The Plans area's "What is due" tab: overdue, this week's and coming items, for me or my team,
grouped by team member or by client (collapsible, each group counting its items) or not
grouped. Opening an item asks the page to show that client's plan.

Keys: arrows move, Left/Right (or +/-) collapse and expand a group, Enter on a group opens or
closes it and on an item opens the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import plan_due
from hemlos_desktop.services.due_groups import DueGrouping, group_due
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.itemmodels.due_models import DueTreeModel

# A group opens by itself when the whole list is no longer than this; a longer list opens with
# its groups closed, so that the first screen is a list of names with counts.
OPEN_GROUPS_UP_TO = 30
_NOT_GROUPED = ""


class DuePanel(QWidget):
    """The list of what is due, with its scope, grouping and counts."""

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
        self._shown_as: tuple[plan_due.DueScope, DueGrouping | None] | None = None
        self.scope_combo = QComboBox()
        self.group_label = QLabel()
        self.group_combo = QComboBox()
        self.group_label.setBuddy(self.group_combo)
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.model = DueTreeModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAllColumnsShowFocus(True)
        self.view.setUniformRowHeights(True)
        self.view.setExpandsOnDoubleClick(False)  # activating a group opens or closes it
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, DueTreeModel.COLUMNS):
            self.view.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.open_button = QPushButton()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.scope_combo)
        top.addWidget(self.group_label)
        top.addWidget(self.group_combo)
        top.addWidget(self.counts_label, 1)
        top.addWidget(self.open_button)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.scope_combo.currentIndexChanged.connect(self.refresh)
        self.group_combo.currentIndexChanged.connect(self.refresh)
        self.view.activated.connect(self._on_activated)
        self.open_button.clicked.connect(self._on_open_clicked)

    def retranslate_ui(self) -> None:
        _refill(
            self.scope_combo,
            [
                (_("For me"), plan_due.DueScope.MINE.value),
                (_("For my team"), plan_due.DueScope.TEAM.value),
            ],
        )
        _refill(
            self.group_combo,
            [
                (_("Team member"), DueGrouping.MEMBER.value),
                (_("Client"), DueGrouping.CLIENT.value),
                (_("Not grouped"), _NOT_GROUPED),
            ],
        )
        self.scope_combo.setAccessibleName(_("Whose items"))
        self.group_label.setText(_("&Group by:"))
        self.group_combo.setAccessibleName(_("Group what is due by"))
        self.view.setAccessibleName(_("What is due"))
        self.open_button.setText(_("&Open plan"))
        self.refresh()

    def grouping(self) -> DueGrouping | None:
        value = self.group_combo.currentData()
        return DueGrouping(value) if value else None

    def refresh(self, *_args: object) -> None:
        scope = plan_due.DueScope(self.scope_combo.currentData() or plan_due.DueScope.MINE.value)
        items = plan_due.due_items(
            self._context.db, self._context.actor, scope=scope, today=self._today()
        )
        grouping = self.grouping()
        if grouping is None:
            self.model.set_items(items)
        else:
            # A refresh of the same list keeps the groups the user opened; another list
            # (scope or grouping changed) starts afresh.
            opened = {
                self.model.groups()[row].key
                for row in range(self.model.rowCount())
                if self.model.group(self.model.index(row, 0)) is not None
                and self.view.isExpanded(self.model.index(row, 0))
                and self._shown_as == (scope, grouping)
            }
            language = i18n.current_language()
            self.model.set_groups(group_due(items, grouping, language=language))
            open_all = len(items) <= OPEN_GROUPS_UP_TO
            for row, group in enumerate(self.model.groups()):
                if open_all or group.key in opened:
                    self.view.expand(self.model.index(row, 0))
        self._shown_as = (scope, grouping)
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))
        counts = {b: sum(1 for i in items if i.bucket is b) for b in plan_due.DueBucket}
        self.counts_label.setText(
            _("Overdue: {overdue} · This week: {week} · Coming up: {coming}").format(
                overdue=counts[plan_due.DueBucket.OVERDUE],
                week=counts[plan_due.DueBucket.THIS_WEEK],
                coming=counts[plan_due.DueBucket.COMING_UP],
            )
        )

    def _on_activated(self, index: QModelIndex) -> None:
        if self.model.group(index) is not None:
            first = index.siblingAtColumn(0)
            self.view.setExpanded(first, not self.view.isExpanded(first))
            return
        item = self.model.item(index)
        if item is not None:
            self.sig_open_plan.emit(item.client_id, item.version_id)

    def _on_open_clicked(self) -> None:
        self._on_activated(self.view.currentIndex())


def _refill(combo: QComboBox, entries: list[tuple[str, str]]) -> None:
    """Translate a combo's entries, keeping the choice and without a signal."""
    current = combo.currentIndex()
    combo.blockSignals(True)
    combo.clear()
    for text, value in entries:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(current, 0))
    combo.blockSignals(False)
