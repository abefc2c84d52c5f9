"""The journal editor never loses a word: autosave after a pause, on focus out, on close and
hide, drafts restored on reopen, errors keep the text; signing, corrections, undo/redo."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from hemlos_desktop.errors import DiskFullError, HemlosError
from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import journal as journal_service
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.settings import Settings
from hemlos_desktop.storage import Database
from hemlos_desktop.ui import operations
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients import journal as journal_ui
from hemlos_desktop.ui.clients.journal import JournalWidget
from hemlos_desktop.ui.context import UiContext

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def ctx(db: Database) -> UiContext:
    return UiContext(
        db=db, actor=ensure_local_actor(db), notifier=ChangeNotifier(), settings=Settings()
    )


@pytest.fixture
def client_id(ctx: UiContext) -> int:
    data = ClientInput(
        id_kind=IdKind.PERSONNUMMER, id_text="19121212-1212", first_name="Karin", last_name="Björk"
    )
    return register_client(ctx.db, ctx.actor, data).value


@pytest.fixture
def errors_shown(monkeypatch: pytest.MonkeyPatch) -> list[HemlosError]:
    shown: list[HemlosError] = []
    monkeypatch.setattr(journal_ui, "show_error", lambda _parent, error: shown.append(error))
    # Actions run through the operation runner, which shows known errors itself.
    monkeypatch.setattr(operations, "show_error", lambda _parent, error: shown.append(error))
    return shown


# Short autosave intervals: the timers' behaviour is the same, the tests wait far less.
FAST = {"autosave_ms": 80, "max_unsaved_ms": 160, "retry_ms": 100}


def make(qtbot: QtBot, ctx: UiContext, client_id: int, **intervals: int) -> JournalWidget:
    widget = JournalWidget(context=ctx, client_id=client_id, **(FAST | intervals))
    qtbot.addWidget(widget)
    return widget


def drafts(ctx: UiContext, client_id: int) -> list[journal_service.DraftInfo]:
    return journal_service.open_drafts(ctx.db, ctx.actor, client_id)


def test_draft_saved_about_a_second_after_the_pause(
    qtbot: QtBot, ctx: UiContext, client_id: int
) -> None:
    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.editor, "Met at the drop-in")
    assert widget.dirty and widget.draft_id is None
    assert widget.status_label.text() == "Not saved yet"
    qtbot.waitUntil(lambda: widget.draft_id is not None, timeout=3000)
    assert [d.text for d in drafts(ctx, client_id)] == ["Met at the drop-in"]
    assert widget.status_label.text().startswith("Draft saved ")
    # Later saves update the same row.
    first = widget.draft_id
    qtbot.keyClicks(widget.editor, ", talked about housing.")
    qtbot.waitUntil(lambda: not widget.dirty, timeout=3000)
    assert widget.draft_id == first
    assert [d.text for d in drafts(ctx, client_id)] == ["Met at the drop-in, talked about housing."]


def test_timer_restarts_on_every_change(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    autosave_ms = 300
    widget = make(qtbot, ctx, client_id, autosave_ms=autosave_ms, max_unsaved_ms=60_000)
    for char in "abc":
        qtbot.keyClicks(widget.editor, char)
        qtbot.wait(autosave_ms // 4)
    assert widget.draft_id is None  # still typing: no save yet
    qtbot.waitUntil(lambda: widget.draft_id is not None, timeout=3000)


def test_typing_without_pause_still_saves_every_second(
    qtbot: QtBot, ctx: UiContext, client_id: int
) -> None:
    max_unsaved_ms = 200
    widget = make(qtbot, ctx, client_id, autosave_ms=60_000, max_unsaved_ms=max_unsaved_ms)
    typed = ""
    for index in range(int(max_unsaved_ms * 1.6) // 20):
        typed += str(index % 10)
        qtbot.keyClicks(widget.editor, str(index % 10))
        qtbot.wait(20)
    found = drafts(ctx, client_id)
    assert len(found) == 1 and typed.startswith(found[0].text) and found[0].text


def test_empty_editor_creates_no_draft(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.editor, "x")
    widget.editor.undo()
    assert widget.save_now()
    assert drafts(ctx, client_id) == []


def test_focus_out_saves_at_once(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.editor, "Phone call with the landlord")
    QApplication.sendEvent(widget.editor, QFocusEvent(QEvent.Type.FocusOut))
    assert not widget.dirty
    assert [d.text for d in drafts(ctx, client_id)] == ["Phone call with the landlord"]


def test_real_focus_change_saves(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    widget = JournalWidget(context=ctx, client_id=client_id)
    other = QLineEdit()
    layout.addWidget(widget)
    layout.addWidget(other)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitActive(host)
    widget.editor.setFocus()
    qtbot.waitUntil(widget.editor.hasFocus, timeout=1000)
    qtbot.keyClicks(widget.editor, "Typed")
    other.setFocus()
    qtbot.waitUntil(lambda: not widget.dirty, timeout=500)
    assert [d.text for d in drafts(ctx, client_id)] == ["Typed"]


def test_close_saves_immediately(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    widget.show()
    qtbot.keyClicks(widget.editor, "Closing the tab now")
    widget.close()
    assert [d.text for d in drafts(ctx, client_id)] == ["Closing the tab now"]


def test_hide_saves(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    widget.show()
    qtbot.keyClicks(widget.editor, "Switching tabs")
    widget.hide()
    assert [d.text for d in drafts(ctx, client_id)] == ["Switching tabs"]


def test_window_close_saves(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    widget = JournalWidget(context=ctx, client_id=client_id)
    QVBoxLayout(window).addWidget(widget)
    window.show()
    qtbot.keyClicks(widget.editor, "Window closes")
    window.close()
    assert [d.text for d in drafts(ctx, client_id)] == ["Window closes"]


def test_application_quit_saves(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.editor, "Quitting")
    app = QApplication.instance()
    assert app is not None
    app.aboutToQuit.emit()
    assert [d.text for d in drafts(ctx, client_id)] == ["Quitting"]


def test_draft_restored_on_reopen(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    first = make(qtbot, ctx, client_id)
    first.category_combo.setCurrentIndex(
        first.category_combo.findData(JournalCategory.HOME_VISIT.value)
    )
    qtbot.keyClicks(first.editor, "Home visit, the flat was tidy")
    first.close()
    second = make(qtbot, ctx, client_id)
    second.restore_drafts()
    assert second.text() == "Home visit, the flat was tidy"
    assert second.draft_id == first.draft_id
    assert second.category_combo.currentData() == JournalCategory.HOME_VISIT.value
    assert not second.dirty
    # Continuing updates the same draft.
    qtbot.keyClicks(second.editor, "!")
    assert second.save_now()
    assert [d.id for d in drafts(ctx, client_id)] == [first.draft_id]


def test_save_error_keeps_text_and_retries(
    qtbot: QtBot,
    ctx: UiContext,
    client_id: int,
    monkeypatch: pytest.MonkeyPatch,
    errors_shown: list[HemlosError],
) -> None:
    widget = make(qtbot, ctx, client_id)
    real = journal_service.save_draft

    def disk_full(*_args: object, **_kwargs: object) -> int:
        raise DiskFullError("disk full")

    monkeypatch.setattr(journal_service, "save_draft", disk_full)
    qtbot.keyClicks(widget.editor, "Important words")
    assert not widget.save_now()
    assert widget.text() == "Important words"
    assert widget.dirty
    assert len(errors_shown) == 1 and isinstance(errors_shown[0], DiskFullError)
    assert "Not saved" in widget.status_label.text()
    qtbot.keyClicks(widget.editor, " more")
    assert not widget.save_now()
    assert len(errors_shown) == 1  # told once, not on every retry
    monkeypatch.setattr(journal_service, "save_draft", real)
    qtbot.keyClicks(widget.editor, ".")
    qtbot.waitUntil(lambda: not widget.dirty, timeout=3000)
    assert [d.text for d in drafts(ctx, client_id)] == ["Important words more."]


def test_sign_after_confirmation(
    qtbot: QtBot, ctx: UiContext, client_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    widget = make(qtbot, ctx, client_id)
    answers = [False, True]
    monkeypatch.setattr(widget, "_confirm", lambda *_a: answers.pop(0))
    qtbot.keyClicks(widget.editor, "Decision: apply for a training flat")
    assert not widget.sign()
    assert widget.text() == "Decision: apply for a training flat"
    with qtbot.waitSignal(widget.sig_entry_signed):
        assert widget.sign()
    assert widget.text() == "" and widget.draft_id is None
    entries = widget.entries()
    assert len(entries) == 1 and entries[0].signed
    assert entries[0].text == "Decision: apply for a training flat"
    assert drafts(ctx, client_id) == []


def test_ctrl_return_signs(
    qtbot: QtBot, ctx: UiContext, client_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    widget = make(qtbot, ctx, client_id)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitActive(widget)
    widget.editor.setFocus()
    qtbot.waitUntil(widget.editor.hasFocus, timeout=1000)
    monkeypatch.setattr(widget, "_confirm", lambda *_a: True)
    qtbot.keyClicks(widget.editor, "Signed by keyboard")
    with qtbot.waitSignal(widget.sig_entry_signed, timeout=1000):
        qtbot.keyClick(widget.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_sign_refuses_empty_note(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    assert not widget.sign(confirm=False)
    assert widget.text_error.text() == "Write the note before signing it."
    assert not widget.sign_button.isEnabled()


def test_sign_refuses_future_date_next_to_the_field(
    qtbot: QtBot, ctx: UiContext, client_id: int
) -> None:
    widget = make(qtbot, ctx, client_id)
    widget.date_edit.setDate(widget.date_edit.date().addDays(3))
    qtbot.keyClicks(widget.editor, "Written ahead")
    assert not widget.sign(confirm=False)
    assert widget.date_error.text() == "The date of the entry is in the future."
    assert not widget.date_error.isHidden()
    assert widget.text() == "Written ahead"
    assert [d.text for d in drafts(ctx, client_id)] == ["Written ahead"]


def test_signed_entry_offers_correction_only(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.editor, "Original note")
    assert widget.sign(confirm=False)
    signed = widget.entries()[0]
    assert widget.select_entry(signed.id)
    assert widget.correction_button.isEnabled()
    assert not widget.continue_button.isEnabled()
    assert not widget.continue_draft(signed.id)  # a signed entry never reaches the editor
    assert widget.text() == ""
    with pytest.raises(journal_service.SignedEntryError):
        journal_service.save_draft(
            ctx.db,
            ctx.actor,
            client_id,
            draft_id=signed.id,
            entry_date=dt.date.today(),
            category=JournalCategory.OTHER,
            text="changed",
        )


def test_correction_shown_under_the_original(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.editor, "The meeting is on Monday")
    assert widget.sign(confirm=False)
    original = widget.entries()[0]
    widget.select_entry(original.id)
    widget.correction_button.click()
    assert widget.draft_id is not None
    assert widget.correction_label.isVisibleTo(widget)
    assert "Correction of the entry" in widget.correction_label.text()
    qtbot.keyClicks(widget.editor, "The meeting is on Tuesday")
    assert widget.sign(confirm=False)
    tree = widget.entries_tree
    assert tree.topLevelItemCount() == 1
    top = tree.topLevelItem(0)
    assert top is not None and top.childCount() == 1
    child = top.child(0)
    assert child is not None and child.text(1).startswith("Correction")
    widget.select_entry(original.id)
    shown = widget.entry_view.toPlainText()
    assert "Monday" in shown and "Tuesday" in shown  # both kept, side by side


def test_drafts_are_marked_in_the_list(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.editor, "Draft one")
    assert widget.save_now()
    widget.load_entries()
    item = widget.entries_tree.topLevelItem(0)
    assert item is not None and item.text(3) == "Draft" and item.font(0).italic()
    first_id = int(item.data(0, Qt.ItemDataRole.UserRole))
    assert widget.new_entry()
    qtbot.keyClicks(widget.editor, "Draft two")
    widget.select_entry(first_id)
    assert widget.continue_button.isEnabled()
    widget.continue_button.click()
    assert widget.text() == "Draft one"
    assert sorted(d.text for d in drafts(ctx, client_id)) == ["Draft one", "Draft two"]


def test_discard_draft(
    qtbot: QtBot, ctx: UiContext, client_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.editor, "Not needed")
    assert widget.save_now()
    monkeypatch.setattr(widget, "_confirm", lambda *_a: False)
    assert not widget.discard()
    assert widget.text() == "Not needed"
    assert widget.discard(confirm=False)
    assert widget.text() == "" and drafts(ctx, client_id) == []


def test_undo_redo_buttons_and_shortcuts(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    widget = make(qtbot, ctx, client_id)
    assert not widget.undo_action.isEnabled()
    qtbot.keyClicks(widget.editor, "Hello")
    assert widget.undo_action.isEnabled()
    widget.undo_action.trigger()
    assert widget.text() == ""
    assert widget.redo_action.isEnabled()
    widget.redo_action.trigger()
    assert widget.text() == "Hello"
    qtbot.keyClick(widget.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert widget.text() == ""
    qtbot.keyClick(
        widget.editor,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert widget.text() == "Hello"


def test_retranslate_to_swedish(qtbot: QtBot, ctx: UiContext, client_id: int) -> None:
    from hemlos_desktop import i18n

    widget = make(qtbot, ctx, client_id)
    i18n.set_language("sv")
    widget.retranslate_ui()
    assert widget.sign_button.text() != "&Sign…"
    assert widget.category_combo.itemText(0) != "Contact"


def test_sign_error_keeps_the_text(
    qtbot: QtBot,
    ctx: UiContext,
    client_id: int,
    monkeypatch: pytest.MonkeyPatch,
    errors_shown: list[HemlosError],
) -> None:
    from hemlos_desktop.errors import DatabaseLockedError

    widget = make(qtbot, ctx, client_id)
    qtbot.keyClicks(widget.editor, "Keep me")

    def locked(*_a: object, **_k: object) -> object:
        raise DatabaseLockedError("locked")

    monkeypatch.setattr(journal_service, "sign_entry", locked)
    assert not widget.sign(confirm=False)
    assert widget.text() == "Keep me"
    assert isinstance(errors_shown[0], DatabaseLockedError)
    assert [d.text for d in drafts(ctx, client_id)] == ["Keep me"]


def test_autosave_intervals_default_to_the_documented_ones(
    qtbot: QtBot, ctx: UiContext, client_id: int
) -> None:
    widget = JournalWidget(context=ctx, client_id=client_id)
    qtbot.addWidget(widget)
    assert widget.autosave.pause_timer.interval() == journal_ui.AUTOSAVE_MS == 800
    assert widget.autosave.max_timer.interval() == journal_ui.MAX_UNSAVED_MS == 1000
