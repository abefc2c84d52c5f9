"""Switching the UI language: our gettext catalog plus Qt's own translations."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from hemlos_desktop import i18n

# Names of the languages in themselves: never translated.
LANGUAGE_NAMES: dict[str, str] = {"sv": "Svenska", "da": "Dansk", "en": "English"}


class LanguageManager(QObject):
    """Owns the QTranslator for Qt's standard texts and announces language changes."""

    sig_language_changed = Signal(str)
    """Emitted with the new language code after the catalogs are switched."""

    def __init__(
        self, app: QApplication, *, locked: bool = False, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._app = app
        # True when IT's system-wide settings lock the language: menus and the sign-in dialog
        # offer no choice.
        self.locked = locked
        self._qt_translator: QTranslator | None = None
        self.language = i18n.current_language()

    def apply(self, language: str) -> None:
        language = i18n.normalise_language(language)
        i18n.set_language(language)
        if self._qt_translator is not None:
            self._app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        if language != "en":
            translator = QTranslator(self)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load(f"qtbase_{language}", folder):
                self._app.installTranslator(translator)
                self._qt_translator = translator
        QLocale.setDefault(QLocale(i18n.translator_for(language).babel_locale.language))
        self.language = language
        self.sig_language_changed.emit(language)
