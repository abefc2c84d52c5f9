"""Item models of the Team area. Each holds the plain rows a service returned (the services sort
and filter in SQL); ``data()`` only formats them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from hemlos_desktop import i18n
from hemlos_desktop.i18n import N_
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.goal_defs import GOALS_BY_KEY, GoalFigure
from hemlos_desktop.models.team import (
    COMPETENCE_LABELS,
    EVICTION_OUTCOME_LABELS,
    EVICTION_REASON_LABELS,
    TEAM_ROLE_LABELS,
    Competence,
)
from hemlos_desktop.services.evictions import EvictionRow
from hemlos_desktop.services.team_board import MemberFigures, Qualification

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
ALERT = QColor("#fde2e1")  # light red behind overloaded members and urgent cases
ALERT_TEXT = QColor("#8a1c14")


def format_date(value: dt.date | None) -> str:
    return "" if value is None else i18n.active().format_date(value, "short")


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str | Callable[[], str]  # a msgid, or a function giving the translated title
    text: Callable[[R], str]
    sort_value: Callable[[R], Any] | None = None
    align_right: bool = False


class RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list of plain rows with translated headers."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        alert: Callable[[R], str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[R] = []
        self._alert = alert
        # The texts are formatted once per load (and per language), not on every data() call.
        self._texts: list[list[str]] = []
        self._alerts: list[str] = []

    def _format(self) -> None:
        self._texts = [[column.text(row) for column in self._columns] for row in self._rows]
        alert = self._alert
        self._alerts = [alert(row) if alert else "" for row in self._rows]

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._format()
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._texts[index.row()][index.column()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            row = self._rows[index.row()]
            return column.sort_value(row) if column.sort_value else column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        message = self._alerts[index.row()]
        if message:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(ALERT)
            if message and role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(ALERT_TEXT)
            if message and role == Qt.ItemDataRole.ToolTipRole:
                return message
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            title = self._columns[section].title
            return title() if callable(title) else _(title)
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def retranslate(self) -> None:
        self._format()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self._columns) - 1))
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self._columns) - 1)
            )


def _n(value: int) -> str:
    # Below 1000 every language writes the digits alone; Babel is only needed above.
    return str(value) if -1000 < value < 1000 else i18n.active().format_number(value)


def board_model(*, ceiling: Callable[[], int], parent: Any = None) -> RowsModel[MemberFigures]:
    def overload(m: MemberFigures) -> str:
        if not m.overloaded:
            return ""
        return _("Over the caseload ceiling ({ceiling})").format(ceiling=ceiling())

    columns: list[Column[MemberFigures]] = [
        Column(N_("Member"), lambda m: m.name + (" ⚠" if m.overloaded else "")),
        Column(N_("Team role"), lambda m: _(TEAM_ROLE_LABELS[m.team_role])),
        Column(N_("Unit"), lambda m: m.unit_name),
        Column(N_("Active clients"), lambda m: _n(m.active), lambda m: m.active, True),
        Column(
            N_("Qualified"),
            lambda m: _n(m.by_qualification.get(Qualification.QUALIFIED, 0)),
            None,
            True,
        ),
        Column(
            N_("Not qualified"),
            lambda m: _n(m.by_qualification.get(Qualification.NOT_QUALIFIED, 0)),
            None,
            True,
        ),
        Column(
            N_("Not rated"),
            lambda m: _n(m.by_qualification.get(Qualification.NOT_RATED, 0)),
            None,
            True,
        ),
        Column(N_("Homeless (code 1)"), lambda m: _n(m.by_housing.get(1, 0)), None, True),
        Column(N_("Own contract (code 5)"), lambda m: _n(m.by_housing.get(5, 0)), None, True),
        Column(N_("Due this week"), lambda m: _n(m.due), lambda m: m.due, True),
        Column(N_("Overdue"), lambda m: _n(m.overdue), lambda m: m.overdue, True),
        Column(
            N_("Eviction cases"), lambda m: _n(m.evictions_open), lambda m: m.evictions_open, True
        ),
        Column(N_("Next eviction date"), lambda m: format_date(m.next_eviction_date)),
    ]
    return RowsModel(columns, alert=overload, parent=parent)


def competence_model(parent: Any = None) -> RowsModel[MemberFigures]:
    def cell(competence: Competence) -> Callable[[MemberFigures], str]:
        def text(m: MemberFigures) -> str:
            if competence not in m.competences:
                return ""
            trained = m.competences[competence]
            return "✓ " + format_date(trained) if trained else "✓"

        return text

    columns: list[Column[MemberFigures]] = [Column(N_("Member"), lambda m: m.name)]
    columns += [Column(COMPETENCE_LABELS[c], cell(c)) for c in Competence]
    return RowsModel(columns, parent=parent)


def eviction_model(parent: Any = None) -> RowsModel[EvictionRow]:
    def urgent(row: EvictionRow) -> str:
        if row.urgent:
            return _("Urgent: {days} days left").format(days=row.days_left)
        if row.new:
            return _("New case")
        if row.date_passed:
            return _("The date has passed: record the outcome.")
        return ""

    def days(row: EvictionRow) -> str:
        return "" if row.days_left is None else _n(row.days_left)

    def arrears(row: EvictionRow) -> str:
        if row.arrears_cents is None:
            return ""
        return i18n.active().format_decimal(row.arrears_cents / 100, 2)

    def state(row: EvictionRow) -> str:
        if row.outcome is not None:
            return _(EVICTION_OUTCOME_LABELS[row.outcome])
        if row.urgent:
            return _("Urgent")
        if row.date_passed:
            return _("Outcome missing")
        return _("New") if row.new else _("Open")

    columns: list[Column[EvictionRow]] = [
        Column(N_("Client"), lambda r: r.client_name),
        Column(N_("State"), state),
        Column(N_("Next date"), lambda r: format_date(r.next_date)),
        Column(N_("Days left"), days, lambda r: r.days_left, True),
        Column(N_("Landlord"), lambda r: r.landlord),
        Column(N_("Reason"), lambda r: _(EVICTION_REASON_LABELS[r.reason])),
        Column(N_("Arrears"), arrears, lambda r: r.arrears_cents, True),
        Column(N_("Notice"), lambda r: format_date(r.notice_date)),
        Column(N_("Outcome date"), lambda r: format_date(r.outcome_date)),
    ]
    return RowsModel(columns, alert=urgent, parent=parent)


GOAL_VALUE_COLUMNS = ("woman", "man", "other", "not_stated", "total")


def goal_model(parent: Any = None) -> RowsModel[GoalFigure]:
    def value(column: str) -> Callable[[GoalFigure], str]:
        def text(f: GoalFigure) -> str:
            number = f.by_column()[column]
            if number is None:
                return "–"
            if number == int(number):
                return _n(int(number))
            return i18n.active().format_decimal(number, 1)

        return text

    columns: list[Column[GoalFigure]] = [
        Column(N_("Goal"), lambda f: _(GOALS_BY_KEY[f.key].title)),
        Column(N_("Target"), lambda f: _(GOALS_BY_KEY[f.key].target)),
        Column(N_("Women"), value("woman"), None, True),
        Column(N_("Men"), value("man"), None, True),
        Column(N_("Other"), value("other"), None, True),
        Column(N_("Not stated"), value("not_stated"), None, True),
        Column(N_("Total"), value("total"), None, True),
    ]
    return RowsModel(columns, parent=parent)
