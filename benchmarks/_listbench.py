"""Shared set-up of the client-list benchmarks: the real list widget on an encrypted register.

The list is the program's own ``ClientListWidget`` (item model, view, header, background
search) on a cached encrypted demo database opened through the sign-in use case, as a
caseworker (the visibility rule applies). ``painted`` forces the view to paint now, so a time
taken after it includes the paint.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from _clientdb import demo_location, offscreen


def open_list(clients: int, *, username: str = "worker") -> tuple[Any, Any, Any]:
    """(QApplication, ClientListWidget, Database) for a register of ``clients``."""
    offscreen()
    from PySide6.QtWidgets import QApplication

    from hemlos_desktop import i18n
    from hemlos_desktop.demo.data import open_demo
    from hemlos_desktop.settings import Settings
    from hemlos_desktop.ui.change_notifier import ChangeNotifier
    from hemlos_desktop.ui.clients import ClientListWidget
    from hemlos_desktop.ui.context import UiContext

    location = demo_location(clients)
    i18n.set_language("sv")
    app = QApplication.instance() or QApplication([])
    db, actor = open_demo(location, username=username)
    context = UiContext(db=db, actor=actor, notifier=ChangeNotifier(), settings=Settings())
    widget = ClientListWidget(context=context)
    widget.resize(1280, 800)
    widget.show()
    painted(app, widget)
    from hemlos_desktop.ui.warmup import settle_after_start

    settle_after_start()  # as the program does once its first list is painted
    return app, widget, db


def paint_count(widget: Any) -> int:
    """How often the list's viewport has painted so far (take it when an action starts)."""
    viewport = widget.view.viewport()
    counter = _PAINTS.get(id(viewport))
    if counter is None:
        counter = _PAINTS[id(viewport)] = _paint_counter(viewport)
    return int(counter.count)


def painted(app: Any, widget: Any, since: int | None = None) -> None:
    """Let Qt handle what is pending (a changed list repaints itself there). Unless the view
    has painted since ``paint_count()`` returned ``since``, paint it now."""
    app.processEvents()
    if since is None or paint_count(widget) == since:
        widget.view.viewport().repaint()


_PAINTS: dict[int, Any] = {}


def _paint_counter(viewport: Any) -> Any:
    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        count = 0

        def eventFilter(self, _watched: Any, event: Any) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    counter = PaintCounter(viewport)
    viewport.installEventFilter(counter)
    return counter


def timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def wait_for_search(app: Any, widget: Any) -> None:
    """Until the newest search is shown whole (the rest of a long result read too)."""
    _wait_until(app, lambda: not widget.is_searching())


def wait_for_first_page(app: Any, widget: Any) -> None:
    """Until the newest search's first page is in the list: what the person sees."""
    _wait_until(app, widget.shows_newest_first_page)


def _wait_until(app: Any, done: Callable[[], bool]) -> None:
    """Handle events until ``done()``, sleeping in Qt's event loop in between as the program's
    own loop does (a loop that polls would hold the GIL that the background search needs).
    A timer wakes the loop now and then in case the awaited event never came."""
    from PySide6.QtCore import QEventLoop, QTimer

    waker = QTimer()
    waker.start(20)
    try:
        while not done():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finally:
        waker.stop()
