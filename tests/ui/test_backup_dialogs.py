"""The restore dialog, the damaged-database dialog, the File-menu actions, automatic backups."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from hemlos_desktop import app as app_module
from hemlos_desktop import i18n
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.services import audit, backups, database_info
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database, DataLocation
from hemlos_desktop.storage.instance import InstanceLock
from hemlos_desktop.ui.backups import (
    AutoBackup,
    DamagedDatabaseDialog,
    RestoreDialog,
    install_backup_actions,
)
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.context import UiContext

NOW = dt.datetime(2026, 11, 24, 10, 15, 0)


def _marker(db: Database) -> str:
    with db.read() as session:
        return database_info.get_info(session).get("marker", "")


def _set_marker(db: Database, value: str) -> None:
    with db.begin() as session:
        database_info.set_value(session, "marker", value)


def test_restore_dialog_lists_backups_with_local_dates_and_restores(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    i18n.set_language("sv")
    _set_marker(db, "old")
    backups.back_up_now(db, now=NOW - dt.timedelta(days=2))
    _set_marker(db, "newer")
    backups.back_up_now(db, now=NOW)
    _set_marker(db, "current")
    dialog = RestoreDialog(db=db, actor=ensure_local_actor(db))
    qtbot.addWidget(dialog)
    tree = dialog._list
    assert tree.topLevelItemCount() == 2
    first = tree.topLevelItem(0)
    assert first is not None
    assert first.text(0) == i18n.active().format_datetime(NOW, "medium")
    assert first.text(1).endswith("kB")
    assert dialog.windowTitle() == "Återställ från säkerhetskopia"
    dialog.grab().save("/tmp/restore_dialog.png")

    monkeypatch.setattr(RestoreDialog, "_confirm", lambda self, when: False)
    dialog.restore_button.click()
    assert _marker(db) == "current"

    monkeypatch.setattr(RestoreDialog, "_confirm", lambda self, when: True)
    second = tree.topLevelItem(1)
    assert second is not None
    tree.setCurrentItem(second)
    with InstanceLock(db.location), qtbot.waitSignal(dialog.sig_restored):
        dialog.restore_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert _marker(db) == "old"  # the running Database object works on the restored file
    assert list(db.location.folder.glob("hemlos.db.before-restore-*"))


def test_restore_dialog_without_backups(qtbot: QtBot, db: Database) -> None:
    dialog = RestoreDialog(db=db, actor=ensure_local_actor(db))
    qtbot.addWidget(dialog)
    assert dialog._list.topLevelItemCount() == 0
    assert not dialog.restore_button.isEnabled()


def _damage(location: DataLocation) -> bytes:
    location.database.write_bytes(b"this is not a database" * 500)
    return location.database.read_bytes()


def test_damaged_dialog_restores_newest_good_backup_and_keeps_the_file(
    qtbot: QtBot, location: DataLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_workspace(location)
    _set_marker(db, "backed up")
    backups.back_up_now(db, now=NOW)
    db.dispose()
    damaged = _damage(location)
    monkeypatch.setattr(DamagedDatabaseDialog, "_inform", lambda self, text: None)
    dialog = DamagedDatabaseDialog(location=location)
    qtbot.addWidget(dialog)
    assert dialog.newest is not None
    assert dialog.restore_button.isVisible() or not dialog.isVisible()
    dialog.grab().save("/tmp/damaged_dialog.png")
    dialog.restore_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    kept = list(location.folder.glob("hemlos.db.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    restored = open_workspace(location)
    try:
        assert _marker(restored) == "backed up"
    finally:
        restored.dispose()


def test_damaged_dialog_without_backup_only_quits(qtbot: QtBot, location: DataLocation) -> None:
    open_workspace(location).dispose()
    damaged = _damage(location)
    dialog = DamagedDatabaseDialog(location=location)
    qtbot.addWidget(dialog)
    assert dialog.newest is None
    assert dialog.restore_button.isHidden()
    dialog.quit_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert location.database.read_bytes() == damaged


def test_start_up_offers_restore_and_opens_the_restored_file(
    qtbot: QtBot, location: DataLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_workspace(location)
    _set_marker(db, "good")
    backups.back_up_now(db, now=NOW)
    db.dispose()
    _damage(location)
    monkeypatch.setattr(DamagedDatabaseDialog, "_inform", lambda self, text: None)

    def click_restore(self: DamagedDatabaseDialog) -> int:
        self._on_restore_clicked()
        return int(self.result())

    monkeypatch.setattr(DamagedDatabaseDialog, "exec", click_restore)
    args = argparse.Namespace(demo=False, data_dir=str(location.folder))
    opened = app_module.open_with_recovery(args, location, Settings())
    assert opened is not None
    try:
        assert _marker(opened) == "good"
    finally:
        opened.dispose()


def test_start_up_quit_leaves_the_damaged_file(
    qtbot: QtBot, location: DataLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_workspace(location).dispose()
    damaged = _damage(location)
    monkeypatch.setattr(
        DamagedDatabaseDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected)
    )
    args = argparse.Namespace(demo=False, data_dir=str(location.folder))
    assert app_module.open_with_recovery(args, location, Settings()) is None
    assert location.database.read_bytes() == damaged


def test_file_menu_actions(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = QMenu("File", window)
    quit_action = menu.addAction("Quit")
    context = UiContext(
        db=db, actor=ensure_local_actor(db), notifier=ChangeNotifier(window), settings=Settings()
    )
    actions = install_backup_actions(window, menu, context=context)
    items = menu.actions()
    assert items[0] is actions.action_backup_now
    assert items[1] is actions.action_restore
    assert items[-1] is quit_action
    assert actions.action_backup_now.text() == "&Back up now…"
    informed: list[str] = []
    monkeypatch.setattr(type(actions), "_inform", lambda self, text: informed.append(text))
    actions.action_backup_now.trigger()
    assert len(backups.list_backups(db.location)) == 1
    assert informed and "verified" in informed[0]
    i18n.set_language("da")
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))
    assert actions.action_restore.text() == "&Gendan fra sikkerhedskopi…"


def test_backup_on_exit_goes_to_the_configured_folder(db: Database, tmp_path: Path) -> None:
    settings = Settings(backup_dir=str(tmp_path / "share"))
    app_module.back_up_on_exit(db, settings)
    made = backups.list_backups(db.location, settings.backup_dir)
    assert len(made) == 1 and made[0].path.parent == tmp_path / "share"


def test_auto_backup_makes_at_most_one_a_day(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    actor = ensure_local_actor(db)
    auto = AutoBackup(db=db, actor=actor, backup_dir=str(tmp_path / "usb"))
    with qtbot.waitSignal(auto.sig_backup_done, timeout=10000):
        auto.start(first_check_ms=0)
    auto.stop()
    auto.wait()
    assert len(backups.list_backups(db.location, str(tmp_path / "usb"))) == 1
    auto._on_timeout()  # not due again today
    auto.wait()
    assert len(backups.list_backups(db.location, str(tmp_path / "usb"))) == 1
    # The one backup made is one entry in the access log, under the person signed in.
    rows = audit.list_entries(db, actor, audit.AuditQuery())
    logged = [(r.username, r.detail) for r in rows if r.action is AuditAction.BACKUP]
    assert logged == [(actor.username, "automatic backup")]


def test_actions_fit_the_main_window_file_menu(qtbot: QtBot, db: Database, qapp: object) -> None:
    from hemlos_desktop.settings import SettingsStore
    from hemlos_desktop.ui.language import LanguageManager
    from hemlos_desktop.ui.main_window import MainWindow

    languages = LanguageManager(qapp)  # type: ignore[arg-type]
    window = MainWindow(
        db=db,
        actor=ensure_local_actor(db),
        settings=Settings(),
        settings_store=SettingsStore(),
        languages=languages,
    )
    qtbot.addWidget(window)
    actions = install_backup_actions(window, window.menu_file, context=window.context)
    names = [a.text() for a in window.menu_file.actions()]
    at = names.index("&Back up now…")
    assert names[at : at + 2] == ["&Back up now…", "&Restore from backup…"]
    assert names[-1] == window.action_quit.text()
    languages.apply("sv")
    qtbot.waitUntil(lambda: actions.action_backup_now.text() == "&Säkerhetskopiera nu…")
    languages.apply("en")


def test_failed_automatic_backup_is_shown_in_the_status_bar_and_once_as_a_message(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemlos_desktop.services.backups import BackupFolderUnavailableError
    from hemlos_desktop.ui import errors as ui_errors
    from hemlos_desktop.ui.backups import install_auto_backup

    # The USB stick is not there: its mount point is a plain file, so no folder can be made.
    unplugged = tmp_path / "media-usb"
    unplugged.write_text("not a folder")
    window = QMainWindow()
    qtbot.addWidget(window)
    shown: list[object] = []
    monkeypatch.setattr(ui_errors, "show_error", lambda _parent, error: shown.append(error))
    auto = install_auto_backup(window, db=db, backup_dir=str(unplugged / "hemlos"))
    with qtbot.waitSignal(auto.sig_backup_failed, timeout=10000):
        auto._on_timeout()
    assert window.statusBar().currentMessage().startswith("Automatic backup failed")
    assert len(shown) == 1 and isinstance(shown[0], BackupFolderUnavailableError)
    assert "USB stick" in shown[0].advice()
    # Nothing is lost meanwhile: the copy is in the data folder.
    [kept] = backups.list_backups(db.location)
    assert kept.path.parent == db.location.backups
    # The next failure shows in the status bar again, but asks for no second click.
    kept.path.unlink()
    window.statusBar().clearMessage()
    with qtbot.waitSignal(auto.sig_backup_failed, timeout=10000):
        auto._on_timeout()
    assert window.statusBar().currentMessage().startswith("Automatic backup failed")
    assert len(shown) == 1
    auto.stop()
    auto.wait()


def test_back_up_now_runs_off_the_gui_thread(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    window = QMainWindow()
    qtbot.addWidget(window)
    context = UiContext(
        db=db, actor=ensure_local_actor(db), notifier=ChangeNotifier(window), settings=Settings()
    )
    actions = install_backup_actions(window, QMenu("File", window), context=context)
    monkeypatch.setattr(type(actions), "_inform", lambda self, text: None)
    threads: list[int] = []
    real = backups.back_up_now

    def recorded(*args: object, **kwargs: object) -> object:
        threads.append(threading.get_ident())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backups, "back_up_now", recorded)
    actions.action_backup_now.trigger()
    assert threads and threads[0] != threading.get_ident()
    assert len(backups.list_backups(db.location)) == 1
