"""Date entry in the user's language: the locale's short date with a four-digit year."""

from __future__ import annotations

from hemlos_desktop import i18n

# Written out rather than taken from QLocale: Qt's short formats use two-digit years, which are
# ambiguous for birth dates a century apart.
_FORMATS = {"sv": "yyyy-MM-dd", "da": "dd.MM.yyyy", "en": "dd/MM/yyyy"}


def date_entry_format() -> str:
    """The display format for date edits in the active language."""
    return _FORMATS.get(i18n.current_language(), "yyyy-MM-dd")
