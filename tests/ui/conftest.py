"""Building the real main window on a test database, with settings in the test's own folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from office import Office, build_office
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hemlos_desktop import i18n
from hemlos_desktop.services.session import SignedIn
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.settings import SettingsStore
from hemlos_desktop.storage import Database, DataLocation
from hemlos_desktop.ui.language import LanguageManager
from hemlos_desktop.ui.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def settings_store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "config", site_folders=[tmp_path / "site"])


@pytest.fixture
def languages(qapp: QApplication) -> Iterator[LanguageManager]:
    manager = LanguageManager(qapp)
    yield manager
    manager.apply("en")
    i18n.set_pseudo(False)


@pytest.fixture
def make_window(
    qtbot: object, db: Database, settings_store: SettingsStore, languages: LanguageManager
) -> Iterator[WindowFactory]:
    """Build (and later close) main windows the way ``app.run_gui`` does."""
    windows: list[MainWindow] = []

    def make(*, language: str = "en", demo: bool = False, show: bool = True) -> MainWindow:
        settings = settings_store.load()
        settings.language = language
        languages.apply(settings.language)
        window = MainWindow(
            db=db,
            actor=ensure_local_actor(db),
            settings=settings,
            settings_store=settings_store,
            languages=languages,
            demo=demo,
        )
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        windows.append(window)
        if show:
            window.show()
            window.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # type: ignore[attr-defined]
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def office(
    qtbot: QtBot,
    tmp_path: Path,
    settings_store: SettingsStore,
    languages: LanguageManager,
    fast_kdf: None,
) -> Iterator[Office]:
    """An encrypted database with a team lead (``lead``) and caseworkers (``worker`` in the
    first team, ``other`` in the second) and four clients of the first team; sign in with
    ``office.sign_in(username)`` through the real sign-in dialog."""
    built = build_office(DataLocation(tmp_path / "office"), settings_store, languages, qtbot)
    yield built
    built.close()


@pytest.fixture
def signed_in(office: Office) -> SignedIn:
    """The office's administrator, signed in through the real sign-in dialog on the encrypted
    database (no window yet; a test module may define its own ``signed_in`` instead)."""
    return office.unlock("admin")


@pytest.fixture
def window(office: Office, signed_in: SignedIn) -> MainWindow:
    """The main window on ``signed_in``'s session, shown (closed with the office)."""
    return office.open_window(signed_in)
