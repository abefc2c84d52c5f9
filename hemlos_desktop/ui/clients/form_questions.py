"""Questions the client form asks before it saves."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from hemlos_desktop.i18n import gettext as _


def ask_save_out_of_sight(parent: QWidget) -> bool:
    """Whether to save a client that the user will no longer see (neither responsible nor in
    one of their teams)."""
    answer = QMessageBox.question(
        parent,
        _("You will no longer see this client"),
        _(
            "Neither you nor your team will be responsible for this client, so the client "
            "will disappear from your list after saving. Save anyway?"
        ),
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Save
