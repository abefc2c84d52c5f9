"""One GUI per data folder: the running program answers on a local socket.

The first GUI takes the data folder's OS lock (``storage.instance.InstanceLock``) and listens on
a ``QLocalServer`` named from a hash of the data folder path (``instance_key``; no user name or
path in it, and only the same user may connect). A second start finds the lock held, asks the
first over the socket to bring its window to the front, and exits with status 0. If the lock
is held but nobody answers (another user, or another program such as a restore), the second
start raises ``AnotherInstanceError``.
"""

from __future__ import annotations

import enum
import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer
    from PySide6.QtWidgets import QWidget

from hemlos_desktop.errors import AnotherInstanceError
from hemlos_desktop.storage.instance import InstanceLock, instance_key
from hemlos_desktop.storage.paths import DataLocation

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"
ACKNOWLEDGED = b"ok\n"
ANSWER_TIMEOUT_MS = 2000
# A program that has just taken the folder starts to listen once its first window has painted
# (QtNetwork loads then): a second start asks a few times before it gives up.
ASK_ATTEMPTS = 4
ASK_PAUSE_S = 0.25


class StartOutcome(enum.Enum):
    FIRST = "first"  # this process holds the data folder now
    ACTIVATED_OTHER = "activated-other"  # the running program was asked to show its window


def ask_running_instance(name: str, *, timeout_ms: int = ANSWER_TIMEOUT_MS) -> bool:
    """Ask the program listening on ``name`` to show its window; True when it answered."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    try:
        socket.write(ACTIVATE)
        socket.flush()
        socket.waitForBytesWritten(timeout_ms)
        answer = b""
        while ACKNOWLEDGED not in answer and socket.waitForReadyRead(timeout_ms):
            answer += bytes(socket.readAll().data())
        return ACKNOWLEDGED in answer
    finally:
        socket.disconnectFromServer()


class SingleInstance(QObject):
    """Holds the data folder for this GUI and answers later starts."""

    sig_activation_requested = Signal()
    """Another start on the same data folder asked this program to show its window."""

    def __init__(self, *, location: DataLocation, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.location = location
        self.name = instance_key(location.folder)
        self.lock = InstanceLock(location)
        self._server: QLocalServer | None = None

    def start(self, *, listen: bool = True) -> StartOutcome:
        """Take the data folder, or hand over to the program that has it. With ``listen``
        False, :meth:`listen` is called later (the start does so after its first paint).

        Raises AnotherInstanceError when the folder is held but nobody answers.
        """
        try:
            self.lock.acquire()
        except AnotherInstanceError:
            for attempt in range(ASK_ATTEMPTS):
                if attempt:
                    time.sleep(ASK_PAUSE_S)
                if ask_running_instance(self.name):
                    log.info("another window is open on this data folder; asked it to show itself")
                    return StartOutcome.ACTIVATED_OTHER
            raise
        if listen:
            self.listen()
        return StartOutcome.FIRST

    def listen(self) -> None:
        """Answer later starts on this data folder (once)."""
        if self._server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # We hold the lock, so a socket left by a killed predecessor is stale: remove it.
        QLocalServer.removeServer(self.name)
        if not server.listen(self.name):
            log.warning("could not listen for other starts (%s)", server.errorString())
            return
        server.newConnection.connect(self._on_new_connection)
        self._server = server

    def _on_new_connection(self) -> None:
        server = self._server
        if server is None:
            return
        while server.hasPendingConnections():
            socket = server.nextPendingConnection()
            # The request is one short line; answering at once keeps no socket state around.
            data = b""
            while ACTIVATE not in data and socket.waitForReadyRead(ANSWER_TIMEOUT_MS // 4):
                data += bytes(socket.readAll().data())
            if ACTIVATE in data:
                socket.write(ACKNOWLEDGED)
                socket.flush()
                socket.waitForBytesWritten(ANSWER_TIMEOUT_MS // 4)
                self.sig_activation_requested.emit()
            socket.disconnectFromServer()
            socket.deleteLater()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self.lock.release()


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` un-minimised and on top (as far as the window system allows)."""
    from PySide6.QtCore import Qt

    state = window.windowState() & ~Qt.WindowState.WindowMinimized
    window.setWindowState(state | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()
