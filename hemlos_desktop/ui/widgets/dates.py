"""Dates in forms: conversion to and from Qt, and date edits in the user's language."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit

from hemlos_desktop import i18n

# Written out rather than taken from QLocale: Qt's short formats use two-digit years, which are
# ambiguous for birth dates a century apart.
_FORMATS = {"sv": "yyyy-MM-dd", "da": "dd.MM.yyyy", "en": "dd/MM/yyyy"}
EARLIEST = QDate(1900, 1, 1)


def date_entry_format() -> str:
    """The display format for date edits in the active language."""
    return _FORMATS.get(i18n.current_language(), "yyyy-MM-dd")


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def make_date_edit(value: dt.date) -> QDateEdit:
    """A date edit with a calendar, in the language's format, set to ``value``."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(date_entry_format())
    edit.setMinimumDate(EARLIEST)
    edit.setDate(to_qdate(value))
    return edit
