"""File-menu actions: "Back up now…" and "Restore from backup…".

The main window adds them with one call::

    self.backup_actions = install_backup_actions(self, self.menu_file, context=self.context)
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import backups
from hemlos_desktop.ui import errors as ui_errors
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import Progress, run_long_operation

log = logging.getLogger(__name__)


class BackupActions(QObject):
    """Owns the two actions and runs them against the running program's database."""

    def __init__(
        self, *, context: UiContext, window: QWidget, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._window = window
        self.action_backup_now = QAction(self)
        self.action_backup_now.setObjectName("actionBackupNow")
        self.action_restore = QAction(self)
        self.action_restore.setObjectName("actionRestore")
        # Backing up is for administrators and team leads, restoring for administrators.
        role = context.actor.role
        self.action_backup_now.setVisible(role in (Role.ADMIN, Role.TEAM_LEAD))
        self.action_restore.setVisible(role is Role.ADMIN)
        self._connect_signals()
        self.retranslate_ui()
        # Qt sends LanguageChange when the language manager swaps its translator.
        window.installEventFilter(self)

    def _connect_signals(self) -> None:
        self.action_backup_now.triggered.connect(self._on_backup_now_triggered)
        self.action_restore.triggered.connect(self._on_restore_triggered)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        return super().eventFilter(watched, event)

    def retranslate_ui(self) -> None:
        self.action_backup_now.setText(_("&Back up now…"))
        self.action_backup_now.setStatusTip(_("Write a verified backup of the database"))
        self.action_restore.setText(_("&Restore from backup…"))
        self.action_restore.setStatusTip(_("Go back to an earlier backup of the database"))

    def _on_backup_now_triggered(self) -> None:
        ctx = self._context
        made = run_long_operation(
            self._window,
            ctx,
            Progress(_("Back up now"), _("Writing and verifying the backup…")),
            lambda _progress, _cancelled: backups.back_up_now(
                ctx.db, ctx.settings.backup_dir, actor=ctx.actor
            ),
            on_error=self._on_backup_failed,
        )
        if made is None:
            return
        summary = made.value
        self._inform(_("The backup was written and verified:\n{path}").format(path=summary.path))

    def _on_backup_failed(self, error: HemlosError) -> None:
        log.warning("backup failed: %s", type(error).__name__)
        ui_errors.show_error(self._window, error)

    def _inform(self, text: str) -> None:
        QMessageBox.information(self._window, _("Backup written"), text)

    def _on_restore_triggered(self) -> None:
        from hemlos_desktop.ui.backups.restore_dialog import RestoreDialog

        # The restore's change set (everything) reaches every open view through the runner.
        dialog = RestoreDialog(context=self._context, parent=self._window)
        dialog.exec()
        dialog.deleteLater()


def install_backup_actions(window: QWidget, menu: QMenu, *, context: UiContext) -> BackupActions:
    """Add "Back up now…" and "Restore from backup…" to ``menu`` above its last action (Quit).

    The actions retranslate themselves when Qt announces a language change to ``window``;
    after a restore they tell the open views through the change notifier that everything
    changed.
    """
    actions = BackupActions(context=context, window=window, parent=window)
    existing = menu.actions()
    separator = QAction(menu)
    separator.setSeparator(True)
    new = [actions.action_backup_now, actions.action_restore, separator]
    if existing:
        menu.insertActions(existing[-1], new)
    else:
        menu.addActions(new)
    return actions
