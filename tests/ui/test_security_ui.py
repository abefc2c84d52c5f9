"""Security in the program's windows, signed in through the real sign-in dialog on an
encrypted demo database: who sees backup and restore, and a lock that holds."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from hemlos_desktop import app as app_module
from hemlos_desktop.demo.data import create_demo_database
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.services import audit
from hemlos_desktop.services.session import open_with_key
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.settings import SettingsStore
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.storage.crypto.database_file import FileKind, detect_file_kind
from hemlos_desktop.ui.admin.users_dialog import UsersDialog
from hemlos_desktop.ui.backups import install_auto_backup
from hemlos_desktop.ui.clipboard import copy_secret_to_clipboard
from hemlos_desktop.ui.language import LanguageManager
from hemlos_desktop.ui.login import LoginDialog, SetupWizard
from hemlos_desktop.ui.login.lock import LockScreen
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


def _unlock(window: MainWindow, password: str) -> None:
    screen = window.lock.lock_screen
    assert screen is not None
    screen.password_edit.setText(password)
    screen.unlock_button.click()


def test_lock_covers_every_window_and_brings_it_back_as_it_was(
    qtbot: QtBot, sign_in: SignIn
) -> None:
    window = sign_in("admin")
    users = UsersDialog(context=window.context, parent=window)
    qtbot.addWidget(users)
    users.show()
    note = QDialog(window)
    typed = QLineEdit("half a note, 19850312-", note)
    QVBoxLayout(note).addWidget(typed)
    note.show()
    qtbot.addWidget(note)
    assert users.table.isVisible() and typed.isVisible()

    window.lock.action_lock.trigger()

    assert window.lock.locked
    assert set(window.lock.covered_windows()) >= {users, note}
    assert not users.table.isVisible() and not typed.isVisible()
    _unlock(window, "wrong")
    assert window.lock.locked and not typed.isVisible()
    _unlock(window, "demo")
    assert not window.lock.locked
    assert users.table.isVisible() and typed.isVisible()
    assert typed.text() == "half a note, 19850312-"
    rows = audit.list_entries(window.context.db, window.context.actor, audit.AuditQuery())
    assert rows[0].action is AuditAction.UNLOCK


def test_lock_over_a_modal_dialog_unlocks_from_its_cover(qtbot: QtBot, sign_in: SignIn) -> None:
    window = sign_in("worker")
    dialog = QDialog(window)
    typed = QLineEdit("typed before the lock", dialog)
    QVBoxLayout(dialog).addWidget(typed)
    seen: list[bool] = []

    def lock_then_unlock() -> None:
        window.lock.lock()
        seen.append(typed.isVisible())
        cover = window.lock._covered[0].cover
        cover.password_edit.setText("demo")
        cover.unlock_button.click()
        seen.append(typed.isVisible())
        dialog.accept()

    QTimer.singleShot(0, lock_then_unlock)
    assert dialog.exec() == QDialog.DialogCode.Accepted
    assert seen == [False, True] and typed.text() == "typed before the lock"


def _label_texts_shown(window: QWidget) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel) if label.isVisible()]


def test_a_message_raised_while_locked_opens_covered(
    qtbot: QtBot, sign_in: SignIn, tmp_path: Path
) -> None:
    """A failed automatic backup raises its message from a background task; while the program
    is locked it opens behind a lock screen, and the password typed there unlocks."""
    window = sign_in("worker")
    unplugged = tmp_path / "media-usb"  # the USB stick is not there: a plain file
    unplugged.write_text("not a folder")
    auto = install_auto_backup(
        window,
        db=window.context.db,
        actor=window.context.actor,
        backup_dir=str(unplugged / "hemlos"),
    )
    auto.stop()
    window.lock.lock()
    seen: dict[str, object] = {}

    def answer_the_message() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        if "shown" not in seen:  # look on the next tick, once the box has settled
            seen["shown"] = True
            return
        if "covered" not in seen:
            seen["covered"] = box in window.lock.covered_windows()
            seen["title while locked"] = box.windowTitle()
            seen["text while locked"] = " ".join(_label_texts_shown(box))
            box.grab().save(str(tmp_path / "message-while-locked.png"))
            [cover] = [c for c in box.findChildren(LockScreen) if c.isVisible()]
            seen["focus"] = box.focusWidget() is cover.password_edit
            seen["fits"] = box.width() >= cover.sizeHint().width()
            cover.password_edit.setText("demo")
            cover.unlock_button.click()
            return
        poll.stop()
        seen["text after"] = " ".join(_label_texts_shown(box))
        seen["title after"] = box.windowTitle()
        box.grab().save(str(tmp_path / "message-after-unlock.png"))
        box.accept()

    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(answer_the_message)
    poll.start()
    with qtbot.waitSignal(auto.sig_backup_failed, timeout=10000):
        auto._on_timeout()
    poll.stop()
    auto.wait()
    assert seen["covered"] is True and seen["focus"] is True and seen["fits"] is True
    assert seen["title while locked"] == "Hemlös Desktop"
    assert "USB" not in str(seen["text while locked"])
    assert "Locked" in str(seen["text while locked"])
    assert "USB" in str(seen["text after"]) and seen["title after"] != "Hemlös Desktop"
    assert not window.lock.locked


def test_a_window_opened_while_locked_stays_covered_until_unlock(
    qtbot: QtBot, sign_in: SignIn
) -> None:
    window = sign_in("admin")
    window.lock.lock()
    note = QDialog(window)
    note.setWindowTitle("Åsa Öberg")
    typed = QLineEdit("19850312-1237", note)
    QVBoxLayout(note).addWidget(typed)
    qtbot.addWidget(note)
    note.show()  # e.g. a reminder raised by a timer
    assert note in window.lock.covered_windows()
    qtbot.waitUntil(lambda: not typed.isVisible())
    assert note.isVisible()
    assert note.windowTitle() == "Hemlös Desktop"
    # A window that opens and closes for good while locked (a finished task's progress
    # dialog) leaves nothing behind that breaks the unlock.
    gone = QDialog(window)
    gone.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    gone.show()
    assert gone in window.lock.covered_windows()
    with qtbot.waitSignal(gone.destroyed, timeout=5000):
        gone.close()
    _unlock(window, "demo")
    assert not window.lock.locked
    assert typed.isVisible() and typed.text() == "19850312-1237"
    assert note.windowTitle() == "Åsa Öberg"
    # Unlocked, windows open as usual.
    later = QDialog(window)
    qtbot.addWidget(later)
    later.show()
    assert later not in window.lock.covered_windows()


def test_a_missing_or_foreign_key_file_never_unlocks(
    qtbot: QtBot, sign_in: SignIn, demo: DataLocation, tmp_path: Path
) -> None:
    window = sign_in("admin")
    window.lock.lock()
    own = demo.keyslots.read_bytes()
    demo.keyslots.unlink()
    for password in ("demo", "anything"):
        _unlock(window, password)
        assert window.lock.locked
    other = DataLocation(tmp_path / "other")
    create_demo_database(other, clients=0, params=TEST_PARAMS)  # its admin's password: demo
    demo.keyslots.write_bytes(other.keyslots.read_bytes())
    _unlock(window, "demo")
    assert window.lock.locked
    demo.keyslots.write_bytes(own)
    _unlock(window, "demo")
    assert not window.lock.locked


def test_a_plain_database_opens_only_to_be_encrypted(
    qtbot: QtBot, tmp_path: Path, languages: LanguageManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = DataLocation(tmp_path / "old")
    open_workspace(location).dispose()  # a database from before encryption
    shown: list[SetupWizard] = []

    def fake_exec(wizard: SetupWizard) -> int:
        shown.append(wizard)
        assert "before encryption" in wizard.intro_label.text()
        wizard.user_edit.setText("boss")
        wizard.name_edit.setText("The Boss")
        wizard.password_edit.setText("a long enough password")
        wizard.repeat_edit.setText("a long enough password")
        wizard.create_button.click()
        wizard.stored_check.setChecked(True)
        wizard.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        return int(wizard.result())

    monkeypatch.setattr(SetupWizard, "exec", fake_exec)
    monkeypatch.delenv("HEMLOS_USER", raising=False)
    args = argparse.Namespace(demo=False, data_dir=str(location.folder))
    found = app_module.sign_in(args, location, languages)
    assert shown and found is not None and found[0] == "boss" and found[1] is not None
    assert detect_file_kind(location.database) is FileKind.ENCRYPTED


def test_the_recovery_key_leaves_the_clipboard_after_a_minute(qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication

    timer = copy_secret_to_clipboard("ABCD-EFGH")
    clipboard = QGuiApplication.clipboard()
    assert clipboard.text() == "ABCD-EFGH" and timer.interval() == 60_000 and timer.isActive()
    with qtbot.waitSignal(timer.timeout, timeout=1000):
        timer.setInterval(10)
        timer.start()
    assert clipboard.text() == ""
    # Something copied meanwhile is left alone.
    later = copy_secret_to_clipboard("ABCD-EFGH")
    clipboard.setText("a note of my own")
    with qtbot.waitSignal(later.timeout, timeout=1000):
        later.setInterval(10)
        later.start()
    assert clipboard.text() == "a note of my own"


def test_password_rules_show_while_typing(qtbot: QtBot, tmp_path: Path) -> None:
    from hemlos_desktop import i18n

    i18n.set_language("sv")
    wizard = SetupWizard(location=DataLocation(tmp_path / "new"), params=TEST_PARAMS)
    qtbot.addWidget(wizard)
    wizard.user_edit.setText("vera.lind")
    qtbot.keyClicks(wizard.password_edit, "sommar")
    assert "tecken" in wizard.message_label.text()
    qtbot.keyClicks(wizard.password_edit, "2026!!!")
    assert "vanligt" in wizard.message_label.text()
    wizard.password_edit.clear()
    qtbot.keyClicks(wizard.password_edit, "vera.lind12345")
    assert "användarnamnet" in wizard.message_label.text()
    qtbot.keyClicks(wizard.password_edit, " och havet")
    assert wizard.message_label.text() == ""
    wizard.repeat_edit.setText("kort")
    wizard.password_edit.setText("kort")
    wizard.create_button.click()
    assert wizard.result_ is None  # refused, nothing created
    assert not DataLocation(tmp_path / "new").keyslots.exists()
