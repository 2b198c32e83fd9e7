"""A Qt table model over a big SQL table that stays instant at hundreds of thousands of rows.

On every filter or sort change SQL gives the first ids in order (and the number of matches only when
there are more than that); the rest of the ordered id list is read only when a row past them is needed
(scrolling down, jumping to the end, finding a row by id). Rows are read in pages of 200 by id when the
view paints them and kept in a small LRU cache. rowCount is the match count, so the scrollbar is true and
nothing ever loads every row. A `limit` makes a short list: at most that many rows, and no count.

Subclasses say which columns they show, how to fetch ids, counts and rows, and how a row looks.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer

from parclerk import dates

PAGE_SIZE = 200
CACHED_PAGES = 30
FIRST_IDS = 2 * PAGE_SIZE
ID_ROLE = Qt.ItemDataRole.UserRole
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
_CENTER = Qt.AlignmentFlag.AlignCenter


class LazyIdTableModel(QAbstractTableModel):
    columns: list  # objects with .label, .sort and .align

    def __init__(self, conn: sqlite3.Connection, query: Any, parent=None, *, limit: int | None = None):
        super().__init__(parent)
        self._conn = conn
        self._query = query
        self._limit = limit
        self._ids: list[int] = []
        self._count = 0
        self._row_of: dict[int, int] | None = None
        self._pages: OrderedDict[int, dict[int, tuple]] = OrderedDict()
        self._today = dates.today()

    # --- what a subclass provides ------------------------------------------------------------------
    def fetch_ids(self, query: Any, limit: int | None) -> list[int]:
        raise NotImplementedError

    def fetch_count(self, query: Any) -> int:
        raise NotImplementedError

    def fetch_rows(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        raise NotImplementedError

    def make_entry(self, row: dict[str, Any]) -> tuple:
        """(row, display strings per column, state) for one fetched row."""
        raise NotImplementedError

    # --- the query -------------------------------------------------------------------------------
    @property
    def query(self) -> Any:
        return self._query

    @property
    def today(self):
        return self._today

    def set_query(self, query: Any, *, count: int | None = None) -> None:
        """A new filter or order; `count` when the caller has just counted the matches itself."""
        self._query = query
        self.reload(count=count)

    def _dated(self) -> Any:
        return replace(self._query, today=self._today)

    def reload(self, *, count: int | None = None) -> None:
        """Re-run the id query (membership or order may have changed) and drop cached rows."""
        self._today = self._query.today or dates.today()
        query = self._dated()
        first = self._limit if self._limit is not None else FIRST_IDS
        ids = self.fetch_ids(query, first)
        if len(ids) < first or self._limit is not None:
            count = len(ids)
        elif count is None:
            count = self.fetch_count(query)
        self.beginResetModel()
        self._ids = ids
        self._count = count
        self._row_of = None
        self._pages.clear()
        self.endResetModel()

    def _all_ids(self) -> list[int]:
        """The whole ordered id list, read the first time a row past the first ones is needed."""
        if len(self._ids) < self._count:
            ids = self.fetch_ids(self._dated(), None)
            if len(ids) != self._count:  # another program wrote meanwhile: show the new truth soon
                QTimer.singleShot(0, self.reload)
                ids = (ids + [0] * self._count)[: self._count]
            self._ids = ids
        return self._ids

    def refresh_values(self) -> None:
        """Values changed but not membership: drop the cache and repaint."""
        self._pages.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(self.columns) - 1))

    def id_at(self, row: int) -> int | None:
        if not 0 <= row < self._count:
            return None
        ids = self._ids if row < len(self._ids) else self._all_ids()
        return ids[row] or None

    def row_of(self, row_id: int, *, read_all: bool = True) -> int | None:
        """The row showing this id; with read_all=False only among the ids already read (no query)."""
        if not read_all and len(self._ids) < self._count:
            try:
                return self._ids.index(row_id)
            except ValueError:
                return None
        if self._row_of is None:
            self._row_of = {rid: row for row, rid in enumerate(self._all_ids())}
        return self._row_of.get(row_id)

    def row_data(self, row: int) -> dict[str, Any] | None:
        """The stored values behind a row (for the dialogs and tests), or None."""
        row_id = self.id_at(row)
        entry = self._entry(row, row_id) if row_id is not None else None
        return entry[0] if entry else None

    # --- Qt model --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].label
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(_CENTER)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns):
            descending = order == Qt.SortOrder.DescendingOrder
            self.set_query(replace(self._query, sort=self.columns[column].sort, descending=descending))

    def _entry(self, row_index: int, row_id: int):
        page_no = row_index // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            ids = self._ids if (page_no + 1) * PAGE_SIZE <= len(self._ids) else self._all_ids()
            page_ids = [i for i in ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE] if i]
            page = {rid: self.make_entry(row) for rid, row in self.fetch_rows(page_ids).items()}
            self._pages[page_no] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(row_id)
