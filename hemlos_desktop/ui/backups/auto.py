"""Automatic backups while the program runs: at most one a day, off the GUI thread.

A failed automatic backup is shown: in the status bar every time, and the first time also in
a message with what to do (``AutoBackupNotice``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMainWindow

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import backups
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.backups import BackupSummary
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.ui import errors as ui_errors
from hemlos_desktop.ui.tasks import BackgroundTask, run_in_background

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 60 * 60 * 1000  # look once an hour whether a backup is due
FIRST_CHECK_MS = 5 * 60 * 1000  # and a few minutes after start-up


class AutoBackup(QObject):
    """Asks the backup service every hour whether a backup is due, and makes it in a thread."""

    sig_backup_done = Signal(str)
    """An automatic backup was written; the argument is its path."""

    sig_backup_failed = Signal(object)
    """An automatic backup failed; the argument is the known error (a ``HemlosError``)."""

    def __init__(
        self,
        *,
        db: Database,
        actor: Actor | None = None,
        backup_dir: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._backup_dir = backup_dir
        self._task: BackgroundTask | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timeout)

    def start(self, first_check_ms: int = FIRST_CHECK_MS) -> None:
        self._timer.start()
        QTimer.singleShot(first_check_ms, self._on_timeout)

    def stop(self) -> None:
        self._timer.stop()

    def set_backup_dir(self, backup_dir: str) -> None:
        self._backup_dir = backup_dir

    def _on_timeout(self) -> None:
        if self._task is not None and self._task.is_running():
            return
        db, folder, actor = self._db, self._backup_dir, self._actor
        self._task = run_in_background(
            self,
            lambda: backups.back_up_if_due(db, folder, signed_in=actor).value,
            self._on_done,
            self._on_failed,
        )

    def wait(self, timeout: float = 30.0) -> None:
        """Wait for a running backup to finish (on exit and in tests)."""
        if self._task is not None:
            self._task.wait(int(timeout * 1000))

    def _on_done(self, summary: BackupSummary | None) -> None:
        if summary is not None:
            log.info("automatic backup written")
            self.sig_backup_done.emit(str(summary.path))

    def _on_failed(self, error: BaseException) -> None:
        known = classify(error)
        if known is None:
            # Not a known failure: logged without its message (it may quote data).
            log.error("automatic backup failed unexpectedly: %s", type(error).__name__)
            return
        log.warning("automatic backup failed: %s", type(known).__name__)
        self.sig_backup_failed.emit(known)


class AutoBackupNotice(QObject):
    """Shows failed automatic backups in the window's status bar, and the first one also in a
    message with what to do; a later successful backup clears the status bar."""

    def __init__(self, *, window: QMainWindow, auto: AutoBackup) -> None:
        super().__init__(window)
        self._window = window
        self._told = False
        auto.sig_backup_failed.connect(self._on_failed)
        auto.sig_backup_done.connect(self._on_done)

    def _on_failed(self, error: object) -> None:
        if not isinstance(error, HemlosError):
            return
        text = _("Automatic backup failed: {reason}").format(reason=error.title())
        self._window.statusBar().showMessage(text)
        if not self._told:
            self._told = True
            ui_errors.show_error(self._window, error)

    def _on_done(self, _path: str) -> None:
        self._window.statusBar().showMessage(_("Automatic backup written"), 5000)


def install_auto_backup(
    window: QMainWindow, *, db: Database, actor: Actor | None = None, backup_dir: str
) -> AutoBackup:
    """Start the automatic backups of ``db`` for ``window``, with failures shown in it; each
    is written to the access log under ``actor``, the person signed in."""
    auto = AutoBackup(db=db, actor=actor, backup_dir=backup_dir, parent=window)
    AutoBackupNotice(window=window, auto=auto)
    auto.start()
    return auto
