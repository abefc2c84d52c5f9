"""Security in the program's windows, signed in through the real sign-in dialog on an
encrypted demo database: who sees backup and restore, and a lock that holds."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from hemlos_desktop import app as app_module
from hemlos_desktop.services.demo_data import create_demo_database
from hemlos_desktop.services.session import open_with_key
from hemlos_desktop.settings import SettingsStore
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.ui.language import LanguageManager
from hemlos_desktop.ui.login import LoginDialog
from hemlos_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("fast_kdf")

SignIn = Callable[[str], MainWindow]


@pytest.fixture
def demo(tmp_path: Path) -> DataLocation:
    location = DataLocation(tmp_path / "demo")
    create_demo_database(location, clients=0, params=TEST_PARAMS)
    return location


@pytest.fixture
def sign_in(
    qtbot: QtBot,
    demo: DataLocation,
    languages: LanguageManager,
    settings_store: SettingsStore,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[SignIn]:
    """Sign in as a demo account by typing into the real sign-in dialog; open the window."""
    windows: list[MainWindow] = []
    monkeypatch.delenv("HEMLOS_USER", raising=False)
    monkeypatch.delenv("HEMLOS_PASSWORD", raising=False)

    def run(username: str) -> MainWindow:
        def fake_exec(dialog: LoginDialog) -> int:
            dialog.user_edit.setText(username)
            dialog.password_edit.setText("demo")
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
            return int(dialog.result())

        monkeypatch.setattr(LoginDialog, "exec", fake_exec)
        args = argparse.Namespace(demo=True, data_dir=str(demo.folder))
        found = app_module.sign_in(args, demo, languages)
        assert found is not None
        signed_in = open_with_key(demo, found[0], found[1])
        window = MainWindow(
            db=signed_in.db,
            actor=signed_in.actor,
            settings=settings_store.load(),
            settings_store=settings_store,
            languages=languages,
            demo=True,
        )
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield run
    for window in windows:
        window.close()
        window.context.db.dispose()


@pytest.mark.parametrize(
    ("username", "may_back_up", "may_restore"),
    [("admin", True, True), ("lead", True, False), ("worker", False, False)],
)
def test_backup_and_restore_in_the_file_menu_follow_the_role(
    sign_in: SignIn, username: str, may_back_up: bool, may_restore: bool
) -> None:
    window = sign_in(username)
    actions = window.backup_actions
    assert actions.action_backup_now.isVisible() is may_back_up
    assert actions.action_restore.isVisible() is may_restore
