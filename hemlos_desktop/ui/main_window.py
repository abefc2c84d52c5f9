"""The main window: navigation between the areas, menus, status bar. It coordinates only.

It is built in two steps so that it can be on screen at once: the frame (navigation, menus,
status bar) needs no database; :meth:`MainWindow.attach` then opens the areas on the signed-in
user's database. The modules that need the database are imported there.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from hemlos_desktop import APP_NAME
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.settings import Settings, SettingsStore
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.language import LANGUAGE_NAMES, LanguageManager
from hemlos_desktop.ui.pages import AREAS, Area, EmptyStatePage
from hemlos_desktop.ui.widgets.dates import follow_language

if TYPE_CHECKING:
    from hemlos_desktop.services.actor import Actor
    from hemlos_desktop.storage import Database
    from hemlos_desktop.ui.context import UiContext

PageFactory = Callable[["UiContext"], QWidget]


def feature_pages() -> dict[str, PageFactory]:
    """The areas whose feature is built; the others show an empty state."""
    from hemlos_desktop.services.case_overview import open_case_file
    from hemlos_desktop.ui.clients import ClientsPage
    from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget

    def clients(context: UiContext) -> QWidget:
        def case(client_id: int) -> QWidget:
            from hemlos_desktop.ui.assessments.overview import (
                install_overview_panel as install_rating_panel,
            )
            from hemlos_desktop.ui.plans.overview_panel import (
                install_overview_panel as install_plan_panel,
            )

            # Opening the case file is the person's action that the access log records
            # (once); the widget's loads and refreshes are queries that write nothing.
            open_case_file(context.db, context.actor, client_id)
            overview = CaseOverviewWidget(context=context, client_id=client_id)
            from hemlos_desktop.ui.sync.conflicts import install_conflict_banner
            from hemlos_desktop.ui.team.case_panel import install_case_panel

            install_rating_panel(overview, context)
            install_plan_panel(overview, context)
            install_case_panel(overview, context)
            install_conflict_banner(overview, context)
            return overview

        return ClientsPage(context=context, case_factory=case)

    def reports(context: UiContext) -> QWidget:
        from hemlos_desktop.ui.reports.page import ReportsPage

        return ReportsPage(context=context)

    def assessments(context: UiContext) -> QWidget:
        from hemlos_desktop.ui.assessments.page import AssessmentsPage

        return AssessmentsPage(context=context)

    def plans(context: UiContext) -> QWidget:
        from hemlos_desktop.ui.plans.page import PlansPage

        return PlansPage(context=context)

    def team(context: UiContext) -> QWidget:
        from hemlos_desktop.ui.team import TeamPage

        return TeamPage(context=context)

    return {
        "clients": clients,
        "assessments": assessments,
        "plans": plans,
        "team": team,
        "reports": reports,
    }


class MainWindow(QMainWindow):
    sig_attached = Signal()
    """The database is open and the areas are ready (emitted once, by :meth:`attach`)."""

    def __init__(
        self,
        *,
        settings: Settings,
        settings_store: SettingsStore,
        languages: LanguageManager,
        demo: bool = False,
        db: Database | None = None,
        actor: Actor | None = None,
        sync_password: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._db: Database | None = None
        self._settings = settings
        self._store = settings_store
        self._languages = languages
        self._demo = demo
        self._attached = False
        self._starting = False
        self.notifier = ChangeNotifier(self)
        self.context: UiContext

        self._nav = QListWidget()
        self._nav.setObjectName("navigation")
        self._nav.setIconSize(QSize(24, 24))
        self._nav.setSpacing(2)
        self._nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._nav.setEnabled(False)
        self._stack = QStackedWidget()
        self._opening = QLabel()
        self._opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(self._opening)
        for area in AREAS:
            item = QListWidgetItem(self.style().standardIcon(area.icon), "")
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            self._nav.addItem(item)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._nav)
        layout.addWidget(self._stack, 1)
        self.setCentralWidget(central)
        # Keyboard order: the area list first, then the page shown beside it.
        QWidget.setTabOrder(self._nav, self._stack)
        # Focus lands in the area list after sign-in: Ctrl+F and Ctrl+N reach the page from there.
        for key, method in ((QKeySequence.StandardKey.Find, "focus_search"),
                            (QKeySequence.StandardKey.New, "start_new")):  # fmt: skip
            shortcut = QShortcut(QKeySequence(key), self._nav)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda name=method: self._forward_to_page(name))

        self._status_label = QLabel()
        self.statusBar().addPermanentWidget(self._status_label)
        self._build_actions()
        self._build_menus()
        self._connect_signals()
        self.retranslate_ui()
        self._restore_window()
        if db is not None and actor is not None:
            self.attach(db=db, actor=actor, sync_password=sync_password)

    def attach(self, *, db: Database, actor: Actor, sync_password: str = "") -> None:
        """Open the areas on ``db`` for ``actor``: pages, File-menu actions, the due counter,
        the team server's sync (``sync_password``: the person's password, kept in memory for
        signing in to the team server)."""
        from hemlos_desktop.ui.admin import install_admin_actions
        from hemlos_desktop.ui.backups import install_backup_actions
        from hemlos_desktop.ui.clients.actions import install_client_actions
        from hemlos_desktop.ui.context import UiContext
        from hemlos_desktop.ui.login import install_lock
        from hemlos_desktop.ui.plans.due_status import DueStatusButton
        from hemlos_desktop.ui.sync import install_sync

        if self._attached:
            raise RuntimeError("the main window is attached already")
        self._db = db
        self.context = UiContext(
            db=db, actor=actor, notifier=self.notifier, settings=self._settings
        )
        self._stack.removeWidget(self._opening)
        self._opening.hide()
        # Pages are built when first shown, so start-up pays only for the page it opens on.
        self.pages = _Pages(
            feature_pages(), self.context, self._stack, on_built=self._on_page_built
        )
        self.due_status = DueStatusButton(context=self.context)
        self.statusBar().insertPermanentWidget(0, self.due_status)
        self.due_status.sig_open_due.connect(self._on_open_due)
        self.backup_actions = install_backup_actions(self, self.menu_file, context=self.context)
        self.client_actions = install_client_actions(self, self.menu_file, context=self.context)
        self.lock = install_lock(self, self.menu_file, context=self.context)
        self.admin_actions = install_admin_actions(self, self.menu_file, context=self.context)
        self.sync = install_sync(
            self, context=self.context, password=sync_password, settings_store=self._store
        )
        self.admin_actions.sig_own_password_changed.connect(self.sync.password_changed)
        self._attached = True
        self._nav.setEnabled(True)
        self.retranslate_ui()
        last = self._settings.last_page
        self._starting = True
        try:
            self.show_area(last if last in self.pages.keys() else "clients")
        finally:
            self._starting = False
        self.sig_attached.emit()

    @property
    def attached(self) -> bool:
        return self._attached

    # -- construction -------------------------------------------------------------------------

    def _update_nav_width(self) -> None:
        """Wide enough for the longest area name in the current language (never elided)."""
        metrics = self._nav.fontMetrics()
        texts = [self._nav.item(row).text() for row in range(self._nav.count())]
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
        icon = self._nav.iconSize().width()
        chrome = icon + 4 * self._nav.spacing() + 2 * self._nav.frameWidth() + 32
        self._nav.setFixedWidth(max(180, widest + chrome))

    def _build_actions(self) -> None:
        self.action_quit = QAction(self)
        # The platform's Quit keys where it has some (none on Windows or headless): else Ctrl+Q.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        self.action_quit.setShortcuts(quit_keys or [QKeySequence("Ctrl+Q")])
        self.action_about = QAction(self)
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.action_shortcuts = QAction(self)
        self.action_shortcuts.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.area_actions: dict[str, QAction] = {}
        for index, area in enumerate(AREAS, start=1):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{index}"))
            action.setData(area.key)
            self.area_actions[area.key] = action
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            action = QAction(name, self)
            action.setCheckable(True)
            action.setData(code)
            self.language_group.addAction(action)
            self.language_actions[code] = action
        self.language_actions[self._languages.language].setChecked(True)
        # A language locked by IT's system-wide settings cannot be switched here.
        self.language_group.setEnabled(not self._languages.locked)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        self.menu_file.addAction(self.action_quit)
        self.menu_view = bar.addMenu("")
        for action in self.area_actions.values():
            self.menu_view.addAction(action)
        self.menu_language = bar.addMenu("")
        for action in self.language_actions.values():
            self.menu_language.addAction(action)
        self.menu_help = bar.addMenu("")
        self.menu_help.addAction(self.action_shortcuts)
        self.menu_help.addSeparator()
        self.menu_help.addAction(self.action_about)

    def _connect_signals(self) -> None:
        self._nav.currentRowChanged.connect(self._on_nav_row_changed)
        self.action_quit.triggered.connect(self.close)
        self.action_about.triggered.connect(self._on_about_triggered)
        self.action_shortcuts.triggered.connect(self._on_shortcuts_triggered)
        for key, action in self.area_actions.items():
            action.triggered.connect(lambda _checked=False, k=key: self.show_area(k))
        self.language_group.triggered.connect(self._on_language_triggered)
        self._languages.sig_language_changed.connect(self._on_language_changed)

    def retranslate_ui(self) -> None:
        title = APP_NAME + (" – " + _("demo database") if self._demo else "")
        self.setWindowTitle(title)
        self.menu_file.setTitle(_("&File"))
        self.menu_view.setTitle(_("&View"))
        self.menu_language.setTitle(_("&Language"))
        self.menu_help.setTitle(_("&Help"))
        self.action_quit.setText(_("&Quit"))
        self.action_about.setText(_("&About Hemlös Desktop"))
        self.action_shortcuts.setText(_("&Keyboard shortcuts"))
        if not self._attached:
            self._opening.setText(_("Opening the database…"))
        if self._attached:
            self.lock.retranslate_ui()
            self.admin_actions.retranslate_ui()
            self.sync.retranslate_ui()
        self._nav.setAccessibleName(_("Areas"))
        self._nav.setAccessibleDescription(_("Choose an area of the program"))
        for row, area in enumerate(AREAS):
            item = self._nav.item(row)
            item.setText(_(area.title))
            item.setToolTip(_(area.empty_text))
            self.area_actions[area.key].setText(_(area.title))
        self._update_nav_width()
        self._status_label.setAccessibleName(_("Database"))
        self._status_label.setText(
            _("Demo database: all people are fictitious") if self._demo else ""
        )
        if self._attached:
            for page in self.pages.built():
                retranslate = getattr(page, "retranslate_ui", None)
                if callable(retranslate):
                    retranslate()
            self.due_status.retranslate_ui()
            follow_language(self)
        self.statusBar().showMessage(_("Ready"), 3000)

    # -- behaviour ----------------------------------------------------------------------------

    def show_area(self, key: str) -> None:
        keys = [area.key for area in AREAS]
        self._nav.setCurrentRow(keys.index(key))

    def _forward_to_page(self, method: str) -> None:
        """Call ``method`` of the page shown, if it has one (``focus_search``, ``start_new``)."""
        if not self._attached:
            return
        action = getattr(self.pages[self.current_area().key], method, None)
        if callable(action):
            action()

    def current_area(self) -> Area:
        return AREAS[self._stack.currentIndex()]

    def _on_nav_row_changed(self, row: int) -> None:
        if row < 0 or not self._attached:
            return
        key = AREAS[row].key
        new = key not in self.pages.built_keys()
        page = self.pages[key]  # built on first show
        if new and self._starting:
            # The first page: its place in the Tab order once it has painted (a key typed
            # meanwhile waits in the queue behind this).
            QTimer.singleShot(0, page, lambda: _chain_after(self._nav, page))
        elif new:
            # A page built after start-up still comes right after the area list for Tab.
            _chain_after(self._nav, page)
        self._stack.setCurrentIndex(row)
        self._settings.last_page = AREAS[row].key

    def _on_page_built(self, key: str, page: QWidget) -> None:
        """Connect a page's requests to open a client's case file (the Team area's lists)."""
        signal = getattr(page, "sig_open_client", None)
        if key != "clients" and signal is not None:
            signal.connect(self._on_open_client_requested)

    def _on_open_client_requested(self, client_id: int) -> None:
        self.show_area("clients")
        opener = getattr(self.pages["clients"], "open_client", None)
        if opener is not None:
            opener(client_id)

    def _on_open_due(self) -> None:
        self.show_area("plans")
        tabs = getattr(self.pages["plans"], "tabs", None)
        if tabs is not None:
            tabs.setCurrentIndex(1)  # "What is due"

    def _on_about_triggered(self) -> None:
        folder = str(self._db.location.folder) if self._db is not None else ""
        from hemlos_desktop.ui.about import AboutDialog  # (the licences: not at start-up)

        dialog = AboutDialog(data_folder=folder, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def shortcut_actions(self) -> list[QAction]:
        """Every action of the window that has a keyboard shortcut (menus and hidden ones)."""
        return [action for action in self.findChildren(QAction) if action.shortcuts()]

    def _on_shortcuts_triggered(self) -> None:
        extra = [
            (_("Move between the area list and the page"), _("Tab, Shift+Tab")),
            (_("Open a menu"), _("Alt + the underlined letter")),
        ]
        from hemlos_desktop.ui.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(actions=self.shortcut_actions(), extra_rows=extra, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _on_language_triggered(self, action: QAction) -> None:
        self._languages.apply(str(action.data()))

    def _on_language_changed(self, language: str) -> None:
        self._settings.language = language
        self.language_actions[language].setChecked(True)
        self.retranslate_ui()
        self._store.save(self._settings)

    def _restore_window(self) -> None:
        geometry = self._settings.window_geometry
        if geometry:
            self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
        else:
            self.resize(1100, 720)
        state = self._settings.window_state
        if state:
            self.restoreState(QByteArray(base64.b64decode(state)))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self._settings.window_geometry = base64.b64encode(
            bytes(self.saveGeometry().data())
        ).decode()
        self._settings.window_state = base64.b64encode(bytes(self.saveState().data())).decode()
        self._store.save(self._settings)
        # The language manager outlives the window: stop listening (a closed window is deleted).
        with contextlib.suppress(RuntimeError, TypeError):
            self._languages.sig_language_changed.disconnect(self._on_language_changed)
        super().closeEvent(event)


class _Pages(dict[str, QWidget]):
    """The area pages by key, each built on first use and put into its place in the stack."""

    def __init__(
        self,
        factories: dict[str, PageFactory],
        context: UiContext,
        stack: QStackedWidget,
        *,
        on_built: Callable[[str, QWidget], None] | None = None,
    ) -> None:
        super().__init__()
        self._on_built = on_built
        self._factories = factories
        self._context = context
        self._holders: dict[str, QScrollArea] = {}
        for area in AREAS:
            holder = _scrollable(None)
            self._holders[area.key] = holder
            stack.addWidget(holder)

    def keys(self) -> Any:
        return self._holders.keys()

    def __contains__(self, key: object) -> bool:
        return key in self._holders

    def __missing__(self, key: str) -> QWidget:
        if key not in self._holders:
            raise KeyError(key)
        area = next(a for a in AREAS if a.key == key)
        factory = self._factories.get(key)
        page = factory(self._context) if factory else EmptyStatePage(area=area)
        self[key] = page
        self._holders[key].setWidget(page)
        if self._on_built is not None:
            self._on_built(key, page)
        return page

    def built(self) -> list[QWidget]:
        return list(dict.values(self))

    def built_keys(self) -> set[str]:
        return set(dict.keys(self))


def _chain_after(anchor: QWidget, container: QWidget) -> None:
    """Move ``container``'s focusable widgets, in their order, right after ``anchor``."""
    chain: list[QWidget] = []
    tab_focus = Qt.FocusPolicy.TabFocus.value
    widget = container.nextInFocusChain()
    while widget is not None and widget is not container and len(chain) < 10_000:
        if container.isAncestorOf(widget) and widget.focusPolicy().value & tab_focus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    previous = anchor
    for widget in chain:
        QWidget.setTabOrder(previous, widget)
        previous = widget


def _scrollable(page: QWidget | None) -> QScrollArea:
    """A page in a scroll area: a large form never forces the window wider than the screen
    (small laptops, 150 % scaling); it scrolls instead."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    if page is not None:
        area.setWidget(page)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area
