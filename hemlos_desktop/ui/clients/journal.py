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

from babel.dates import format_date, format_datetime, format_time
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import JOURNAL_CATEGORY_LABELS, JournalCategory
from hemlos_desktop.models.validation import FieldError
from hemlos_desktop.services import journal as journal_service
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.services.journal import DraftInfo, JournalEntryInfo
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.errors import show_error
from hemlos_desktop.ui.operations import run_operation, run_query
from hemlos_desktop.ui.widgets.dates import from_qdate, make_date_edit, to_qdate
from hemlos_desktop.ui.widgets.field_error import FieldErrorLabel, show_field_errors

log = logging.getLogger(__name__)

AUTOSAVE_MS = 800
"""Pause after the last keystroke before the draft is saved."""
MAX_UNSAVED_MS = 1000
"""While the user types without pausing, save at least this often."""
RETRY_MS = 5000
"""After a failed save, try again this long after (and on every further change)."""
LIST_LIMIT = 50
"""Entries shown in the list (newest first)."""

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole


def local_time(value: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC; show them in the computer's time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone()


def category_label(category: JournalCategory) -> str:
    return _(JOURNAL_CATEGORY_LABELS[category])


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
        self._autosave_ms = autosave_ms
        self._max_unsaved_ms = max_unsaved_ms
        self._retry_ms = retry_ms
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
        self._watched_window: QWidget | None = None

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(autosave_ms)
        self._max_timer = QTimer(self)
        self._max_timer.setSingleShot(True)
        self._max_timer.setInterval(max_unsaved_ms)

        # Entries list.
        self.entries_tree = QTreeWidget()
        self.entries_tree.setColumnCount(4)
        self.entries_tree.setRootIsDecorated(True)
        self.entries_tree.setUniformRowHeights(True)
        self.entries_tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.entries_tree.header().setStretchLastSection(True)
        self.entry_view = QPlainTextEdit()
        self.entry_view.setReadOnly(True)
        self.new_button = QPushButton()
        self.continue_button = QPushButton()
        self.correction_button = QPushButton()

        # Editor.
        self.editor_box = QGroupBox()
        self.date_edit: QDateEdit = make_date_edit(self._day())
        self.category_combo = QComboBox()
        for category in JournalCategory:
            self.category_combo.addItem("", category.value)
        self.toolbar = QToolBar()
        self.undo_action = QAction(self)
        self.redo_action = QAction(self)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.correction_label = QLabel()
        self.correction_label.setWordWrap(True)
        self.correction_label.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.sign_button = QPushButton()
        self.discard_button = QPushButton()
        self.date_error = FieldErrorLabel()
        self.text_error = FieldErrorLabel()
        self._date_label = QLabel()
        self._category_label = QLabel()
        self._date_label.setBuddy(self.date_edit)
        self._category_label.setBuddy(self.category_combo)
        self._sign_shortcuts = [
            QShortcut(
                QKeySequence(seq), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
            for seq in ("Ctrl+Return", "Ctrl+Enter")
        ]

        self._build_layout()
        self._connect_signals()
        self.retranslate_ui()
        self.load_entries()

    # -- layout -------------------------------------------------------------------------

    def _build_layout(self) -> None:
        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.continue_button)
        buttons.addWidget(self.correction_button)
        buttons.addStretch(1)
        list_layout.addWidget(self.entries_tree, 3)
        list_layout.addLayout(buttons)
        list_layout.addWidget(self.entry_view, 2)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        date_box = QWidget()
        date_layout = QVBoxLayout(date_box)
        date_layout.setContentsMargins(0, 0, 0, 0)
        date_layout.setSpacing(2)
        date_layout.addWidget(self.date_edit)
        date_layout.addWidget(self.date_error)
        form.addRow(self._date_label, date_box)
        form.addRow(self._category_label, self.category_combo)
        editor_layout = QVBoxLayout(self.editor_box)
        editor_layout.addWidget(self.correction_label)
        editor_layout.addLayout(form)
        editor_layout.addWidget(self.toolbar)
        editor_layout.addWidget(self.editor, 1)
        editor_layout.addWidget(self.text_error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.discard_button)
        bottom.addWidget(self.sign_button)
        editor_layout.addLayout(bottom)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(list_box)
        splitter.addWidget(self.editor_box)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        unit = self.fontMetrics().height()
        self.editor.setMinimumHeight(unit * 8)
        self.entries_tree.setMinimumHeight(unit * 6)

    def _connect_signals(self) -> None:
        self._context.notifier.subscribe(self, ChangeKind.JOURNAL, self._on_changed)
        self._timer.timeout.connect(self._on_autosave_timeout)
        self._max_timer.timeout.connect(self._on_autosave_timeout)
        self.editor.textChanged.connect(self._on_content_changed)
        self.date_edit.dateChanged.connect(self._on_content_changed)
        self.category_combo.currentIndexChanged.connect(self._on_content_changed)
        self.editor.undoAvailable.connect(self.undo_action.setEnabled)
        self.editor.redoAvailable.connect(self.redo_action.setEnabled)
        self.undo_action.triggered.connect(self.editor.undo)
        self.redo_action.triggered.connect(self.editor.redo)
        self.editor.installEventFilter(self)
        self.sign_button.clicked.connect(self._on_sign_clicked)
        self.discard_button.clicked.connect(self._on_discard_clicked)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.continue_button.clicked.connect(self._on_continue_clicked)
        self.correction_button.clicked.connect(self._on_correction_clicked)
        self.entries_tree.currentItemChanged.connect(self._on_current_entry_changed)
        self.entries_tree.itemActivated.connect(self._on_entry_activated)
        for shortcut in self._sign_shortcuts:
            shortcut.activated.connect(self._on_sign_clicked)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_about_to_quit)

    def retranslate_ui(self) -> None:
        self.entries_tree.setHeaderLabels([_("Date"), _("Category"), _("Author"), _("Signed")])
        self.entries_tree.setAccessibleName(_("Journal entries"))
        self.entry_view.setAccessibleName(_("Selected journal entry"))
        self.entry_view.setPlaceholderText(_("Select an entry to read it in full."))
        self.new_button.setText(_("&New entry"))
        self.new_button.setAccessibleName(_("New entry"))
        self.continue_button.setText(_("C&ontinue draft"))
        self.continue_button.setAccessibleName(_("Continue draft"))
        self.correction_button.setText(_("Write &correction"))
        self.correction_button.setAccessibleName(_("Write correction"))
        self.editor_box.setTitle(_("Journal note"))
        self._date_label.setText(_("&Date:"))
        self._category_label.setText(_("Ca&tegory:"))
        self.date_edit.setAccessibleName(_("Date of the entry"))
        self.category_combo.setAccessibleName(_("Category"))
        for index in range(self.category_combo.count()):
            category = JournalCategory(self.category_combo.itemData(index))
            self.category_combo.setItemText(index, category_label(category))
        undo_keys = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        redo_keys = QKeySequence(QKeySequence.StandardKey.Redo).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.undo_action.setText(_("Undo"))
        self.undo_action.setToolTip(_("Undo ({keys})").format(keys=undo_keys))
        self.redo_action.setText(_("Redo"))
        self.redo_action.setToolTip(_("Redo ({keys})").format(keys=redo_keys))
        self.toolbar.setAccessibleName(_("Editing"))
        self.editor.setAccessibleName(_("Journal note text"))
        self.editor.setPlaceholderText(
            _("Write the note here. It is saved as a draft while you type.")
        )
        self.sign_button.setText(_("&Sign…"))
        self.sign_button.setAccessibleName(_("Sign the entry"))
        self.sign_button.setToolTip(_("Make the entry final (Ctrl+Return)"))
        self.discard_button.setText(_("Discard draft…"))
        self.discard_button.setAccessibleName(_("Discard draft"))
        self.status_label.setAccessibleName(_("Save status"))
        self._update_correction_label()
        self._update_status()
        self._render_entries()

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
        entries = list(self._entries.values())
        current = self.current_entry()
        tree = self.entries_tree
        tree.blockSignals(True)
        tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        # Originals first (newest first), then each correction under the entry it corrects.
        for entry in entries:
            if entry.corrects_id is None or entry.corrects_id not in self._entries:
                item = self._make_item(entry)
                tree.addTopLevelItem(item)
                items[entry.id] = item
        pending = [e for e in entries if e.id not in items]
        pending.sort(key=lambda e: e.id)
        while pending:
            progressed = False
            for entry in list(pending):
                parent = items.get(entry.corrects_id or -1)
                if parent is not None:
                    item = self._make_item(entry)
                    parent.addChild(item)
                    parent.setExpanded(True)
                    items[entry.id] = item
                    pending.remove(entry)
                    progressed = True
            if not progressed:
                for entry in pending:
                    tree.addTopLevelItem(self._make_item(entry))
                break
        tree.blockSignals(False)
        if current is not None and current.id in items:
            tree.setCurrentItem(items[current.id])
        self._show_entry(self.current_entry())
        self._update_correction_label()
        self._update_buttons()

    def _make_item(self, entry: JournalEntryInfo) -> QTreeWidgetItem:
        locale = i18n.active().babel_locale
        signed = (
            format_datetime(local_time(entry.signed_at), "short", locale=locale)
            if entry.signed_at is not None
            else _("Draft")
        )
        category = category_label(entry.category)
        if entry.corrects_id is not None:
            category = _("Correction: {category}").format(category=category)
        item = QTreeWidgetItem(
            [
                format_date(entry.entry_date, "medium", locale=locale),
                category,
                entry.author,
                signed,
            ]
        )
        item.setData(0, ENTRY_ID_ROLE, entry.id)
        preview = entry.text.strip().splitlines()[0][:200] if entry.text.strip() else ""
        item.setToolTip(0, preview)
        if not entry.signed:
            font = QFont(item.font(0))
            font.setItalic(True)
            for column in range(4):
                item.setFont(column, font)
        return item

    def current_entry(self) -> JournalEntryInfo | None:
        item = self.entries_tree.currentItem()
        if item is None:
            return None
        return self._entries.get(int(item.data(0, ENTRY_ID_ROLE)))

    def select_entry(self, entry_id: int) -> bool:
        for item in self._all_items():
            if int(item.data(0, ENTRY_ID_ROLE)) == entry_id:
                self.entries_tree.setCurrentItem(item)
                return True
        return False

    def _all_items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        tree = self.entries_tree
        stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item is None:
                continue
            found.append(item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        return found

    def _describe(self, entry: JournalEntryInfo) -> str:
        locale = i18n.active().babel_locale
        head = f"{format_date(entry.entry_date, 'medium', locale=locale)} · "
        head += f"{category_label(entry.category)} · {entry.author}"
        if entry.signed_at is not None:
            when = format_datetime(local_time(entry.signed_at), "short", locale=locale)
            head += "\n" + _("Signed {time}").format(time=when)
        else:
            head += "\n" + _("Draft (not signed)")
        return head + "\n\n" + entry.text

    def _show_entry(self, entry: JournalEntryInfo | None) -> None:
        if entry is None:
            self.entry_view.setPlainText("")
            return
        parts = []
        if entry.corrects_id is not None and entry.corrects_id in self._entries:
            parts.append(_("Corrects:") + "\n" + self._describe(self._entries[entry.corrects_id]))
            parts.append(_("Correction:") + "\n" + self._describe(entry))
        else:
            parts.append(self._describe(entry))
            for correction_id in entry.corrected_by_ids:
                correction = self._entries.get(correction_id)
                if correction is not None:
                    parts.append(_("Correction:") + "\n" + self._describe(correction))
        self.entry_view.setPlainText(("\n\n" + "—" * 20 + "\n\n").join(parts))

    def _on_current_entry_changed(self, *_args: object) -> None:
        self._show_entry(self.current_entry())
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
            self._timer.stop()
            self._max_timer.stop()
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
        """Put the user's newest open draft for this client back into the editor."""
        found = self._open_drafts()
        if found is None:
            return []
        drafts = found
        if drafts and self._draft_id is None and not self.text():
            self.load_draft(drafts[0])
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
        self._timer.start(self._autosave_ms)
        if not self._max_timer.isActive():
            self._max_timer.start(self._max_unsaved_ms)
        self._update_status()
        self._update_buttons()

    def _on_autosave_timeout(self) -> None:
        self.save_now()

    def save_now(self) -> bool:
        """Save the editor's text as a draft now if it changed; True when nothing is unsaved."""
        self._timer.stop()
        self._max_timer.stop()
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
            on_error=self._on_save_failed,
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
        self._timer.start(self._retry_ms)
        if first_failure:
            show_error(self, error)

    def save_pending(self) -> bool:
        """Save anything unsaved now (call before the widget goes away)."""
        return self.save_now()

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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if watched is self.editor and kind == QEvent.Type.FocusOut:
            self.save_now()
        elif watched is self._watched_window and kind == QEvent.Type.Close:
            self.save_now()
        return super().eventFilter(watched, event)

    def showEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        window = self.window()
        if window is not self and window is not self._watched_window:
            if self._watched_window is not None:
                self._watched_window.removeEventFilter(self)
            self._watched_window = window
            window.installEventFilter(self)
        super().showEvent(event)  # type: ignore[arg-type]

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.save_now()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_now()
        super().closeEvent(event)

    def _on_about_to_quit(self) -> None:
        try:
            self.save_now()
        except RuntimeError:  # the C++ widget is already gone
            pass
