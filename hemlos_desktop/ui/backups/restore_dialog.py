"""Choose a backup from a list (date, size, folder) and restore it after a confirmation."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import backups
from hemlos_desktop.ui import errors as ui_errors
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import run_operation

log = logging.getLogger(__name__)

PATH_ROLE = Qt.ItemDataRole.UserRole


class RestoreDialog(QDialog):
    """Lists the backups, newest first; restores the chosen one into the running program.

    The running program holds the data folder's lock, so the restore is made under it.
    """

    sig_restored = Signal(str)
    """A backup was restored; the argument is the backup file's path."""

    def __init__(
        self,
        *,
        context: UiContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self._context = context
        self._db = context.db
        self._items: list[backups.BackupSummary] = []

        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self._list = QTreeWidget()
        self._list.setObjectName("backupList")
        self._list.setColumnCount(3)
        self._list.setRootIsDecorated(False)
        self._list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._list.setAlternatingRowColors(True)
        self._empty = QLabel()
        self._empty.setWordWrap(True)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(False)
        self._buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addWidget(self._list, 1)
        layout.addWidget(self._empty)
        layout.addWidget(self._buttons)
        self._connect_signals()
        self.retranslate_ui()
        self.reload()
        self.resize(640, 380)

    def _connect_signals(self) -> None:
        self._list.itemSelectionChanged.connect(self._on_selection_changed)
        self._list.itemDoubleClicked.connect(self._on_item_double_clicked)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self._buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Restore from backup"))
        self._intro.setText(
            _(
                "Choose the backup to go back to. The current database is kept aside in the "
                "data folder, so nothing is deleted."
            )
        )
        self._list.setHeaderLabels([_("Date and time"), _("Size"), _("Folder")])
        self._list.setAccessibleName(_("Backups"))
        self._empty.setText(_("No backups were found."))
        self.restore_button.setText(_("&Restore…"))
        self.restore_button.setAccessibleName(_("Restore the chosen backup"))
        self.reload()

    def reload(self) -> None:
        self._items = backups.list_backups(self._db.location, self._context.settings.backup_dir)
        translator = i18n.active()
        self._list.clear()
        for item in self._items:
            when = translator.format_datetime(item.created, "medium")
            if item.pre_upgrade:
                when += " " + _("(before an upgrade)")
            if item.revoked_slots:
                when += " " + _("(holds revoked passwords)")
            row = QTreeWidgetItem([when, backups.describe_size(item.size), str(item.path.parent)])
            row.setData(0, PATH_ROLE, str(item.path))
            row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._list.addTopLevelItem(row)
        for column in range(2):
            self._list.resizeColumnToContents(column)
        self._empty.setVisible(not self._items)
        first = self._list.topLevelItem(0)
        if first is not None:
            self._list.setCurrentItem(first)

    def selected_path(self) -> Path | None:
        current = self._list.currentItem()
        if current is None:
            return None
        return Path(str(current.data(0, PATH_ROLE)))

    def _on_selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_path() is not None)

    def _on_item_double_clicked(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._on_restore_clicked()

    def _confirm(self, when: str) -> bool:
        answer = QMessageBox.question(
            self,
            _("Restore from backup"),
            _(
                "Replace the database with the backup from {when}? Changes made after that "
                "time will no longer be shown; the current database is kept aside."
            ).format(when=when),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_restore_clicked(self) -> None:
        path = self.selected_path()
        current = self._list.currentItem()
        if path is None or current is None:
            return
        if not self._confirm(current.text(0)):
            return
        ctx = self._context
        restored = run_operation(
            self,
            ctx,
            lambda: backups.restore_backup(
                ctx.db.location, path, actor=ctx.actor, caller_holds_lock=True, db=ctx.db
            ),
            on_error=self._on_restore_failed,
        )
        if restored is None:
            return
        self.sig_restored.emit(str(path))
        self.accept()

    def _on_restore_failed(self, error: HemlosError) -> None:
        log.warning("restore failed: %s", type(error).__name__)
        ui_errors.show_error(self, error)
        self.reload()
