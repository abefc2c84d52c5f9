"""The Clients area: the client list as the first tab, each opened case in a closable tab."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabBar, QTabWidget, QVBoxLayout, QWidget

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget
from hemlos_desktop.ui.clients.client_form import ClientFormDialog
from hemlos_desktop.ui.clients.client_list import ClientListWidget
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import run_query

log = logging.getLogger(__name__)

CaseFactory = Callable[[int], QWidget]
TAB_TITLE_MAX = 28


class ClientsPage(QWidget):
    """Client list plus one tab per opened case (built by ``case_factory``)."""

    sig_open_client = Signal(int)
    """A client's case was asked for (from the list or after registering them)."""

    def __init__(
        self,
        *,
        context: UiContext,
        case_factory: CaseFactory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clientsPage")
        self._context = context
        self._case_factory = case_factory
        self._case_tabs: dict[int, QWidget] = {}

        self.client_list = ClientListWidget(context=context)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("clientTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.addTab(self.client_list, "")
        # The list tab cannot be closed.
        self.tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)
        self.tabs.tabBar().setTabButton(0, QTabBar.ButtonPosition.LeftSide, None)
        self._shortcut_close = QShortcut(QKeySequence.StandardKey.Close, self)
        self._shortcut_close.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.client_list.sig_open_client.connect(self.open_client)
        self.client_list.sig_new_client.connect(self.register_client)
        self.client_list.sig_edit_client.connect(self.edit_client)
        self.tabs.tabCloseRequested.connect(self._on_tab_close_requested)
        self._shortcut_close.activated.connect(self._on_close_shortcut)
        self._context.notifier.subscribe(self, ChangeKind.HEADER, self._on_changed)

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, _("Client list"))
        self.tabs.setTabToolTip(0, _("Find and register clients"))
        self.tabs.setAccessibleName(_("Clients"))
        self.tabs.tabBar().setAccessibleName(_("Open case files"))
        self.setAccessibleName(_("Clients"))
        self.client_list.retranslate_ui()
        for widget in self._case_tabs.values():
            retranslate = getattr(widget, "retranslate_ui", None)
            if callable(retranslate):
                retranslate()

    # -- public -------------------------------------------------------------------------------

    def open_client(self, client_id: int) -> None:
        """Show the case of ``client_id`` in its tab (made once, focused afterwards)."""
        self.sig_open_client.emit(client_id)
        existing = self._case_tabs.get(client_id)
        if existing is not None:
            self.tabs.setCurrentWidget(existing)
            return
        if self._case_factory is None:
            return
        factory = self._case_factory
        made = run_query(self, lambda: factory(client_id))
        if made is None:
            return
        widget = made.value
        self._case_tabs[client_id] = widget
        if isinstance(widget, CaseOverviewWidget):
            # Linking an unidentified person opens the client; the person's tab then closes.
            widget.sig_open_client.connect(self.open_client)
            widget.sig_client_gone.connect(self._on_client_gone)
        index = self.tabs.addTab(widget, "")
        self._set_tab_title(client_id, index)
        self.tabs.setCurrentIndex(index)

    def open_case_ids(self) -> list[int]:
        return list(self._case_tabs)

    def close_client(self, client_id: int) -> None:
        widget = self._case_tabs.pop(client_id, None)
        if widget is None:
            return
        self.tabs.removeTab(self.tabs.indexOf(widget))
        widget.close()
        widget.deleteLater()

    def focus_search(self) -> None:
        """Ctrl+F from the area list: the list's search field."""
        self.tabs.setCurrentWidget(self.client_list)
        self.client_list.focus_search()

    def start_new(self) -> None:
        """Ctrl+N from the area list: register a client."""
        self.register_client()

    def register_client(self) -> None:
        """The registration form; a registered client is shown in the list and opened."""
        dialog = ClientFormDialog(context=self._context, parent=self)
        dialog.sig_open_existing.connect(self._on_open_existing)
        if dialog.exec() and dialog.saved_client_id is not None:
            self.client_list.select_client(dialog.saved_client_id)
            self.open_client(dialog.saved_client_id)

    def edit_client(self, client_id: int) -> None:
        made = run_query(
            self,
            lambda: ClientFormDialog(context=self._context, client_id=client_id, parent=self),
        )
        if made is None:
            return
        dialog = made.value
        dialog.sig_open_existing.connect(self._on_open_existing)
        dialog.exec()

    # -- slots --------------------------------------------------------------------------------

    def _on_open_existing(self, client_id: int) -> None:
        self.client_list.select_client(client_id)
        self.open_client(client_id)

    def _on_tab_close_requested(self, index: int) -> None:
        if index == 0:
            return
        widget = self.tabs.widget(index)
        for client_id, tab in list(self._case_tabs.items()):
            if tab is widget:
                self.close_client(client_id)

    def _on_client_gone(self, client_id: int) -> None:
        # Closed once the signal's sender is done (it is the tab being closed).
        QTimer.singleShot(0, self, lambda: self.close_client(client_id))

    def _on_close_shortcut(self) -> None:
        self._on_tab_close_requested(self.tabs.currentIndex())

    def _on_changed(self, changes: ChangeSet) -> None:
        """A name may have changed: the case tabs' titles."""
        for client_id in list(self._case_tabs):
            if not changes.touches(ChangeKind.HEADER, client_id):
                continue
            widget = self._case_tabs.get(client_id)
            if widget is not None:
                self._set_tab_title(client_id, self.tabs.indexOf(widget))

    def _set_tab_title(self, client_id: int, index: int) -> None:
        try:
            rows = client_service.fetch_rows(self._context.db, self._context.actor, [client_id])
        except HemlosError:  # a quiet tab-title refresh: the old title stays
            log.warning("could not read a client's name for its tab")
            return
        row = rows.get(client_id)
        name = row.display_name if row is not None else _("Client")
        short = name if len(name) <= TAB_TITLE_MAX else name[: TAB_TITLE_MAX - 1] + "…"
        self.tabs.setTabText(index, short.replace("&", "&&"))
        self.tabs.setTabToolTip(index, name)
