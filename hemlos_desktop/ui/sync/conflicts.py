"""Sync conflicts: two people changed the same field while apart; both values are kept until
someone decides. The conflicts view lists them (both values, who, when, on which computer) and
decides one with "Keep mine" or "Keep theirs"; the banner on a client's case file says that
the record has conflicts and opens the view for that client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import N_, ngettext
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services.changes import ChangeKind, ChangeSet
from hemlos_desktop.services.sync_conflicts import (
    Conflict,
    ConflictSide,
    Resolution,
    list_conflicts,
    open_conflict_count,
    resolve_conflict,
)
from hemlos_desktop.ui.operations import run_operation, run_query
from hemlos_desktop.ui.widgets.dates import format_local_datetime

if TYPE_CHECKING:
    from hemlos_desktop.ui.context import UiContext

# What kind of record a conflict is in, as the person knows it.
RECORD_LABELS: dict[str, str] = {
    "clients": N_("Client"),
    "housing_periods": N_("Housing period"),
    "outreach_contacts": N_("Outreach contact"),
    "plans": N_("Plan"),
    "teams": N_("Team"),
    "users": N_("User"),
    "team_members": N_("Team member"),
    "team_units": N_("Unit"),
    "team_partners": N_("Partner"),
    "client_responsibilities": N_("Who does what"),
    "eviction_cases": N_("Eviction case"),
    "review_meetings": N_("Review meeting"),
    "agenda_items": N_("Agenda item"),
    "meeting_actions": N_("Meeting action"),
}
COLUMNS = (
    N_("Record"),
    N_("Field"),
    N_("Mine"),
    N_("Saved by"),
    N_("When"),
    N_("Theirs"),
    N_("Saved by"),
    N_("When"),
)


def record_label(conflict: Conflict) -> str:
    label = RECORD_LABELS.get(conflict.table)
    return _(label) if label else conflict.table


def field_label(conflict: Conflict) -> str:
    return conflict.field.replace("_", " ")


def mine_and_theirs(conflict: Conflict) -> tuple[ConflictSide, ConflictSide, bool]:
    """(mine, theirs, whether "mine" is really this computer's): the side saved here is mine;
    when neither was (two other computers), the value every computer shows now."""
    if conflict.held.this_machine and not conflict.current.this_machine:
        return conflict.held, conflict.current, True
    return conflict.current, conflict.held, conflict.current.this_machine


def _who(side: ConflictSide) -> str:
    where = (
        _("this computer")
        if side.this_machine
        else _("computer {id}").format(id=side.machine_uid[:8])
    )
    return _("{user} on {computer}").format(user=side.username or "?", computer=where)


class ConflictsDialog(QDialog):
    """Every open conflict the person may see (or one client's)."""

    sig_decided = Signal(str)
    """A conflict was decided (its uid)."""

    def __init__(
        self, *, context: UiContext, client_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self._context = context
        self._client_id = client_id
        self.conflicts: list[Conflict] = []
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("conflictsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("conflictsEmpty")
        self.keep_mine_button = QPushButton()
        self.keep_mine_button.setObjectName("keepMine")
        self.keep_theirs_button = QPushButton()
        self.keep_theirs_button.setObjectName("keepTheirs")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        decide = QHBoxLayout()
        decide.addWidget(self.keep_mine_button)
        decide.addWidget(self.keep_theirs_button)
        decide.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(decide)
        layout.addWidget(self.buttons)
        # Wide for the eight columns, but never wider than the window it opens from (nor the
        # screen): at 150 % a fixed width in characters ran far past both.
        wanted = QSize(
            self.fontMetrics().averageCharWidth() * 190, self.fontMetrics().height() * 22
        )
        room = self.screen().availableGeometry().size()
        if parent is not None:
            room = room.boundedTo(parent.window().size())
        self.resize(wanted.boundedTo(room * 0.95))
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()

    def _connect_signals(self) -> None:
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.keep_mine_button.clicked.connect(lambda: self._decide(mine=True))
        self.keep_theirs_button.clicked.connect(lambda: self._decide(mine=False))
        self.buttons.rejected.connect(self.reject)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Sync conflicts"))
        self.intro_label.setText(
            _(
                "The same field was changed on two computers while they were apart. Both "
                "values are kept until you decide which one the record keeps."
            )
        )
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setAccessibleName(_("Sync conflicts"))
        self.empty_label.setText(_("There are no conflicts to decide."))
        self.keep_mine_button.setText(_("Keep &mine"))
        self.keep_theirs_button.setText(_("Keep &theirs"))
        self.refresh_rows()

    def refresh(self) -> None:
        ctx = self._context
        found = run_query(
            self, lambda: list_conflicts(ctx.db, ctx.actor, client_id=self._client_id)
        )
        self.conflicts = found.value if found is not None else []
        self.refresh_rows()

    def refresh_rows(self) -> None:
        self.table.setRowCount(len(self.conflicts))
        for row, conflict in enumerate(self.conflicts):
            mine, theirs, _really = mine_and_theirs(conflict)
            cells = (
                record_label(conflict),
                field_label(conflict),
                mine.display,
                _who(mine),
                format_local_datetime(mine.changed_at),
                theirs.display,
                _who(theirs),
                format_local_datetime(theirs.changed_at),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(self.conflicts))
        self.empty_label.setVisible(not self.conflicts)
        self.keep_mine_button.setVisible(bool(self.conflicts))
        self.keep_theirs_button.setVisible(bool(self.conflicts))
        if self.conflicts and not self.table.selectedItems():
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> Conflict | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.conflicts[min(rows)] if rows else None

    def _update_buttons(self) -> None:
        conflict = self.selected()
        enabled = conflict is not None and self._context.actor.can_write
        self.keep_mine_button.setEnabled(enabled)
        self.keep_theirs_button.setEnabled(enabled)
        if conflict is not None:
            mine, theirs, _really = mine_and_theirs(conflict)
            self.keep_mine_button.setToolTip(
                _("The record keeps “{value}”").format(value=mine.display)
            )
            self.keep_theirs_button.setToolTip(
                _("The record keeps “{value}”").format(value=theirs.display)
            )

    def _decide(self, *, mine: bool) -> None:
        conflict = self.selected()
        if conflict is None:
            return
        kept, _other, _really = mine_and_theirs(conflict)
        if not mine:
            kept = _other
        choice = Resolution.KEEP_CURRENT if kept is conflict.current else Resolution.TAKE_HELD
        ctx = self._context
        done = run_operation(
            self,
            ctx,
            lambda: resolve_conflict(ctx.db, ctx.actor, conflict.uid, choice),
            initiator=None,  # the record's own views refresh the field
        )
        if done is not None:
            self.sig_decided.emit(conflict.uid)
            self.refresh()


class ConflictBanner(QFrame):
    """On a client's case file: shown while the record has conflicts to decide."""

    def __init__(self, *, context: UiContext, client_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflictBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#conflictBanner { background: #fff4ce; border: 1px solid #c8a600; }")
        self._context = context
        self._client_id = client_id
        self.count = 0
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.text_label.setStyleSheet("color: #3b2f00;")
        self.show_button = QPushButton()
        self.show_button.setObjectName("showConflicts")
        layout = QHBoxLayout(self)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.show_button)
        self.show_button.clicked.connect(self.show_conflicts)
        context.notifier.subscribe(self, set(ChangeKind), self._on_changed)
        self.refresh()

    def _on_changed(self, _changes: ChangeSet) -> None:
        self.refresh()

    def refresh(self) -> None:
        ctx = self._context
        found = run_query(
            self, lambda: open_conflict_count(ctx.db, ctx.actor, client_id=self._client_id)
        )
        self.count = found.value if found is not None else 0
        self.retranslate_ui()
        self.setVisible(self.count > 0)

    def retranslate_ui(self) -> None:
        text = ngettext(
            "This record has {count} sync conflict: two values were saved for the same field.",
            "This record has {count} sync conflicts: two values were saved for the same fields.",
            self.count,
        ).format(count=self.count)
        self.text_label.setText(text)
        self.setAccessibleName(text)
        self.show_button.setText(_("Show &conflicts…"))

    def show_conflicts(self) -> ConflictsDialog:
        dialog = ConflictsDialog(context=self._context, client_id=self._client_id, parent=self)
        dialog.finished.connect(lambda _result: self.refresh())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


def install_conflict_banner(overview: QWidget, context: UiContext) -> ConflictBanner:
    """Put the banner at the top of a CaseOverviewWidget (``overview.add_banner``)."""
    banner = ConflictBanner(context=context, client_id=int(overview.client_id))  # type: ignore[attr-defined]
    overview.add_banner(banner)  # type: ignore[attr-defined]
    return banner
