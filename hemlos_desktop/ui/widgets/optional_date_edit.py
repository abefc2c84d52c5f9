"""A date edit that also allows "no date" (shown as an empty field)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.ui.widgets.dates import date_entry_format

_NO_DATE = QDate(1800, 1, 1)


class OptionalDateEdit(QDateEdit):
    """Date edit in the language's format; its lowest value means "no date" (Delete clears it)."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(date_entry_format())
        self.setCalendarPopup(True)
        self.setMinimumDate(_NO_DATE)
        self.setMaximumDate(QDate(2200, 12, 31))
        self.setSpecialValueText(" ")
        self.setDate(_NO_DATE)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setToolTip(_("Year-month-day. Delete clears the date."))

    def date_value(self) -> dt.date | None:
        value = self.date()
        if value == _NO_DATE or not value.isValid():
            return None
        return dt.date(value.year(), value.month(), value.day())

    def set_date_value(self, value: dt.date | None) -> None:
        if value is None:
            self.setDate(_NO_DATE)
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not self.isReadOnly() and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self.date_value() is None or self.lineEdit().selectedText() == self.text():
                self.set_date_value(None)
                return
        super().keyPressEvent(event)
