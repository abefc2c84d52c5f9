"""Join team server…: a computer that works alone joins the team's server.

Joining makes a new encrypted database, in a folder of its own, from the records the person may
see on the server (``services.sync_join.join``); the database this computer works on now is
not changed. The dialog asks for the server's address (IT's ``team_server_url`` setting fills
it in), the person's user name and password and the folder; it then shows the new database's
recovery key once, and the program opens the team's database at the next start.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services.changes import Outcome
from hemlos_desktop.services.sync_join import JoinResult, join
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto.kdf import PRODUCTION_PARAMS
from hemlos_desktop.ui.operations import Progress, run_long_operation

if TYPE_CHECKING:
    from hemlos_desktop.settings import SettingsStore
    from hemlos_desktop.storage.crypto.kdf import Argon2Params
    from hemlos_desktop.ui.context import UiContext


class JoinDialog(QDialog):
    """Page 1: address, user name, password, folder. Page 2: the recovery key, once."""

    def __init__(
        self,
        *,
        context: UiContext,
        settings_store: SettingsStore | None = None,
        params: Argon2Params = PRODUCTION_PARAMS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("joinDialog")
        self._context = context
        self._store = settings_store
        self._params = params
        self.result_: JoinResult | None = None
        current = context.db.location.folder

        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.url_edit = QLineEdit(context.settings.team_server_url)
        self.url_edit.setObjectName("joinUrl")
        self.user_edit = QLineEdit(context.actor.username)
        self.user_edit.setObjectName("joinUser")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("joinPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.folder_edit = QLineEdit(str(current.with_name(current.name + "-team")))
        self.folder_edit.setObjectName("joinFolder")
        self.message_label = QLabel()
        self.message_label.setObjectName("joinMessage")
        self.message_label.setWordWrap(True)
        self.labels = [QLabel() for _i in range(4)]
        form = QFormLayout()
        edits = (self.url_edit, self.user_edit, self.password_edit, self.folder_edit)
        for label, edit in zip(self.labels, edits, strict=True):
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ask = QWidget()
        ask_layout = QVBoxLayout(ask)
        ask_layout.addWidget(self.intro_label)
        ask_layout.addLayout(form)
        ask_layout.addWidget(self.message_label)
        ask_layout.addWidget(self.buttons)

        self.done_label = QLabel()
        self.done_label.setObjectName("joinDone")
        self.done_label.setWordWrap(True)
        self.recovery_text = QPlainTextEdit()
        self.recovery_text.setObjectName("joinRecoveryKey")
        self.recovery_text.setReadOnly(True)
        self.recovery_text.setMaximumHeight(self.fontMetrics().height() * 4)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        done = QWidget()
        done_layout = QVBoxLayout(done)
        done_layout.addWidget(self.done_label)
        done_layout.addWidget(self.recovery_text)
        done_layout.addWidget(self.close_buttons)

        self.pages = QStackedWidget()
        self.pages.addWidget(ask)
        self.pages.addWidget(done)
        QVBoxLayout(self).addWidget(self.pages)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        self._connect_signals()
        self.retranslate_ui()
        (self.password_edit if self.url_edit.text() else self.url_edit).setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_join_clicked)
        self.buttons.rejected.connect(self.reject)
        self.close_buttons.rejected.connect(self.accept)
        self.close_buttons.accepted.connect(self.accept)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Join team server"))
        self.intro_label.setText(
            _(
                "Joining makes a new database in a folder of its own with the team's records "
                "that you may see. The database you work on now is not changed."
            )
        )
        texts = (_("Server &address:"), _("&User name:"), _("&Password:"), _("&Folder:"))
        names = (_("Server address"), _("User name"), _("Password"), _("Folder"))
        edits = (self.url_edit, self.user_edit, self.password_edit, self.folder_edit)
        for label, text, name, edit in zip(self.labels, texts, names, edits, strict=True):
            label.setText(text)
            edit.setAccessibleName(name)
        self.url_edit.setPlaceholderText("postgresql://db.example.org/hemlos?sslmode=verify-full")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Join"))
        self.recovery_text.setAccessibleName(_("Recovery key"))

    def _on_join_clicked(self) -> None:
        url = self.url_edit.text().strip()
        username = self.user_edit.text().strip()
        password = self.password_edit.text()
        folder = self.folder_edit.text().strip()
        for value, edit, problem in (
            (url, self.url_edit, _("Enter the team server's address.")),
            (username, self.user_edit, _("Enter your user name.")),
            (password, self.password_edit, _("Enter your password.")),
            (folder, self.folder_edit, _("Choose a folder for the team's database.")),
        ):
            if not value:
                self.message_label.setText(problem)
                self.adjustSize()
                edit.setFocus()
                return
        self.message_label.setText("")
        location = DataLocation(Path(folder).expanduser())
        params = self._params
        outcome = run_long_operation(
            self,
            self._context,
            Progress(_("Join team server"), _("Fetching the team's records…")),
            lambda progress, cancelled: Outcome(
                join(
                    location,
                    url=url,
                    username=username,
                    password=password,
                    params=params,
                    progress=lambda p: progress(p.done, p.total or 0),
                    cancelled=cancelled,
                )
            ),
            on_error=self._show_problem,
            initiator=None,
        )
        if outcome is None:
            return
        self.password_edit.clear()
        result = outcome.value
        result.signed_in.db.dispose()  # opened at the next start
        self.result_ = result
        self._remember_folder(location.folder)
        self.recovery_text.setPlainText(result.recovery_key)
        self.done_label.setText(
            _(
                "This computer has joined the team server: {count} clients were fetched into "
                "{folder}. Write down or print the recovery key below and keep it safe; it is "
                "shown only now. The program opens the team's database at the next start."
            ).format(count=result.clients, folder=location.folder)
        )
        self.pages.setCurrentIndex(1)
        self.adjustSize()
        self.close_buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()

    def _show_problem(self, error: HemlosError) -> None:
        """Shown in the dialog, next to what was typed (nothing typed is lost)."""
        advice = error.advice()
        self.message_label.setText(error.message() + (" " + advice if advice else ""))
        self.adjustSize()

    def _remember_folder(self, folder: Path) -> None:
        """The next start opens the team's database (unless IT fixed the data folder)."""
        if self._store is None or "data_dir" in self._context.settings.locked:
            return
        settings = self._context.settings  # the window's own, saved again when it closes
        settings.data_dir = str(folder)
        self._store.save(settings)
