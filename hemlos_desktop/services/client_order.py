"""Alphabetical order of clients in the language's order, as SQL expressions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, case, func

from hemlos_desktop.models.client import Client
from hemlos_desktop.models.text import SORT_KEY_FUNCTION


def sort_name(language: str) -> ColumnElement[str]:
    """Surname for sorting in ``language``'s alphabetical order; a person known only by an
    alias (or a first name) sorts by that."""
    surname_or_other = case(
        (Client.last_name == "", Client.first_name + " " + Client.alias), else_=Client.last_name
    )
    return locale_key(surname_or_other, language)


def sort_first_name(language: str) -> ColumnElement[str]:
    return locale_key(Client.first_name, language)


def locale_key(column: Any, language: str) -> ColumnElement[str]:
    """``column`` as a key in ``language``'s alphabetical order (``models.text.sort_key``)."""
    key: ColumnElement[str] = getattr(func, SORT_KEY_FUNCTION)(column, language, type_=String)
    return key
