"""Write PNGs of the main views in Swedish, Danish and English, so anyone can look at the UI.

    python tools/screenshots.py --out build/screenshots            (what `make screenshots` runs)
    python tools/screenshots.py --out build/pseudo --pseudo        (strings lengthened by ~40 %)
    python tools/screenshots.py --out build/screenshots --langs da
    python tools/screenshots.py --out build/worker --langs da --user worker   (as a caseworker)

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
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QWidget  # noqa: E402

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
        # Each area from its first tab: in the second language the client list would
        # otherwise show the case file the first language's pass left open.
        tabs = getattr(shot.window.pages[key], "tabs", None)
        if isinstance(tabs, QTabWidget):
            tabs.setCurrentIndex(0)
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
    """The case file of the chosen demo client (ratings, a plan, housing and journal)."""
    from hemlos_desktop.ui.clients import ClientsPage

    shot.window.show_area("clients")
    page = shot.window.pages["clients"]
    assert isinstance(page, ClientsPage)
    client_id = _chosen_client(shot.db)
    if client_id is not None:
        page.open_client(client_id)
    return shot.window


def _chosen_client(db: Database) -> int | None:
    """The demo client with the most to show: signed ratings, a plan, housing periods and
    journal entries (the one with the longest housing history among them)."""
    from sqlalchemy import func, select

    from hemlos_desktop.models.assessment import Assessment
    from hemlos_desktop.models.client import HousingPeriod, JournalEntry
    from hemlos_desktop.models.plan import Plan

    with db.read() as session:
        rated = select(Assessment.client_id).where(Assessment.status == "signed")
        planned = select(Plan.client_id)
        noted = select(JournalEntry.client_id)
        found = session.scalar(
            select(HousingPeriod.client_id)
            .where(
                HousingPeriod.client_id.in_(rated),
                HousingPeriod.client_id.in_(planned),
                HousingPeriod.client_id.in_(noted),
            )
            .group_by(HousingPeriod.client_id)
            .order_by(func.count().desc(), HousingPeriod.client_id)
            .limit(1)
        )
        if found is None:
            found = session.scalar(
                select(HousingPeriod.client_id)
                .group_by(HousingPeriod.client_id)
                .order_by(func.count().desc(), HousingPeriod.client_id)
                .limit(1)
            )
    return None if found is None else int(found)


def _last_name(db: Database, client_id: int) -> str:
    from hemlos_desktop.models.client import Client

    with db.read() as session:
        client = session.get(Client, client_id)
        return client.last_name if client is not None else ""


def _wait(app: QApplication, done: Callable[[], bool], seconds: float = 10) -> None:
    import time

    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    _settle(app)


def _pick(shot: Shot, picker: object) -> int | None:
    """Search the picker for the chosen client, as a user types, and choose them."""
    from hemlos_desktop.ui.widgets.client_picker import ClientPicker

    assert isinstance(picker, ClientPicker)
    client_id = _chosen_client(shot.db)
    if client_id is None:
        return None
    picker.search.setText(_last_name(shot.db, client_id))
    picker.refresh()
    _wait(shot.app, lambda: not picker.is_searching())
    picker.select_client(client_id)
    _settle(shot.app)
    return client_id


def _clients_chosen_view(shot: Shot) -> QWidget:
    """The client list with the chosen client selected (its buttons enabled)."""
    from hemlos_desktop.ui.clients import ClientsPage

    shot.window.show_area("clients")
    page = shot.window.pages["clients"]
    assert isinstance(page, ClientsPage)
    page.tabs.setCurrentIndex(0)
    client_id = _chosen_client(shot.db)
    if client_id is not None:
        client_list = page.client_list
        client_list.search_edit.setText(_last_name(shot.db, client_id))
        client_list.search_now()  # not the typing delay: the list grabbed is the one searched
        _wait(shot.app, lambda: not client_list.is_searching(), seconds=3)
        client_list.select_client(client_id)
    return shot.window


def _case_panels_view(shot: Shot) -> QWidget:
    """The chosen client's case file scrolled down to the ratings, plan and team panels."""
    from PySide6.QtWidgets import QScrollArea

    from hemlos_desktop.ui.clients import ClientsPage
    from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget

    _case_view(shot)
    page = shot.window.pages["clients"]
    assert isinstance(page, ClientsPage)
    overview = page.tabs.currentWidget()
    if isinstance(overview, CaseOverviewWidget):
        scroll = overview.findChild(QScrollArea)
        panels = overview.panels()
        if scroll is not None and panels:
            _settle(shot.app)
            scroll.ensureWidgetVisible(panels[0], 0, 0)
            bar = scroll.verticalScrollBar()
            bar.setValue(min(bar.maximum(), panels[0].mapTo(scroll.widget(), panels[0].pos()).y()))
    return shot.window


def _assessments_view(shot: Shot) -> QWidget:
    from hemlos_desktop.ui.assessments.page import AssessmentsPage

    shot.window.show_area("assessments")
    page = shot.window.pages["assessments"]
    assert isinstance(page, AssessmentsPage)
    page.tabs.setCurrentIndex(0)
    client_id = _pick(shot, page.picker)
    if client_id is not None and page.ratings.client_id != client_id:
        page.ratings.set_client(client_id)
    return shot.window


def _followup_view(shot: Shot) -> QWidget:
    from hemlos_desktop.ui.assessments.page import AssessmentsPage

    shot.window.show_area("assessments")
    page = shot.window.pages["assessments"]
    assert isinstance(page, AssessmentsPage)
    page.tabs.setCurrentWidget(page.followup)
    page.followup._on_show_clicked()  # the "Show" button: figures for the default period
    return shot.window


def _plans_view(shot: Shot) -> QWidget:
    from hemlos_desktop.ui.plans.page import PlansPage

    shot.window.show_area("plans")
    page = shot.window.pages["plans"]
    assert isinstance(page, PlansPage)
    client_id = _pick(shot, page.picker)
    if client_id is not None:
        page.open_client(client_id)
    return shot.window


def _plans_due_view(shot: Shot) -> QWidget:
    from hemlos_desktop.ui.plans.page import PlansPage

    shot.window.show_area("plans")
    page = shot.window.pages["plans"]
    assert isinstance(page, PlansPage)
    page.tabs.setCurrentWidget(page.due_panel)
    page.due_panel.scope_combo.setCurrentIndex(1)  # the team's items: the demo user has few
    view = page.due_panel.view
    view.setCurrentIndex(view.model().index(0, 0))  # a tree: the first group (or item)
    return shot.window


def _reports_view(shot: Shot) -> QWidget:
    from hemlos_desktop.ui.reports.page import ReportsPage

    shot.window.show_area("reports")
    page = shot.window.pages["reports"]
    assert isinstance(page, ReportsPage)
    _pick(shot, page.picker)
    return shot.window


def _pdf_dialog_view(kind: str | None) -> ViewFunction:
    """The export/print dialog for the chosen client (``kind="plan"`` as Plans opens it)."""

    def show(shot: Shot) -> QWidget:
        from hemlos_desktop.ui.reports.export_dialog import PdfExportDialog

        client_id = _chosen_client(shot.db)
        assert client_id is not None
        context = shot.window.context
        dialog = PdfExportDialog(
            context=context, client_id=client_id, kind=kind, parent=shot.window
        )
        dialog.show()
        return dialog

    return show


def _batch_dialog_view(shot: Shot) -> QWidget:
    from hemlos_desktop.ui.reports.batch_dialog import BatchExportDialog

    dialog = BatchExportDialog(context=shot.window.context, client_ids=[], parent=shot.window)
    dialog.show()
    return dialog


def _close_case_view(shot: Shot) -> QWidget:
    """The close-case dialog of the chosen client, opened from the case file."""
    from hemlos_desktop.ui.clients import ClientsPage
    from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget

    _case_view(shot)
    page = shot.window.pages["clients"]
    assert isinstance(page, ClientsPage)
    overview = page.tabs.currentWidget()
    if not isinstance(overview, CaseOverviewWidget):
        raise RuntimeError("no case file is open")
    dialog = overview.open_closure_dialog()
    dialog.show()
    return dialog


def _join_view(shot: Shot) -> QWidget:
    """The Team server menu's *Join team server…* dialog (no server needed to show it)."""
    shot.window.sync.action_join.setEnabled(True)
    shot.window.sync.action_join.trigger()
    dialog = shot.window.sync.join_dialog
    if dialog is None:
        raise RuntimeError("the join dialog did not open")
    return dialog


def _conflicts_view(shot: Shot) -> QWidget:
    """The sync conflicts view (empty on a computer that has not joined a server)."""
    return shot.window.sync.show_conflicts()


def _team_tab_view(index: int) -> ViewFunction:
    """The Team area on one of its tabs (1 case review, 2 eviction prevention, 3 goals)."""

    def show(shot: Shot) -> QWidget:
        shot.window.show_area("team")
        tabs = getattr(shot.window.pages["team"], "tabs", None)
        if tabs is not None:
            tabs.setCurrentIndex(index)
        return shot.window

    return show


VIEWS: list[tuple[str, ViewFunction]] = [
    *((area.key, _area_view(area.key)) for area in AREAS),
    # Each area again with a client chosen and data on it (issue 15's screen pass).
    ("clients-chosen", _clients_chosen_view),
    ("case", _case_view),
    ("case-panels", _case_panels_view),
    ("assessments-client", _assessments_view),
    ("assessments-followup", _followup_view),
    ("plans-client", _plans_view),
    ("plans-due", _plans_due_view),
    ("team-meeting", _team_tab_view(1)),
    ("team-evictions", _team_tab_view(2)),
    ("team-goals", _team_tab_view(3)),
    ("reports-client", _reports_view),
    ("pdf-summary", _pdf_dialog_view(None)),
    ("pdf-plan", _pdf_dialog_view("plan")),
    ("pdf-batch", _batch_dialog_view),
    ("close-case", _close_case_view),
    ("sync-join", _join_view),
    ("sync-conflicts", _conflicts_view),
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


def run(
    out: Path,
    langs: list[str],
    *,
    pseudo: bool,
    scaled_only: bool,
    only: frozenset[str],
    user: str = "admin",
) -> int:
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
        db, actor = open_demo(location, username=user)
        languages = LanguageManager(app)
        languages.apply(langs[0])
        window = _make_window(app, db, actor, store, languages)
        try:
            for lang in langs:
                languages.apply(lang)
                shot = Shot(app=app, window=window, db=db, language=lang)
                suffix = "-150" if scaled_only else ""
                for name, view in VIEWS:
                    if only and name not in only:
                        continue
                    widget = view(shot)
                    _grab(app, widget, out / f"{name}-{lang}{suffix}.png")
                    _close_dialogs(window)
                if scaled_only:
                    _area_view(AREAS[0].key)(shot)
                    _grab(app, window, out / f"main-{lang}-150.png")
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
    parser.add_argument("--views", default="", help="comma-separated view names (default: all)")
    parser.add_argument(
        "--user", default="admin", help="demo account to sign in as (admin, lead, worker)"
    )
    args = parser.parse_args()
    only = frozenset(name for name in args.views.split(",") if name)
    langs = [code for code in args.langs.split(",") if code]
    unknown = [code for code in langs if code not in i18n.SUPPORTED_LANGUAGES]
    if unknown:
        parser.error(f"unknown language(s): {', '.join(unknown)}")
    if args.scaled_only:
        return run(args.out, langs, pseudo=args.pseudo, scaled_only=True, only=only, user=args.user)
    print(f"Screenshots in {args.out}:")
    status = run(args.out, langs, pseudo=args.pseudo, scaled_only=False, only=only, user=args.user)
    if status == 0 and not args.no_scaled:
        command = [sys.executable, str(Path(__file__).resolve()), "--out", str(args.out)]
        command += ["--langs", ",".join(langs), "--scaled-only"]
        command += ["--pseudo"] if args.pseudo else []
        command += ["--views", args.views] if args.views else []
        command += ["--user", args.user]
        env = dict(os.environ, QT_SCALE_FACTOR="1.5")
        status = subprocess.run(command, env=env, check=False).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
