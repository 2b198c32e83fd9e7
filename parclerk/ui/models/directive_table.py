"""The register as a Qt table model that stays instant at 100,000 rows.

On every filter or sort change the model asks SQL for the number of matches and the first ids in
order; the rest of the ordered id list is read only when a row past them is needed (scrolling down,
jumping to the end, finding a row by id). Rows are read in pages of 200 by id when the view paints
them, and kept in a small LRU cache. rowCount is the match count, so the scrollbar is true, the first
paint costs two small queries at any size, and nothing ever loads every row.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont

from parclerk import dates, glossary
from parclerk.data import tables
from parclerk.queries import DirectiveQuery
from parclerk.tracking import directive_status

PAGE_SIZE = 200
CACHED_PAGES = 30
FIRST_IDS = 2 * PAGE_SIZE
ID_ROLE = Qt.ItemDataRole.UserRole
STATE_ROLE = Qt.ItemDataRole.UserRole + 1  # "cancelled", "overdue", "done" or ""

_CENTER = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sort: str
    align: Qt.AlignmentFlag
    width: int


COLUMNS = [
    Column("so_den", "Số đến", "so_den", _CENTER, 56),
    Column("ngay_den", "Ngày đến", "ngay_den", _CENTER, 82),
    Column("issuer", "Cơ quan ban hành", "issuer", _LEFT, 150),
    Column("number", "Số, ký hiệu", "number", _LEFT, 100),
    Column("issued_date", "Ngày VB", "issued_date", _CENTER, 82),
    Column("doc_type", "Loại", "doc_type", _LEFT, 74),
    Column("subject", glossary.LABELS["subject"], "subject", _LEFT, 310),
    Column("assigned_to", "Người nhận", "assigned_to", _LEFT, 110),
    Column("deadline", "Hạn giải quyết", "deadline", _CENTER, 92),
    Column("urgency", "Độ khẩn", "urgency", _CENTER, 80),
    Column("status", "Tình trạng", "status", _CENTER, 100),
]

_GREY = QBrush(QColor("#8a8a8a"))
_RED = QBrush(QColor("#b00020"))
_OVERDUE_BG = QBrush(QColor("#fdecea"))
_URGENT = QBrush(QColor("#b35c00"))


def _state(row: dict[str, Any], today: dt.date) -> str:
    if row["cancelled"]:
        return "cancelled"
    if row["handled_date"]:
        return "done"
    if row["deadline"] and row["deadline"] < today.isoformat():
        return "overdue"
    return ""


def _display(row: dict[str, Any], today: dt.date) -> tuple[str, ...]:
    values = {
        "so_den": str(row["so_den"]),
        "ngay_den": dates.format_dmy(row["ngay_den"]),
        "issuer": row["issuer"],
        "number": row["number"],
        "issued_date": dates.format_dmy(row["issued_date"]),
        "doc_type": row["doc_type"],
        "subject": row["subject"],
        "assigned_to": row["assigned_to"],
        "deadline": dates.format_dmy(row["deadline"]),
        "urgency": glossary.URGENCY[row["urgency"]] if row["urgency"] else "",
        "status": directive_status(
            cancelled=bool(row["cancelled"]),
            handled=bool(row["handled_date"]),
            deadline=row["deadline"],
            today=today,
        ),
    }
    return tuple(values[column.key] for column in COLUMNS)


class DirectiveTableModel(QAbstractTableModel):
    def __init__(self, conn: sqlite3.Connection, parent=None):
        super().__init__(parent)
        self._conn = conn
        self._query = DirectiveQuery()
        self._ids: list[int] = []
        self._count = 0
        self._row_of: dict[int, int] | None = None
        self._pages: OrderedDict[int, dict[int, tuple[dict[str, Any], tuple[str, ...], str]]] = OrderedDict()
        self._today = dates.today()
        self._bold = QFont()
        self._bold.setBold(True)
        self._struck = QFont()
        self._struck.setStrikeOut(True)

    # --- the query -------------------------------------------------------------------------------
    @property
    def query(self) -> DirectiveQuery:
        return self._query

    def set_query(self, query: DirectiveQuery) -> None:
        self._query = query
        self.reload()

    def reload(self) -> None:
        """Re-run the id query (membership or order may have changed) and drop cached rows."""
        self._today = dates.today()
        query = replace(self._query, today=self._today)
        count = tables.directive_match_count(self._conn, query)
        ids = tables.directive_ids(self._conn, query, limit=FIRST_IDS)
        self.beginResetModel()
        self._ids = ids
        self._count = count
        self._row_of = None
        self._pages.clear()
        self.endResetModel()

    def _all_ids(self) -> list[int]:
        """The whole ordered id list, read the first time a row past the first ones is needed."""
        if len(self._ids) < self._count:
            ids = tables.directive_ids(self._conn, replace(self._query, today=self._today))
            if len(ids) != self._count:  # another program wrote meanwhile: show the new truth soon
                QTimer.singleShot(0, self.reload)
                ids = (ids + [0] * self._count)[: self._count]
            self._ids = ids
        return self._ids

    def refresh_values(self) -> None:
        """Values changed but not membership: drop the cache and repaint."""
        self._pages.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))

    def id_at(self, row: int) -> int | None:
        if not 0 <= row < self._count:
            return None
        ids = self._ids if row < len(self._ids) else self._all_ids()
        return ids[row] or None

    def row_of(self, directive_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {did: row for row, did in enumerate(self._all_ids())}
        return self._row_of.get(directive_id)

    # --- Qt model --------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].label
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(_CENTER)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self.set_query(
                replace(
                    self._query, sort=COLUMNS[column].sort, descending=order == Qt.SortOrder.DescendingOrder
                )
            )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        row_id = self.id_at(index.row()) if index.isValid() else None
        if row_id is None:
            return None
        if role == ID_ROLE:
            return row_id
        entry = self._entry(index.row(), row_id)
        if entry is None:
            return None
        row, display, state = entry
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return display[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, display, state)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(COLUMNS[column].align)
        if role == STATE_ROLE:
            return state
        if role == Qt.ItemDataRole.ForegroundRole:
            if state == "cancelled":
                return _GREY
            if COLUMNS[column].key == "status" and state == "overdue":
                return _RED
            if COLUMNS[column].key == "urgency" and row["urgency"]:
                return _URGENT
        if role == Qt.ItemDataRole.BackgroundRole and state == "overdue":
            return _OVERDUE_BG
        if role == Qt.ItemDataRole.FontRole:
            if state == "cancelled" and COLUMNS[column].key != "status":
                return self._struck
            if COLUMNS[column].key == "status" and state == "overdue":
                return self._bold
        return None

    def _tooltip(self, row: dict[str, Any], display: tuple[str, ...], state: str) -> str:
        lines = [
            f"Số đến {row['so_den']}/{row['so_den_year']} — {row['number'] or 'không số'}",
            row["subject"],
        ]
        if row["signer"]:
            lines.append(f"Người ký: {row['signer_title']} {row['signer']}".replace("  ", " "))
        if state == "cancelled":
            lines.append(f"ĐÃ HỦY: {row['cancel_reason']}")
        return "\n".join(lines)

    def _entry(self, row_index: int, row_id: int):
        page_no = row_index // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            ids = self._ids if (page_no + 1) * PAGE_SIZE <= len(self._ids) else self._all_ids()
            page_ids = ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE]
            rows = tables.directive_rows(self._conn, page_ids)
            page = {
                rid: (row, _display(row, self._today), _state(row, self._today)) for rid, row in rows.items()
            }
            self._pages[page_no] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(row_id)
