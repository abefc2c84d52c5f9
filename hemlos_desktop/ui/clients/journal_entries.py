"""The journal's list of entries: newest first, each correction under the entry it corrects,
and the chosen entry (with its corrections) in full below."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import JOURNAL_CATEGORY_LABELS, JournalCategory
from hemlos_desktop.services.journal import JournalEntryInfo

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole


def local_time(value: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC; show them in the computer's time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone()


def category_label(category: JournalCategory) -> str:
    return _(JOURNAL_CATEGORY_LABELS[category])


class JournalEntriesPanel(QWidget):
    """The entries tree, the buttons under it and the chosen entry in full."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: dict[int, JournalEntryInfo] = {}
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.entry_view = QPlainTextEdit()
        self.entry_view.setReadOnly(True)
        self.new_button = QPushButton()
        self.continue_button = QPushButton()
        self.correction_button = QPushButton()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.continue_button)
        buttons.addWidget(self.correction_button)
        buttons.addStretch(1)
        layout.addWidget(self.tree, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.entry_view, 2)
        self.tree.setMinimumHeight(self.fontMetrics().height() * 6)
        self.tree.currentItemChanged.connect(self._on_current_changed)

    def retranslate_ui(self) -> None:
        self.tree.setHeaderLabels([_("Date"), _("Category"), _("Author"), _("Signed")])
        self.tree.setAccessibleName(_("Journal entries"))
        self.entry_view.setAccessibleName(_("Selected journal entry"))
        self.entry_view.setPlaceholderText(_("Select an entry to read it in full."))
        self.new_button.setText(_("&New entry"))
        self.new_button.setAccessibleName(_("New entry"))
        self.continue_button.setText(_("C&ontinue draft"))
        self.continue_button.setAccessibleName(_("Continue draft"))
        self.correction_button.setText(_("Write &correction"))
        self.correction_button.setAccessibleName(_("Write correction"))
        self._render_entries()

    def set_entries(self, entries: dict[int, JournalEntryInfo]) -> None:
        self._entries = dict(entries)
        self._render_entries()

    def _on_current_changed(self, *_args: object) -> None:
        self._show_entry(self.current_entry())

    def _render_entries(self) -> None:
        entries = list(self._entries.values())
        current = self.current_entry()
        tree = self.tree
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
        item = self.tree.currentItem()
        if item is None:
            return None
        return self._entries.get(int(item.data(0, ENTRY_ID_ROLE)))

    def select_entry(self, entry_id: int) -> bool:
        for item in self._all_items():
            if int(item.data(0, ENTRY_ID_ROLE)) == entry_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _all_items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        tree = self.tree
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
