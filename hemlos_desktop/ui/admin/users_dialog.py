"""User administration for administrators, and changing one's own password."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.password_rules import password_problem
from hemlos_desktop.models.people import ROLE_LABELS, Role
from hemlos_desktop.services import accounts, users
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.login.password_hint import show_password_rules
from hemlos_desktop.ui.operations import LongWork, Progress, run_long_operation, run_operation

log = logging.getLogger(__name__)


def _password_field(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class NewUserDialog(QDialog):
    """Name, shown name, role, teams and the initial password of a new user."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newUserDialog")
        self._context = context
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("newUserName")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("newUserDisplayName")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("newUserRole")
        for role in Role:
            self.role_combo.addItem("", role.value)
        self.role_combo.setCurrentIndex(self.role_combo.findData(Role.CASEWORKER.value))
        self.team_list = QListWidget()
        self.team_list.setObjectName("newUserTeams")
        for team in users.list_teams(context.db):
            item = QListWidgetItem(team.name)
            item.setData(Qt.ItemDataRole.UserRole, team.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.team_list.addItem(item)
        self.password_edit = _password_field("newUserPassword")
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._labels = [QLabel() for _i in range(5)]
        form = QFormLayout()
        for label, field in zip(
            self._labels,
            (self.user_edit, self.name_edit, self.role_combo, self.team_list, self.password_edit),
            strict=True,
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        show_password_rules(self.password_edit, self.message_label, self.user_edit.text)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("New user"))
        texts = (_("&User name:"), _("&Name shown:"), _("&Role:"), _("&Teams:"), _("&Password:"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        for index in range(self.role_combo.count()):
            role = Role(self.role_combo.itemData(index))
            self.role_combo.setItemText(index, _(ROLE_LABELS[role]))
        self.user_edit.setAccessibleName(_("User name"))
        self.name_edit.setAccessibleName(_("Name shown"))
        self.role_combo.setAccessibleName(_("Role"))
        self.team_list.setAccessibleName(_("Teams"))
        self.password_edit.setAccessibleName(_("Initial password"))

    def team_ids(self) -> list[int]:
        return [
            int(self.team_list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.team_list.count())
            if self.team_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _on_accept(self) -> None:
        ctx = self._context
        username, display_name = self.user_edit.text(), self.name_edit.text()
        role, team_ids = Role(self.role_combo.currentData()), self.team_ids()
        password = self.password_edit.text()
        added = run_operation(
            self,
            ctx,
            lambda: accounts.add_account(
                ctx.db,
                ctx.actor,
                ctx.db.data_key,
                username=username,
                display_name=display_name,
                role=role,
                team_ids=team_ids,
                password=password,
            ),
            on_error=self._refused,
        )
        if added is not None:
            self.accept()

    def _refused(self, error: HemlosError) -> None:
        log.info("new user refused: %s", type(error).__name__)
        self.message_label.setText(error.message())


class UsersDialog(QDialog):
    """The list of users with New, Reset password and Deactivate."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self._context = context
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("usersTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.new_button = QPushButton()
        self.reset_button = QPushButton()
        self.deactivate_button = QPushButton()
        self.close_button = QPushButton()
        row = QHBoxLayout()
        for button in (self.new_button, self.reset_button, self.deactivate_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()
        self.resize(640, 420)

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self._on_new)
        self.reset_button.clicked.connect(self._on_reset)
        self.deactivate_button.clicked.connect(self._on_deactivate)
        self.close_button.clicked.connect(self.accept)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Users and passwords"))
        self.table.setHorizontalHeaderLabels(
            [_("User name"), _("Name shown"), _("Role"), _("Active")]
        )
        self.table.setAccessibleName(_("Users"))
        self.new_button.setText(_("&New user…"))
        self.reset_button.setText(_("&Reset password…"))
        self.deactivate_button.setText(_("&Deactivate"))
        self.close_button.setText(_("&Close"))

    def refresh(self) -> None:
        rows = users.list_users(self._context.db)
        self.table.setRowCount(len(rows))
        for index, info in enumerate(rows):
            cells = (
                info.username,
                info.display_name,
                _(ROLE_LABELS[info.role]),
                _("yes") if info.active else _("no"),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                self.table.setItem(index, column, item)
        self.table.resizeColumnsToContents()

    def selected_user_id(self) -> int | None:
        item = self.table.item(self.table.currentRow(), 0)
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _show(self, exc: HemlosError) -> None:
        QMessageBox.warning(self, exc.title(), exc.message())

    def _on_new(self) -> None:
        dialog = NewUserDialog(context=self._context, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _on_reset(self) -> None:
        user_id = self.selected_user_id()
        if user_id is None:
            return
        dialog = NewPasswordDialog(parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        ctx, password = self._context, dialog.password_edit.text()
        self._revoke(
            lambda progress, _cancelled: accounts.reset_password(
                ctx.db, ctx.actor, ctx.db.data_key, user_id, password, progress=progress
            )
        )

    def _on_deactivate(self) -> None:
        user_id = self.selected_user_id()
        if user_id is None:
            return
        ctx = self._context
        self._revoke(
            lambda progress, _cancelled: accounts.deactivate(
                ctx.db, ctx.actor, user_id, progress=progress
            )
        )

    def _revoke(self, work: LongWork[tuple[str, ...]]) -> None:
        """Run a change that gives the database a new data key, behind a progress dialog."""
        done = run_long_operation(
            self,
            self._context,
            Progress(_("Users and passwords"), _("Re-encrypting the database…")),
            work,
            on_error=self._show,
        )
        lost = done.value if done is not None else None
        self.refresh()
        if lost:
            QMessageBox.warning(
                self,
                _("Users and passwords"),
                _("These users need a new password before they can sign in again: {names}").format(
                    names=", ".join(name or _("(recovery key)") for name in lost)
                ),
            )


class NewPasswordDialog(QDialog):
    """A new password, typed twice."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password_edit = _password_field("newPassword")
        self.repeat_edit = _password_field("newPasswordRepeat")
        self.message_label = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._labels = [QLabel(), QLabel()]
        form = QFormLayout()
        for label, field in zip(self._labels, (self.password_edit, self.repeat_edit), strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        show_password_rules(self.password_edit, self.message_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("New password"))
        self._labels[0].setText(_("&New password:"))
        self._labels[1].setText(_("R&epeat:"))
        self.password_edit.setAccessibleName(_("New password"))
        self.repeat_edit.setAccessibleName(_("Repeat the new password"))

    def _on_accept(self) -> None:
        if not self.password_edit.text():
            self.message_label.setText(_("Enter a password."))
        elif password_problem(self.password_edit.text()):
            self.message_label.setText(password_problem(self.password_edit.text()))
        elif self.password_edit.text() != self.repeat_edit.text():
            self.message_label.setText(_("The two passwords are not the same."))
        else:
            self.accept()


class ChangePasswordDialog(QDialog):
    """Every user changes their own password (the old one is checked)."""

    sig_password_changed = Signal(str, str)
    """The password was changed: (old, new), for the team server's sync (kept in memory)."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self._context = context
        self.old_edit = _password_field("oldPassword")
        self.password_edit = _password_field("newPassword")
        self.repeat_edit = _password_field("newPasswordRepeat")
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._labels = [QLabel() for _i in range(3)]
        form = QFormLayout()
        for label, field in zip(
            self._labels, (self.old_edit, self.password_edit, self.repeat_edit), strict=True
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        show_password_rules(
            self.password_edit, self.message_label, lambda: self._context.actor.username
        )
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Change my password"))
        texts = (_("&Current password:"), _("&New password:"), _("R&epeat:"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.old_edit.setAccessibleName(_("Current password"))
        self.password_edit.setAccessibleName(_("New password"))
        self.repeat_edit.setAccessibleName(_("Repeat the new password"))

    def _on_accept(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            self.message_label.setText(_("The two passwords are not the same."))
            return
        ctx, old, new = self._context, self.old_edit.text(), self.password_edit.text()
        changed = run_operation(
            self,
            ctx,
            lambda: accounts.change_own_password(ctx.db, ctx.actor, old, new),
            on_error=self._refused,
        )
        if changed is not None:
            self.sig_password_changed.emit(old, new)
            self.accept()

    def _refused(self, error: HemlosError) -> None:
        log.info("password change refused: %s", type(error).__name__)
        self.message_label.setText(error.message())
