"""The choice of a document's language: it follows the language the user works in (also when
that is switched while the program runs) until the user chooses another here."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from hemlos_desktop import i18n
from hemlos_desktop.ui.language import LANGUAGE_NAMES

PRINT_LANGUAGES = ("sv", "da", "en")  # as reports.context.REPORT_LANGUAGES


def session_print_language() -> str:
    """The language the user works in, as a document language."""
    language = i18n.current_language()
    return language if language in PRINT_LANGUAGES else "sv"


class PrintLanguageCombo(QComboBox):
    """Each language by its own name; follows the session until the user picks one."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for code in PRINT_LANGUAGES:
            self.addItem(LANGUAGE_NAMES[code], code)
        self.chosen_by_user = False
        self.activated.connect(self._on_activated)
        self.follow_session()

    def language(self) -> str:
        return str(self.currentData())

    def follow_session(self) -> None:
        """Show the session's language, unless the user has chosen (call on a switch)."""
        if not self.chosen_by_user:
            self.setCurrentIndex(max(0, self.findData(session_print_language())))

    def _on_activated(self, _index: int) -> None:
        self.chosen_by_user = True
