"""Qt's own catalogs (``qtbase_sv.qm``, ``qtbase_da.qm``): loading them, and a report of what
they translate, for ``check --json``.

QtCore only (no widgets), so the command line can report on the catalogs without starting a
GUI: the same loading code as the program's, asked the same question a dialog's button box
asks Qt ("Cancel" in the context ``QPlatformTheme``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator

# What QDialogButtonBox shows on its Cancel button, as Qt itself asks for it.
SAMPLE_CONTEXT = "QPlatformTheme"
SAMPLE_TEXT = "Cancel"


def catalog_folder() -> Path:
    """Where Qt's translations are: in the Qt of the running program (the frozen build's
    own copy in ``_internal/PySide6/Qt/translations``)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def load_qt_catalog(language: str, parent: QObject | None = None) -> QTranslator | None:
    """Qt's catalog for ``language``, loaded; None for English (Qt's source language) or when
    the file is missing."""
    if language == "en":
        return None
    translator = QTranslator(parent)
    if translator.load(f"qtbase_{language}", str(catalog_folder())):
        return translator
    return None


def qt_translation_state(language: str) -> dict[str, Any]:
    """For ``check --json``: the language, the catalog file loaded (or None) and what the
    Cancel button of Qt's standard dialogs reads with it."""
    translator = load_qt_catalog(language)
    if translator is None:
        return {"language": language, "catalog": None, "cancel": SAMPLE_TEXT}
    app = QCoreApplication.instance()
    if app is None:
        sample = translator.translate(SAMPLE_CONTEXT, SAMPLE_TEXT) or SAMPLE_TEXT
    else:  # asked through the application, as a dialog asks
        app.installTranslator(translator)
        try:
            sample = QCoreApplication.translate(SAMPLE_CONTEXT, SAMPLE_TEXT)
        finally:
            app.removeTranslator(translator)
    return {"language": language, "catalog": translator.filePath(), "cancel": sample}
