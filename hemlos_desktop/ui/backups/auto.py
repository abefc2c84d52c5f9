"""Automatic backups while the program runs: at most one a day, off the GUI thread."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.services import backups
from hemlos_desktop.storage import Database

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 60 * 60 * 1000  # look once an hour whether a backup is due
FIRST_CHECK_MS = 5 * 60 * 1000  # and a few minutes after start-up


class AutoBackup(QObject):
    """Asks the backup service every hour whether a backup is due, and makes it in a thread."""

    sig_backup_done = Signal(str)
    """An automatic backup was written; the argument is its path."""

    sig_backup_failed = Signal(str)
    """An automatic backup failed; the argument is the translated message."""

    def __init__(
        self, *, db: Database, backup_dir: str = "", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._backup_dir = backup_dir
        self._running = threading.Lock()
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
        if not self._running.acquire(blocking=False):
            return
        thread = threading.Thread(target=self._work, name="auto-backup", daemon=True)
        thread.start()

    def wait(self, timeout: float = 30.0) -> None:
        """Wait for a running backup to finish (used on exit and in tests)."""
        if self._running.acquire(timeout=timeout):
            self._running.release()

    def _work(self) -> None:
        try:
            summary = backups.back_up_if_due(self._db, self._backup_dir).value
        except HemlosError as exc:
            log.warning("automatic backup failed: %s", type(exc).__name__)
            self.sig_backup_failed.emit(exc.message())
        except Exception:
            log.exception("automatic backup failed unexpectedly")
        else:
            if summary is not None:
                log.info("automatic backup written")
                self.sig_backup_done.emit(str(summary.path))
        finally:
            self._running.release()
