"""The status-bar counter of what is due: overdue and due this week, for me. A click opens Plans."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.services.plan_due import DueCounts, DueScope, due_counts
from hemlos_desktop.ui.context import UiContext


class DueStatusButton(QPushButton):
    """A flat button in the status bar; refreshes when records change."""

    sig_open_due = Signal()
    """The user wants to see the list of what is due."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._counts: DueCounts | None = None
        self.setFlat(True)
        self.setObjectName("dueStatusButton")
        self.clicked.connect(self.sig_open_due.emit)
        context.notifier.subscribe(self, ChangeKind.DUE, self._on_changed)
        self.hide()
        # Counted after the window has painted the list (not on the way to it).
        QTimer.singleShot(0, self, self.refresh)

    def _on_changed(self, _changes: ChangeSet) -> None:
        self.refresh()

    @property
    def counts(self) -> DueCounts | None:
        return self._counts

    def refresh(self) -> None:
        try:
            self._counts = due_counts(self._context.db, self._context.actor, scope=DueScope.MINE)
        except HemlosError:  # a quiet status-bar refresh: the counter just goes blank
            self._counts = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        counts = self._counts
        if counts is None:
            self.setText("")
            self.hide()
            return
        overdue = ngettext("{n} overdue", "{n} overdue", counts.overdue).format(n=counts.overdue)
        week = ngettext("{n} due this week", "{n} due this week", counts.this_week).format(
            n=counts.this_week
        )
        self.setText(_("My plans: {overdue}, {week}").format(overdue=overdue, week=week))
        self.setToolTip(_("Open the list of what is due"))
        self.setAccessibleName(self.text())
        self.show()
