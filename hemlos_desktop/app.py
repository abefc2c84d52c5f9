"""GUI start-up: settings, language, one instance per data folder, the database (checked, with
an offer to restore a backup when it is damaged), the main window, and backups while running
and on exit."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from hemlos_desktop import APP_ID, APP_NAME, __version__, i18n
from hemlos_desktop.errors import CorruptDatabaseError, HemlosError
from hemlos_desktop.settings import Settings, SettingsProblem, SettingsStore
from hemlos_desktop.storage import paths
from hemlos_desktop.storage.paths import DataLocation

if TYPE_CHECKING:
    from hemlos_desktop.services.actor import Actor
    from hemlos_desktop.storage import Database
    from hemlos_desktop.ui.language import LanguageManager

log = logging.getLogger(__name__)

DEMO_CLIENTS = 500
# How long the start waits for the window's first paint before opening the database anyway.
FIRST_PAINT_WAIT_MS = 300


def resolve_location(args: argparse.Namespace, settings: Settings) -> DataLocation:
    if getattr(args, "demo", False):
        return DataLocation.resolve(args.data_dir, fallback=paths.demo_data_dir())
    fallback = DataLocation(paths.default_data_dir()).folder
    if settings.data_dir:
        fallback = DataLocation.resolve(settings.data_dir).folder
    return DataLocation.resolve(args.data_dir, fallback=fallback)


def open_for_gui(
    args: argparse.Namespace,
    location: DataLocation,
    *,
    key: bytes | None = None,
    backup_dir: str = "",
) -> Database:
    """Open the database (with the data key after sign-in, None for a plain database); a
    missing file is never replaced by a new one here (only the set-up makes one)."""
    from hemlos_desktop.services.workspace import open_existing_workspace

    return open_existing_workspace(location, key=key, backup_dir=backup_dir, defer_check=True)


def prepare_demo(args: argparse.Namespace, location: DataLocation) -> None:
    """With ``--demo`` create the (encrypted) demo database first if it is missing."""
    if getattr(args, "demo", False) and not location.database.exists():
        from hemlos_desktop.demo.data import create_demo_database

        create_demo_database(location, clients=DEMO_CLIENTS, today=dt.date.today())


def _unlock_from_environment(location: DataLocation) -> tuple[str, bytes, str] | None:
    """$HEMLOS_USER and $HEMLOS_PASSWORD, when both are set, sign in without the dialog (the
    same variables the command line reads; used by tests and benchmarks)."""
    import os

    from hemlos_desktop import ENV_PASSWORD, ENV_USER
    from hemlos_desktop.services.unlock import unlock_key

    username = os.environ.get(ENV_USER, "")
    password = os.environ.get(ENV_PASSWORD)
    if not username or password is None:
        return None
    try:
        key = unlock_key(location, username, password, wait=False)
    except HemlosError as exc:  # start-up, before any window: no UiContext for the runner
        log.info("sign-in from the environment failed: %s", type(exc).__name__)
        return None
    from hemlos_desktop.ui import startup_probe

    startup_probe.note_unlocked()
    return username, key, password


def sign_in(
    args: argparse.Namespace,
    location: DataLocation,
    languages: LanguageManager,
    *,
    backup_dir: str = "",
) -> tuple[str, bytes | None, str] | None:
    """Who signs in, the data key and the password (kept in memory only: the same password
    signs in to the team server): the login dialog for an encrypted folder, the first-start
    wizard for an empty one and for a plain database from before encryption (which is opened
    only to be encrypted). None when the user cancels."""
    from PySide6.QtWidgets import QDialog

    from hemlos_desktop.services.unlock import is_demo_folder, is_encrypted_folder

    if is_encrypted_folder(location):
        from hemlos_desktop.ui.login.login_dialog import LoginDialog

        found = _unlock_from_environment(location)
        if found is not None:
            return found
        demo = is_demo_folder(location)
        dialog = LoginDialog(
            location=location, languages=languages, username="admin" if demo else "", demo=demo
        )
        from hemlos_desktop.ui import startup_probe

        startup_probe.watch_login(dialog, started=getattr(args, "started", 0.0))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.username, dialog.data_key, dialog.password
    from hemlos_desktop.ui.login.setup_dialog import SetupWizard

    wizard = SetupWizard(location=location, backup_dir=backup_dir)
    if wizard.exec() != QDialog.DialogCode.Accepted or wizard.result_ is None:
        return None
    signed_in = wizard.result_.signed_in
    signed_in.db.dispose()
    return signed_in.actor.username, signed_in.data_key, ""  # a new database is not joined


def _report(exc: HemlosError) -> int:
    """Show a known start-up failure in a dialog and on stderr; return its exit status."""
    from hemlos_desktop.ui import errors as ui_errors

    print(f"hemlos-desktop: {exc.full_text()}", file=sys.stderr)
    ui_errors.show_error(None, exc)
    return exc.exit_code


def open_with_recovery(
    args: argparse.Namespace,
    location: DataLocation,
    settings: Settings,
    *,
    key: bytes | None = None,
) -> Database | None:
    """Open the database; a damaged file leads to the offer to restore the newest good backup.

    Returns None when the user quits or the database cannot be opened (already reported).
    The caller holds the data folder's lock.
    """
    from PySide6.QtWidgets import QDialog

    from hemlos_desktop.ui.backups import DamagedDatabaseDialog

    try:
        return open_for_gui(args, location, key=key, backup_dir=settings.backup_dir)
    except CorruptDatabaseError:
        log.warning("the database file is damaged; offering to restore a backup")
    except HemlosError as exc:  # start-up: the database is not open, so no UiContext yet
        log.warning("could not open the database: %s", type(exc).__name__)
        _report(exc)
        return None
    dialog = DamagedDatabaseDialog(location=location, backup_dir=settings.backup_dir, key=key)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    try:
        return open_for_gui(args, location, key=key, backup_dir=settings.backup_dir)
    except HemlosError as exc:  # start-up: the database is not open, so no UiContext yet
        log.warning("could not open the restored database: %s", type(exc).__name__)
        _report(exc)
        return None


def _set_window_icon(app: Any) -> None:
    from PySide6.QtGui import QIcon

    from hemlos_desktop.resources import resource_path

    icon = resource_path("icons", "hemlos-desktop.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


def report_settings_problems(problems: Sequence[SettingsProblem]) -> None:
    """Name each bad key and its file on stderr and in one warning box; the program goes on
    with the defaults for those keys."""
    from PySide6.QtWidgets import QMessageBox

    from hemlos_desktop.i18n import gettext as _

    lines = [problem.message() for problem in problems]
    for line in lines:
        print(f"hemlos-desktop: {line}", file=sys.stderr)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("Problem in the settings"),
        _("The program starts with the default values for these settings.")
        + "\n\n"
        + "\n\n".join(lines),
        QMessageBox.StandardButton.Ok,
    )
    box.setObjectName("settingsProblems")
    box.setInformativeText(_("Ask your IT department to correct the settings file."))
    box.exec()


def back_up_on_exit(db: Database, settings: Settings, actor: Actor | None = None) -> None:
    """The automatic backup when the program closes (a failure is logged and shown; both are
    written to the access log under ``actor``, the person signed in)."""
    from hemlos_desktop.services import backups

    try:
        backups.back_up_on_close(db, settings.backup_dir, signed_in=actor)
    except HemlosError as exc:  # on exit, after the main window has gone
        log.warning("backup on exit failed: %s", type(exc).__name__)
        _report(exc)


def signs_in_first(location: DataLocation) -> bool:
    """Whether the sign-in dialog is shown before the main window: an encrypted register and
    no sign-in from the environment. The dialog then needs only the key store and is painted
    as quickly as a bare window; the rest loads while the person types (``ui.warmup``)."""
    import os

    from hemlos_desktop import ENV_PASSWORD, ENV_USER
    from hemlos_desktop.services.unlock import is_encrypted_folder

    from_environment = bool(os.environ.get(ENV_USER)) and ENV_PASSWORD in os.environ
    return not from_environment and location.database.exists() and is_encrypted_folder(location)


def run_gui(args: argparse.Namespace) -> int:
    """Sign in (the dialog first, for an encrypted register) and show the main window, then
    open the database into it."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from hemlos_desktop.ui import errors as ui_errors
    from hemlos_desktop.ui.instance import SingleInstance, StartOutcome
    from hemlos_desktop.ui.language import LanguageManager
    from hemlos_desktop.ui.warmup import collect_less_while_starting

    collect_less_while_starting()
    store = SettingsStore()
    loaded = store.load_report({"language": args.lang})
    settings = loaded.settings
    QCoreApplication.setApplicationName(APP_ID)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName(APP_NAME)
    _set_window_icon(app)
    ui_errors.install_qt_message_handler()
    languages = LanguageManager(app, locked="language" in loaded.locked, own_dialogs_later=True)
    languages.apply(settings.language)
    ui_errors.install_excepthook()
    if loaded.problems:
        report_settings_problems(loaded.problems)

    location = resolve_location(args, settings)
    instance = SingleInstance(location=location)
    try:
        # (It listens for later starts once the first window has painted.)
        if instance.start(listen=False) is StartOutcome.ACTIVATED_OTHER:
            return 0
    except HemlosError as exc:  # start-up, before the main window exists
        log.warning("could not take the data folder: %s", type(exc).__name__)
        return _report(exc)
    opened = _Opened()
    try:
        return _run_windows(
            args, location, app=app, settings=settings, store=store, languages=languages,
            instance=instance, opened=opened,
        )  # fmt: skip
    finally:
        if opened.db is not None:
            opened.db.optimize()
            opened.db.dispose()
        from hemlos_desktop.storage.files import remove_print_folders

        remove_print_folders(older_than_seconds=5)
        i18n.set_language(settings.language)
        instance.release()


def _run_windows(
    args: argparse.Namespace,
    location: DataLocation,
    *,
    app: Any,
    settings: Settings,
    store: SettingsStore,
    languages: LanguageManager,
    instance: Any,
    opened: _Opened,
) -> int:
    from hemlos_desktop.ui import startup_probe
    from hemlos_desktop.ui.instance import bring_to_front
    from hemlos_desktop.ui.warmup import Warmup

    warmup = Warmup()
    signed_in: tuple[str, bytes | None, str] | None = None
    window: Any = None
    if signs_in_first(location):
        dialog_result = _sign_in_first(
            args,
            location,
            settings=settings,
            store=store,
            languages=languages,
            warmup=warmup,
            after_paint=instance.listen,
        )
        if dialog_result is None:
            return 1
        signed_in, window = dialog_result
    else:
        window = _build_window(args, settings, store, languages)
    instance.sig_activation_requested.connect(lambda: bring_to_front(window))
    if startup_probe.requested():  # tests and benchmarks: quit once the window is ready
        startup_probe.install(app, window, started=getattr(args, "started", 0.0))

    def finish_start() -> None:
        languages.use_own_dialogs()
        instance.listen()
        if signed_in is None:
            # What the sign-in dialog's wait would have loaded (the person types meanwhile).
            warmup.finish_now()
        status = _open_into(
            args, location, settings=settings, languages=languages, window=window,
            opened=opened, credentials=signed_in,
        )  # fmt: skip
        if status is not None:
            app.exit(status)

    from hemlos_desktop.storage.files import remove_print_folders

    # PDFs left for a viewer or the print system last time (a minute's grace for another
    # program that may be printing right now).
    remove_print_folders(older_than_seconds=60)
    window.show()
    _after_first_paint(window, finish_start)
    status = int(app.exec())
    if opened.auto_backup is not None:
        opened.auto_backup.stop()
        opened.auto_backup.wait()
    # A search still running on a worker thread finishes before the database closes.
    from hemlos_desktop.ui.tasks import wait_for_background_work

    wait_for_background_work()
    if opened.db is not None and not startup_probe.requested():
        # (A start-up probe's run is no work session: nothing to back up.)
        back_up_on_exit(opened.db, settings, opened.actor)
    return status


def _build_window(
    args: argparse.Namespace, settings: Settings, store: SettingsStore, languages: LanguageManager
) -> Any:
    from hemlos_desktop.ui.main_window import MainWindow

    return MainWindow(settings=settings, settings_store=store, languages=languages, demo=args.demo)


def _sign_in_first(
    args: argparse.Namespace,
    location: DataLocation,
    *,
    settings: Settings,
    store: SettingsStore,
    languages: LanguageManager,
    warmup: Any,
    after_paint: Callable[[], None],
) -> tuple[tuple[str, bytes | None, str], Any] | None:
    """The sign-in dialog before any other window; while it waits, the rest of the program
    loads and the main window is built (hidden). (credentials, window), or None if cancelled."""
    from PySide6.QtWidgets import QDialog

    from hemlos_desktop.services.unlock import is_demo_folder
    from hemlos_desktop.ui import startup_probe
    from hemlos_desktop.ui.login.login_dialog import LoginDialog
    from hemlos_desktop.ui.warmup import when_done

    built: list[Any] = []

    def build() -> None:
        if not built:
            built.append(_build_window(args, settings, store, languages))

    def ready_to_work() -> None:
        """Before the dialog unlocks the key or resets a password: nothing loads any more."""
        warmup.finish_now()
        build()

    demo = is_demo_folder(location)
    dialog = LoginDialog(
        location=location,
        languages=languages,
        username="admin" if demo else "",
        demo=demo,
        before_work=ready_to_work,
    )
    startup_probe.watch_login(dialog, started=getattr(args, "started", 0.0))

    def painted() -> None:
        languages.use_own_dialogs()
        after_paint()
        warmup.start()

    _after_first_paint(dialog, painted)
    when_done(warmup, build)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    ready_to_work()
    return (dialog.username, dialog.data_key, dialog.password), built[0]


def _after_first_paint(window: Any, callback: Callable[[], None]) -> None:
    """Run ``callback`` once ``window`` has been painted (so the person sees the window while
    the database opens), or after a short wait if no paint comes (a minimised start)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    done = False

    def run() -> None:
        nonlocal done
        if not done:
            done = True
            window.removeEventFilter(watcher)
            callback()

    class _Watcher(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, window, run)
            return False

    watcher = _Watcher(window)
    window.installEventFilter(watcher)
    # The window is the timers' context: a window closed and deleted before they fire (a
    # sign-in cancelled at once) cancels them.
    QTimer.singleShot(FIRST_PAINT_WAIT_MS, window, run)


def _record_login(window: Any, db: Database, actor: Any) -> None:
    """Record the sign-in off the GUI thread (the write waits for the start's integrity check);
    a damaged database ends the program as before, with its message."""
    from PySide6.QtWidgets import QApplication

    from hemlos_desktop.services.session import record_login
    from hemlos_desktop.ui.tasks import run_in_background

    def failed(error: BaseException) -> None:
        if not isinstance(error, HemlosError):
            raise error
        log.warning("could not record the sign-in: %s", type(error).__name__)
        status = _report(error)
        app = QApplication.instance()
        if app is not None:
            app.exit(status)

    run_in_background(window, lambda: record_login(db, actor), lambda _done: None, failed)


class _Opened:
    """What the start-up opened, for the clean-up when the program ends."""

    db: Database | None = None
    actor: Actor | None = None
    auto_backup: Any = None


def _open_into(
    args: argparse.Namespace,
    location: DataLocation,
    *,
    settings: Settings,
    languages: LanguageManager,
    window: Any,
    opened: _Opened,
    credentials: tuple[str, bytes | None, str] | None = None,
) -> int | None:
    """Sign in (unless the dialog has, ``credentials``), open the database and attach it to
    the shown window; an exit status on failure."""
    if credentials is None:
        try:
            prepare_demo(args, location)
            credentials = sign_in(args, location, languages, backup_dir=settings.backup_dir)
        except HemlosError as exc:  # sign-in: no database and no UiContext for the runner yet
            log.warning("could not sign in: %s", type(exc).__name__)
            return _report(exc)
    if credentials is None:
        return 1
    from hemlos_desktop.services.session import find_login_actor
    from hemlos_desktop.services.users import ensure_local_actor
    from hemlos_desktop.ui.backups import install_auto_backup

    username, key, password = credentials
    db = open_with_recovery(args, location, settings, key=key)
    if db is None:
        return 1
    opened.db = db
    try:
        actor = find_login_actor(db, username) if key else ensure_local_actor(db)
    except HemlosError as exc:  # start-up: the window has no UiContext until attach() below
        return _report(exc)
    window.attach(db=db, actor=actor, sync_password=password)
    opened.actor = actor

    def after_first_paint() -> None:
        """What need not be done before the list is painted."""
        from hemlos_desktop.ui.warmup import settle_after_start

        if key:
            _record_login(window, db, actor)
        opened.auto_backup = install_auto_backup(
            window, db=db, actor=actor, backup_dir=settings.backup_dir
        )
        settle_after_start()

    from PySide6.QtCore import QTimer

    # (The window's repaint was asked for during attach(), so it comes before this.)
    QTimer.singleShot(0, window, after_first_paint)
    return None
