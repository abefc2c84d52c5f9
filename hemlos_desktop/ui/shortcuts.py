"""Help → Keyboard shortcuts: a table of every action that has a shortcut.

The list is built from the main window's actions when the dialog opens, so features that add
actions with shortcuts appear here without changes to this file.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import pgettext


def action_label(action: QAction) -> str:
    """The action's text without accelerator marks (``&Quit`` → ``Quit``)."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(action text, shortcut in the platform's notation) for actions with a shortcut."""
    rows: list[tuple[str, str]] = []
    for action in actions:
        keys = action.shortcuts()
        if not keys or not action.text():
            continue
        text = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
        rows.append((action_label(action), text))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(
        self,
        *,
        actions: Iterable[QAction],
        extra_rows: Iterable[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        """``extra_rows`` lists keys that belong to no action (already translated)."""
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self._rows = shortcut_rows(actions) + list(extra_rows)
        self.table = QTableWidget(len(self._rows), 2)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, (label, keys) in enumerate(self._rows):
            self.table.setItem(row, 0, QTableWidgetItem(label))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self._buttons)
        self._connect_signals()
        self.retranslate_ui()
        self.table.resizeRowsToContents()
        self.table.setCurrentCell(-1, -1)
        rows_height = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        table_height = rows_height + self.table.horizontalHeader().height() + 4
        self.table.setMinimumHeight(min(table_height, 480))
        self.resize(max(460, self.table.horizontalHeader().length() + 60), self.sizeHint().height())

    def _connect_signals(self) -> None:
        self._buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels(
            [pgettext("program function", "Action"), _("Shortcut")]
        )
        self.table.setAccessibleName(_("Keyboard shortcuts"))
