"""The what-is-due list as a tree: groups (a team member, or a client) with their items below,
each group's row counting its items; or, not grouped, the items alone (see
``services.due_groups``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from hemlos_desktop.i18n import ngettext
from hemlos_desktop.services.due_groups import DueGroup
from hemlos_desktop.services.plan_due import DueItem
from hemlos_desktop.ui.itemmodels.plan_models import DueField, due_cell, due_header
from hemlos_desktop.ui.itemmodels.two_level_tree import TwoLevelTreeModel

Index = QModelIndex | QPersistentModelIndex


def group_caption(group: DueGroup) -> str:
    """The caption of a group's row, e.g. "Lena Lindqvist — 12 items, 3 overdue"."""
    count = len(group.items)
    return ngettext(
        "{title} — {count} item, {overdue} overdue",
        "{title} — {count} items, {overdue} overdue",
        count,
    ).format(title=group.title, count=count, overdue=group.overdue)


class DueTreeModel(TwoLevelTreeModel):
    """Read-only; ``set_groups`` or ``set_items`` replaces everything."""

    FIELDS: tuple[DueField, ...] = ("what", "when", "due", "client", "who")
    COLUMNS = len(FIELDS)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: tuple[DueGroup, ...] = ()
        self._items: tuple[DueItem, ...] = ()  # when not grouped
        self._grouped = True

    def set_groups(self, groups: tuple[DueGroup, ...]) -> None:
        self.beginResetModel()
        self._groups, self._items, self._grouped = groups, (), True
        self.endResetModel()

    def set_items(self, items: tuple[DueItem, ...]) -> None:
        """Not grouped: the items alone, at the top level."""
        self.beginResetModel()
        self._groups, self._items, self._grouped = (), items, False
        self.endResetModel()

    def groups(self) -> tuple[DueGroup, ...]:
        return self._groups

    def group(self, index: Index) -> DueGroup | None:
        if not self._grouped or not self.is_top(index):
            return None
        return self._groups[index.row()] if index.row() < len(self._groups) else None

    def item(self, index: Index) -> DueItem | None:
        if not index.isValid():
            return None
        if not self._grouped:
            return self._items[index.row()] if index.row() < len(self._items) else None
        if self.is_top(index):
            return None
        group = self._groups[self.top_row_of(index)]
        return group.items[index.row()] if index.row() < len(group.items) else None

    def top_count(self) -> int:
        return len(self._groups) if self._grouped else len(self._items)

    def child_count(self, top_row: int) -> int:
        return len(self._groups[top_row].items) if self._grouped else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return self.COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group = self.group(index)
        if group is not None:
            return self._group_data(group, index.column(), role)
        item = self.item(index)
        return None if item is None else due_cell(item, self.FIELDS[index.column()], role)

    @staticmethod
    def _group_data(group: DueGroup, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if column != 0:
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return group_caption(group)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < self.COLUMNS:
            return None
        return due_header(self.FIELDS[section])
