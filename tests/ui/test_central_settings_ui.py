"""A fresh start under IT's system-wide settings file: the locked language rules the sign-in
dialog and the main window (the user's file and --lang cannot change it), and a bad key in
the file is named, with the file, in a warning while the program starts on the defaults.

Runs the real start-up (app.run_gui) on an encrypted demo database and signs in through the
real dialog."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from hemlos_desktop import app as app_module
from hemlos_desktop import i18n
from hemlos_desktop.demo.data import create_demo_database
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.ui.login import LoginDialog
from hemlos_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("fast_kdf")


def test_a_locked_language_rules_a_fresh_start(
    qtbot: QtBot, tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    monkeypatch.delenv("HEMLOS_USER", raising=False)
    monkeypatch.delenv("HEMLOS_PASSWORD", raising=False)
    location = DataLocation(tmp_path / "demo")
    create_demo_database(location, clients=3, params=TEST_PARAMS)
    site = isolated_home / "site-config" / "hemlos-desktop" / "settings.json"
    site.parent.mkdir(parents=True)
    site.write_text(
        json.dumps({"language": "da", "locked": ["language"], "auto_lock_minutes": "ten"}),
        encoding="utf-8",
    )
    user = isolated_home / "config" / "hemlos-desktop" / "settings.json"
    user.parent.mkdir(parents=True)
    user.write_text(json.dumps({"language": "en"}), encoding="utf-8")

    seen: dict[str, object] = {}

    def drive() -> None:
        for widget in QApplication.topLevelWidgets():
            if not widget.isVisible():
                continue
            if isinstance(widget, QMessageBox) and widget.objectName() == "settingsProblems":
                seen["warning"] = widget.text()
                widget.accept()
            elif isinstance(widget, LoginDialog) and "login" not in seen:
                seen["login"] = (
                    widget.language_combo.isEnabled(),
                    widget.language_combo.currentData(),
                )
                widget.user_edit.setText("admin")
                widget.password_edit.setText("demo")
                widget.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
            elif isinstance(widget, MainWindow) and widget.attached and "window" not in seen:
                seen["window"] = (
                    widget.language_group.isEnabled(),
                    widget.menu_language.title(),
                    i18n.current_language(),
                )
                widget.close()

    timer = QTimer()
    timer.timeout.connect(drive)
    timer.start(50)
    args = argparse.Namespace(lang="en", data_dir=str(location.folder), demo=False, started=0.0)
    try:
        status = app_module.run_gui(args)
    finally:
        timer.stop()
    assert status == 0
    warning = str(seen["warning"])
    assert "auto_lock_minutes" in warning and str(site) in warning
    assert seen["login"] == (False, "da")
    enabled, menu_title, language = seen["window"]  # type: ignore[misc]
    assert not enabled and language == "da"
    assert menu_title == i18n.translator_for("da").gettext("&Language")
    # The user's file never takes the locked language.
    assert "language" not in json.loads(user.read_text(encoding="utf-8"))
