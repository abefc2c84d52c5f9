"""A date edit that also allows "no date" (shown as an empty field)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
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
        super().keyPressEvent(event)
