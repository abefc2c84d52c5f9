"""The client list model: only the ids a search returned, rows paged in on demand.

Follows Anki's browser table. A search (in SQL, with the sort order) gives the ids, held in a
compact array (8 bytes a client, no Python object each); ``data()`` loads rows 200 ids at a
time through :func:`services.clients.fetch_rows` into a bounded LRU cache and keeps each row's
cell texts, so a paint asks Python for little more than a tuple item per cell. A search can be
shown in two steps, as the client list does: its first page at once (``complete=False``), the
whole result appended when it has been read (:meth:`ClientTableModel.extend_result`), so the
view is never reset for the rest. A refresh of changed clients drops their pages from the cache
and emits ``dataChanged`` for their rows instead of resetting the model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from enum import IntEnum
from typing import Any, TypeAlias

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from hemlos_desktop.i18n import active, current_language, pseudo_enabled
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import GENDER_LABELS, STATUS_LABELS, housing_label
from hemlos_desktop.services import clients as client_service
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.clients import ClientQuery, ClientRow, SortKey
from hemlos_desktop.storage import Database
from hemlos_desktop.ui.memory_release import schedule_memory_release

PAGE_SIZE = 200
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MAX_PAGES = 20

AnyIndex = QModelIndex | QPersistentModelIndex
Ids: TypeAlias = "array[int] | list[int]"

# Roles as plain integers: data() is called for every role of every visible cell on each paint.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)


_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


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


def _texts_language() -> str:
    """What the cached cell texts were written in (a language switch writes them again)."""
    return current_language() + ("-pseudo" if pseudo_enabled() else "")


def housing_text(code: int | None) -> str:
    """'3 – Training flat' for a housing code; empty for none."""
    if code is None:
        return ""
    return f"{code} – {housing_label(code)}"


class ClientTableModel(QAbstractTableModel):
    """Clients matching a :class:`ClientQuery`, loaded lazily in pages of ``page_size``."""

    sig_more_wanted = Signal()
    """The view reached the end of the first page of an incomplete result (see fetchMore)."""

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
        self._ids: Ids = array("q")
        self._complete = True
        self._has_result = False  # sort() before the first search only records the order
        # Page number -> (language of the texts, {client id: (row, cell texts)}).
        self._pages: OrderedDict[int, tuple[str, dict[int, tuple[ClientRow, tuple[str, ...]]]]]
        self._pages = OrderedDict()
        self._revealed: dict[int, str] = {}
        self.pages_loaded = 0  # how many page queries ran (tests and benchmarks read it)
        self.order_handler: Callable[[], None] | None = None
        """When set (the client list), a new order only calls it; the list searches again in
        its own way (first page at once, the rest in the background). Otherwise sort() runs
        the search here."""

    # -- searching ----------------------------------------------------------------------------

    @property
    def query(self) -> ClientQuery:
        return self._query

    @property
    def ids(self) -> Sequence[int]:
        return tuple(self._ids)

    @property
    def complete(self) -> bool:
        """False while only the first page of the search is shown (the rest is being read)."""
        return self._complete

    def search(self, query: ClientQuery) -> None:
        """Run ``query`` in SQL now and show its whole result (resets the model)."""
        self.set_result(query, client_service.search_id_array(self._db, self._actor, query))

    def set_result(self, query: ClientQuery, ids: Ids, *, complete: bool = True) -> None:
        """Show ids that a search for ``query`` returned (e.g. from a background search);
        ``complete=False`` when they are only the first of its ids (see :meth:`extend_result`)."""
        self.beginResetModel()
        if _filters(query) != _filters(self._query):
            self._revealed.clear()
        self._query = query
        self._set_ids(ids)
        self._complete = complete
        self.endResetModel()

    def extend_result(self, query: ClientQuery, ids: Ids) -> None:
        """The whole result of the search whose first ids are shown: the rows after them are
        appended (the view keeps its scroll position, selection and current row)."""
        shown = len(self._ids)
        ids = ids if isinstance(ids, array) else array("q", ids)
        if query != self._query or ids[:shown] != self._ids[:shown] or len(ids) < shown:
            self.set_result(query, ids)  # something changed in between: show the new result
            return
        self._complete = True
        if len(ids) == shown:
            return
        self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
        self._ids = ids
        self.endInsertRows()

    def _set_ids(self, ids: Ids) -> None:
        self._ids = ids if isinstance(ids, array) else array("q", ids)
        self._has_result = True
        self._pages.clear()

    def reload(self) -> None:
        """Run the current query again (after many changes)."""
        self.search(self._query)

    def refresh_clients(self, client_ids: Iterable[int]) -> None:
        """Clients changed: reload their rows lazily; a new client re-runs the search."""
        changed = list(client_ids)
        if not changed or not self._complete:
            self.reload()
            return
        if any(cid not in self._ids for cid in changed):
            # A client we do not list (perhaps just registered) may now match the search.
            self._resort(client_service.search_id_array(self._db, self._actor, self._query))
            return
        self._mark_stale(changed)

    def _mark_stale(self, client_ids: Iterable[int]) -> None:
        rows = sorted(row for row in map(self.row_of, client_ids) if row is not None)
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

    def canFetchMore(self, parent: AnyIndex) -> bool:  # noqa: N802
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: AnyIndex) -> None:  # noqa: N802
        if not parent.isValid() and not self._complete:
            self.sig_more_wanted.emit()

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

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
        # The common roles first and without enum arithmetic: a paint asks for about ten
        # roles of every visible cell.
        if role == _DISPLAY:
            entry = self._entry(index.row())
            return "" if entry is None else entry[1][index.column()]
        if role == _ALIGNMENT:
            # Always a value: PySide6 6.12 miscounts references to None when a view's
            # delegate gets None for both font and alignment, which crashes at exit after
            # long scrolling.
            return _RIGHT if index.column() == ClientColumn.AGE else _LEFT
        if role == _USER:
            return self.client_id(index.row())
        if role not in (_TOOLTIP, _ACCESSIBLE) or not index.isValid():
            return None
        entry = self._entry(index.row())
        if entry is None:
            return None
        column = ClientColumn(index.column())
        text = entry[1][column]
        if role == _ACCESSIBLE:
            return f"{column_header(column)}: {text}" if text else column_header(column)
        return self._tooltip(entry[0], column, text)

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
        if self.order_handler is not None:
            self.order_handler()
            return
        self._resort(client_service.search_id_array(self._db, self._actor, self._query))

    def _resort(self, new_ids: Ids) -> None:
        """Show ``new_ids`` keeping selections and current items on the same clients."""
        if len(new_ids) != len(self._ids) or set(new_ids) != set(self._ids):
            self.beginResetModel()
            self._set_ids(new_ids)
            self._complete = True
            self.endResetModel()
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = self._ids
        self._set_ids(new_ids)
        old = self.persistentIndexList()
        if old:
            new_row = {cid: row for row, cid in enumerate(new_ids)}
            new = [
                self.index(new_row[old_ids[i.row()]], i.column())
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
        try:
            return self._ids.index(client_id)
        except ValueError:
            return None

    def is_revealed(self, row: int) -> bool:
        cid = self.client_id(row)
        return cid is not None and cid in self._revealed

    def reveal_number(self, row: int) -> None:
        """Show the full identity number of one row (read through the service)."""
        cid = self.client_id(row)
        if cid is None or cid in self._revealed:
            return
        self._revealed[cid] = client_service.reveal_number(self._db, self._actor, cid)
        self._pages.pop(row // self._page_size, None)
        index = self.index(row, ClientColumn.ID_NUMBER)
        self.dataChanged.emit(index, index)

    def hide_number(self, row: int) -> None:
        cid = self.client_id(row)
        if cid is None or self._revealed.pop(cid, None) is None:
            return
        self._pages.pop(row // self._page_size, None)
        index = self.index(row, ClientColumn.ID_NUMBER)
        self.dataChanged.emit(index, index)

    def hide_all_numbers(self) -> None:
        for cid in list(self._revealed):
            row = self.row_of(cid)
            if row is not None:
                self.hide_number(row)
        self._revealed.clear()
        self._pages.clear()

    # -- rows and cache -----------------------------------------------------------------------

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def row_data(self, row: int) -> ClientRow | None:
        """The plain row for a list row (loads its page if needed)."""
        entry = self._entry(row)
        return None if entry is None else entry[0]

    def _entry(self, row: int) -> tuple[ClientRow, tuple[str, ...]] | None:
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // self._page_size
        cached = self._pages.get(page_no)
        if cached is None or cached[0] != _texts_language():
            cached = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        client_id = self._ids[row]
        entry = cached[1].get(client_id)
        if entry is None or entry[1]:
            return entry
        # The cell texts of a row are written once, when it is first shown.
        texts = tuple(self._cell_text(entry[0], column) for column in ClientColumn)
        cached[1][client_id] = entry = (entry[0], texts)
        return entry

    def _load_page(self, page_no: int) -> tuple[str, dict[int, tuple[ClientRow, tuple[str, ...]]]]:
        start = page_no * self._page_size
        ids = list(self._ids[start : start + self._page_size])
        rows = client_service.fetch_rows(self._db, self._actor, ids, today=self._today)
        self.pages_loaded += 1
        schedule_memory_release()
        none: tuple[str, ...] = ()
        page = (_texts_language(), {cid: (row, none) for cid, row in rows.items()})
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
