"""File-menu actions for the client register: "Import clients…" and "Export clients…".

The main window adds them with one call::

    self.client_actions = install_client_actions(self, self.menu_file, context=self.context)
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.ui.clients.import_export import (
    export_clients_interactive,
    import_clients_interactive,
)
from hemlos_desktop.ui.context import UiContext


class ClientActions(QObject):
    """Owns the import and export actions of the client register."""

    def __init__(
        self, *, context: UiContext, window: QWidget, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._window = window
        self.action_import = QAction(self)
        self.action_import.setObjectName("actionImportClients")
        self.action_import.setEnabled(context.actor.can_write)
        self.action_export = QAction(self)
        self.action_export.setObjectName("actionExportClients")
        self._connect_signals()
        self.retranslate_ui()
        window.installEventFilter(self)

    def _connect_signals(self) -> None:
        self.action_import.triggered.connect(self._on_import_triggered)
        self.action_export.triggered.connect(self._on_export_triggered)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        return super().eventFilter(watched, event)

    def retranslate_ui(self) -> None:
        self.action_import.setText(_("&Import clients…"))
        self.action_import.setStatusTip(_("Register clients from a CSV or Excel file"))
        self.action_export.setText(_("&Export clients…"))
        self.action_export.setStatusTip(_("Save the clients you may see as a CSV or Excel file"))

    def _on_import_triggered(self) -> None:
        import_clients_interactive(self._window, self._context)

    def _on_export_triggered(self) -> None:
        export_clients_interactive(self._window, self._context)


def install_client_actions(window: QWidget, menu: QMenu, *, context: UiContext) -> ClientActions:
    """Add the import and export actions at the top of ``menu``, followed by a separator."""
    actions = ClientActions(context=context, window=window, parent=window)
    separator = QAction(menu)
    separator.setSeparator(True)
    new = [actions.action_import, actions.action_export, separator]
    existing = menu.actions()
    if existing:
        menu.insertActions(existing[0], new)
    else:
        menu.addActions(new)
    return actions
