"""Switching the UI language: our gettext catalog plus Qt's own translations."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, Qt, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from hemlos_desktop import i18n
from hemlos_desktop.i18n import N_
from hemlos_desktop.i18n.qt_catalogs import load_qt_catalog

# Names of the languages in themselves: never translated.
LANGUAGE_NAMES: dict[str, str] = {"sv": "Svenska", "da": "Dansk", "en": "English"}


# Qt's own texts that Qt's Swedish or Danish catalogs lack (Qt 6's Danish file dialog says
# "Look in:" and "Files of type:"), keyed by Qt's translation context; ours translate them.
QT_GAPS: dict[str, tuple[str, ...]] = {
    "QFileDialog": (N_("&Look in:"), N_("Files of &type:")),
}


class _QtGapsTranslator(QTranslator):
    """Answers only for ``QT_GAPS``, from our catalog; Qt's catalogs answer everything else."""

    def translate(  # noqa: D102 - Qt override
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if source in QT_GAPS.get(context, ()):
            return i18n.gettext(source)
        return None  # a null string: "no translation here", so Qt asks its own catalogs

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


class LanguageManager(QObject):
    """Owns the QTranslator for Qt's standard texts and announces language changes."""

    sig_language_changed = Signal(str)
    """Emitted with the new language code after the catalogs are switched."""

    def __init__(
        self,
        app: QApplication,
        *,
        locked: bool = False,
        own_dialogs_later: bool = False,
        parent: QObject | None = None,
    ) -> None:
        """``own_dialogs_later``: the caller calls :meth:`use_own_dialogs` itself, after the
        first window has painted (the start: Python's view of Qt's ``Qt`` namespace takes
        tens of milliseconds to build, and the sign-in dialog does not need it)."""
        super().__init__(parent)
        self._app = app
        # True when IT's system-wide settings lock the language: menus and the sign-in dialog
        # offer no choice.
        self.locked = locked
        self._qt_translator: QTranslator | None = None
        self._gaps = _QtGapsTranslator(self)
        if not own_dialogs_later:
            self.use_own_dialogs()
        self.language = i18n.current_language()

    def use_own_dialogs(self) -> None:
        """Qt's own file dialogs rather than the system's, so that they speak the program's
        language (a Danish user on a Swedish Windows gets Danish dialogs)."""
        self._app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)

    def apply(self, language: str) -> None:
        language = i18n.normalise_language(language)
        i18n.set_language(language)
        if self._qt_translator is not None:
            self._app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        translator = load_qt_catalog(language, self)
        if translator is not None:
            self._app.installTranslator(translator)
            self._qt_translator = translator
        # Installed last, so asked first; it answers only for the texts Qt's catalogs lack.
        self._app.removeTranslator(self._gaps)
        if language != "en":
            self._app.installTranslator(self._gaps)
        # (The language code itself, not Babel's locale: that loads Babel's data at start-up.)
        QLocale.setDefault(QLocale(language))
        self.language = language
        self.sig_language_changed.emit(language)
