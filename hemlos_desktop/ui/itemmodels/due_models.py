"""The what-is-due list as a tree: groups (a team member, or a client) with their items below,
each group's row counting its items; or, not grouped, the items alone (see
``services.due_groups``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext, pgettext
from hemlos_desktop.models.plan import DueKind
from hemlos_desktop.services.due_groups import DueGroup
from hemlos_desktop.services.plan_due import DueItem
from hemlos_desktop.ui.itemmodels.plan_models import _date, bucket_label

Index = QModelIndex | QPersistentModelIndex
_TOP = 0  # internalId of top-level rows; an item in a group carries the group's row + 1


def group_caption(group: DueGroup) -> str:
    """The caption of a group's row, e.g. "Lena Lindqvist — 12 items, 3 overdue"."""
    count = len(group.items)
    return ngettext(
        "{title} — {count} item, {overdue} overdue",
        "{title} — {count} items, {overdue} overdue",
        count,
    ).format(title=group.title, count=count, overdue=group.overdue)


class DueTreeModel(QAbstractItemModel):
    """Read-only; ``set_groups`` or ``set_items`` replaces everything."""

    COLUMNS = 5

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
        if not self._grouped or not index.isValid() or index.internalId() != _TOP:
            return None
        return self._groups[index.row()] if index.row() < len(self._groups) else None

    def item(self, index: Index) -> DueItem | None:
        if not index.isValid():
            return None
        if not self._grouped:
            return self._items[index.row()] if index.row() < len(self._items) else None
        if index.internalId() == _TOP:
            return None
        group = self._groups[int(index.internalId()) - 1]
        return group.items[index.row()] if index.row() < len(group.items) else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(int(child.internalId()) - 1, 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return len(self._groups) if self._grouped else len(self._items)
        group = self.group(parent)
        if group is None or parent.column() != 0:
            return 0
        return len(group.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return self.COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group = self.group(index)
        if group is not None:
            return self._group_data(group, index.column(), role)
        item = self.item(index)
        if item is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return item.client_id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        kind = _("Action") if item.kind is DueKind.ACTION else _("Follow-up")
        return (
            f"{kind}: {item.text}" if item.text else kind,
            bucket_label(item.bucket),
            _date(item.due),
            item.client_name,
            item.responsible_name or item.client_owner_name,
        )[index.column()]

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
        return (_("What"), _("When"), pgettext("plan field", "Due date"), _("Client"), _("Who"))[
            section
        ]
