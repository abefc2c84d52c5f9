"""Dates in forms: conversion to and from Qt, and date edits in the user's language."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from hemlos_desktop import i18n

# Written out rather than taken from QLocale: Qt's short formats use two-digit years, which are
# ambiguous for birth dates a century apart.
_FORMATS = {"sv": "yyyy-MM-dd", "da": "dd.MM.yyyy", "en": "dd/MM/yyyy"}
EARLIEST = QDate(1900, 1, 1)
# The one "no date" of every optional date edit: below any date a person can enter (the edits
# start at EARLIEST), shown as an empty field.
NO_DATE = QDate(1800, 1, 1)
LATEST = QDate(2200, 12, 31)


def date_entry_format() -> str:
    """The display format for date edits in the active language."""
    return _FORMATS.get(i18n.current_language(), "yyyy-MM-dd")


def follow_language(root: QWidget) -> None:
    """After a language switch: every date edit below ``root`` in the new language's format
    (a format is set when an edit is made, so edits made before the switch kept the old one)."""
    fmt = date_entry_format()
    for edit in root.findChildren(QDateEdit):
        if edit.displayFormat() != fmt:
            edit.setDisplayFormat(fmt)


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def to_optional_qdate(value: dt.date | None) -> QDate:
    """``value`` for an optional date edit (None: :data:`NO_DATE`)."""
    return NO_DATE if value is None else to_qdate(value)


def from_optional_qdate(value: QDate) -> dt.date | None:
    """The date of an optional date edit; None for :data:`NO_DATE` (or an invalid date)."""
    if value == NO_DATE or not value.isValid():
        return None
    return from_qdate(value)


def make_date_edit(value: dt.date) -> QDateEdit:
    """A date edit with a calendar, in the language's format, set to ``value``."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(date_entry_format())
    edit.setMinimumDate(EARLIEST)
    edit.setDate(to_qdate(value))
    return edit


def local_time(value: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC; show them in the computer's time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone()


def format_local_datetime(value: dt.datetime) -> str:
    """A stored (UTC) time as the interface language writes a date and time, in local time."""
    local = local_time(value).replace(tzinfo=None)
    return i18n.active().format_datetime(local, "medium")
