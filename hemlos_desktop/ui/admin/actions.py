"""The administration menu entries: users, own password, access log, retention."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.people import Role
from hemlos_desktop.ui.context import UiContext


class AdminActions(QObject):
    """Owns the actions; each opens its dialog. Hidden when the role may not use them."""

    sig_own_password_changed = Signal(str, str)
    """The person changed their own password: (old, new)."""

    def __init__(self, *, context: UiContext, window: QWidget, parent: QObject | None = None):
        super().__init__(parent)
        self._context = context
        self._window = window
        self.password_dialog: QWidget | None = None
        role = context.actor.role
        self.action_users = QAction(window)
        self.action_users.setObjectName("actionUsers")
        self.action_users.setVisible(role is Role.ADMIN)
        self.action_password = QAction(window)
        self.action_password.setObjectName("actionChangePassword")
        self.action_audit = QAction(window)
        self.action_audit.setObjectName("actionAuditLog")
        self.action_audit.setVisible(role in (Role.ADMIN, Role.TEAM_LEAD, Role.READ_ONLY))
        self.action_retention = QAction(window)
        self.action_retention.setObjectName("actionRetention")
        self.action_retention.setVisible(role is Role.ADMIN)
        self._connect_signals()
        self.retranslate_ui()

    def actions(self) -> list[QAction]:
        return [self.action_users, self.action_password, self.action_audit, self.action_retention]

    def _connect_signals(self) -> None:
        self.action_users.triggered.connect(self._on_users)
        self.action_password.triggered.connect(self._on_password)
        self.action_audit.triggered.connect(self._on_audit)
        self.action_retention.triggered.connect(self._on_retention)

    def retranslate_ui(self) -> None:
        self.action_users.setText(_("&Users and passwords…"))
        self.action_password.setText(_("Change my &password…"))
        self.action_audit.setText(_("Access &log…"))
        self.action_retention.setText(_("&Retention (purge)…"))

    def _open(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def _on_users(self) -> None:
        from hemlos_desktop.ui.admin.users_dialog import UsersDialog

        self._open(UsersDialog(context=self._context, parent=self._window))

    def _on_password(self) -> None:
        from hemlos_desktop.ui.admin.users_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(context=self._context, parent=self._window)
        dialog.sig_password_changed.connect(self.sig_own_password_changed)
        self.password_dialog = dialog
        self._open(dialog)

    def _on_audit(self) -> None:
        from hemlos_desktop.ui.admin.audit_viewer import AuditViewer

        self._open(AuditViewer(context=self._context, parent=self._window))

    def _on_retention(self) -> None:
        from hemlos_desktop.ui.admin.retention_dialog import RetentionDialog

        self._open(RetentionDialog(context=self._context, parent=self._window))


def install_admin_actions(window: QWidget, menu: QMenu, *, context: UiContext) -> AdminActions:
    """Add the administration entries to ``menu`` above its last action (Quit)."""
    actions = AdminActions(context=context, window=window, parent=window)
    existing = menu.actions()
    separator = QAction(menu)
    separator.setSeparator(True)
    new = [*actions.actions(), separator]
    if existing:
        menu.insertActions(existing[-1], new)
    else:
        menu.addActions(new)
    return actions
