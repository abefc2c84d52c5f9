"""The text alternative of a chart: the view of the same figures as a read-only table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from hemlos_desktop.ui.itemmodels.chart_table_model import ChartTableModel

__all__ = ["ChartTableModel", "ChartTableView"]

_Index = QModelIndex | QPersistentModelIndex


class ChartTableView(QTableView):
    """A compact, read-only, keyboard-navigable view of a :class:`ChartTableModel`."""

    def __init__(self, *, model: ChartTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.setWordWrap(False)
