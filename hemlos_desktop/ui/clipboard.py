"""Putting a secret (the recovery key) on the clipboard for a short while only."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

# The clipboard is shared with every other program: a secret is taken off it after a minute.
SECRET_CLIPBOARD_MS = 60_000


def copy_secret_to_clipboard(text: str, *, clear_after_ms: int = SECRET_CLIPBOARD_MS) -> QTimer:
    """Copy ``text`` to the clipboard and clear it after ``clear_after_ms`` unless something
    else was copied meanwhile. Returns the (running, single-shot) timer."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)
    # The timer belongs to the application, so closing the dialog does not keep the secret.
    timer = QTimer(QGuiApplication.instance())
    timer.setSingleShot(True)
    timer.setInterval(clear_after_ms)

    def clear() -> None:
        if clipboard.text() == text:
            clipboard.clear()
        timer.deleteLater()

    timer.timeout.connect(clear)
    timer.start()
    return timer
