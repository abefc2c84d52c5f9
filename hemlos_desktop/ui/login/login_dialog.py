"""The sign-in dialog at start-up: user name, password, language; slows down after failures."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import APP_NAME
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import unlock as session_service
from hemlos_desktop.storage.crypto.errors import UnlockThrottledError
from hemlos_desktop.storage.crypto.kdf import PRODUCTION_PARAMS, Argon2Params
from hemlos_desktop.storage.paths import DataLocation
from hemlos_desktop.ui.language import LANGUAGE_NAMES, LanguageManager

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    """Asks for user name and password and unlocks the data folder's key.

    After ``exec()`` returns Accepted, :attr:`username` and :attr:`data_key` are set.
    """

    sig_unlocked = Signal()
    """The key was unlocked (``username``/``data_key`` are set)."""

    def __init__(
        self,
        *,
        location: DataLocation,
        languages: LanguageManager | None = None,
        username: str = "",
        demo: bool = False,
        params: Argon2Params = PRODUCTION_PARAMS,
        before_work: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``before_work`` runs before a password is tried or the reset dialog opens (the
        start finishes loading the program there; see ``ui.warmup``)."""
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self._before_work = before_work
        self._location = location
        self._languages = languages
        self._demo = demo
        self._params = params
        self.username = ""
        self.data_key: bytes | None = None
        self.password = ""
        self._wait_left = 0

        self.user_edit = QLineEdit(username)
        self.user_edit.setObjectName("loginUser")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("loginPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("loginLanguage")
        for code, name in LANGUAGE_NAMES.items():
            self.language_combo.addItem(name, code)
        if languages is not None:
            self.language_combo.setCurrentIndex(self.language_combo.findData(languages.language))
            # Locked by IT's system-wide settings: shown, not changeable.
            self.language_combo.setEnabled(not languages.locked)
        self.message_label = QLabel()
        self.message_label.setObjectName("loginMessage")
        self.message_label.setWordWrap(True)
        self.demo_label = QLabel()
        self.demo_label.setObjectName("loginDemoHint")
        self.demo_label.setWordWrap(True)
        self.demo_label.setVisible(demo)
        self.forgot_button = QPushButton()
        self.forgot_button.setObjectName("loginForgot")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.addButton(self.forgot_button, QDialogButtonBox.ButtonRole.ResetRole)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)

        self._form = QFormLayout()
        self._user_label = QLabel()
        self._password_label = QLabel()
        self._language_label = QLabel()
        self._form.addRow(self._user_label, self.user_edit)
        self._form.addRow(self._password_label, self.password_edit)
        self._form.addRow(self._language_label, self.language_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo_label)
        layout.addLayout(self._form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.retranslate_ui()
        (self.password_edit if username else self.user_edit).setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_sign_in)
        self.buttons.rejected.connect(self.reject)
        self.forgot_button.clicked.connect(self._on_forgot_clicked)
        self.language_combo.currentIndexChanged.connect(self._on_language_chosen)
        self._countdown.timeout.connect(self._on_countdown)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Sign in – {app}").format(app=APP_NAME))
        self._user_label.setText(_("&User name:"))
        self._user_label.setBuddy(self.user_edit)
        self._password_label.setText(_("&Password:"))
        self._password_label.setBuddy(self.password_edit)
        self._language_label.setText(_("&Language:"))
        self._language_label.setBuddy(self.language_combo)
        self.user_edit.setAccessibleName(_("User name"))
        self.password_edit.setAccessibleName(_("Password"))
        self.language_combo.setAccessibleName(_("Language"))
        self.forgot_button.setText(_("&Forgot password?"))
        self.demo_label.setText(
            _(
                "Demo database: sign in as admin, lead or worker with the password "
                "“{password}”. All people in it are fictitious."
            ).format(password="demo")
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Sign in"))
        if self._wait_left:
            self._show_wait()

    # -- behaviour ----------------------------------------------------------------------------

    def _on_language_chosen(self, index: int) -> None:
        if self._languages is not None and index >= 0:
            self._languages.apply(str(self.language_combo.itemData(index)))
            self.retranslate_ui()

    def _show_wait(self) -> None:
        self.message_label.setText(
            _("Too many wrong passwords. Try again in {seconds} s.").format(seconds=self._wait_left)
        )

    def _start_wait(self, seconds: float) -> None:
        self._wait_left = max(1, math.ceil(seconds))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self._show_wait()
        self._countdown.start()

    def _on_countdown(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self._countdown.stop()
            self._wait_left = 0
            self.message_label.setText("")
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        else:
            self._show_wait()

    def _on_sign_in(self) -> None:
        username = self.user_edit.text().strip()
        if not username:
            self.message_label.setText(_("Enter your user name."))
            self.user_edit.setFocus()
            return
        if self._before_work is not None:
            self._before_work()
        try:
            key = session_service.unlock_key(
                self._location, username, self.password_edit.text(), params=self._params, wait=False
            )
        except UnlockThrottledError as exc:
            self._start_wait(exc.seconds)
            return
        except HemlosError as exc:  # sign-in: no main window and no UiContext for the runner yet
            log.info("sign-in refused: %s", type(exc).__name__)
            self.password_edit.clear()
            self.password_edit.setFocus()
            self.message_label.setText(exc.message())
            remaining = session_service.throttle_remaining(self._location)
            if remaining > 0:
                self._start_wait(remaining)
            return
        self.username = username
        self.data_key = key
        # Kept in memory for this session only: the same password signs in to the team server.
        self.password = self.password_edit.text()
        self.password_edit.clear()
        self.sig_unlocked.emit()
        self.accept()

    def _on_forgot_clicked(self) -> None:
        if self._before_work is not None:
            self._before_work()
        dialog = RecoveryResetDialog(
            location=self._location, username=self.user_edit.text().strip(), parent=self
        )
        dialog.setObjectName("recoveryResetDialog")
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.data_key is not None:
            self.username = dialog.username
            self.data_key = dialog.data_key
            self.sig_unlocked.emit()
            self.accept()


class RecoveryResetDialog(QDialog):
    """The administrator enters the recovery key and sets a new password for an account."""

    def __init__(
        self,
        *,
        location: DataLocation,
        username: str = "",
        params: Argon2Params = PRODUCTION_PARAMS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._location = location
        self._params = params
        self.username = ""
        self.data_key: bytes | None = None
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.recovery_edit = QLineEdit()
        self.recovery_edit.setObjectName("recoveryKey")
        self.user_edit = QLineEdit(username)
        self.user_edit.setObjectName("recoveryUser")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("recoveryPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit()
        self.repeat_edit.setObjectName("recoveryRepeat")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._form = QFormLayout()
        self._labels = [QLabel() for _i in range(4)]
        for label, edit in zip(
            self._labels,
            (self.recovery_edit, self.user_edit, self.password_edit, self.repeat_edit),
            strict=True,
        ):
            label.setBuddy(edit)
            self._form.addRow(label, edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(self._form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Reset a password with the recovery key"))
        self.intro_label.setText(
            _(
                "Enter the recovery key that was printed when the program was set up, and a "
                "new password for the account."
            )
        )
        texts = (_("&Recovery key:"), _("&User name:"), _("&New password:"), _("R&epeat:"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.recovery_edit.setAccessibleName(_("Recovery key"))
        self.user_edit.setAccessibleName(_("User name"))
        self.password_edit.setAccessibleName(_("New password"))
        self.repeat_edit.setAccessibleName(_("Repeat the new password"))

    def _on_accept(self) -> None:
        # Loaded only now: resetting a password opens the database (SQLAlchemy, the models),
        # which the sign-in dialog itself does not wait for.
        from hemlos_desktop.services import password_recovery

        username = self.user_edit.text().strip()
        password = self.password_edit.text()
        try:
            password_recovery.validate_new_password(password, self.repeat_edit.text())
            key = password_recovery.reset_password_with_recovery_key(
                self._location, username, self.recovery_edit.text(), password, params=self._params
            )
        except HemlosError as exc:  # before sign-in: no UiContext for the runner yet
            log.info("recovery refused: %s", type(exc).__name__)
            self.message_label.setText(exc.message())
            return
        self.username = username
        self.data_key = key
        self.accept()
