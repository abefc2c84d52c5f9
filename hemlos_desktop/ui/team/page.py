"""The Team area: choose a team, then its board, case review, eviction cases and goals."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import team_org
from hemlos_desktop.services.changes import ChangeKind
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.team.meeting import MeetingView
from hemlos_desktop.ui.team.views import BoardView, EvictionsView, GoalsView

# The board shows caseloads, housing, ratings and what is due; the other tabs show team data.
WATCHED = frozenset(
    {
        ChangeKind.TEAM,
        ChangeKind.DUE,
        ChangeKind.HEADER,
        ChangeKind.HOUSING,
        ChangeKind.RATING,
        ChangeKind.PLAN,
        ChangeKind.USERS,
    }
)


class TeamPage(QWidget):
    sig_open_client = Signal(int)
    """The user chose a client from a list or drill-down (the main window opens its case)."""

    def __init__(
        self, *, context: UiContext, today: dt.date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._today = today
        self._stale: set[int] = set()
        self.team_combo = QComboBox()
        self.team_label = QLabel()
        self.team_label.setBuddy(self.team_combo)
        self.setup_button = QPushButton()
        self.setup_button.setVisible(context.actor.role in (Role.ADMIN, Role.TEAM_LEAD))
        self.refresh_button = QPushButton()
        self.board = BoardView(context=context)
        self.meeting = MeetingView(context=context)
        self.evictions = EvictionsView(context=context)
        self.goals = GoalsView(context=context)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("team_tabs")
        for widget in (self.board, self.meeting, self.evictions, self.goals):
            self.tabs.addTab(widget, "")
        top = QHBoxLayout()
        top.addWidget(self.team_label)
        top.addWidget(self.team_combo, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.setup_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._connect_signals()
        self.reload_teams()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.team_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.setup_button.clicked.connect(self._on_setup_clicked)
        self.tabs.currentChanged.connect(lambda _i: self._load_current())
        self.evictions.sig_open_client.connect(self.sig_open_client)
        self.goals.sig_open_client.connect(self.sig_open_client)
        self.meeting.sig_changed.connect(lambda: self._stale.add(0))
        self._context.notifier.subscribe(self, WATCHED, lambda _changes: self._mark_stale())

    def reload_teams(self) -> None:
        current = self.team_id()
        self.team_combo.blockSignals(True)
        self.team_combo.clear()
        for team in team_org.list_team_summaries(self._context.db, self._context.actor):
            self.team_combo.addItem(team.name, team.id)
        found = self.team_combo.findData(current) if current is not None else -1
        self.team_combo.setCurrentIndex(max(0, found) if self.team_combo.count() else -1)
        self.team_combo.blockSignals(False)
        self.refresh()

    def team_id(self) -> int | None:
        value = self.team_combo.currentData()
        return int(value) if value is not None else None

    def _mark_stale(self) -> None:
        self._stale = {0, 1, 2, 3} - {self.tabs.currentIndex()}
        self._load_current(force=True)

    def refresh(self) -> None:
        """Reload the shown tab now and the others when they are shown."""
        self._stale = {0, 1, 2, 3}
        self._load_current()

    def _load_current(self, *, force: bool = False) -> None:
        index = self.tabs.currentIndex()
        if index not in self._stale and not force:
            return
        self._stale.discard(index)
        team_id = self.team_id()
        if index == 0:
            self.board.load(team_id, today=self._today)
        elif index == 1:
            self.meeting.load(team_id)
        elif index == 2:
            self.evictions.load(team_id, today=self._today)
        else:
            self.goals.load(team_id, self.team_combo.currentText())

    def _on_setup_clicked(self) -> None:
        from hemlos_desktop.ui.team.setup_dialog import OrganisationDialog

        dialog = OrganisationDialog(context=self._context, team_id=self.team_id(), parent=self)
        dialog.exec()
        self.reload_teams()

    def retranslate_ui(self) -> None:
        self.team_label.setText(_("T&eam:"))
        self.refresh_button.setText(_("&Refresh"))
        self.setup_button.setText(_("&Organisation…"))
        titles = (_("Board"), _("Case review"), _("Eviction prevention"), _("Goals"))
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)
        for view in (self.board, self.meeting, self.evictions, self.goals):
            view.retranslate_ui()
