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
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parclerk import dates, glossary
from parclerk.data import tables
from parclerk.queries import DirectiveQuery
from parclerk.tracking import directive_status
from parclerk.ui.models.lazy_table import ID_ROLE, STATE_ROLE, LazyIdTableModel

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


class DirectiveTableModel(LazyIdTableModel):
    columns = COLUMNS

    def __init__(self, conn: sqlite3.Connection, parent=None):
        super().__init__(conn, DirectiveQuery(), parent)
        self._bold = QFont()
        self._bold.setBold(True)
        self._struck = QFont()
        self._struck.setStrikeOut(True)

    def fetch_ids(self, query: DirectiveQuery, limit: int | None) -> list[int]:
        return tables.directive_ids(self._conn, query, limit=limit)

    def fetch_count(self, query: DirectiveQuery) -> int:
        return tables.directive_match_count(self._conn, query)

    def fetch_rows(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        return tables.directive_rows(self._conn, ids)

    def make_entry(self, row: dict[str, Any]) -> tuple:
        return row, _display(row, self._today), _state(row, self._today)

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
