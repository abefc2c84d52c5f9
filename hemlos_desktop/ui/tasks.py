"""The one way work leaves the GUI thread: a ``QThread`` per piece of work.

Two entries use it: ``run_with_progress`` (modal, with a progress dialog and a cancel button;
the operation runner's background path) and ``run_in_background`` (not modal: searches, the
client picker, automatic backups; the result comes back to a callback on the GUI thread).
The work function runs in the worker thread and never touches widgets; it reports progress
through the callback it is given and checks ``cancelled()`` between steps. Errors come back
to the GUI thread and are handled there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.ui.memory_release import schedule_memory_release

T = TypeVar("T")
Progress = Callable[[int, int], None]
Work = Callable[[Progress, Callable[[], bool]], T]


class Cancelled(Exception):
    """Raised inside the work function (via the progress callback) when the user cancels."""


class _Worker(QThread):
    sig_progress = Signal(int, int)
    """Emitted with (done, total) from the worker thread."""

    def __init__(self, work: Work[Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancelled = False
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        self._cancelled = True

    def _progress(self, done: int, total: int) -> None:
        if self._cancelled:
            raise Cancelled
        self.sig_progress.emit(done, total)

    def run(self) -> None:
        try:
            self.result = self._work(self._progress, lambda: self._cancelled)
        except BaseException as exc:  # handed to the GUI thread, shown there
            self.error = exc


def run_with_progress(parent: QWidget | None, title: str, label: str, work: Work[T]) -> T | None:
    """Run ``work`` in a thread while a modal progress dialog shows; None if cancelled."""
    dialog = QProgressDialog(label, _("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setAccessibleName(title)
    worker = _Worker(work)

    def on_progress(done: int, total: int) -> None:
        if dialog.wasCanceled():
            worker.cancel()
            return
        if total <= 0:  # how much there is to do is not known: a busy indicator
            dialog.setMaximum(0)
            return
        dialog.setMaximum(total)
        dialog.setValue(min(done, total))

    loop = QEventLoop()
    worker.sig_progress.connect(on_progress)
    dialog.canceled.connect(worker.cancel)
    worker.finished.connect(loop.quit)
    worker.start()
    dialog.show()
    if not worker.isFinished():
        loop.exec()
    worker.wait()
    dialog.close()
    dialog.deleteLater()
    schedule_memory_release()
    if isinstance(worker.error, Cancelled):
        return None
    if worker.error is not None:
        raise worker.error
    result: T = worker.result
    return result


class _Relay(QObject):
    """Made on the GUI thread: a finished worker's result is delivered here through a queued
    connection, so the callbacks run on the GUI thread (and only while the owner lives)."""

    def __init__(
        self,
        owner: QObject,
        worker: _Worker,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__()
        self._owner = owner
        self._worker = worker
        self._on_done = on_done
        self._on_error = on_error

    @Slot()
    def deliver(self) -> None:
        worker = self._worker
        worker.wait()
        # Dropped later, not inside this slot: the objects go once the event loop runs again.
        QTimer.singleShot(0, lambda: _running.pop(worker, None))
        schedule_memory_release()
        if not shiboken6.isValid(self._owner):
            return
        if worker.error is not None:
            self._on_error(worker.error)
        else:
            self._on_done(worker.result)


class BackgroundTask:
    """A handle on work started by ``run_in_background``."""

    def __init__(self, worker: _Worker) -> None:
        self._worker = worker

    def cancel(self) -> None:
        """Ask the work to stop (it sees ``cancelled()`` or its next progress call raises)."""
        self._worker.cancel()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until the work is finished (on exit and in tests); False on time-out."""
        return self._worker.wait(timeout_ms)

    def is_running(self) -> bool:
        return self._worker.isRunning()


# Work still running or not yet delivered, with its relay; kept here so neither is destroyed
# while its thread runs.
_running: dict[_Worker, _Relay] = {}


def run_in_background(
    owner: QObject,
    work: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None],
) -> BackgroundTask:
    """Run ``work()`` on a worker thread; then ``on_done(result)`` or ``on_error(exception)``
    on the GUI thread, unless ``owner`` was destroyed meanwhile."""
    worker = _Worker(lambda _progress, _cancelled: work())
    relay = _Relay(owner, worker, on_done, on_error)
    worker.finished.connect(relay.deliver)
    _running[worker] = relay
    worker.start()
    return BackgroundTask(worker)


def wait_for_background_work(timeout_ms: int = 30_000) -> None:
    """Wait for every worker still running (the application is closing)."""
    for worker in list(_running):
        worker.wait(timeout_ms)
