"""First start: create the administrator, then show the recovery key once."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import APP_NAME
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services.setup import (
    SetupResult,
    configured_backup_folders,
    create_administrator,
    save_recovery_key,
    validate_new_account,
)
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto.kdf import PRODUCTION_PARAMS, Argon2Params
from hemlos_desktop.ui.clipboard import copy_secret_to_clipboard
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.login.password_hint import show_password_rules

log = logging.getLogger(__name__)


class SetupWizard(QDialog):
    """Page 1: the administrator's account. Page 2: the recovery key, shown once, with a
    checkbox that must be ticked before the program continues. ``result`` is set on Accepted."""

    def __init__(
        self,
        *,
        location: DataLocation,
        params: Argon2Params = PRODUCTION_PARAMS,
        backup_dir: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self._location = location
        self._backup_dir = backup_dir
        # A database from before encryption is opened only to be encrypted here.
        self._encrypting_existing = location.database.exists()
        self._params = params
        self.result_: SetupResult | None = None
        self.clipboard_timer: QTimer | None = None

        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("setupUser")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("setupDisplayName")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("setupPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setObjectName("setupRepeat")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.create_button = QPushButton()
        self.create_button.setObjectName("setupCreate")
        self._labels = [QLabel() for _i in range(4)]
        account = QWidget()
        form = QFormLayout()
        for label, edit in zip(
            self._labels,
            (self.user_edit, self.name_edit, self.password_edit, self.repeat_edit),
            strict=True,
        ):
            label.setBuddy(edit)
            form.addRow(label, edit)
        account_layout = QVBoxLayout(account)
        account_layout.addWidget(self.intro_label)
        account_layout.addLayout(form)
        account_layout.addWidget(self.message_label)
        account_layout.addWidget(self.create_button)

        self.recovery_intro = QLabel()
        self.recovery_intro.setWordWrap(True)
        self.recovery_text = QPlainTextEdit()
        self.recovery_text.setObjectName("setupRecoveryKey")
        self.recovery_text.setReadOnly(True)
        self.save_button = QPushButton()
        self.save_button.setObjectName("setupSaveKey")
        self.copy_button = QPushButton()
        self.stored_check = QCheckBox()
        self.stored_check.setObjectName("setupStored")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        recovery = QWidget()
        recovery_layout = QVBoxLayout(recovery)
        recovery_layout.addWidget(self.recovery_intro)
        recovery_layout.addWidget(self.recovery_text)
        recovery_layout.addWidget(self.save_button)
        recovery_layout.addWidget(self.copy_button)
        recovery_layout.addWidget(self.stored_check)
        recovery_layout.addWidget(self.buttons)

        show_password_rules(self.password_edit, self.message_label, self.user_edit.text)
        self.pages = QStackedWidget()
        self.pages.addWidget(account)
        self.pages.addWidget(recovery)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.create_button.clicked.connect(self._on_create_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.stored_check.toggled.connect(self._on_stored_toggled)
        self.buttons.accepted.connect(self.accept)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("First start – {app}").format(app=APP_NAME))
        if self._encrypting_existing:
            self.intro_label.setText(
                _(
                    "This database was made before encryption and is not protected. Create "
                    "the administrator's account to encrypt it now; its plain backups are "
                    "encrypted and plain copies are removed."
                )
            )
        else:
            self.intro_label.setText(
                _(
                    "Create the administrator's account. The administrator creates the other "
                    "users. The database is encrypted; the password unlocks it."
                )
            )
        texts = (_("&User name:"), _("&Name shown:"), _("&Password:"), _("R&epeat:"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.user_edit.setAccessibleName(_("User name"))
        self.name_edit.setAccessibleName(_("Name shown"))
        self.password_edit.setAccessibleName(_("Password"))
        self.repeat_edit.setAccessibleName(_("Repeat the password"))
        self.create_button.setText(_("&Create administrator"))
        self.recovery_intro.setText(
            _(
                "This is the recovery key. It is shown only now. If every password is lost, "
                "only this key opens the database. Print it or save it on a USB stick and keep "
                "it locked away, apart from the computer."
            )
        )
        self.recovery_text.setAccessibleName(_("Recovery key"))
        self.save_button.setText(_("&Save or print the recovery key…"))
        self.copy_button.setText(_("C&opy to the clipboard"))
        self.stored_check.setText(_("I have stored the recovery key"))

    def _on_create_clicked(self) -> None:
        problem = validate_new_account(
            self.user_edit.text(),
            self.name_edit.text(),
            self.password_edit.text(),
            self.repeat_edit.text(),
        )
        if problem:
            self.message_label.setText(problem)
            return
        try:
            self.result_ = create_administrator(
                self._location,
                username=self.user_edit.text(),
                display_name=self.name_edit.text(),
                password=self.password_edit.text(),
                params=self._params,
                backup_folders=configured_backup_folders(self._backup_dir),
            )
        except HemlosError as exc:  # before the main window: no UiContext for the runner yet
            log.warning("set-up failed: %s", type(exc).__name__)
            self.message_label.setText(exc.message())
            return
        self.password_edit.clear()
        self.repeat_edit.clear()
        self.recovery_text.setPlainText(self.result_.recovery_key)
        self.pages.setCurrentIndex(1)

    def _on_save_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the recovery key"), "recovery-key.txt", _("Text files (*.txt)")
        )
        if path and self.result_ is not None:
            try:
                save_recovery_key(Path(path), self.result_.recovery_key)
            except HemlosError as exc:  # before the main window: no UiContext for the runner yet
                log.info("recovery key not saved: %s", type(exc).__name__)
                show_error(self, exc)

    def _on_copy_clicked(self) -> None:
        self.clipboard_timer = copy_secret_to_clipboard(self.recovery_text.toPlainText())

    def _on_stored_toggled(self, checked: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(checked)

    def reject(self) -> None:
        # Once the account exists the key must be acknowledged; before that, cancel is fine.
        if self.result_ is None:
            super().reject()
