"""When the journal's draft is saved: after a pause in typing, at least every so often while the
user types on, again a while after a failed save, when the editor loses focus, when its window
closes and when the application quits. What is saved is the journal widget's business; this
object only calls its ``save`` at the right moments. The intervals are arguments, so tests
(and settings) can make them short."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

AUTOSAVE_MS = 800
"""Pause after the last keystroke before the draft is saved."""
MAX_UNSAVED_MS = 1000
"""While the user types without pausing, save at least this often."""
RETRY_MS = 5000
"""After a failed save, try again this long after (and on every further change)."""


class AutosaveTimer(QObject):
    """Calls ``save()`` at the moments listed above; a child of the journal widget."""

    def __init__(
        self,
        *,
        save: Callable[[], object],
        editor: QWidget,
        before_close: Callable[[], bool] | None = None,
        before_quit: Callable[[], object] | None = None,
        autosave_ms: int = AUTOSAVE_MS,
        max_unsaved_ms: int = MAX_UNSAVED_MS,
        retry_ms: int = RETRY_MS,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._save = save
        # On the window's close: True lets it close (default: save); at quit: save or keep.
        self._before_close = before_close
        self._before_quit = before_quit or save
        self._editor = editor
        self._retry_ms = retry_ms
        self._window: QWidget | None = None
        self.suspended = False  # while the close question is open: no saves behind it
        self.pause_timer = QTimer(self)
        self.pause_timer.setSingleShot(True)
        self.pause_timer.setInterval(autosave_ms)
        self.max_timer = QTimer(self)
        self.max_timer.setSingleShot(True)
        self.max_timer.setInterval(max_unsaved_ms)
        self.pause_timer.timeout.connect(self._on_timeout)
        self.max_timer.timeout.connect(self._on_timeout)
        editor.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_about_to_quit)

    def changed(self) -> None:
        """The text changed: save after the pause, and no later than the maximum."""
        self.pause_timer.start()
        if not self.max_timer.isActive():
            self.max_timer.start()

    def stop(self) -> None:
        self.pause_timer.stop()
        self.max_timer.stop()

    @contextlib.contextmanager
    def suspend(self) -> Iterator[None]:
        """No saves while this lasts (a question about the unsaved note is open)."""
        self.stop()
        self.suspended = True
        try:
            yield
        finally:
            self.suspended = False

    def retry_later(self) -> None:
        self.pause_timer.start(self._retry_ms)

    def watch_window(self, window: QWidget) -> None:
        """Save when ``window`` (the one the widget is shown in) closes."""
        if window is self._window:
            return
        if self._window is not None:
            self._window.removeEventFilter(self)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if self.suspended:
            return super().eventFilter(watched, event)
        if watched is self._window and kind == QEvent.Type.Close:
            if self._before_close is None:
                self._save()
            elif not self._before_close():
                event.ignore()  # the user chose to stay: the window does not close
                return True
        elif watched is self._editor and kind == QEvent.Type.FocusOut:
            self._save()
        return super().eventFilter(watched, event)

    def _on_timeout(self) -> None:
        if not self.suspended:
            self._save()

    def _on_about_to_quit(self) -> None:
        try:
            self._before_quit()
        except RuntimeError:  # the C++ widget is already gone
            pass
