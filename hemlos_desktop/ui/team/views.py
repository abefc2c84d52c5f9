"""The board (caseloads, competence matrix, chart), the eviction list and the goals dashboard of
the Team area. Each view shows what one service returns for the chosen team."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop import i18n
from hemlos_desktop.i18n import N_, ngettext
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import GENDER_LABELS
from hemlos_desktop.models.goal_defs import GOALS_BY_KEY, GoalKey
from hemlos_desktop.services import evictions, goals, team_board
from hemlos_desktop.services.changes import Outcome
from hemlos_desktop.services.goals import GoalScope
from hemlos_desktop.services.team_reports import export_goals_file
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import run_operation, run_query
from hemlos_desktop.ui.team.chart import CaseloadChart
from hemlos_desktop.ui.team.models import (
    GOAL_VALUE_COLUMNS,
    board_model,
    competence_model,
    eviction_model,
    goal_model,
)
from hemlos_desktop.ui.widgets.dates import from_qdate, make_date_edit


def fit_columns(table: QTableView) -> None:
    """Fit the columns to their contents the first time the table has rows; later loads keep
    the widths (and whatever the user dragged them to)."""
    if table.property("fitted") or not table.model().rowCount():
        return
    table.resizeColumnsToContents()
    table.setProperty("fitted", True)


def refit_columns(*tables: QTableView) -> None:
    """After a language switch: fit the columns again, as headers fitted to one language's
    words cut another's ("Män" fitted, "Mænd" cut)."""
    for table in tables:
        table.setProperty("fitted", False)
        fit_columns(table)


def make_table(model: object, *, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)  # type: ignore[arg-type]
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    # Columns are fitted once per load (fit_columns): ResizeToContents would measure every
    # cell again on each change.
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


class BoardView(QWidget):
    """Per member: caseload by status and housing, due and overdue, evictions; the chart and the
    competence matrix beside it."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._team_id: int | None = None
        self._today: dt.date | None = None
        self.board: team_board.TeamBoard | None = None
        self.model = board_model(ceiling=lambda: self.board.caseload_ceiling if self.board else 0)
        self.table = make_table(self.model, name="team_board_table")
        self.competences = competence_model()
        self.competence_table = make_table(self.competences, name="competence_table")
        self.chart = CaseloadChart()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.competence_title = QLabel()
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.table, 1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.chart)
        matrix = QWidget()
        matrix_layout = QVBoxLayout(matrix)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_layout.addWidget(self.competence_title)
        matrix_layout.addWidget(self.competence_table, 1)
        bottom.addWidget(matrix)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.retranslate_ui()

    def load(self, team_id: int | None, *, today: dt.date | None = None) -> None:
        self._team_id, self._today = team_id, today
        self.board = None
        if team_id is not None:
            ctx = self._context
            found = run_query(
                self, lambda: team_board.team_board(ctx.db, ctx.actor, team_id, today=today)
            )
            self.board = None if found is None else found.value
        members = self.board.members if self.board else ()
        self.model.set_rows(members)
        self.competences.set_rows(members)
        fit_columns(self.table)
        fit_columns(self.competence_table)
        self.chart.set_data(members, self.board.caseload_ceiling if self.board else 0)
        self._show_summary()

    def retranslate_ui(self) -> None:
        self.table.setAccessibleName(_("Team board"))
        self.competence_table.setAccessibleName(_("Competence matrix"))
        self.competence_title.setText(_("Competence matrix"))
        self.model.retranslate()
        self.competences.retranslate()
        refit_columns(self.table, self.competence_table)
        self.chart.retranslate_ui()
        self._show_summary()

    def _show_summary(self) -> None:
        board = self.board
        if board is None:
            self.summary.setText(_("Choose a team."))
            return
        over = sum(1 for m in board.members if m.overloaded)
        text = ngettext(
            "{count} active client in the team.", "{count} active clients in the team.",
            board.total_active,
        ).format(count=board.total_active)  # fmt: skip
        text += " " + _("Caseload ceiling: {n}.").format(n=board.caseload_ceiling)
        if over:
            text += " " + ngettext(
                "{count} member is over the ceiling.", "{count} members are over the ceiling.", over
            ).format(count=over)
        if board.unassigned:
            text += " " + ngettext(
                "{count} client has no responsible member.",
                "{count} clients have no responsible member.",
                board.unassigned,
            ).format(count=board.unassigned)
        self.summary.setText(text)


class EvictionsView(QWidget):
    """The team's eviction cases by next date, urgent ones marked; Enter opens the client."""

    sig_open_client = Signal(int)
    """A client was chosen in the list (its id)."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._team_id: int | None = None
        self._today: dt.date | None = None
        self.model = eviction_model()
        self.table = make_table(self.model, name="eviction_table")
        self.open_only = QCheckBox()
        self.open_only.setChecked(True)
        self.summary = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.open_only)
        row.addStretch(1)
        row.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.open_only.toggled.connect(lambda _checked: self.load(self._team_id, today=self._today))
        self.table.activated.connect(self._on_activated)

    def _on_activated(self, index: object) -> None:
        row = self.model.row_at(index.row())  # type: ignore[attr-defined]
        if row is not None:
            self.sig_open_client.emit(row.client_id)

    def load(self, team_id: int | None, *, today: dt.date | None = None) -> None:
        self._team_id, self._today = team_id, today
        rows: list[evictions.EvictionRow] = []
        if team_id is not None:
            rows = evictions.list_eviction_cases(
                self._context.db,
                self._context.actor,
                team_id=team_id,
                open_only=self.open_only.isChecked(),
                today=today,
            )
        self.model.set_rows(rows)
        fit_columns(self.table)
        self._show_summary()

    def _show_summary(self) -> None:
        urgent = sum(1 for r in self.model.rows() if r.urgent)
        self.summary.setText(
            ngettext("{count} urgent case", "{count} urgent cases", urgent).format(count=urgent)
        )

    def retranslate_ui(self) -> None:
        self.open_only.setText(_("Open cases only"))
        self.table.setAccessibleName(_("Eviction cases"))
        self._show_summary()
        self.model.retranslate()
        refit_columns(self.table)


class DrillDownDialog(QDialog):
    """The clients behind one figure; Enter opens a client."""

    sig_open_client = Signal(int)
    """A client was chosen (its id)."""

    def __init__(self, *, title: str, rows: list[goals.DrillRow], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        from hemlos_desktop.ui.team.models import Column, RowsModel

        self.model: RowsModel[goals.DrillRow] = RowsModel(
            [
                Column(N_("Client"), lambda r: r.name),
                Column(N_("Gender"), lambda r: _(GENDER_LABELS[r.gender])),
            ]
        )
        self.model.set_rows(rows)
        self.table = make_table(self.model, name="drill_table")
        fit_columns(self.table)
        self.table.activated.connect(self._on_activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(420, 360)

    def _on_activated(self, index: object) -> None:
        row = self.model.row_at(index.row())  # type: ignore[attr-defined]
        if row is not None:
            self.sig_open_client.emit(row.client_id)
            self.accept()


class GoalsView(QWidget):
    """Each goal's target and figure by gender for a period; a cell opens the clients behind it;
    the definition of the chosen goal is shown below."""

    sig_open_client = Signal(int)
    """A client was chosen from a drill-down (its id)."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._team_id: int | None = None
        self._team_name = ""
        today = dt.date.today()
        self.from_edit = make_date_edit(dt.date(today.year, 1, 1))
        self.to_edit = make_date_edit(today)
        self.from_label, self.to_label = QLabel(), QLabel()
        self.from_label.setBuddy(self.from_edit)
        self.to_label.setBuddy(self.to_edit)
        self.show_button = QPushButton()
        self.export_button = QPushButton()
        self.model = goal_model()
        self.table = make_table(self.model, name="goals_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.definition = QLabel()
        self.definition.setWordWrap(True)
        self.definition.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        for widget in (self.from_label, self.from_edit, self.to_label, self.to_edit):
            row.addWidget(widget)
        row.addWidget(self.show_button)
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.definition)
        self.last_drill: DrillDownDialog | None = None
        self._connect_signals()
        self.retranslate_ui()

    def _connect_signals(self) -> None:
        self.show_button.clicked.connect(lambda: self.load(self._team_id))
        self.export_button.clicked.connect(self._on_export_clicked)
        self.table.activated.connect(self.drill_down)
        self.table.selectionModel().currentChanged.connect(
            lambda current, _previous: self._show_definition(current.row())
        )

    def scope(self) -> GoalScope:
        return GoalScope(
            from_qdate(self.from_edit.date()), from_qdate(self.to_edit.date()), self._team_id
        )

    def load(self, team_id: int | None, team_name: str | None = None) -> None:
        self._team_id = team_id
        if team_name is not None:
            self._team_name = team_name
        ctx, scope = self._context, self.scope()
        found = run_query(self, lambda: goals.goal_figures(ctx.db, ctx.actor, scope))
        if found is None:
            return
        figures = found.value
        self.model.set_rows(figures)
        for column in range(1, self.model.columnCount()):
            self.table.resizeColumnToContents(column)
        self._show_definition(max(0, self.table.currentIndex().row()))

    def _show_definition(self, row: int) -> None:
        figure = self.model.row_at(row)
        if figure is None:
            self.definition.setText("")
            return
        goal = GOALS_BY_KEY[figure.key]
        self.definition.setText(f"{_(goal.title)} ({_(goal.source)}): {_(goal.definition)}")

    def drill_down(self, index: object) -> DrillDownDialog | None:
        row, column = index.row(), index.column()  # type: ignore[attr-defined]
        figure = self.model.row_at(row)
        if figure is None:
            return None
        gender = None
        if column >= 2:
            key = GOAL_VALUE_COLUMNS[column - 2]
            gender = None if key == "total" else key
        looked = run_operation(
            self,
            self._context,
            lambda: Outcome(
                goals.goal_clients(
                    self._context.db,
                    self._context.actor,
                    self.scope(),
                    GoalKey(figure.key),
                    gender=gender,
                )
            ),
        )
        if looked is None:
            return None
        rows = looked.value
        dialog = DrillDownDialog(title=_(GOALS_BY_KEY[figure.key].title), rows=rows, parent=self)
        dialog.sig_open_client.connect(self.sig_open_client)
        self.last_drill = dialog
        dialog.open()
        return dialog

    def _on_export_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export goals"), "", _("PDF (*.pdf);;CSV (*.csv);;Excel (*.xlsx)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path, *, language: str | None = None) -> None:
        lang = language or i18n.current_language()
        if path.suffix.casefold() == ".pdf" and lang not in ("sv", "da"):
            lang = "sv"
        db, actor = self._context.db, self._context.actor
        scope_text = i18n.translator_for(lang).gettext("Team {name}").format(name=self._team_name)
        run_operation(
            self,
            self._context,
            lambda: Outcome(
                export_goals_file(
                    db,
                    actor,
                    path,
                    self.scope(),
                    language=lang,
                    scope_text=scope_text,
                    municipality=self._context.settings.municipality_name,
                )
            ),
        )

    def retranslate_ui(self) -> None:
        self.from_label.setText(_("&From"))
        self.to_label.setText(_("&To"))
        self.show_button.setText(_("&Show"))
        self.export_button.setText(_("E&xport…"))
        self.table.setAccessibleName(_("Goals"))
        self.hint.setText(
            _("Press Enter on a figure to see the clients behind it (the look is logged).")
        )
        self.model.retranslate()
        refit_columns(self.table)
        self._show_definition(max(0, self.table.currentIndex().row()))
