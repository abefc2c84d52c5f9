"""The start on an encrypted register: the sign-in dialog alone first, the main window (built
while the password is typed) after it, with the register open in it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from encrypted import PASSWORD, USER, ensure_encrypted
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from hemlos_desktop import app as app_module
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.ui import errors as ui_errors
from hemlos_desktop.ui.main_window import MainWindow


def _visible(name: str) -> list[Any]:
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]


@pytest.mark.slow
def test_the_dialog_comes_first_and_the_window_opens_after_the_password(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_kdf: None
) -> None:
    location = DataLocation(tmp_path / "data")
    location.folder.mkdir()
    ensure_encrypted(location)
    for name in ("HEMLOS_USER", "HEMLOS_PASSWORD", "HEMLOS_EXIT_AFTER_SHOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(ui_errors, "install_excepthook", lambda: None)
    monkeypatch.setattr(ui_errors, "install_qt_message_handler", lambda: None)
    seen: dict[str, Any] = {}

    def at_the_dialog() -> None:
        dialogs = _visible("loginDialog")
        if not dialogs:
            QTimer.singleShot(20, at_the_dialog)
            return
        dialog = dialogs[0]
        seen["main window shown with the dialog"] = bool(_visible("mainWindow"))
        dialog.user_edit.setText(USER)
        dialog.password_edit.setText("wrong")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        seen["after a wrong password"] = dialog.message_label.text()
        dialog.password_edit.setText(PASSWORD)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        QTimer.singleShot(0, in_the_window)

    def in_the_window() -> None:
        windows = _visible("mainWindow")
        if not windows or not windows[0].attached:
            QTimer.singleShot(20, in_the_window)
            return
        window = windows[0]
        seen["area"] = window.current_area().key
        seen["clients listed"] = window.pages["clients"].client_list.model.rowCount()
        app = QApplication.instance()
        assert app is not None
        QTimer.singleShot(50, app.quit)

    QTimer.singleShot(0, at_the_dialog)
    args = argparse.Namespace(lang="en", data_dir=str(location.folder), demo=False, started=0.0)
    try:
        assert app_module.run_gui(args) == 0
    finally:  # the program's window ends with its process; here the next test goes on
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow):
                window.lock.idle.stop()
                window.close()
                window.deleteLater()
        qtbot.wait(10)
    assert seen["main window shown with the dialog"] is False
    assert seen["after a wrong password"]  # the dialog said so and stayed
    assert seen["area"] == "clients"
    assert seen["clients listed"] == 0  # a new register
