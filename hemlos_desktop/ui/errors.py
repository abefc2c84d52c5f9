"""Showing known errors, and catching bugs: excepthook, crash dialog, Qt message handler."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.storage.errors import classify

log = logging.getLogger(__name__)
qt_log = logging.getLogger("qt")


def show_error(parent: QWidget | None, error: HemlosError) -> None:
    """A translated message box: what happened and what to do next."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(error.title())
    box.setText(error.message())
    if error.advice():
        box.setInformativeText(error.advice())
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAccessibleName(error.title())
    box.exec()


def show_crash_dialog(parent: QWidget | None) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Unexpected error"))
    box.setText(_("Hemlös Desktop ran into an unexpected error."))
    box.setInformativeText(
        _(
            "What you have saved is safe. A technical description (without personal data) was "
            "written to the log file; please tell your IT department."
        )
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    known = classify(exc)
    if known is not None:
        log.warning("known error reached the event loop: %s", type(known).__name__)
        show_error(QApplication.activeWindow(), known)
        return
    # Only the exception type and the code locations are logged: exception messages (and even
    # source lines) can quote data, so they are left out.
    stack = "\n".join(
        f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}'
        for frame in traceback.extract_tb(tb)
    )
    log.error("unexpected error %s\n%s", exc_type.__name__, stack)
    if QApplication.instance() is not None:
        show_crash_dialog(QApplication.activeWindow())


def install_excepthook() -> None:
    sys.excepthook = _excepthook


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


# Messages Qt's headless platform plugins print on every start; they say nothing about us.
_HARMLESS_QT_MESSAGES: tuple[str, ...] = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
)


def _qt_message_handler(mode: QtMsgType, _context: object, message: str) -> None:
    level = _QT_LEVELS.get(mode, logging.WARNING)
    if message.startswith(_HARMLESS_QT_MESSAGES):
        level = logging.DEBUG
    qt_log.log(level, "%s", message)


def install_qt_message_handler() -> None:
    qInstallMessageHandler(_qt_message_handler)
