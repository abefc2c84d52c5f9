"""GUI start-up: settings, language, the database, the main window."""

from __future__ import annotations

import argparse
import logging
import sys

from hemlos_desktop import APP_ID, APP_NAME, __version__, i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.settings import Settings, SettingsStore
from hemlos_desktop.storage import Database, DataLocation, paths

log = logging.getLogger(__name__)

DEMO_CLIENTS = 500


def resolve_location(args: argparse.Namespace, settings: Settings) -> DataLocation:
    if getattr(args, "demo", False):
        return DataLocation.resolve(args.data_dir, fallback=paths.demo_data_dir())
    fallback = DataLocation(paths.default_data_dir()).folder
    if settings.data_dir:
        fallback = DataLocation.resolve(settings.data_dir).folder
    return DataLocation.resolve(args.data_dir, fallback=fallback)


def open_for_gui(args: argparse.Namespace, location: DataLocation) -> Database:
    """Open the database; with ``--demo`` create the demo database first if it is missing."""
    from hemlos_desktop.services.demo_data import create_demo_database
    from hemlos_desktop.services.workspace import open_workspace

    if getattr(args, "demo", False) and not location.database.exists():
        create_demo_database(location, clients=DEMO_CLIENTS)
    return open_workspace(location)


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from hemlos_desktop.ui import errors as ui_errors
    from hemlos_desktop.ui.language import LanguageManager
    from hemlos_desktop.ui.main_window import MainWindow

    store = SettingsStore()
    settings = store.load()
    if args.lang:
        settings.language = args.lang
    QCoreApplication.setApplicationName(APP_ID)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName(APP_NAME)
    ui_errors.install_qt_message_handler()
    languages = LanguageManager(app)
    languages.apply(settings.language)
    ui_errors.install_excepthook()

    location = resolve_location(args, settings)
    try:
        db = open_for_gui(args, location)
    except HemlosError as exc:
        log.warning("could not open the database: %s", type(exc).__name__)
        ui_errors.show_error(None, exc)
        return exc.exit_code
    from hemlos_desktop.services.users import ensure_local_actor

    actor = ensure_local_actor(db)
    window = MainWindow(
        db=db,
        actor=actor,
        settings=settings,
        settings_store=store,
        languages=languages,
        demo=args.demo,
    )
    from hemlos_desktop.ui import startup_probe

    if startup_probe.requested():  # tests and benchmarks: quit after the first paint
        startup_probe.install(app, window, started=getattr(args, "started", 0.0))
    window.show()
    try:
        return app.exec()
    finally:
        db.dispose()
        i18n.set_language(settings.language)
