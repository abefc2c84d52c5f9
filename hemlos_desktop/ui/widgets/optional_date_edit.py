"""A date edit that also allows "no date" (shown as an empty field)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.ui.widgets.dates import (
    LATEST,
    NO_DATE,
    date_entry_format,
    from_optional_qdate,
    to_optional_qdate,
)

SEPARATORS = frozenset("-./")


class OptionalDateEdit(QDateEdit):
    """Date edit in the language's format; its lowest value means "no date" (Delete clears it)."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(date_entry_format())
        self.setCalendarPopup(True)
        self.setMinimumDate(NO_DATE)
        self.setMaximumDate(LATEST)
        self.setSpecialValueText(" ")
        self.setDate(NO_DATE)
        self._advanced = False  # the last digit filled a part and moved to the next
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setToolTip(_("Year-month-day. Delete clears the date."))

    def date_value(self) -> dt.date | None:
        return from_optional_qdate(self.date())

    def set_date_value(self, value: dt.date | None) -> None:
        self.setDate(to_optional_qdate(value))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self.isReadOnly() and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self.date_value() is None or self.lineEdit().selectedText() == self.text():
                self.set_date_value(None)
                return
        text = event.text()
        if text in SEPARATORS and self._advanced:
            # The part was full and the edit moved on by itself: the typed separator is done.
            self._advanced = False
            return
        if not self.isReadOnly() and self.date_value() is None and text.isdigit():
            # Typing into the empty field starts a date from its first part (the year in
            # Swedish, the day in Danish), so "19850312" is 1985-03-12, not garbage.
            self.setDate(QDate.currentDate())
            self.setCurrentSectionIndex(0)
            self.setSelectedSection(self.sectionAt(0))
        section = self.currentSectionIndex()
        super().keyPressEvent(event)
        self._advanced = text.isdigit() and self.currentSectionIndex() > section
