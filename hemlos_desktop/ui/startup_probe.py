"""A hidden start-up probe for tests and benchmarks: quit as soon as the main window is painted.

With the environment variable ``HEMLOS_EXIT_AFTER_SHOW=1`` the GUI prints
``hemlos-startup-shown <seconds>`` on stdout at the main window's first paint, then
``hemlos-startup-ready <seconds>`` once the database is open in it (seconds since the command
line started), and quits. Used by the start-up test and
``benchmarks/startup.py``; it changes nothing else.

Two more lines for the start-up benchmark: ``hemlos-startup-login <seconds>`` when the sign-in
dialog is first painted (the probe then ends the process: nobody is there to type), and
``hemlos-startup-unlocked-to-ready <seconds>`` from the data key unwrapped (a sign-in from the
environment) to the window painted with the client list in it.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV_EXIT_AFTER_SHOW = "HEMLOS_EXIT_AFTER_SHOW"
MARKER = "hemlos-startup-shown"
READY_MARKER = "hemlos-startup-ready"
LOGIN_MARKER = "hemlos-startup-login"
UNLOCKED_MARKER = "hemlos-startup-unlocked-to-ready"
# If no paint arrives (a broken platform plugin), give up rather than hang a test run.
TIMEOUT_MS = 30_000
TIMEOUT_EXIT_CODE = 3


def requested() -> bool:
    return os.environ.get(ENV_EXIT_AFTER_SHOW, "") not in ("", "0")


class _PaintWatcher(QObject):
    def __init__(self, *, app: QApplication, started: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._started = started
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            elapsed = time.perf_counter() - self._started
            print(f"{MARKER} {elapsed:.4f}", flush=True)
            self._quit_when_ready()
        return False

    def _quit_when_ready(self) -> None:
        """Quit once the window shows the areas (the database is open), and say when that was."""
        window = self.parent()
        if getattr(window, "attached", True):
            self._ready()
            return
        window.sig_attached.connect(self._ready)  # type: ignore[union-attr]

    def _ready(self) -> None:
        window = self.parent()
        if isinstance(window, QWidget) and _Unlocked.at is not None:
            window.repaint()  # the areas with the client list, painted now
            print(f"{UNLOCKED_MARKER} {time.perf_counter() - _Unlocked.at:.4f}", flush=True)
        elapsed = time.perf_counter() - self._started
        print(f"{READY_MARKER} {elapsed:.4f}", flush=True)
        QTimer.singleShot(0, self._app.quit)


class _Unlocked:
    at: float | None = None


def note_unlocked() -> None:
    """The data key has just been unwrapped (a sign-in from the environment)."""
    if requested():
        _Unlocked.at = time.perf_counter()


class _LoginWatcher(QObject):
    def __init__(self, *, started: float, parent: QObject) -> None:
        super().__init__(parent)
        self._started = started

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            print(f"{LOGIN_MARKER} {time.perf_counter() - self._started:.4f}", flush=True)
            sys.stderr.flush()
            os._exit(0)  # the dialog waits for a person; the probe has what it came for
        return False


def watch_login(dialog: QWidget, *, started: float) -> None:
    """Report the sign-in dialog's first paint and end the process (call before exec())."""
    if requested():
        dialog.installEventFilter(_LoginWatcher(started=started, parent=dialog))


def install(app: QApplication, window: QWidget, *, started: float) -> None:
    """Quit ``app`` after ``window``'s first paint (call before ``window.show()``)."""
    watcher = _PaintWatcher(app=app, started=started, parent=window)
    window.installEventFilter(watcher)

    def _timeout() -> None:
        print(f"{MARKER} timeout", file=sys.stderr, flush=True)
        app.exit(TIMEOUT_EXIT_CODE)

    QTimer.singleShot(TIMEOUT_MS, window, _timeout)
