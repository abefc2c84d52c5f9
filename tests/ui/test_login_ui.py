"""Sign-in dialog, first-start wizard, lock screen, administration dialogs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from clientworld import World, pnr
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from hemlos_desktop.services.session import SignedIn
from hemlos_desktop.services.setup import create_administrator
from hemlos_desktop.settings import SettingsStore
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.ui.admin.audit_viewer import AuditViewer
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.language import LanguageManager
from hemlos_desktop.ui.login import LoginDialog, SetupWizard
from hemlos_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("fast_kdf")


@pytest.fixture
def signed_in(tmp_path: Path) -> Iterator[SignedIn]:
    location = DataLocation(tmp_path / "enc")
    result = create_administrator(
        location, username="anna", display_name="Anna Admin", password="pw", params=TEST_PARAMS
    )
    yield result.signed_in
    result.signed_in.db.dispose()


def _ok(dialog: LoginDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_login_dialog_wrong_then_right_password(qtbot: QtBot, signed_in: SignedIn) -> None:
    location = signed_in.db.location
    dialog = LoginDialog(location=location, params=TEST_PARAMS)
    qtbot.addWidget(dialog)
    dialog.user_edit.setText("anna")
    dialog.password_edit.setText("nope")
    _ok(dialog)
    assert dialog.data_key is None
    assert "password" in dialog.message_label.text().lower()
    assert dialog.password_edit.text() == ""
    dialog.password_edit.setText("pw")
    with qtbot.waitSignal(dialog.sig_unlocked):
        _ok(dialog)
    assert dialog.data_key == signed_in.data_key and dialog.username == "anna"


def test_login_dialog_shows_the_wait_after_failures(qtbot: QtBot, signed_in: SignedIn) -> None:
    dialog = LoginDialog(location=signed_in.db.location, params=TEST_PARAMS)
    qtbot.addWidget(dialog)
    dialog.user_edit.setText("anna")
    for _attempt in range(3):
        dialog.password_edit.setText("nope")
        _ok(dialog)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert "Try again in" in dialog.message_label.text()


def test_login_dialog_demo_hint_and_prefill(qtbot: QtBot, signed_in: SignedIn) -> None:
    dialog = LoginDialog(
        location=signed_in.db.location, username="admin", demo=True, params=TEST_PARAMS
    )
    qtbot.addWidget(dialog)
    assert dialog.user_edit.text() == "admin" and dialog.password_edit.text() == ""
    assert not dialog.demo_label.isHidden() and "demo" in dialog.demo_label.text()
    plain = LoginDialog(location=signed_in.db.location, params=TEST_PARAMS)
    qtbot.addWidget(plain)
    assert plain.demo_label.isHidden()


def test_setup_wizard_needs_the_recovery_key_acknowledged(qtbot: QtBot, tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "new")
    wizard = SetupWizard(location=location, params=TEST_PARAMS)
    qtbot.addWidget(wizard)
    wizard.user_edit.setText("Boss")
    wizard.name_edit.setText("The Boss")
    wizard.password_edit.setText("a long pass phrase")
    wizard.repeat_edit.setText("b")
    wizard.create_button.click()
    assert wizard.result_ is None and wizard.message_label.text()
    wizard.repeat_edit.setText("a long pass phrase")
    wizard.create_button.click()
    assert wizard.result_ is not None
    assert wizard.pages.currentIndex() == 1
    assert wizard.recovery_text.toPlainText() == wizard.result_.recovery_key
    ok = wizard.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    wizard.show()
    wizard.reject()  # cannot be dismissed before the key is acknowledged (Escape, close)
    assert wizard.isVisible()
    wizard.stored_check.setChecked(True)
    assert ok.isEnabled()
    wizard.result_.signed_in.db.dispose()
    assert location.keyslots.is_file()


@pytest.fixture
def window(
    qtbot: QtBot,
    signed_in: SignedIn,
    settings_store: SettingsStore,
    languages: LanguageManager,
) -> Iterator[MainWindow]:
    win = MainWindow(
        db=signed_in.db,
        actor=signed_in.actor,
        settings=settings_store.load(),
        settings_store=settings_store,
        languages=languages,
    )
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_lock_and_unlock_keep_typed_text(qtbot: QtBot, window: MainWindow) -> None:
    page = window.pages["clients"]
    typed = QLineEdit(page)
    typed.setText("half a sentence")
    typed.show()
    assert typed.isVisible()
    content = window.centralWidget()
    window.lock.action_lock.trigger()
    assert window.lock.locked and window.centralWidget() is not content
    assert not typed.isVisible()
    screen = window.lock.lock_screen
    assert screen is not None
    screen.password_edit.setText("wrong")
    screen.unlock_button.click()
    assert window.lock.locked and screen.message_label.text()
    screen.password_edit.setText("pw")
    screen.unlock_button.click()
    assert not window.lock.locked
    assert window.centralWidget() is content
    assert typed.text() == "half a sentence" and typed.isVisible()


def test_idle_time_locks_the_window(qtbot: QtBot, window: MainWindow) -> None:
    assert window.lock.idle.timer.interval() == 10 * 60_000
    window.lock.idle.timer.setInterval(50)
    window.lock.idle.timer.start()
    qtbot.waitUntil(lambda: window.lock.locked, timeout=3000)


def test_ctrl_l_is_in_the_file_menu(window: MainWindow) -> None:
    assert window.lock.action_lock in window.menu_file.actions()
    assert window.lock.action_lock.shortcut().toString() == "Ctrl+L"
    assert window.admin_actions.action_users.isVisible()


def test_window_title_holds_nothing_personal(window: MainWindow) -> None:
    assert window.windowTitle() == "Hemlös Desktop"
    assert "Anna" not in window.windowTitle()


def test_audit_viewer_filters_and_model(qtbot: QtBot, world: World, qtmodeltester: object) -> None:
    a = world.add("Ada", "A", number=pnr(dt.date(1960, 1, 1)), team=world.team_a, by="anna")
    world.add("Bo", "B", number=pnr(dt.date(1961, 1, 1)), team=world.team_b, by="bo")
    context = UiContext(
        db=world.db, actor=world.actors["admin"], notifier=ChangeNotifier(), settings=_settings()
    )
    viewer = AuditViewer(context=context)
    qtbot.addWidget(viewer)
    qtmodeltester.check(viewer.model)  # type: ignore[attr-defined]
    everything = viewer.model.rowCount()
    assert everything >= 2
    viewer.user_combo.setCurrentIndex(viewer.user_combo.findData(world.actors["anna"].user_id))
    viewer.search()
    assert 0 < viewer.model.rowCount() < everything
    assert {viewer.model.index(r, 1).data() for r in range(viewer.model.rowCount())} == {"anna"}
    viewer.user_combo.setCurrentIndex(0)
    viewer.number_edit.setText(pnr(dt.date(1960, 1, 1)))
    viewer.search()
    shown = {viewer.model.index(r, 2).data() for r in range(viewer.model.rowCount())}
    assert shown == {str(a)}
    viewer.number_edit.setText("")
    viewer.until_check.setChecked(True)
    viewer.until_edit.setDate(viewer.until_edit.date().addYears(-5))
    viewer.search()
    assert viewer.model.rowCount() == 0
    qtmodeltester.check(viewer.model)  # type: ignore[attr-defined]
    assert viewer.model.headerData(0, Qt.Orientation.Horizontal) == "Time"


def _settings():  # noqa: ANN202
    from hemlos_desktop.settings import Settings

    return Settings()


def test_forgot_password_resets_with_the_recovery_key(qtbot: QtBot, tmp_path: Path) -> None:
    from hemlos_desktop.ui.login import RecoveryResetDialog

    location = DataLocation(tmp_path / "r")
    result = create_administrator(
        location, username="anna", display_name="Anna", password="lost", params=TEST_PARAMS
    )
    result.signed_in.db.dispose()
    dialog = RecoveryResetDialog(location=location, username="anna", params=TEST_PARAMS)
    qtbot.addWidget(dialog)
    dialog.recovery_edit.setText("AAAA-BBBB")
    dialog.password_edit.setText("new pass phrase")
    dialog.repeat_edit.setText("new pass phrase")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.data_key is None and dialog.message_label.text()
    dialog.recovery_edit.setText(result.recovery_key)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.data_key == result.signed_in.data_key
    login = LoginDialog(location=location, params=TEST_PARAMS)
    qtbot.addWidget(login)
    login.user_edit.setText("anna")
    login.password_edit.setText("new pass phrase")
    _ok(login)
    assert login.data_key == result.signed_in.data_key


def test_users_dialog_creates_and_deactivates(
    qtbot: QtBot, window: MainWindow, signed_in: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemlos_desktop.services import session as session_service
    from hemlos_desktop.ui.admin.users_dialog import NewUserDialog, UsersDialog

    dialog = UsersDialog(context=window.context)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    new = NewUserDialog(context=window.context)
    qtbot.addWidget(new)
    new.user_edit.setText("Bo")
    new.name_edit.setText("Bo B")
    new.password_edit.setText("bo-pw ocean lantern")
    new.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert new.result() == 1
    dialog.refresh()
    assert dialog.table.rowCount() == 2
    key = session_service.unlock_key(
        signed_in.db.location, "bo", "bo-pw ocean lantern", params=TEST_PARAMS
    )
    assert key == signed_in.data_key
    bo_row = next(r for r in range(2) if dialog.table.item(r, 0).text() == "bo")  # type: ignore[union-attr]
    dialog.table.selectRow(bo_row)
    dialog.deactivate_button.click()
    assert dialog.table.item(bo_row, 3).text() == "no"  # type: ignore[union-attr]


def test_retention_dialog_shows_rules_and_preview(qtbot: QtBot, window: MainWindow) -> None:
    from hemlos_desktop.ui.admin.retention_dialog import RetentionDialog

    dialog = RetentionDialog(context=window.context)
    qtbot.addWidget(dialog)
    assert dialog.closed_spin.value() == 5
    assert dialog.table.rowCount() == 0
    dialog.closed_spin.setValue(7)
    dialog.save_button.click()
    from hemlos_desktop.services import retention

    assert retention.get_rules(window.context.db).closed_case_years == 7


def test_start_up_sign_in_on_the_demo_database(
    qtbot: QtBot,
    tmp_path: Path,
    languages: LanguageManager,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import argparse

    from hemlos_desktop import app as app_module
    from hemlos_desktop.demo.data import create_demo_database

    location = DataLocation(tmp_path / "demo")
    create_demo_database(location, clients=0, params=TEST_PARAMS)
    seen: list[LoginDialog] = []

    def fake_exec(dialog: LoginDialog) -> int:
        seen.append(dialog)
        dialog.password_edit.setText("demo")
        _ok(dialog)
        return int(dialog.result())

    monkeypatch.setattr(LoginDialog, "exec", fake_exec)
    monkeypatch.delenv("HEMLOS_PASSWORD", raising=False)
    args = argparse.Namespace(demo=True, data_dir=str(location.folder))
    found = app_module.sign_in(args, location, languages)
    assert found is not None and found[0] == "admin" and found[1] is not None
    assert seen[0].user_edit.text() == "admin" and not seen[0].demo_label.isHidden()
    # With both variables set, no dialog is shown.
    monkeypatch.setenv("HEMLOS_USER", "worker")
    monkeypatch.setenv("HEMLOS_PASSWORD", "demo")
    assert app_module.sign_in(args, location, languages) == ("worker", found[1], "demo")
    assert len(seen) == 1
