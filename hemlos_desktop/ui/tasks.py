"""Long work off the GUI thread, with a progress dialog and a cancel button.

The work function runs in a worker thread and must not touch widgets; it reports progress
through the callback it is given and checks ``cancelled()`` between steps. Known errors come
back to the GUI thread and are shown there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from hemlos_desktop.i18n import gettext as _

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
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

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
    if isinstance(worker.error, Cancelled):
        return None
    if worker.error is not None:
        raise worker.error
    result: T = worker.result
    return result
