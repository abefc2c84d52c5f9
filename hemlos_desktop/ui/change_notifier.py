"""One object that tells open views what a use case changed, and who asked for it.

The operation runner (``ui/operations.py``) publishes every change set a service returns,
with the view that started the action as its initiator. A view subscribes to the kinds of data
it shows; its handler is called only for change sets that touch those kinds, and never for the
view's own actions (it has updated itself already):

    context.notifier.subscribe(self, {ChangeKind.JOURNAL}, self._on_changed)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.JOURNAL, self._client_id):
            self.load_entries()

The subscription ends when the view is destroyed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal

from hemlos_desktop.services.changes import ChangeKind, ChangeSet

Handler = Callable[[ChangeSet], None]


class _Subscription(QObject):
    """Lives as a child of the subscribing view, so it goes away with it."""

    def __init__(self, view: QObject, kinds: frozenset[ChangeKind], handler: Handler) -> None:
        super().__init__(view)
        self._view = view
        self._kinds = kinds
        self._handler = handler

    def deliver(self, changes: object, initiator: object) -> None:
        if not isinstance(changes, ChangeSet) or initiator is self._view:
            return
        if changes.touches(self._kinds):
            self._handler(changes)


class ChangeNotifier(QObject):
    sig_changed = Signal(object, object)
    """Emitted with (ChangeSet, initiator): what changed, and the view that did it (or None)."""

    def publish(self, changes: ChangeSet, initiator: QObject | None = None) -> None:
        """Tell every subscribed view what changed (nothing happens for an empty change set)."""
        if not changes.empty:
            self.sig_changed.emit(changes, initiator)

    def subscribe(
        self, view: QObject, kinds: ChangeKind | Iterable[ChangeKind], handler: Handler
    ) -> None:
        """Call ``handler(changes)`` for change sets touching ``kinds`` not started by ``view``."""
        wanted = frozenset((kinds,) if isinstance(kinds, ChangeKind) else kinds)
        subscription = _Subscription(view, wanted, handler)
        self.sig_changed.connect(subscription.deliver)
