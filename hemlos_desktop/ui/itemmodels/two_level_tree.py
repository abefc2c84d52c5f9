"""A read-only two-level tree (groups at the top, their rows below) for Qt item models.

A top-level index carries the internal id ``TOP``; a child carries its parent's row + 1, so
``parent()`` needs no lookup. Subclasses say how many top-level rows there are, how many
children each has, and read their own data by ``top_row``/``child_row``.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex

Index = QModelIndex | QPersistentModelIndex
TOP = 0
"""The internal id of a top-level index (a child carries its parent's row + 1)."""


class TwoLevelTreeModel(QAbstractItemModel):
    """``index``, ``parent`` and ``rowCount`` of a tree two levels deep.

    ``top_count`` and ``child_count`` are for subclasses to write; they raise
    ``NotImplementedError`` rather than being ``abc.abstractmethod``s because ``abc.ABCMeta``
    cannot be combined with Shiboken's metaclass (a class with both fails to be created).
    """

    def top_count(self) -> int:
        """How many rows the top level has."""
        raise NotImplementedError

    def child_count(self, top_row: int) -> int:
        """How many rows lie under top-level row ``top_row`` (0 for a leaf)."""
        raise NotImplementedError

    @staticmethod
    def is_top(index: Index) -> bool:
        return index.isValid() and index.internalId() == TOP

    @staticmethod
    def top_row_of(index: Index) -> int:
        """The top-level row that ``index`` lies under (its own row when it is top-level)."""
        return index.row() if index.internalId() == TOP else int(index.internalId()) - 1

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, TOP)
        if parent.internalId() != TOP:
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == TOP:
            return QModelIndex()
        return self.createIndex(int(child.internalId()) - 1, 0, TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return self.top_count()
        if parent.column() != 0 or parent.internalId() != TOP:
            return 0
        return self.child_count(parent.row()) if parent.row() < self.top_count() else 0
