"""The journal of one client: the entries (newest first) and an editor that never loses a word.

What is typed is saved as a draft (``services.journal.save_draft``) about a second after the
user pauses (and at least every second while they type on without a pause), when the editor
loses focus, when the widget, its tab or its window closes and when the application quits. The
draft's id is kept so later saves update the same row. A failed save (disk full, database
locked) is reported once, the text stays in the editor and the next autosave tries again.
Signing makes an entry final; a signed entry is never edited, only corrected by a new entry
that is shown under it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager

from babel.dates import format_date, format_time
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.models.validation import FieldError
from hemlos_desktop.services import journal as journal_service
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.services.journal import DraftInfo, JournalEntryInfo
from hemlos_desktop.ui.clients import journal_rescue
from hemlos_desktop.ui.clients.journal_autosave import (
    AUTOSAVE_MS,
    MAX_UNSAVED_MS,
    RETRY_MS,
    AutosaveTimer,
)
from hemlos_desktop.ui.clients.journal_editor import JournalEditorBox
from hemlos_desktop.ui.clients.journal_entries import JournalEntriesPanel, local_time
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.operations import run_operation, run_query
from hemlos_desktop.ui.widgets.dates import from_qdate, to_qdate
from hemlos_desktop.ui.widgets.field_error import show_field_errors

log = logging.getLogger(__name__)

LIST_LIMIT = 50
"""Entries shown in the list (newest first)."""


class JournalWidget(QWidget):
    """Entries list plus the draft editor for one client."""

    sig_entry_signed = Signal(int)
    """An entry was signed (its id)."""

    sig_draft_saved = Signal(int)
    """The draft in the editor was saved (its id)."""

    def __init__(
        self,
        *,
        context: UiContext,
        client_id: int,
        today: dt.date | None = None,
        autosave_ms: int = AUTOSAVE_MS,
        max_unsaved_ms: int = MAX_UNSAVED_MS,
        retry_ms: int = RETRY_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._client_id = client_id
        self._today = today
        self._draft_id: int | None = None
        self._corrects: JournalEntryInfo | None = None
        self._corrects_id: int | None = None
        self._dirty = False
        self._loading = False
        self._failed = False
        self._saved_at: dt.datetime | None = None
        self._entries: dict[int, JournalEntryInfo] = {}

        # Entries list (its parts are named here too: tests and the editor's buttons use them).
        self.entries_panel = JournalEntriesPanel()
        self.entries_tree = self.entries_panel.tree
        self.entry_view = self.entries_panel.entry_view
        self.new_button = self.entries_panel.new_button
        self.continue_button = self.entries_panel.continue_button
        self.correction_button = self.entries_panel.correction_button

        # Editor (its parts are named here too).
        self.editor_box = JournalEditorBox(day=self._day())
        box = self.editor_box
        self.date_edit, self.category_combo = box.date_edit, box.category_combo
        self.undo_action, self.redo_action = box.undo_action, box.redo_action
        self.editor, self.correction_label = box.editor, box.correction_label
        self.status_label, self.sign_button = box.status_label, box.sign_button
        self.discard_button = box.discard_button
        self.date_error, self.text_error = box.date_error, box.text_error
        self._sign_shortcuts = [
            QShortcut(
                QKeySequence(seq), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
            for seq in ("Ctrl+Return", "Ctrl+Enter")
        ]

        self.autosave = AutosaveTimer(
            save=self.save_now,
            editor=self.editor,
            before_close=lambda: journal_rescue.before_window_closes(self, self),
            before_quit=lambda: journal_rescue.before_quit(self),
            autosave_ms=autosave_ms,
            max_unsaved_ms=max_unsaved_ms,
            retry_ms=retry_ms,
            parent=self,
        )
        self._build_layout()
        self._connect_signals()
        self.retranslate_ui()
        self.load_entries()

    # -- layout -------------------------------------------------------------------------

    def _build_layout(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.entries_panel)
        splitter.addWidget(self.editor_box)
        splitter.setChildrenCollapsible(False)
        # The entries' four columns get a little more room than the editor (1100 px windows).
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([3000, 2000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _connect_signals(self) -> None:
        self._context.notifier.subscribe(self, ChangeKind.JOURNAL, self._on_changed)
        self.editor.textChanged.connect(self._on_content_changed)
        self.date_edit.dateChanged.connect(self._on_content_changed)
        self.category_combo.currentIndexChanged.connect(self._on_content_changed)
        self.sign_button.clicked.connect(self._on_sign_clicked)
        self.discard_button.clicked.connect(self._on_discard_clicked)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.continue_button.clicked.connect(self._on_continue_clicked)
        self.correction_button.clicked.connect(self._on_correction_clicked)
        self.entries_tree.currentItemChanged.connect(self._on_current_entry_changed)
        self.entries_tree.itemActivated.connect(self._on_entry_activated)
        for shortcut in self._sign_shortcuts:
            shortcut.activated.connect(self._on_sign_clicked)

    def retranslate_ui(self) -> None:
        self.entries_panel.retranslate_ui()
        self.editor_box.retranslate_ui()
        self._update_correction_label()
        self._update_status()

    # -- state --------------------------------------------------------------------------

    def _day(self) -> dt.date:
        return self._today or dt.date.today()

    @property
    def draft_id(self) -> int | None:
        """The id of the draft in the editor (None until the first save)."""
        return self._draft_id

    @property
    def dirty(self) -> bool:
        """True while the editor holds changes that are not saved yet."""
        return self._dirty

    def text(self) -> str:
        return self.editor.toPlainText()

    def entries(self) -> list[JournalEntryInfo]:
        return list(self._entries.values())

    def _update_status(self) -> None:
        if self._failed:
            text = _("Not saved: the note is kept here and saving is tried again.")
        elif self._dirty or self._saved_at is None:
            text = _("Not saved yet") if self._dirty or self.text() else ""
        else:
            when = format_time(self._saved_at, "short", locale=i18n.active().babel_locale)
            text = _("Draft saved {time}").format(time=when)
        self.status_label.setText(text)
        self.status_label.setAccessibleDescription(text)

    def _update_correction_label(self) -> None:
        if self._corrects_id is None:
            self.correction_label.hide()
            return
        original = self._corrects or self._entries.get(self._corrects_id)
        if original is not None:
            day = format_date(original.entry_date, "medium", locale=i18n.active().babel_locale)
            text = _("Correction of the entry of {date} by {author}").format(
                date=day, author=original.author
            )
        else:
            text = _("Correction of an earlier entry")
        self.correction_label.setText(text)
        self.correction_label.show()

    def _update_buttons(self) -> None:
        entry = self.current_entry()
        self.correction_button.setEnabled(entry is not None and entry.signed)
        self.continue_button.setEnabled(
            entry is not None and not entry.signed and entry.id != self._draft_id
        )
        has_text = bool(self.text().strip())
        self.sign_button.setEnabled(has_text and self._context.actor.can_write)
        self.discard_button.setEnabled(self._draft_id is not None or has_text)
        writable = self._context.actor.can_write
        self.editor.setReadOnly(not writable)
        self.new_button.setEnabled(writable)

    # -- entries list -------------------------------------------------------------------

    def load_entries(self) -> None:
        """Reload the list of entries (never touches the editor)."""
        ctx = self._context
        loaded = run_query(
            self,
            lambda: journal_service.list_entries(
                ctx.db, ctx.actor, self._client_id, limit=LIST_LIMIT
            ),
            on_error=lambda error: log.warning("journal list not loaded: %s", type(error).__name__),
        )
        if loaded is None:
            return
        self._entries = {e.id: e for e in loaded.value}
        self._render_entries()

    def _on_changed(self, changes: ChangeSet) -> None:
        """Another view (or window) changed journal entries: reload the list if they are ours."""
        if changes.touches(ChangeKind.JOURNAL, self._client_id):
            self.load_entries()

    def _render_entries(self) -> None:
        self.entries_panel.set_entries(self._entries)
        self._update_correction_label()
        self._update_buttons()

    def current_entry(self) -> JournalEntryInfo | None:
        return self.entries_panel.current_entry()

    def select_entry(self, entry_id: int) -> bool:
        return self.entries_panel.select_entry(entry_id)

    def _on_current_entry_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_entry_activated(self, *_args: object) -> None:
        entry = self.current_entry()
        if entry is not None and not entry.signed:
            self.continue_draft(entry.id)

    # -- the editor ---------------------------------------------------------------------

    def _set_editor(
        self,
        *,
        draft_id: int | None,
        text: str,
        entry_date: dt.date,
        category: JournalCategory,
        corrects_id: int | None,
    ) -> None:
        self._loading = True
        try:
            self.autosave.stop()
            self._draft_id = draft_id
            self._corrects_id = corrects_id
            self._corrects = self._entries.get(corrects_id) if corrects_id else None
            self.editor.setPlainText(text)
            self.date_edit.setDate(to_qdate(entry_date))
            self.category_combo.setCurrentIndex(
                max(0, self.category_combo.findData(category.value))
            )
            self._dirty = False
            self._failed = False
            self._saved_at = None
            self.date_error.set_error("")
            self.text_error.set_error("")
        finally:
            self._loading = False
        self._update_correction_label()
        self._update_status()
        self._update_buttons()

    def load_draft(self, draft: DraftInfo) -> None:
        """Put a saved draft into the editor (after saving what the editor held)."""
        self._set_editor(
            draft_id=draft.id,
            text=draft.text,
            entry_date=draft.entry_date,
            category=draft.category,
            corrects_id=draft.corrects_id,
        )
        self._saved_at = local_time(draft.updated_at)
        self._update_status()

    def restore_drafts(self) -> list[DraftInfo]:
        """Put the user's newest open draft for this client back into the editor (notes kept
        outside the database when it would not take them go back into it first)."""
        taken_back = journal_rescue.take_back_kept(self, self)
        found = self._open_drafts()
        if found is None:
            return []
        drafts = found
        if drafts and self._draft_id is None and not self.text():
            self.load_draft(drafts[0])
        if taken_back:
            self.load_entries()
            self.status_label.setText(journal_rescue.taken_back_text(taken_back))
        return drafts

    def _open_drafts(self) -> list[DraftInfo] | None:
        ctx = self._context
        found = run_query(
            self,
            lambda: journal_service.open_drafts(ctx.db, ctx.actor, self._client_id),
            on_error=lambda error: show_error(self, error),
        )
        return None if found is None else found.value

    def clear_editor(self) -> None:
        self._set_editor(
            draft_id=None,
            text="",
            entry_date=self._day(),
            category=JournalCategory.CONTACT,
            corrects_id=None,
        )

    def _on_content_changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._dirty = True
        self.autosave.changed()
        self._update_status()
        self._update_buttons()

    def save_now(self, *, on_error: Callable[[HemlosError], None] | None = None) -> bool:
        """Save the editor's text as a draft now if it changed; True when nothing is unsaved.
        A failure goes to ``on_error`` when given (else it is shown once and retried)."""
        self.autosave.stop()
        if not self._dirty:
            return True
        if self._draft_id is None and not self.text():
            self._dirty = False
            self._update_status()
            return True
        if not self._context.actor.can_write:
            return False
        ctx = self._context
        draft_id, corrects_id = self._draft_id, self._corrects_id
        entry_date = from_qdate(self.date_edit.date())
        category = JournalCategory(self.category_combo.currentData())
        text = self.text()
        saved = run_operation(
            self,
            ctx,
            lambda: journal_service.save_draft(
                ctx.db,
                ctx.actor,
                self._client_id,
                draft_id=draft_id,
                entry_date=entry_date,
                category=category,
                text=text,
                corrects_id=corrects_id,
            ),
            on_error=on_error or self._on_save_failed,
        )
        if saved is None:
            return False
        self._draft_id = saved.value
        self._dirty = False
        self._failed = False
        self._saved_at = dt.datetime.now().astimezone()
        self._update_status()
        self._update_buttons()
        self.sig_draft_saved.emit(self._draft_id)
        return True

    def _on_save_failed(self, error: HemlosError) -> None:
        """Keep the text, say so once, and try again later (and on every further change)."""
        log.warning("draft not saved: %s", type(error).__name__)
        first_failure = not self._failed
        self._failed = True
        self._update_status()
        self.autosave.retry_later()
        if first_failure:
            show_error(self, error)

    def save_pending(self) -> bool:
        """Save anything unsaved now (call before the widget goes away)."""
        return self.save_now()

    # -- kept outside the database when it will not take the note (journal_rescue) --------

    @property
    def context(self) -> UiContext:
        return self._context

    @property
    def client_id(self) -> int:
        return self._client_id

    def has_unsaved_text(self) -> bool:
        return self._dirty and (self._draft_id is not None or bool(self.text()))

    def note_in_editor(self) -> journal_rescue.NoteInEditor:
        return journal_rescue.NoteInEditor(
            client_id=self._client_id,
            draft_id=self._draft_id,
            entry_date=from_qdate(self.date_edit.date()),
            category=JournalCategory(self.category_combo.currentData()),
            text=self.text(),
            corrects_id=self._corrects_id,
        )

    def try_save(self) -> HemlosError | None:
        """Save now without showing a failure; the error if the database refused."""
        failures: list[HemlosError] = []
        self.save_now(on_error=failures.append)
        return failures[0] if failures else None

    def autosave_suspended(self) -> AbstractContextManager[None]:
        return self.autosave.suspend()

    def mark_kept_outside(self) -> None:
        self.autosave.stop()
        self._dirty = False
        self._failed = False
        self.status_label.setText(
            _("The note is kept in a file outside the database until it can be saved.")
        )

    # -- actions ------------------------------------------------------------------------

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def sign(self, *, confirm: bool = True) -> bool:
        """Save and sign the draft in the editor; True when it was signed."""
        if not self.text().strip():
            self.text_error.set_error(_("Write the note before signing it."))
            return False
        if confirm and not self._confirm(
            _("Sign the entry"),
            _("A signed entry can never be changed, only corrected. Sign the entry now?"),
        ):
            return False
        if not self.save_now() or self._draft_id is None:
            return False
        draft_id = self._draft_id
        ctx = self._context
        signed = run_operation(
            self,
            ctx,
            lambda: journal_service.sign_entry(ctx.db, ctx.actor, draft_id, today=self._today),
            field_errors=self._show_field_errors,
            on_error=lambda error: show_error(self, error),
        )
        if signed is None:
            return False
        self.clear_editor()
        self.load_entries()
        self.select_entry(draft_id)
        self.sig_entry_signed.emit(draft_id)
        return True

    def _show_field_errors(self, errors: list[FieldError]) -> None:
        rest = show_field_errors({"entry_date": self.date_error, "text": self.text_error}, errors)
        if rest:
            self.text_error.set_error("\n".join(rest))

    def _on_sign_clicked(self) -> None:
        self.sign()

    def start_correction(self, entry_id: int) -> bool:
        """Open a new correction draft of the signed entry ``entry_id`` in the editor."""
        if not self.save_now():
            return False
        ctx = self._context
        started = run_operation(
            self,
            ctx,
            lambda: journal_service.start_correction(ctx.db, ctx.actor, entry_id),
            on_error=lambda error: show_error(self, error),
        )
        drafts = self._open_drafts() if started is not None else None
        if started is None or drafts is None:
            return False
        draft = next((d for d in drafts if d.id == started.value), None)
        if draft is not None:
            self.load_draft(draft)
        self.load_entries()
        self.editor.setFocus()
        return True

    def _on_correction_clicked(self) -> None:
        entry = self.current_entry()
        if entry is not None and entry.signed:
            self.start_correction(entry.id)

    def continue_draft(self, draft_id: int) -> bool:
        if draft_id == self._draft_id:
            return True
        if not self.save_now():
            return False
        drafts = self._open_drafts()
        if drafts is None:
            return False
        draft = next((d for d in drafts if d.id == draft_id), None)
        if draft is None:
            return False
        self.load_draft(draft)
        self.load_entries()
        self.editor.setFocus()
        return True

    def _on_continue_clicked(self) -> None:
        entry = self.current_entry()
        if entry is not None and not entry.signed:
            self.continue_draft(entry.id)

    def new_entry(self) -> bool:
        if not self.save_now():
            return False
        self.clear_editor()
        self.load_entries()
        self.editor.setFocus()
        return True

    def _on_new_clicked(self) -> None:
        self.new_entry()

    def discard(self, *, confirm: bool = True) -> bool:
        if confirm and not self._confirm(
            _("Discard draft"), _("Delete this draft? The text cannot be brought back.")
        ):
            return False
        if self._draft_id is not None:
            ctx, draft_id = self._context, self._draft_id
            discarded = run_operation(
                self,
                ctx,
                lambda: journal_service.discard_draft(ctx.db, ctx.actor, draft_id),
                on_error=lambda error: show_error(self, error),
            )
            if discarded is None:
                return False
        self.clear_editor()
        self.load_entries()
        return True

    def _on_discard_clicked(self) -> None:
        self.discard()

    # -- never lose a word --------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        window = self.window()
        if window is not self:
            self.autosave.watch_window(window)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.save_now()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_now()
        super().closeEvent(event)
