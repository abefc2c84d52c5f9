"""The client list model: only the ids a search returned, rows paged in on demand.

Follows Anki's browser table. A search (in SQL, with the sort order) gives the list of ids;
``data()`` loads rows 200 ids at a time through :func:`services.clients.fetch_rows` into a
bounded LRU cache, so 20,000 clients cost 20,000 integers plus at most a few thousand rows.
A refresh of changed clients drops their pages from the cache and emits ``dataChanged`` for
their rows instead of resetting the model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from hemlos_desktop.i18n import active
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import GENDER_LABELS, STATUS_LABELS, housing_label
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.clients import ClientQuery, ClientRow, SortKey
from hemlos_desktop.storage import Database

PAGE_SIZE = 200
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MAX_PAGES = 20

AnyIndex = QModelIndex | QPersistentModelIndex


class ClientColumn(IntEnum):
    NAME = 0
    ID_NUMBER = 1
    AGE = 2
    GENDER = 3
    HOUSING = 4
    RESPONSIBLE = 5
    TEAM = 6
    STATUS = 7


# Column -> (sort key, whether ascending in the view means descending in SQL).
_SORT: dict[ClientColumn, tuple[SortKey, bool]] = {
    ClientColumn.NAME: (SortKey.NAME, False),
    ClientColumn.ID_NUMBER: (SortKey.ID_NUMBER, False),
    # A higher age is an earlier birth date.
    ClientColumn.AGE: (SortKey.BIRTH_DATE, True),
    ClientColumn.GENDER: (SortKey.GENDER, False),
    ClientColumn.HOUSING: (SortKey.HOUSING, False),
    ClientColumn.RESPONSIBLE: (SortKey.RESPONSIBLE, False),
    ClientColumn.TEAM: (SortKey.TEAM, False),
    ClientColumn.STATUS: (SortKey.STATUS, False),
}


def column_header(column: ClientColumn) -> str:
    return {
        ClientColumn.NAME: _("Name"),
        ClientColumn.ID_NUMBER: _("Identity number"),
        ClientColumn.AGE: _("Age"),
        ClientColumn.GENDER: _("Gender"),
        ClientColumn.HOUSING: _("Housing"),
        ClientColumn.RESPONSIBLE: _("Responsible"),
        ClientColumn.TEAM: _("Team"),
        ClientColumn.STATUS: _("Status"),
    }[column]


def _filters(query: ClientQuery) -> ClientQuery:
    """The query without its order (two searches that differ only in order show the same)."""
    return dataclasses.replace(query, sort=SortKey.NAME, descending=False)


def housing_text(code: int | None) -> str:
    """'3 – Training flat' for a housing code; empty for none."""
    if code is None:
        return ""
    return f"{code} – {housing_label(code)}"


class ClientTableModel(QAbstractTableModel):
    """Clients matching a :class:`ClientQuery`, loaded lazily in pages of ``page_size``."""

    def __init__(
        self,
        *,
        db: Database,
        actor: Actor,
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
        today: dt.date | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._page_size = max(1, page_size)
        self._max_pages = max(1, max_pages)
        self._today = today
        self._query = ClientQuery()
        self._ids: list[int] = []
        self._row_index: dict[int, int] | None = {}
        self._has_result = False  # sort() before the first search only records the order
        self._pages: OrderedDict[int, dict[int, ClientRow]] = OrderedDict()
        self._revealed: dict[int, str] = {}
        self.pages_loaded = 0  # how many page queries ran (tests and benchmarks read it)

    # -- searching ----------------------------------------------------------------------------

    @property
    def query(self) -> ClientQuery:
        return self._query

    @property
    def ids(self) -> Sequence[int]:
        return tuple(self._ids)

    def search(self, query: ClientQuery) -> None:
        """Run ``query`` in SQL now and show its result (resets the model)."""
        self.set_result(query, client_service.search_ids(self._db, self._actor, query))

    def set_result(self, query: ClientQuery, ids: list[int]) -> None:
        """Show ids that a search for ``query`` returned (e.g. from a background search)."""
        self.beginResetModel()
        if _filters(query) != _filters(self._query):
            self._revealed.clear()
        self._query = query
        self._set_ids(ids)
        self.endResetModel()

    def _set_ids(self, ids: list[int]) -> None:
        self._ids = list(ids)
        self._row_index = None  # built when first asked: a search of 200,000 need not
        self._has_result = True
        self._pages.clear()

    @property
    def _row_of(self) -> dict[int, int]:
        if self._row_index is None:
            self._row_index = {cid: row for row, cid in enumerate(self._ids)}
        return self._row_index

    def reload(self) -> None:
        """Run the current query again (after many changes)."""
        self.search(self._query)

    def refresh_clients(self, client_ids: Iterable[int]) -> None:
        """Clients changed: reload their rows lazily; a new client re-runs the search."""
        changed = list(client_ids)
        if not changed:
            self.reload()
            return
        if any(cid not in self._row_of for cid in changed):
            # A client we do not list (perhaps just registered) may now match the search.
            self._resort(client_service.search_ids(self._db, self._actor, self._query))
            return
        self._mark_stale(changed)

    def _mark_stale(self, client_ids: Iterable[int]) -> None:
        rows = sorted(self._row_of[cid] for cid in client_ids if cid in self._row_of)
        for row in rows:
            self._pages.pop(row // self._page_size, None)
        last = len(ClientColumn) - 1
        for row in rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(ClientColumn)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(  # noqa: N802
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(ClientColumn):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column_header(ClientColumn(section))
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        client_id = self._ids[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return client_id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # Always a value: PySide6 6.12 miscounts references to None when a view's
            # delegate gets None for both font and alignment, which crashes at exit after
            # long scrolling.
            if index.column() == ClientColumn.AGE:
                return _RIGHT
            return _LEFT
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        row = self._row_for(index.row())
        if row is None:
            return "" if role == Qt.ItemDataRole.DisplayRole else None
        column = ClientColumn(index.column())
        text = self._cell_text(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{column_header(column)}: {text}" if text else column_header(column)
        return self._tooltip(row, column, text)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-run the search in SQL in the order of ``column`` (no proxy model)."""
        if not 0 <= column < len(ClientColumn):
            return
        key, inverted = _SORT[ClientColumn(column)]
        descending = (order == Qt.SortOrder.DescendingOrder) != inverted
        self._query = dataclasses.replace(self._query, sort=key, descending=descending)
        if not self._has_result:
            return  # the view set its sort indicator before the first search: that search
            # runs in this order (the whole register is not searched twice at start)
        self._resort(client_service.search_ids(self._db, self._actor, self._query))

    def _resort(self, new_ids: list[int]) -> None:
        """Show ``new_ids`` keeping selections and current items on the same clients."""
        if set(new_ids) != set(self._ids):
            self.beginResetModel()
            self._set_ids(new_ids)
            self.endResetModel()
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = self._ids
        self._set_ids(new_ids)
        old = self.persistentIndexList()
        new = [
            self.index(self._row_of[old_ids[i.row()]], i.column())
            if i.row() < len(old_ids)
            else QModelIndex()
            for i in old
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # -- identity numbers ---------------------------------------------------------------------

    def client_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, client_id: int) -> int | None:
        return self._row_of.get(client_id)

    def is_revealed(self, row: int) -> bool:
        cid = self.client_id(row)
        return cid is not None and cid in self._revealed

    def reveal_number(self, row: int) -> None:
        """Show the full identity number of one row (read through the service)."""
        cid = self.client_id(row)
        if cid is None or cid in self._revealed:
            return
        self._revealed[cid] = client_service.reveal_number(self._db, self._actor, cid)
        index = self.index(row, ClientColumn.ID_NUMBER)
        self.dataChanged.emit(index, index)

    def hide_number(self, row: int) -> None:
        cid = self.client_id(row)
        if cid is None or self._revealed.pop(cid, None) is None:
            return
        index = self.index(row, ClientColumn.ID_NUMBER)
        self.dataChanged.emit(index, index)

    def hide_all_numbers(self) -> None:
        for cid in list(self._revealed):
            self.hide_number(self._row_of.get(cid, -1))
        self._revealed.clear()

    # -- rows and cache -----------------------------------------------------------------------

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def row_data(self, row: int) -> ClientRow | None:
        """The plain row for a list row (loads its page if needed)."""
        return self._row_for(row)

    def _row_for(self, row: int) -> ClientRow | None:
        page_no = row // self._page_size
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    def _load_page(self, page_no: int) -> dict[int, ClientRow]:
        start = page_no * self._page_size
        ids = self._ids[start : start + self._page_size]
        page = client_service.fetch_rows(self._db, self._actor, ids, today=self._today)
        self.pages_loaded += 1
        self._pages[page_no] = page
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        return page

    def _cell_text(self, row: ClientRow, column: ClientColumn) -> str:
        if column is ClientColumn.NAME:
            return row.display_name
        if column is ClientColumn.ID_NUMBER:
            return self._revealed.get(row.id, row.id_masked)
        if column is ClientColumn.AGE:
            return "" if row.age is None else str(row.age)
        if column is ClientColumn.GENDER:
            return _(GENDER_LABELS[row.gender])
        if column is ClientColumn.HOUSING:
            return housing_text(row.housing_code)
        if column is ClientColumn.RESPONSIBLE:
            return row.responsible
        if column is ClientColumn.TEAM:
            return row.team
        return _(STATUS_LABELS[row.status])

    def _tooltip(self, row: ClientRow, column: ClientColumn, text: str) -> str | None:
        if column is ClientColumn.NAME and row.protected_identity:
            return f"{text}\n{_('Protected identity')}"
        if column is ClientColumn.ID_NUMBER and row.id not in self._revealed and text:
            return _("Hidden. Use Reveal number to see the whole number.")
        if column is ClientColumn.HOUSING and row.housing_since is not None and text:
            since = active().format_date(row.housing_since)
            return _("{housing}, since {date}").format(housing=text, date=since)
        return text or None
