"""Closing the window while the database will not take the note (a write lock held by another
program, as long as a full disk or a stuck sync would): the caseworker is asked, the note is
kept in a file outside the database, and it is back when the client's journal opens again."""

from __future__ import annotations

import os
import stat

import pytest
from office import Office
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from hemlos_desktop.services import journal as journal_service
from hemlos_desktop.storage import connection, kept_notes
from hemlos_desktop.ui.clients.journal import JournalWidget
from hemlos_desktop.ui.clients.page import ClientsPage
from hemlos_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

FIRST = "Met Emma at the shelter. "  # typed key by key (QTest types ASCII only)
MORE = "Hon vill söka lägenhet via bostadsförmedlingen och ringer hyresvärden på måndag."


def open_journal(qtbot: QtBot, window: MainWindow, client_id: int) -> JournalWidget:
    window.show_area("clients")
    page = window.pages["clients"]
    assert isinstance(page, ClientsPage)
    page.open_client(client_id)
    [journal] = window.findChildren(JournalWidget)
    qtbot.waitUntil(journal.isVisible)
    return journal


def answer_next_question(qtbot: QtBot, role: QMessageBox.ButtonRole, asked: list[str]) -> None:
    """Click the button with ``role`` on the next message box, as the user would."""

    tries = iter(range(500))  # about five seconds

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if next(tries, None) is not None:
                QTimer.singleShot(10, click)
            return
        asked.append(box.text())
        buttons = [b for b in box.buttons() if box.buttonRole(b) is role] or box.buttons()
        buttons[0].click()  # another box than expected is closed too; ``asked`` tells

    QTimer.singleShot(0, click)


def test_closing_while_saves_fail_keeps_the_note_and_gives_it_back(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)  # give up on a lock quickly
    client_id = office.client_ids["Söderström"]
    window = office.sign_in("worker")
    signed = office.sessions[-1]
    journal = open_journal(qtbot, window, client_id)
    journal.editor.setFocus()
    qtbot.keyClicks(journal.editor, FIRST)
    assert journal.save_now()  # the first words are in the database

    # Another program holds the write lock: nothing more can be saved.
    blocker = connection.connect(office.location.database, signed.db.data_key)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        journal.editor.insertPlainText(MORE)  # as an input method or a paste puts it in
        asked: list[str] = []
        # Close, and choose to stay: the window stays open with the text in it.
        answer_next_question(qtbot, QMessageBox.ButtonRole.RejectRole, asked)
        window.close()
        assert asked == ["The note you are writing could not be saved in the database."]
        assert window.isVisible() and journal.text() == FIRST + MORE
        # Close again and keep the note: the window closes, the note is in a file.
        answer_next_question(qtbot, QMessageBox.ButtonRole.AcceptRole, asked)
        window.close()
        assert len(asked) == 2 and not window.isVisible()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    [kept] = list(kept_notes.folder(office.location).iterdir())
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 or os.name != "posix"
    assert kept.name.removesuffix(".note").isalnum()  # a random name, no personal data
    sealed = kept.read_bytes()
    assert MORE.encode() not in sealed and "bostadsförmedlingen".encode() not in sealed
    # The database still holds only the first words.
    [draft] = journal_service.open_drafts(signed.db, signed.actor, client_id)
    assert draft.text == FIRST
    office.close()

    # The next start: opening the client's journal puts the note back into the database.
    window = office.sign_in("worker")
    again = open_journal(qtbot, window, client_id)
    assert again.text() == FIRST + MORE
    assert "back as a draft" in again.status_label.text()
    [draft] = journal_service.open_drafts(
        office.sessions[-1].db, office.sessions[-1].actor, client_id
    )
    assert draft.text == FIRST + MORE  # the same draft, nothing lost and nothing twice
    assert list(kept_notes.folder(office.location).iterdir()) == []
