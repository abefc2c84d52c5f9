"""Qt item models of the Plans area: the plan tree, the what-is-due list, a version comparison."""

from __future__ import annotations

from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from hemlos_desktop import i18n
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import pgettext
from hemlos_desktop.models.cti import CtiPhaseKey, phase_label
from hemlos_desktop.models.plan import DueKind
from hemlos_desktop.models.plan_diff import (
    Change,
    DiffRow,
    RowKind,
    change_label,
    display_field,
    display_value,
    field_label,
)
from hemlos_desktop.models.plan_rules import (
    ActionSnapshot,
    GoalSnapshot,
    PlanSnapshot,
    action_status_label,
    rating_area_label,
)
from hemlos_desktop.services.plan_due import DueBucket, DueItem
from hemlos_desktop.ui.itemmodels.two_level_tree import TwoLevelTreeModel

Index = QModelIndex | QPersistentModelIndex


def _date(value: Any) -> str:
    return "" if value is None else i18n.active().format_date(value, "short")


def phase_text(key: str | None) -> str:
    if not key:
        return ""
    try:
        return phase_label(CtiPhaseKey(key))
    except ValueError:
        return key


class PlanTreeModel(TwoLevelTreeModel):
    """Goals at the top level, their actions below. Read-only; the editor replaces the plan."""

    COLUMNS = 6

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._plan: PlanSnapshot | None = None

    def set_plan(self, plan: PlanSnapshot | None) -> None:
        self.beginResetModel()
        self._plan = plan
        self.endResetModel()

    def plan(self) -> PlanSnapshot | None:
        return self._plan

    def _goals(self) -> tuple[GoalSnapshot, ...]:
        return self._plan.goals if self._plan is not None else ()

    def top_count(self) -> int:
        return len(self._goals())

    def child_count(self, top_row: int) -> int:
        return len(self._goals()[top_row].actions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return self.COLUMNS

    def item(self, index: Index) -> GoalSnapshot | ActionSnapshot | None:
        if not index.isValid():
            return None
        goals = self._goals()
        if self.is_top(index):
            return goals[index.row()] if index.row() < len(goals) else None
        goal = goals[self.top_row_of(index)]
        return goal.actions[index.row()] if index.row() < len(goal.actions) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index)
        if item is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return item.uid
        column = index.column()
        suggested = isinstance(item, GoalSnapshot) and not item.text.strip() and column == 0
        if role == Qt.ItemDataRole.ForegroundRole and suggested:
            return QColor(Qt.GlobalColor.gray)  # a template's suggestion, not the client's words
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if isinstance(item, GoalSnapshot):
            if suggested:
                suggestion = item.suggestion
                return _("Suggestion: {text}").format(text=suggestion) if suggestion else ""
            if column == 0:
                return item.text
            if column == 1 and item.rating_area:
                return rating_area_label(item.rating_area)
            return None
        values = (
            item.text,
            display_value(item.responsible),
            _date(item.start),
            _date(item.due),
            action_status_label(item.status),
            phase_text(item.phase),
        )
        return values[column]

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < self.COLUMNS:
            return None
        return (
            _("Goal / action"),
            pgettext("plan field", "Responsible"),
            pgettext("plan field", "Start date"),
            pgettext("plan field", "Due date"),
            pgettext("plan field", "Status"),
            pgettext("plan field", "Phase"),
        )[section]


def due_text(item: DueItem) -> str:
    """What a due line says: its kind and text ("Follow-up: has the effort started?"), the
    kind not repeated when the text already begins with it (in any of the languages, as a
    plan written in Swedish may be read in an English session)."""
    kind = _("Action") if item.kind is DueKind.ACTION else _("Follow-up")
    text = item.text.strip()
    if not text:
        return kind
    source = "Action" if item.kind is DueKind.ACTION else "Follow-up"
    words = {kind.casefold(), source.casefold()} | {
        i18n.translator_for(lang).gettext(source).casefold() for lang in ("sv", "da")
    }
    folded = text.casefold()
    if any(folded.startswith(word) for word in words):
        return text
    return f"{kind}: {text}"


def bucket_label(bucket: DueBucket) -> str:
    labels = {
        DueBucket.OVERDUE: _("Overdue"),
        DueBucket.THIS_WEEK: _("This week"),
        DueBucket.COMING_UP: _("Coming up"),
    }
    return labels[bucket]


DueField = Literal["what", "when", "due", "client", "who"]


def due_cell(item: DueItem, field: DueField, role: int) -> Any:
    """What a due line shows in one field, for both due lists (the flat one and the tree):
    the text for display and tooltip, the client's id as ``UserRole``."""
    if role == Qt.ItemDataRole.UserRole:
        return item.client_id
    if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
        return None
    if field == "what":
        return due_text(item)
    if field == "when":
        return bucket_label(item.bucket)
    if field == "due":
        return _date(item.due)
    if field == "client":
        return item.client_name
    # A follow-up without a responsible person of its own is the client's responsible's.
    return item.responsible_name or item.client_owner_name


def due_header(field: DueField) -> str:
    labels = {
        "what": _("What"),
        "when": _("When"),
        "due": pgettext("plan field", "Due date"),
        "client": _("Client"),
        "who": _("Who"),
    }
    return labels[field]


class DueListModel(QAbstractTableModel):
    """Actions and follow-ups that are due (see services.plan_due)."""

    FIELDS: tuple[DueField, ...] = ("when", "due", "client", "what", "who")
    COLUMNS = len(FIELDS)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: tuple[DueItem, ...] = ()

    def set_items(self, items: tuple[DueItem, ...]) -> None:
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def item(self, row: int) -> DueItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.item(index.row())
        return None if item is None else due_cell(item, self.FIELDS[index.column()], role)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < self.COLUMNS:
            return None
        return due_header(self.FIELDS[section])


# Light fills that keep black text readable; the Change column says the same in words.
_CHANGE_COLOURS = {
    Change.ADDED: QColor(220, 240, 220),
    Change.REMOVED: QColor(245, 222, 222),
    Change.CHANGED: QColor(250, 240, 200),
}


class CompareModel(QAbstractTableModel):
    """Two versions side by side: change, item, earlier version, later version."""

    COLUMNS = 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[DiffRow, ...] = ()

    def set_rows(self, rows: tuple[DiffRow, ...]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row(self, number: int) -> DiffRow:
        return self._rows[number]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.COLUMNS

    @staticmethod
    def _side(row: DiffRow, item: object) -> str:
        if item is None:
            return ""
        if row.kind is RowKind.PLAN:
            names = [f.field for f in row.fields] or ["start"]
            return "\n".join(
                f"{field_label(n)}: {display_field(n, getattr(item, n))}" for n in names
            )
        text = str(getattr(item, "text", ""))
        if row.change is Change.CHANGED:
            extra = [
                f"{field_label(f.field)}: {display_field(f.field, getattr(item, f.field, None))}"
                for f in row.fields
                if f.field != "text" and hasattr(item, f.field)
            ]
            return "\n".join([text, *extra])
        return text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return row.change.value
        if role == Qt.ItemDataRole.BackgroundRole:
            return _CHANGE_COLOURS.get(row.change)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        kinds = {
            RowKind.PLAN: _("Plan"),
            RowKind.GOAL: pgettext("plan field", "Goal"),
            RowKind.ACTION: _("Action"),
        }
        column = index.column()
        if column == 0:
            return change_label(row.change)
        if column == 1:
            return kinds[row.kind]
        return self._side(row, row.old if column == 2 else row.new)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < self.COLUMNS:
            return None
        return (_("Change"), _("Item"), _("Earlier version"), _("Later version"))[section]
