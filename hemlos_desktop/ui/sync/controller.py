"""Sync in the main window: the Sync button with progress, the time of the last sync in the
status bar, automatic sync while the server is reachable, and the Team server menu.

The person's password for the server (the same as for this computer) is kept in memory for
the signed-in session only, in a :class:`SyncCredentials`; it is never written anywhere. After
the person changes their password, the previous one is kept too until a sync has taken the new
one to the server (sync falls back to it meanwhile). The
automatic sync runs in the background without a dialog (at start and every few minutes, only
on a joined computer); when the server cannot be reached it says so in the status bar and
tries again next time — the work on this computer is kept either way.

What the menu and status bar show (joined, last sync, open conflicts) is read in the
background, at start and after each sync, never on the GUI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu, QToolBar

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext
from hemlos_desktop.services import sync as sync_service
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.changes import ChangeSet, Outcome
from hemlos_desktop.services.sync_conflicts import open_conflict_count
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.ui.operations import Progress, run_long_operation
from hemlos_desktop.ui.tasks import BackgroundTask, run_in_background
from hemlos_desktop.ui.widgets.dates import format_local_datetime

if TYPE_CHECKING:
    from hemlos_desktop.services.sync import SyncCredentials, SyncResult, SyncStatus
    from hemlos_desktop.settings import SettingsStore
    from hemlos_desktop.storage import Database
    from hemlos_desktop.ui.context import UiContext

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MS = 5 * 60 * 1000  # automatic sync every five minutes


@dataclass(frozen=True)
class SyncState:
    """What the window shows of the sync, read off the GUI thread."""

    status: SyncStatus
    open_conflicts: int  # those the person may see


def read_state(db: Database, actor: Actor) -> SyncState:
    """Runs in the background (a query: no access-log entry)."""
    status = sync_service.sync_status(db)
    conflicts = open_conflict_count(db, actor) if status.joined else 0
    return SyncState(status, conflicts)


def _synced(outcome: Outcome[SyncResult], db: Database, actor: Actor) -> Outcome[_Synced]:
    return Outcome(_Synced(outcome.value, read_state(db, actor)), outcome.changes)


@dataclass(frozen=True)
class _Synced:
    result: SyncResult
    state: SyncState


class SyncController(QObject):
    """The sync actions of one main window (see :func:`install_sync`)."""

    sig_synced = Signal(object)
    """A sync finished (the :class:`SyncResult`), by the button or automatically."""

    def __init__(
        self,
        *,
        window: QMainWindow,
        context: UiContext,
        password: str,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        settings_store: SettingsStore | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._context = context
        self._password = password
        self._previous_password: str | None = None
        self._state: SyncState | None = None
        self._state_task: BackgroundTask | None = None
        self._running = False
        self._unreachable = False
        self._task: BackgroundTask | None = None
        self._settings_store = settings_store
        self.join_dialog: QDialog | None = None

        self.action_sync = QAction(window)
        self.action_sync.setObjectName("actionSync")
        self.action_sync.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.action_conflicts = QAction(window)
        self.action_conflicts.setObjectName("actionSyncConflicts")
        self.action_join = QAction(window)
        self.action_join.setObjectName("actionJoinTeamServer")
        self.menu = QMenu(window)
        self.menu.addAction(self.action_sync)
        self.menu.addAction(self.action_conflicts)
        self.menu.addSeparator()
        self.menu.addAction(self.action_join)
        self.toolbar = QToolBar(window)
        self.toolbar.setObjectName("syncToolbar")
        self.toolbar.addAction(self.action_sync)
        window.addToolBar(self.toolbar)
        self.status_label = QLabel()
        self.status_label.setObjectName("syncStatus")
        window.statusBar().addPermanentWidget(self.status_label)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)

        self._connect_signals()
        self.retranslate_ui()
        self.refresh_state()  # then, on a joined computer, the sync at start

    def _connect_signals(self) -> None:
        self.action_sync.triggered.connect(self.sync_now)
        self.action_conflicts.triggered.connect(self.show_conflicts)
        self.action_join.triggered.connect(self._on_join_triggered)
        self.timer.timeout.connect(self.sync_in_background)

    # -- state ----------------------------------------------------------------------------

    @property
    def joined(self) -> bool:
        """From the last state read (False until the first one arrived)."""
        return self._state is not None and self._state.status.joined

    @property
    def state_known(self) -> bool:
        return self._state is not None

    def refresh_state(self) -> None:
        """Read what the menu and status bar show, in the background."""
        db, actor = self._context.db, self._context.actor
        self._state_task = run_in_background(
            self, lambda: read_state(db, actor), self._on_state, self._on_state_error
        )

    def _on_state(self, state: SyncState) -> None:
        first = self._state is None
        self._state = state
        self._update_state()
        if first and self.joined and self._password:
            self.timer.start()
            self.sync_in_background()  # at start

    def _on_state_error(self, exc: BaseException) -> None:
        log.error("the sync state could not be read (%s)", type(exc).__name__)

    @property
    def running(self) -> bool:
        return self._running

    def credentials(self) -> SyncCredentials:
        ctx = self._context
        found = sync_service.credentials_for(ctx.db, ctx.actor.username, self._password)
        return replace(found, previous_password=self._previous_password)

    def password_changed(self, old: str, new: str) -> None:
        """The person changed their password here: the server learns it with the next sync,
        which signs in with the previous one until then."""
        if not self._password:
            return
        self._previous_password = old
        self._password = new

    def _keep(self, result: SyncResult) -> None:
        if result.credentials is not None:
            self._password = result.credentials.password
            self._previous_password = result.credentials.previous_password

    def retranslate_ui(self) -> None:
        self.menu.setTitle(_("&Team server"))
        self.toolbar.setWindowTitle(_("Team server"))
        self.action_sync.setText(_("&Sync"))
        self.action_sync.setToolTip(
            _("Send this computer's changes to the team server and receive the team's")
        )
        self.action_join.setText(_("&Join team server…"))
        self._update_state()

    def _update_state(self) -> None:
        joined = self.joined
        self.action_sync.setEnabled(joined and bool(self._password) and not self._running)
        self.action_join.setEnabled(not joined)
        self.action_conflicts.setEnabled(joined)
        count = self._state.open_conflicts if self._state is not None else 0
        self.action_conflicts.setText(
            ngettext("Sync &conflicts ({count})…", "Sync &conflicts ({count})…", count).format(
                count=count
            )
        )
        self.status_label.setVisible(joined)
        self.status_label.setAccessibleName(_("Team server"))
        if not joined or self._state is None:
            self.status_label.setText("")
            return
        last = self._state.status.last_sync_at
        when = format_local_datetime(last) if last else _("never")
        if self._running:
            text = _("Syncing…")
        elif self._unreachable:
            text = _("Team server not reachable; last sync: {time}").format(time=when)
        else:
            text = _("Last sync: {time}").format(time=when)
        self.status_label.setText(text)
        # The status bar squeezes a label that grew while a message was shown: keep it whole.
        self.status_label.setMinimumWidth(self.status_label.sizeHint().width())

    # -- syncing --------------------------------------------------------------------------

    def sync_now(self) -> Outcome[SyncResult] | None:
        """The Sync button: with a progress dialog; errors are shown in a message box."""
        if self._running or not self._password:
            return None
        credentials = self.credentials()
        db, actor = self._context.db, self._context.actor
        self._set_running(True)
        try:
            outcome = run_long_operation(
                self._window,
                self._context,
                Progress(_("Sync"), _("Sending and receiving changes…")),
                lambda progress, cancelled: _synced(
                    sync_service.sync(
                        db,
                        credentials,
                        progress=lambda p: progress(p.done, p.total or 0),
                        cancelled=cancelled,
                    ),
                    db,
                    actor,
                ),
                on_error=self._on_sync_error_shown,
                initiator=None,  # received changes concern every view
            )
        finally:
            self._set_running(False)
        if outcome is None:
            return None
        self._finished(outcome.value)
        return Outcome(outcome.value.result, outcome.changes)

    def _on_sync_error_shown(self, error: HemlosError) -> None:
        from hemlos_desktop.ui.errors import show_error

        self._unreachable = isinstance(error, sync_service.ServerUnreachableError)
        show_error(self._window, error)

    def sync_in_background(self) -> None:
        """The automatic sync: no dialog; a server out of reach is only noted."""
        if self._running or not self._password or not self.joined:
            return
        credentials = self.credentials()
        db, actor = self._context.db, self._context.actor
        self._set_running(True)
        self._task = run_in_background(
            self,
            lambda: _synced(sync_service.sync(db, credentials), db, actor),
            self._on_background_done,
            self._on_background_error,
        )

    def _on_background_done(self, outcome: Outcome[_Synced]) -> None:
        self._set_running(False)
        self._context.notifier.publish(outcome.changes, None)
        self._finished(outcome.value)

    def _on_background_error(self, exc: BaseException) -> None:
        self._set_running(False)
        known = exc if isinstance(exc, HemlosError) else None
        if known is None and isinstance(exc, Exception):
            known = classify(exc)
        if known is None:
            log.error("automatic sync failed (%s)", type(exc).__name__)
        else:
            log.info("automatic sync did not run (%s)", type(known).__name__)
        self._unreachable = True
        self._update_state()

    def _finished(self, synced: _Synced) -> None:
        result = synced.result
        self._state = synced.state
        self._keep(result)
        self._unreachable = False
        if result.new_conflicts:
            # Open case files show their conflict banner (rare: a full refresh is fine).
            self._context.notifier.publish(ChangeSet.all(), None)
        self._update_state()
        message = _("Sync finished: {sent} sent, {received} received.").format(
            sent=result.sent, received=result.received
        )
        if result.new_conflicts:
            message += " " + ngettext(
                "{count} new conflict to decide.", "{count} new conflicts to decide.",
                result.new_conflicts,
            ).format(count=result.new_conflicts)  # fmt: skip
        self._window.statusBar().showMessage(message, 10_000)
        self.sig_synced.emit(result)

    def _set_running(self, running: bool) -> None:
        self._running = running
        self._update_state()

    # -- dialogs --------------------------------------------------------------------------

    def show_conflicts(self) -> QDialog:
        from hemlos_desktop.ui.sync.conflicts import ConflictsDialog

        dialog = ConflictsDialog(context=self._context, parent=self._window)
        dialog.finished.connect(lambda _result: self.refresh_state())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _on_join_triggered(self) -> None:
        from hemlos_desktop.ui.sync.join_dialog import JoinDialog

        dialog = JoinDialog(
            context=self._context, settings_store=self._settings_store, parent=self._window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.join_dialog = dialog
        dialog.open()

    def stop(self) -> None:
        self.timer.stop()


def install_sync(
    window: QMainWindow,
    *,
    context: UiContext,
    password: str,
    interval_ms: int = DEFAULT_INTERVAL_MS,
    settings_store: SettingsStore | None = None,
) -> SyncController:
    """Add the Team server menu (before Help), the Sync toolbar and the status-bar time."""
    controller = SyncController(
        window=window,
        context=context,
        password=password,
        interval_ms=interval_ms,
        settings_store=settings_store,
    )
    bar = window.menuBar()
    actions = bar.actions()
    if actions:
        bar.insertMenu(actions[-1], controller.menu)  # before Help
    else:
        bar.addMenu(controller.menu)
    return controller
