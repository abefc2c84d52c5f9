"""One object that tells open views what a service changed, so each refreshes only that."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeNotifier(QObject):
    sig_clients_changed = Signal(list)
    """Emitted with the ids of clients whose records changed (empty list: many changed)."""

    def notify_clients(self, client_ids: list[int]) -> None:
        self.sig_clients_changed.emit(list(client_ids))
