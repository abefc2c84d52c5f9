"""Loading what the signed-in program needs while the sign-in dialog waits for the password.

The sign-in dialog is painted before the database layer is imported (a start as quick as a bare
window). While the person types, a background thread imports the key store, SQLAlchemy, the
models (mappers configured), Babel's data for the language and the services that opening the
register and its client list use; after it, the GUI thread imports the main window's modules
one at a time between events, so the dialog keeps answering keys. Nothing here opens a file
or creates a Qt object outside the GUI thread.

The GUI thread imports nothing of its own while the thread runs (two threads importing modules
that import each other can deadlock): what would import waits for :meth:`Warmup.wait` first.
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)

BACKGROUND_MODULES: tuple[str, ...] = (
    "hemlos_desktop.storage.crypto.keystore",
    "hemlos_desktop.storage.crypto.revocation",
    "hemlos_desktop.models",
    "hemlos_desktop.services.session",
    "hemlos_desktop.services.workspace",
    "hemlos_desktop.services.users",
    "hemlos_desktop.services.clients",
    "hemlos_desktop.services.case_overview",
    "hemlos_desktop.services.plan_due",
    "hemlos_desktop.services.backups",
)
"""Imported in the background thread: no Qt in any of them."""

GUI_MODULES: tuple[str, ...] = (
    "hemlos_desktop.ui.main_window",
    "hemlos_desktop.ui.context",
    "hemlos_desktop.ui.clients",
    "hemlos_desktop.ui.clients.case_overview",
    "hemlos_desktop.ui.clients.actions",
    "hemlos_desktop.ui.plans.due_status",
    "hemlos_desktop.ui.admin",
    "hemlos_desktop.ui.backups",
    "hemlos_desktop.ui.login.lock",
    "hemlos_desktop.ui.sync",
)
"""Imported on the GUI thread after the background thread, one per turn of the event loop
(they define widgets)."""


# The garbage collector during the start: the start makes a million long-lived objects (modules,
# classes, the ORM's mappers, Qt's wrappers), and each full pass over them took a quarter of a
# second at start-up (once on the way from the password to the list). Fewer passes while
# starting, then the start's objects are frozen (left out of later passes), so that a pass while
# the person types costs milliseconds.
# (Afterwards Python's usual thresholds: small, frequent passes keep every pause short.)
START_THRESHOLDS = (50_000, 20, 100)


class _Collector:
    usual: tuple[int, int, int] | None = None


def collect_less_while_starting() -> None:
    if _Collector.usual is None:
        _Collector.usual = gc.get_threshold()
    gc.set_threshold(*START_THRESHOLDS)


def settle_after_start() -> None:
    """Once the first list is painted: freeze what the start made, the usual passes again."""
    gc.freeze()
    if _Collector.usual is not None:
        gc.set_threshold(*_Collector.usual)


def _configure_mappers() -> None:
    from sqlalchemy.orm import configure_mappers

    configure_mappers()


def _compile_list_statements() -> None:
    """Compile the statements on the way to the client list once, with SQLite's dialect and
    their cache keys: the first compile of each kind of construct and column fills caches that
    SQLAlchemy keeps for the whole process (the database's own compile then takes less)."""
    from sqlalchemy import select
    from sqlalchemy.dialects import sqlite

    from hemlos_desktop.models import Base
    from hemlos_desktop.models.people import Role
    from hemlos_desktop.services.actor import Actor
    from hemlos_desktop.services.client_rows import rows_statement
    from hemlos_desktop.services.clients import ClientQuery, build_search

    dialect = sqlite.dialect()
    placeholder = Actor(
        user_id=0, username="", display_name="", role=Role.CASEWORKER, team_ids=frozenset({0})
    )
    statements: list[Any] = [select(mapper.class_) for mapper in Base.registry.mappers]
    statements += [
        build_search(placeholder, ClientQuery()).limit(1),
        build_search(placeholder, ClientQuery(text="warm")).limit(1),
        rows_statement(placeholder, [0]),
    ]
    for stmt in statements:
        stmt._generate_cache_key()  # noqa: SLF001 - what execution does first
        stmt.compile(dialect=dialect)


def _load_locale_data() -> None:
    """Babel's data for the language shown (the list's count is the first number formatted:
    reading the data takes longer than building the list)."""
    import datetime as dt

    from hemlos_desktop import i18n

    translator = i18n.active()
    translator.format_number(1)
    translator.format_date(dt.date.today())


class Warmup(QObject):
    """Runs the background imports, then the GUI-thread imports, then ``then`` (if given)."""

    sig_done = Signal()
    """Everything is loaded (emitted on the GUI thread)."""

    _sig_background_done = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._pending = list(GUI_MODULES)
        self._done = False
        self._sig_background_done.connect(self._import_next_gui_module)

    @property
    def done(self) -> bool:
        return self._done

    def start(self) -> None:
        """Start the background thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="hemlos-warmup", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            for name in BACKGROUND_MODULES:
                importlib.import_module(name)
                time.sleep(0)  # the GUI thread may take the GIL between two modules
            _configure_mappers()
            _compile_list_statements()
            _load_locale_data()
        except Exception as exc:  # the start imports them again and reports a failure there
            log.warning("loading in the background failed: %s", type(exc).__name__)
        self._sig_background_done.emit()

    def _import_next_gui_module(self) -> None:
        if self._pending:
            name = self._pending.pop(0)
            try:
                importlib.import_module(name)
            except Exception as exc:  # as above: reported where the start needs the module
                log.warning("loading %s failed: %s", name, type(exc).__name__)
            QTimer.singleShot(0, self, self._import_next_gui_module)
            return
        self._finished()

    def _finished(self) -> None:
        if not self._done:
            self._done = True
            gc.freeze()  # what the loading made lives as long as the program
            self.sig_done.emit()

    def wait(self) -> None:
        """Until the background thread has finished (the GUI thread may import again)."""
        if self._thread is not None:
            self._thread.join()

    def finish_now(self) -> None:
        """Run whatever is left at once, here on the GUI thread."""
        self.start()
        self.wait()
        for name in self._pending:
            importlib.import_module(name)
        self._pending.clear()
        self._finished()


def when_done(warmup: Warmup, callback: Callable[[], None]) -> None:
    """Call ``callback`` once ``warmup`` is done (at once if it is)."""
    if warmup.done:
        callback()
    else:
        warmup.sig_done.connect(callback)
