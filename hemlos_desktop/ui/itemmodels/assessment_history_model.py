"""A client's assessment history as a table: one row per rating, newest first, on plain data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from hemlos_desktop import i18n
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.assessment_rules import explain_qualification
from hemlos_desktop.models.instrument import Instrument

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class HistoryRow:
    """One saved rating as the history shows it (the service fills this from the database)."""

    assessment_id: int
    rated_on: dt.date
    levels: Mapping[str, int | None]
    client_took_part: bool
    rater: str = ""
    corrects_id: int | None = None
    # The levels of the signed rating before this one (None: none), so that rising above the
    # qualifying limit reads as progress.
    previous_levels: Mapping[str, int | None] | None = None


class AssessmentHistoryModel(QAbstractTableModel):
    """Columns: date, one per area, client took part, rater, qualification."""

    ASSESSMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, *, instrument: Instrument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._instrument = instrument
        self._rows: list[HistoryRow] = []

    def set_rows(self, rows: Sequence[HistoryRow]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda r: (r.rated_on, r.assessment_id), reverse=True)
        self.endResetModel()

    def row_at(self, row: int) -> HistoryRow:
        return self._rows[row]

    def retranslate_ui(self) -> None:
        """Texts depend on the language: tell the views everything changed."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1)
            )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._instrument.areas) + 4

    def _column_kind(self, column: int) -> tuple[str, str]:
        areas = self._instrument.area_keys
        if column == 0:
            return "date", ""
        if 1 <= column <= len(areas):
            return "area", areas[column - 1]
        return ("took_part", "rater", "qualification")[column - len(areas) - 1], ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        kind, key = self._column_kind(index.column())
        lang = i18n.current_language()
        if role == self.ASSESSMENT_ID_ROLE:
            return row.assessment_id
        if role == Qt.ItemDataRole.TextAlignmentRole and kind == "area":
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if kind == "area":
                level = row.levels.get(key)
                name = self._instrument.area_name(key, lang)
                if level is None:
                    return _("{area}: not assessed").format(area=name)
                label = self._instrument.level_label(key, level, lang)
                return f"{name}: {level} – {label}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if kind == "date":
            text = i18n.active().format_date(row.rated_on, "medium")
            if row.corrects_id is not None:
                text = _("{date} (correction)").format(date=text)
            return text
        if kind == "area":
            level = row.levels.get(key)
            return "–" if level is None else str(level)
        if kind == "took_part":
            return _("Yes") if row.client_took_part else _("No")
        if kind == "rater":
            return row.rater
        return explain_qualification(
            self._instrument, row.levels, previous=row.previous_levels
        ).text

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < self.columnCount():
            return None
        kind, key = self._column_kind(section)
        if kind == "area":
            return self._instrument.area_name(key, i18n.current_language())
        return {
            "date": _("Date"),
            "took_part": _("Client took part"),
            "rater": _("Rated by"),
            "qualification": _("Qualification"),
        }[kind]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
