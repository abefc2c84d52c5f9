"""Shown at start-up when the database file is damaged: restore the newest good backup or quit.

Nothing is repaired silently: the damaged file is kept aside in the data folder under
``hemlos.db.damaged-<date>-<time>`` for IT, and only a backup that passes its check is offered.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import APP_NAME, i18n
from hemlos_desktop.errors import CorruptDatabaseError, DatabaseFileMissingError, HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import backups
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.ui import errors as ui_errors

log = logging.getLogger(__name__)


class DamagedDatabaseDialog(QDialog):
    """Accepted when a backup was restored (the caller opens the database again)."""

    def __init__(
        self,
        *,
        location: DataLocation,
        backup_dir: str = "",
        key: bytes | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("damagedDatabaseDialog")
        self._location = location
        self._backup_dir = backup_dir
        self._key = key
        self.newest = backups.newest_good_backup(location, backup_dir, key=key)
        self.kept_aside = ""

        self._heading = QLabel()
        self._heading.setWordWrap(True)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._choice = QLabel()
        self._choice.setWordWrap(True)
        self._buttons = QDialogButtonBox()
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restoreNewestButton")
        self.quit_button = QPushButton()
        self.quit_button.setObjectName("quitButton")
        if self.newest is not None:
            self._buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.restore_button.setDefault(True)
        else:
            self.restore_button.hide()
        self._buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        layout.addWidget(self._text)
        layout.addWidget(self._choice)
        layout.addWidget(self._buttons)
        self.setMinimumWidth(max(480, self.fontMetrics().horizontalAdvance("M") * 36))
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.quit_button.clicked.connect(self.reject)

    def retranslate_ui(self) -> None:
        missing = not self._location.database.exists()
        error = DatabaseFileMissingError() if missing else CorruptDatabaseError()
        self.setWindowTitle(f"{error.title()} – {APP_NAME}")
        self._heading.setText(f"<b>{error.title()}</b>")
        if missing:
            self._text.setText(
                _(
                    "The data folder {folder} has its key file but no database file. No new, "
                    "empty database was made."
                ).format(folder=self._location.folder)
            )
        else:
            self._text.setText(
                _(
                    "The database file in {folder} is damaged or is not a Hemlös Desktop "
                    "database. It has not been changed or repaired."
                ).format(folder=self._location.folder)
            )
        if self.newest is not None and missing:
            when = i18n.active().format_datetime(self.newest.created, "medium")
            self._choice.setText(
                _("The newest good backup is from {when}. Restore it?").format(when=when)
            )
        elif self.newest is not None:
            when = i18n.active().format_datetime(self.newest.created, "medium")
            self._choice.setText(
                _(
                    "The newest good backup is from {when}. Restore it? The damaged file is "
                    "kept in the data folder for your IT department."
                ).format(when=when)
            )
        else:
            self._choice.setText(
                _(
                    "No good backup was found. Quit, and contact your IT department; keep "
                    "the damaged file for them."
                )
            )
        self.restore_button.setText(_("&Restore the backup"))
        self.restore_button.setAccessibleName(_("Restore the newest good backup"))
        self.quit_button.setText(_("&Quit"))
        self.quit_button.setAccessibleName(_("Quit without changing anything"))

    def _on_restore_clicked(self) -> None:
        assert self.newest is not None
        try:
            result = backups.restore_backup(
                self._location,
                self.newest.path,
                actor=None,  # before sign-in: the database cannot be opened
                key=self._key,
                damaged=True,
                caller_holds_lock=True,
            ).value
        except HemlosError as exc:  # before sign-in: there is no UiContext for the runner
            log.warning("restore of the newest backup failed: %s", type(exc).__name__)
            ui_errors.show_error(self, exc)
            return
        self.kept_aside = str(result.kept_aside or "")
        log.info("damaged database kept aside and the newest good backup restored")
        if self.kept_aside:
            self._inform(
                _("The backup was restored. The damaged file was kept as {path}.").format(
                    path=self.kept_aside
                )
            )
        self.accept()

    def _inform(self, text: str) -> None:
        QMessageBox.information(self, _("Backup restored"), text)
