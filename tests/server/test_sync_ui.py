"""The sync in the window, against the real PostgreSQL team store: a joined laptop signed in
through the real sign-in dialog syncs at start and with the Sync button (the time of the last
sync in the status bar), automatically every interval, notes an unreachable server; a conflict
shows as a banner on the client's case file and is decided in the conflicts view; a laptop that
works alone joins through the Join team server dialog."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import PgDatabase
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from syncworld import PASSWORD, Laptop, can_sign_in, join_laptop, set_up_store

from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.services.clients import get_client, update_client
from hemlos_desktop.services.housing import delete_period, list_periods, save_period
from hemlos_desktop.services.session import SignedIn, open_with_key
from hemlos_desktop.services.setup import create_administrator
from hemlos_desktop.services.sync import sync_status
from hemlos_desktop.services.sync_conflicts import list_conflicts
from hemlos_desktop.settings import SettingsStore
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.ui.admin.users_dialog import ChangePasswordDialog
from hemlos_desktop.ui.language import LanguageManager
from hemlos_desktop.ui.login import LoginDialog
from hemlos_desktop.ui.main_window import MainWindow
from hemlos_desktop.ui.sync.conflicts import ConflictBanner, ConflictsDialog
from hemlos_desktop.ui.sync.join_dialog import JoinDialog

NEW_PASSWORD = "Ett nytt lösenord 8"
SHOTS = os.environ.get("HEMLOS_SYNC_SCREENSHOTS")  # a folder: grab the dialogs as PNG


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture
def languages(qapp: QApplication) -> Iterator[LanguageManager]:
    manager = LanguageManager(qapp)
    yield manager
    manager.apply("en")


@pytest.fixture
def url(pg_database: object) -> str:
    return set_up_store(pg_database)  # type: ignore[arg-type]


class Desk:
    """Windows signed in through the real dialog on joined laptops' encrypted databases."""

    def __init__(self, qtbot: QtBot, tmp_path: Path, languages: LanguageManager) -> None:
        self.qtbot = qtbot
        self.tmp_path = tmp_path
        self.languages = languages
        self.sessions: list[SignedIn] = []
        self.windows: list[MainWindow] = []
        self.stores: dict[int, SettingsStore] = {}

    def store_of(self, window: MainWindow) -> SettingsStore:
        return self.stores[id(window)]

    def sign_in(self, location: DataLocation, username: str) -> MainWindow:
        store = SettingsStore(self.tmp_path / f"settings-{username}", [])
        settings = store.load()
        settings.language = "en"
        self.languages.apply("en")
        dialog = LoginDialog(location=location, languages=self.languages, params=TEST_PARAMS)
        self.qtbot.addWidget(dialog)
        dialog.show()
        dialog.user_edit.setText(username)
        dialog.password_edit.setText(PASSWORD)
        with self.qtbot.waitSignal(dialog.sig_unlocked):
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert dialog.data_key is not None and dialog.password == PASSWORD
        signed = open_with_key(location, dialog.username, dialog.data_key)
        self.sessions.append(signed)
        window = MainWindow(
            db=signed.db,
            actor=signed.actor,
            sync_password=dialog.password,
            settings=settings,
            settings_store=store,
            languages=self.languages,
        )
        self.qtbot.addWidget(window)
        self.windows.append(window)
        self.stores[id(window)] = store
        window.show()
        return window

    def close(self) -> None:
        for window in self.windows:
            self.qtbot.waitUntil(lambda w=window: not w.sync.running, timeout=30_000)
            window.close()
        for signed in self.sessions:
            signed.db.dispose()


@pytest.fixture
def desk(qtbot: QtBot, tmp_path: Path, languages: LanguageManager) -> Iterator[Desk]:
    made = Desk(qtbot, tmp_path, languages)
    yield made
    made.close()


def _joined(tmp_path: Path, url: str, name: str) -> Laptop:
    laptop = join_laptop(tmp_path, url, name)
    laptop.close()  # the window opens it again, after the sign-in dialog
    return laptop


def _synced_at_start(desk: Desk, tmp_path: Path, url: str, name: str) -> MainWindow:
    """A joined laptop's window, signed in, after its automatic sync at start."""
    window = desk.sign_in(_joined(tmp_path, url, name).location, name)
    controller = window.sync
    desk.qtbot.waitUntil(controller.timer.isActive)
    desk.qtbot.waitUntil(lambda: sync_status(window.context.db).last_sync_at is not None)
    desk.qtbot.waitUntil(lambda: not controller.running)
    return window


def _set_phone(laptop_db: object, actor: object, client_id: int, phone: str) -> None:
    detail = get_client(laptop_db, actor, client_id)  # type: ignore[arg-type]
    data = detail.data if hasattr(detail, "data") else detail
    values = {name: getattr(data, name) for name in ClientInput.__dataclass_fields__}
    values["phone"] = phone
    update_client(laptop_db, actor, client_id, ClientInput(**values))  # type: ignore[arg-type]


def test_sync_button_status_bar_conflict_banner_and_conflicts_view(
    qtbot: QtBot, tmp_path: Path, url: str, desk: Desk
) -> None:
    anna_laptop = _joined(tmp_path, url, "anna")
    bo = join_laptop(tmp_path, url, "bo")
    try:
        window = desk.sign_in(anna_laptop.location, "anna")
        controller = window.sync
        # At start: an automatic sync in the background, then the time in the status bar.
        qtbot.waitUntil(lambda: sync_status(window.context.db).last_sync_at is not None)
        qtbot.waitUntil(lambda: not controller.running)
        assert controller.status_label.isVisible()
        assert controller.status_label.text().startswith("Last sync: ")
        assert controller.action_sync.isEnabled() and not controller.action_join.isEnabled()
        assert controller.toolbar.actions() == [controller.action_sync]
        assert controller.action_sync.text() == "&Sync"

        # A client registered on bo's laptop arrives with the Sync button.
        client_on_bo = bo.register("Alva", phone="070-111")
        bo.sync()
        with qtbot.waitSignal(controller.sig_synced, timeout=30_000):
            controller.action_sync.trigger()
        db, actor = window.context.db, window.context.actor
        with db.read() as s:
            alva = s.execute(text("SELECT id FROM clients WHERE first_name = 'Alva'")).scalar()
        assert alva is not None
        assert "1 received" in window.statusBar().currentMessage() or (
            "received" in window.statusBar().currentMessage()
        )

        # Her case file is open (no conflict yet, no banner).
        window.show_area("clients")
        window.pages["clients"].open_client(int(alva))
        qtbot.waitUntil(lambda: bool(window.findChildren(ConflictBanner)))
        [banner] = window.findChildren(ConflictBanner)
        assert not banner.isVisible()

        # Both change her phone while apart; bo's reaches the server first.
        _set_phone(bo.db, bo.actor, client_on_bo, "070-222")
        bo.sync()
        _set_phone(db, actor, int(alva), "070-333")
        with qtbot.waitSignal(controller.sig_synced, timeout=30_000) as synced:
            controller.action_sync.trigger()
        assert synced.args[0].new_conflicts == 1
        assert "1 new conflict" in window.statusBar().currentMessage()
        assert controller.action_conflicts.text() == "Sync &conflicts (1)…"

        # The open case file shows the banner; the view: both values, who and where.
        qtbot.waitUntil(banner.isVisible)
        assert "1 sync conflict" in banner.text_label.text()
        _shot(window, "sync-main-window-banner")
        label = controller.status_label
        assert label.width() >= label.sizeHint().width()  # the time is not cut off
        dialog = banner.show_conflicts()
        qtbot.waitUntil(dialog.isVisible)
        assert isinstance(dialog, ConflictsDialog) and len(dialog.conflicts) == 1
        cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
        assert cells[0] == "Client" and cells[1] == "phone"
        assert cells[2] == "070-333" and "anna on this computer" in cells[3]
        assert cells[5] == "070-222" and cells[6].startswith("bo on computer ")
        assert dialog.keep_mine_button.isEnabled()
        _shot(dialog, "sync-conflicts-dialog")
        dialog.keep_mine_button.click()
        assert dialog.conflicts == [] and dialog.empty_label.isVisibleTo(dialog)
        dialog.close()
        qtbot.waitUntil(lambda: not banner.isVisible())
        assert str(_phone(db, int(alva))) == "070-333"
        # The decision travels: bo's laptop gets anna's value after both sync.
        with qtbot.waitSignal(controller.sig_synced, timeout=30_000):
            controller.action_sync.trigger()
        bo.sync()
        assert bo.client_value("Alva", "phone") == "070-333"
    finally:
        bo.close()


def _phone(db: object, client_id: int) -> object:
    with db.read() as s:  # type: ignore[attr-defined]
        return s.execute(
            text("SELECT phone FROM clients WHERE id = :id"), {"id": client_id}
        ).scalar()


def test_automatic_sync_runs_every_interval_and_notes_an_unreachable_server(
    qtbot: QtBot, tmp_path: Path, url: str, desk: Desk
) -> None:
    window = _synced_at_start(desk, tmp_path, url, "cissi")
    controller = window.sync
    first = sync_status(window.context.db).last_sync_at
    controller.timer.setInterval(200)  # injectable: a few minutes in the program
    with qtbot.waitSignal(controller.sig_synced, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: not controller.running)
    assert sync_status(window.context.db).last_sync_at != first

    # The server goes away: the automatic sync says so in the status bar, nothing else.
    with window.context.db.begin_core() as conn:
        conn.execute(
            text("UPDATE database_info SET value = :v WHERE key = 'sync_server_url'"),
            {"v": url.replace(f"port={_port(url)}", "port=1")},
        )
    qtbot.waitUntil(lambda: "not reachable" in controller.status_label.text(), timeout=30_000)
    assert controller.status_label.text().startswith("Team server not reachable; last sync: ")
    controller.timer.stop()


def _port(url: str) -> str:
    return url.rsplit("port=", 1)[1].split("&", 1)[0]


def test_a_laptop_that_works_alone_joins_through_the_dialog(
    qtbot: QtBot, tmp_path: Path, url: str, desk: Desk
) -> None:
    alone = DataLocation(tmp_path / "alone")
    create_administrator(
        alone, username="worker", display_name="Wilma", password=PASSWORD, params=TEST_PARAMS
    ).signed_in.db.dispose()
    window = desk.sign_in(alone, "worker")
    controller = window.sync
    qtbot.waitUntil(lambda: controller.state_known)
    assert not controller.timer.isActive() and not controller.status_label.isVisible()
    assert not controller.action_sync.isEnabled() and controller.action_join.isEnabled()
    window.context.settings.team_server_url = url  # as IT's system-wide settings give it
    controller.action_join.trigger()
    dialog = controller.join_dialog
    assert isinstance(dialog, JoinDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.url_edit.text() == url
    assert dialog.user_edit.text() == "worker"
    # Nothing typed is lost on a refusal: a wrong password is said in the dialog.
    dialog.user_edit.setText("cissi")
    dialog.password_edit.setText("fel lösenord")
    folder = tmp_path / "team-data"
    dialog.folder_edit.setText(str(folder))
    _shot(dialog, "sync-join-dialog")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: bool(dialog.message_label.text()), timeout=30_000)
    assert dialog.pages.currentIndex() == 0 and dialog.user_edit.text() == "cissi"
    assert not (folder / "hemlos.db").exists()
    _shot(dialog, "sync-join-refused")
    dialog.password_edit.setText(PASSWORD)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=60_000)
    assert dialog.result_ is not None
    assert dialog.recovery_text.toPlainText() == dialog.result_.recovery_key
    _shot(dialog, "sync-join-done")
    assert (folder / "hemlos.db").exists()
    assert window.context.settings.data_dir == str(folder)  # opened at the next start
    assert desk.store_of(window).load().data_dir == str(folder)
    dialog.close()


def test_automatic_sync_goes_on_after_the_person_changes_their_password(
    qtbot: QtBot, tmp_path: Path, url: str, desk: Desk, pg_database: PgDatabase
) -> None:
    window = _synced_at_start(desk, tmp_path, url, "anna")
    controller = window.sync

    window.admin_actions.action_password.trigger()
    dialog = window.admin_actions.password_dialog
    assert isinstance(dialog, ChangePasswordDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.old_edit.setText(PASSWORD)
    dialog.password_edit.setText(NEW_PASSWORD)
    dialog.repeat_edit.setText(NEW_PASSWORD)
    with qtbot.waitSignal(dialog.sig_password_changed):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not can_sign_in(pg_database, "anna", NEW_PASSWORD)  # the server does not know it yet

    controller.timer.setInterval(200)
    # The first sync signs in with the previous password and carries the new one...
    with qtbot.waitSignal(controller.sig_synced, timeout=30_000) as first:
        pass
    assert first.args[0].complete and first.args[0].refused == 0
    assert can_sign_in(pg_database, "anna", NEW_PASSWORD) and not can_sign_in(
        pg_database, "anna", PASSWORD
    )
    # ... and the next one signs in with the new one only (no third one starts after it: on a
    # busy machine it would have begun before the label is read).
    controller.sig_synced.connect(lambda *_: controller.timer.stop())
    with qtbot.waitSignal(controller.sig_synced, timeout=30_000) as second:
        pass
    assert second.args[0].complete
    assert second.args[0].credentials.previous_password is None
    assert controller.status_label.text().startswith("Last sync: ")
    _shot(window, "sync-after-password-change")


def test_a_deletion_against_a_change_is_decided_in_the_conflicts_view(
    qtbot: QtBot, tmp_path: Path, url: str, desk: Desk
) -> None:
    """anna deletes a housing period in her window while bo, apart, changes it: the period
    stays, and the conflicts view says who deleted and who changed it; "Keep theirs" keeps
    the changed period on both laptops."""
    today = dt.date(2026, 12, 3)
    bo = join_laptop(tmp_path, url, "bo")
    try:
        on_bo = bo.register("Alva")
        start = dt.date(2026, 1, 5)
        save_period(bo.db, bo.actor, on_bo, PeriodInput(1, start, place="Härbärget"), today=today)
        bo.sync()
        window = _synced_at_start(desk, tmp_path, url, "anna")
        controller = window.sync
        db, actor = window.context.db, window.context.actor
        with db.read() as s:
            alva = int(s.execute(text("SELECT id FROM clients")).scalar_one())
        [period] = list_periods(db, actor, alva)
        delete_period(db, actor, alva, period.id, today=today)
        [shown] = list_periods(bo.db, bo.actor, on_bo)
        changed = PeriodInput(1, start, place="Stödboendet")
        save_period(bo.db, bo.actor, on_bo, changed, period_id=shown.id, today=today)
        bo.sync()
        with qtbot.waitSignal(controller.sig_synced, timeout=30_000) as synced:
            controller.action_sync.trigger()
        assert synced.args[0].new_conflicts == 1
        assert [p.place for p in list_periods(db, actor, alva)] == ["Stödboendet"]

        dialog = ConflictsDialog(context=window.context)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: len(dialog.conflicts) == 1)
        cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
        assert cells[0] == "Housing period"
        assert cells[1] == "Deleted on one computer, changed on another"
        assert cells[2] == "deleted" and "anna on this computer" in cells[3]
        assert cells[5] == "changed (keep the record)" and cells[6].startswith("bo on computer ")
        _shot(dialog, "sync-conflicts-deletion")
        dialog.keep_theirs_button.click()
        assert dialog.conflicts == []
        dialog.close()
        with qtbot.waitSignal(controller.sig_synced, timeout=30_000):
            controller.action_sync.trigger()
        bo.sync()
        assert [p.place for p in list_periods(db, actor, alva)] == ["Stödboendet"]
        assert [p.place for p in list_periods(bo.db, bo.actor, on_bo)] == ["Stödboendet"]
        assert list_conflicts(bo.db, bo.actor) == []
    finally:
        bo.close()
