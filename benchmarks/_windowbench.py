"""The real main window on a cached encrypted demo register, for the benchmarks that time
what a person does in it (open case files, scroll the list).

Signed in through the sign-in use case (the data key unwrapped from the key file), with
settings in a temporary folder; the Clients area is shown. ``open_case`` opens a case file as
a double-click in the list does (the logged "viewed" use case, then the case widget with its
rating, plan and team panels in a tab) and returns once the tab has painted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from _clientdb import demo_location, offscreen


def open_window(clients: int, *, username: str = "worker") -> tuple[Any, Any, Any]:
    """(QApplication, MainWindow, Database) with the Clients area shown."""
    offscreen()
    from PySide6.QtWidgets import QApplication

    from hemlos_desktop import i18n
    from hemlos_desktop.demo.data import open_demo
    from hemlos_desktop.settings import Settings, SettingsStore
    from hemlos_desktop.ui.language import LanguageManager
    from hemlos_desktop.ui.main_window import MainWindow

    location = demo_location(clients)
    i18n.set_language("sv")
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-settings-"))
    store = SettingsStore(folder, [])
    languages = LanguageManager(app)
    languages.apply("sv")
    window = MainWindow(settings=Settings(), settings_store=store, languages=languages)
    window.resize(1280, 800)
    window.show()
    db, actor = open_demo(location, username=username)
    window.attach(db=db, actor=actor)
    window.show_area("clients")
    app.processEvents()
    from hemlos_desktop.ui.warmup import settle_after_start

    settle_after_start()  # as the program does once its first list is painted
    return app, window, db


def clients_page(window: Any) -> Any:
    return window.pages["clients"]


def open_case(app: Any, window: Any, client_id: int) -> None:
    """Open the case file of ``client_id`` in its tab and let it paint."""
    page = clients_page(window)
    page.open_client(client_id)
    app.processEvents()
    page.tabs.currentWidget().repaint()


def close_cases(app: Any, window: Any) -> None:
    page = clients_page(window)
    for client_id in page.open_case_ids():
        page.close_client(client_id)
    app.processEvents()
