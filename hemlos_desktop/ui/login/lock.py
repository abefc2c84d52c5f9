"""Auto-lock: after idle time or on demand the main window hides its content behind a lock
screen and asks for the password again; every other open window of the program is covered the
same way, and so is a window that opens while the program is locked (a message raised by a
timer or a background task, a progress dialog): it shows the lock screen from its first paint.
The hidden widgets stay alive, so typed text is kept and timers such as the journal's
autosave keep running. Unlocking checks the password against the key the program holds."""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import APP_NAME
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import session as session_service
from hemlos_desktop.storage.crypto.errors import UnlockThrottledError
from hemlos_desktop.ui.context import UiContext

log = logging.getLogger(__name__)

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class LockScreen(QWidget):
    """What the window shows while locked: who is signed in and a password field."""

    sig_unlock_requested = Signal(str)
    """The user entered a password to unlock with."""

    def __init__(self, *, display_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self._display_name = display_name
        self.title_label = QLabel()
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("lockPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaximumWidth(320)
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("lockUnlock")
        self.message_label = QLabel()
        self.message_label.setObjectName("lockMessage")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.password_edit, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.message_label)
        layout.addStretch(2)
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.password_edit.returnPressed.connect(self._on_unlock_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)

    def retranslate_ui(self) -> None:
        self.title_label.setText(
            _("Locked. {name}, enter your password to continue.").format(name=self._display_name)
        )
        self.password_edit.setAccessibleName(_("Password"))
        self.unlock_button.setText(_("&Unlock"))

    def _on_unlock_clicked(self) -> None:
        self.sig_unlock_requested.emit(self.password_edit.text())
        self.password_edit.clear()


class IdleWatcher(QObject):
    """An application-wide event filter: input restarts the idle timer; when it runs out
    ``sig_idle`` is emitted."""

    sig_idle = Signal()
    """No input for the configured time."""

    def __init__(self, *, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.set_minutes(minutes)
        self.timer.timeout.connect(self.sig_idle)
        # Installed once the window has painted: the first events of each kind of widget that
        # pass through a Python filter make PySide load that class's enums (a quarter of a
        # second at start-up, on the way to the client list).
        QTimer.singleShot(0, self, self._install)

    def _install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.timer.stop()
        if minutes > 0:
            self.timer.setInterval(minutes * 60_000)
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _ACTIVITY and self.timer.interval() > 0 and self.timer.isActive():
            self.timer.start()
        return False

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


# Windows that are never covered: menus, completer lists and tooltips show nothing on their own
# (they open from a widget under the user's hand, and every such widget is hidden while locked).
_UNCOVERED_TYPES = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)


def _keep_space(widget: QWidget, *, keep: bool) -> None:
    """Let the layout keep (or no longer keep) the room of ``widget`` while it is hidden, so
    that a window laid out while covered (a message box fixes its size from its contents)
    keeps its size, and nothing moves when it comes back."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(keep)
    widget.setSizePolicy(policy)


class _CoveredWindow:
    """Another top-level window (a dialog) while the program is locked: its child widgets are
    hidden (kept alive, typed text kept), its title is the program's name only, and a lock
    screen covers it. A modal dialog keeps its event loop, and the password can be typed into
    its cover as well."""

    def __init__(self, window: QWidget, cover: LockScreen) -> None:
        self.window = window
        self.cover = cover
        self.title = window.windowTitle()
        self.focus = window.focusWidget()
        self.hidden = [
            child
            for child in window.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if child.isVisibleTo(window) and not child.isWindow()
        ]
        self.kept_space = [child.sizePolicy().retainSizeWhenHidden() for child in self.hidden]
        for child in self.hidden:
            _keep_space(child, keep=True)  # or a message box shrinks to nothing
            child.hide()
        window.setWindowTitle(APP_NAME)  # a case file's window is titled with the client's name
        cover.setParent(window)
        cover.setAutoFillBackground(True)
        cover.setGeometry(window.rect())
        cover.show()
        cover.raise_()
        self.restored = False
        self.limits = (window.minimumSize(), window.maximumSize())
        self.size_before: QSize | None = None
        self.fit()
        # A window being shown still sizes itself after this (a message box fits its text):
        # fit it to the lock screen again once that is done.
        QTimer.singleShot(0, self.fit)

    def fit(self) -> None:
        """Make the window at least as large as its lock screen needs (a small message box
        would show only a corner of it)."""
        if self.restored or not shiboken6.isValid(self.window):
            return
        size = self.window.size()
        need = self.cover.sizeHint().expandedTo(size)
        if need == size:
            return
        if self.size_before is None:
            self.size_before = size
        self.window.setMaximumSize(self.window.maximumSize().expandedTo(need))
        self.window.setMinimumSize(need)
        self.window.resize(need)

    def resize(self) -> None:
        self.cover.setGeometry(self.window.rect())

    def restore(self) -> None:
        """Bring the window back as it was; nothing to do for one closed for good meanwhile
        (a progress dialog whose work ended while the program was locked)."""
        self.restored = True
        if not shiboken6.isValid(self.window):
            return
        self.cover.hide()
        self.cover.deleteLater()
        self.window.setWindowTitle(self.title)
        if self.size_before is not None:
            self.window.setMinimumSize(self.limits[0])
            self.window.setMaximumSize(self.limits[1])
            self.window.resize(self.size_before)
        for child, kept in zip(self.hidden, self.kept_space, strict=True):
            if shiboken6.isValid(child):
                child.show()
                _keep_space(child, keep=kept)
        if self.focus is not None and shiboken6.isValid(self.focus):
            self.focus.setFocus()


class LockController(QObject):
    """Locks and unlocks the program: the main window shows a lock screen instead of its
    content, and every other window of the program (dialogs with a full identity number, the
    users, the access log) is covered the same way until the password is typed again. While
    locked, an application-wide event filter covers every window as it is shown."""

    def __init__(self, *, window: QMainWindow, context: UiContext) -> None:
        super().__init__(window)
        self._window = window
        self._context = context
        self._content: QWidget | None = None
        self._covered: list[_CoveredWindow] = []
        self.lock_screen: LockScreen | None = None
        self.action_lock = QAction(window)
        self.action_lock.setObjectName("actionLock")
        self.action_lock.setShortcut(QKeySequence("Ctrl+L"))
        self.action_lock.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.idle = IdleWatcher(minutes=context.settings.auto_lock_minutes, parent=self)
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.action_lock.triggered.connect(self.lock)
        self.idle.sig_idle.connect(self.lock)

    def retranslate_ui(self) -> None:
        self.action_lock.setText(_("&Lock"))
        if self.lock_screen is not None:
            self.lock_screen.retranslate_ui()
        for cover in self._covers():
            cover.retranslate_ui()

    @property
    def locked(self) -> bool:
        return self._content is not None

    def _covers(self) -> list[LockScreen]:
        """The lock screens over the other windows (not those closed for good meanwhile)."""
        return [c.cover for c in self._covered if shiboken6.isValid(c.cover)]

    def covered_windows(self) -> list[QWidget]:
        """The other windows covered while locked."""
        return [covered.window for covered in self._covered]

    def _new_lock_screen(self) -> LockScreen:
        screen = LockScreen(display_name=self._context.actor.display_name)
        screen.sig_unlock_requested.connect(self._on_unlock_requested)
        return screen

    def lock(self) -> None:
        if self.locked:
            return
        log.info("window locked")
        content = self._window.takeCentralWidget()  # kept alive, typed text kept
        if content is None:
            return
        content.hide()
        self._content = content
        self.lock_screen = self._new_lock_screen()
        self._window.setCentralWidget(self.lock_screen)
        self._window.menuBar().setEnabled(False)
        _close_popups()
        for other in QApplication.topLevelWidgets():
            if other.isVisible():
                self._cover(other)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        modal = QApplication.activeModalWidget()
        target = next((c.cover for c in self._covered if c.window is modal), self.lock_screen)
        target.password_edit.setFocus()

    def _cover(self, window: QWidget) -> _CoveredWindow | None:
        """Cover ``window`` unless it is the main window, already covered, or a popup."""
        if window is self._window or window.windowType() in _UNCOVERED_TYPES:
            return None
        if isinstance(window, LockScreen) or any(c.window is window for c in self._covered):
            return None
        covered = _CoveredWindow(window, self._new_lock_screen())
        self._covered.append(covered)
        return covered

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.Show and self.locked:
            # A window opening while locked (a message from a timer or a background task) is
            # covered before its first paint; a modal one takes the password in its cover.
            if isinstance(watched, QWidget) and watched.isWindow():
                covered = self._cover(watched)
                if covered is not None:
                    log.info("window opened while locked: covered")
                    covered.cover.password_edit.setFocus()
        elif kind == QEvent.Type.Resize:
            for covered in self._covered:
                if covered.window is watched:
                    covered.resize()
        elif kind == QEvent.Type.LayoutRequest and self.locked:
            # A covered window does not lay its hidden widgets out again (a message box would
            # shrink to them); it does so when it comes back.
            return any(c.window is watched for c in self._covered)
        return False

    def check_password(self, password: str) -> None:
        """Raises a known error unless ``password`` opens the signed-in user's slot *and* that
        slot holds the key this program has open: a missing key file (KeyFileMissingError) or
        another folder's key file (WrongPasswordError) never unlocks."""
        session_service.check_password(
            self._context.db.location,
            self._context.actor.username,
            password,
            held_key=self._context.db.data_key,
        )

    def _on_unlock_requested(self, password: str) -> None:
        screens = [s for s in (self.lock_screen, *self._covers()) if s]
        try:
            self.check_password(password)
        except UnlockThrottledError as exc:
            text = _("Too many wrong passwords. Try again in {seconds} s.").format(
                seconds=max(1, round(exc.seconds))
            )
        except HemlosError as exc:  # the lock screen shows it in its label, over the hidden window
            log.info("unlock refused: %s", type(exc).__name__)
            text = exc.message()
        else:
            self._record_unlock()
            self.unlock()
            return
        for screen in screens:
            screen.message_label.setText(text)

    def _record_unlock(self) -> None:
        from hemlos_desktop.services.session import record_unlock

        try:
            record_unlock(self._context.db, self._context.actor)
        except HemlosError as exc:  # quiet: the unlock itself must not fail on a busy database
            log.warning("unlock could not be logged: %s", type(exc).__name__)

    def unlock(self) -> None:
        if self._content is None:
            return
        screen = self._window.takeCentralWidget()
        self._window.setCentralWidget(self._content)
        self._content.show()
        self._content = None
        if screen is not None:
            screen.deleteLater()
        self.lock_screen = None
        self._window.menuBar().setEnabled(True)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for covered in self._covered:
            covered.restore()
        self._covered = []
        self.idle.set_minutes(self._context.settings.auto_lock_minutes)
        log.info("window unlocked")


def _close_popups() -> None:
    """Close open menus and lists: they are not covered, and they belong to hidden widgets."""
    for _attempt in range(10):  # popups nest (a submenu); each close drops one
        popup = QApplication.activePopupWidget()
        if popup is None:
            return
        popup.close()


def install_lock(window: QMainWindow, menu: QMenu, *, context: UiContext) -> LockController:
    """Add File ▸ Lock (Ctrl+L, above the menu's last action, Quit) and the idle lock to
    ``window``; returns the controller."""
    controller = LockController(window=window, context=context)
    existing = menu.actions()
    if existing:
        menu.insertAction(existing[-1], controller.action_lock)
    else:
        menu.addAction(controller.action_lock)
    window.addAction(controller.action_lock)
    return controller
