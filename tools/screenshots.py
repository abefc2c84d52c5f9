"""Write PNGs of the main views in Swedish, Danish and English, so anyone can look at the UI.

    python tools/screenshots.py --out build/screenshots            (what `make screenshots` runs)
    python tools/screenshots.py --out build/pseudo --pseudo        (strings lengthened by ~40 %)
    python tools/screenshots.py --out build/screenshots --langs da

The real MainWindow is built on the offscreen platform on a temporary demo database, with
settings in a temporary folder (your own settings and data are never touched). Each view in
``VIEWS`` is shown in every language and saved as ``<view>-<lang>.png``; the main window is also
saved at 150 % scaling (``main-<lang>-150.png``, made by a child process with QT_SCALE_FACTOR).

Adding a view: write a function ``(shot: Shot) -> QWidget`` that brings the view up (open a
dialog, select a page, fill a form from the demo data) and returns the widget to grab, and add
``("name", function)`` to ``VIEWS``. Dialogs it opens are closed after the grab.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

from hemlos_desktop import APP_ID, i18n  # noqa: E402
from hemlos_desktop.demo.data import create_demo_database, open_demo  # noqa: E402
from hemlos_desktop.services.actor import Actor  # noqa: E402
from hemlos_desktop.settings import SettingsStore  # noqa: E402
from hemlos_desktop.storage import Database, DataLocation  # noqa: E402
from hemlos_desktop.ui.about import AboutDialog  # noqa: E402
from hemlos_desktop.ui.errors import install_qt_message_handler  # noqa: E402
from hemlos_desktop.ui.language import LanguageManager  # noqa: E402
from hemlos_desktop.ui.main_window import MainWindow  # noqa: E402
from hemlos_desktop.ui.pages import AREAS  # noqa: E402
from hemlos_desktop.ui.shortcuts import ShortcutsDialog  # noqa: E402

LANGUAGES = ("sv", "da", "en")
WINDOW_SIZE = (1100, 720)
DEMO_CLIENTS = 200


@dataclass
class Shot:
    """What a view function gets: the app, the window and the database it shows."""

    app: QApplication
    window: MainWindow
    db: Database
    language: str


ViewFunction = Callable[[Shot], QWidget]


def _settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def _area_view(key: str) -> ViewFunction:
    def show(shot: Shot) -> QWidget:
        shot.window.show_area(key)
        return shot.window

    return show


def _dialog_view(trigger: Callable[[MainWindow], None], kind: type[QDialog]) -> ViewFunction:
    def show(shot: Shot) -> QWidget:
        trigger(shot.window)
        dialog = shot.window.findChild(kind)
        if dialog is None:
            raise RuntimeError(f"{kind.__name__} did not open")
        return dialog

    return show


def _case_view(shot: Shot) -> QWidget:
    """The case file of the demo client with the longest housing history."""
    from hemlos_desktop.ui.clients import ClientsPage

    shot.window.show_area("clients")
    page = shot.window.pages["clients"]
    assert isinstance(page, ClientsPage)
    with shot.db.read() as session:
        from sqlalchemy import func, select

        from hemlos_desktop.models.client import HousingPeriod

        client_id = session.scalar(
            select(HousingPeriod.client_id)
            .group_by(HousingPeriod.client_id)
            .order_by(func.count().desc(), HousingPeriod.client_id)
            .limit(1)
        )
    if client_id is not None:
        page.open_client(int(client_id))
    return shot.window


VIEWS: list[tuple[str, ViewFunction]] = [
    *((area.key, _area_view(area.key)) for area in AREAS),
    ("case", _case_view),
    ("about", _dialog_view(lambda w: w.action_about.trigger(), AboutDialog)),
    ("shortcuts", _dialog_view(lambda w: w.action_shortcuts.trigger(), ShortcutsDialog)),
]


def _make_window(
    app: QApplication,
    db: Database,
    actor: Actor,
    store: SettingsStore,
    languages: LanguageManager,
) -> MainWindow:
    settings = store.load()
    window = MainWindow(
        db=db,
        actor=actor,
        settings=settings,
        settings_store=store,
        languages=languages,
        demo=True,
    )
    window.resize(*WINDOW_SIZE)
    window.show()
    _settle(app)
    return window


def _grab(app: QApplication, widget: QWidget, target: Path) -> None:
    _settle(app)
    if not widget.grab().save(str(target)):
        raise RuntimeError(f"could not write {target}")
    print(f"  {target}")


def _close_dialogs(window: MainWindow) -> None:
    for dialog in window.findChildren(QDialog):
        if dialog.isVisible():
            dialog.done(0)


def run(out: Path, langs: list[str], *, pseudo: bool, scaled_only: bool) -> int:
    out.mkdir(parents=True, exist_ok=True)
    i18n.set_pseudo(pseudo)
    QCoreApplication.setApplicationName(APP_ID)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    install_qt_message_handler()
    with tempfile.TemporaryDirectory(prefix="hemlos-screenshots-") as tmp:
        location = DataLocation(Path(tmp) / "data")
        create_demo_database(location, clients=DEMO_CLIENTS)
        store = SettingsStore(Path(tmp) / "config", site_folders=[])
        db, actor = open_demo(location)
        languages = LanguageManager(app)
        languages.apply(langs[0])
        window = _make_window(app, db, actor, store, languages)
        try:
            for lang in langs:
                languages.apply(lang)
                shot = Shot(app=app, window=window, db=db, language=lang)
                if scaled_only:
                    window.show_area(AREAS[0].key)
                    _grab(app, window, out / f"main-{lang}-150.png")
                    continue
                for name, view in VIEWS:
                    widget = view(shot)
                    _grab(app, widget, out / f"{name}-{lang}.png")
                    _close_dialogs(window)
        finally:
            window.close()
            db.dispose()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    parser.add_argument("--langs", default=",".join(LANGUAGES), help="comma-separated codes")
    parser.add_argument("--pseudo", action="store_true", help="lengthen every string by ~40 %%")
    parser.add_argument("--no-scaled", action="store_true", help="skip the 150 %% variant")
    parser.add_argument("--scaled-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    langs = [code for code in args.langs.split(",") if code]
    unknown = [code for code in langs if code not in i18n.SUPPORTED_LANGUAGES]
    if unknown:
        parser.error(f"unknown language(s): {', '.join(unknown)}")
    if args.scaled_only:
        return run(args.out, langs, pseudo=args.pseudo, scaled_only=True)
    print(f"Screenshots in {args.out}:")
    status = run(args.out, langs, pseudo=args.pseudo, scaled_only=False)
    if status == 0 and not args.no_scaled:
        command = [sys.executable, str(Path(__file__).resolve()), "--out", str(args.out)]
        command += ["--langs", ",".join(langs), "--scaled-only"]
        command += ["--pseudo"] if args.pseudo else []
        env = dict(os.environ, QT_SCALE_FACTOR="1.5")
        status = subprocess.run(command, env=env, check=False).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
