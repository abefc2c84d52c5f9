"""One object that tells open views what a service changed, so each refreshes only that."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from hemlos_desktop.services.changes import Changes


class ChangeNotifier(QObject):
    sig_clients_changed = Signal(list)
    """Emitted with the ids of clients whose records changed (empty list: many changed)."""

    def notify_clients(self, client_ids: list[int]) -> None:
        self.sig_clients_changed.emit(list(client_ids))

    def notify(self, changes: Changes) -> None:
        """Pass on what a service reports as changed."""
        self.notify_clients([] if changes.everything else sorted(changes.client_ids))
