"""Work items (one per task, or per period of a recurring duty) as a Qt table model that stays instant at
300,000 items.

The same design as the register's model: on every filter or sort change SQL gives the first ids in order
(and the number of matches only when there are more of them than that); the rest of the id list is read
only when a row past them is needed, and rows are read in pages of 200 by id when the view paints them.
A `limit` makes a short list (the dashboard's): at most that many rows and no count at all.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parclerk import dates, glossary, tracking
from parclerk.data import tables
from parclerk.queries import TaskQuery
from parclerk.tracking import directive_label
from parclerk.ui.models.lazy_table import ID_ROLE, STATE_ROLE, LazyIdTableModel
from parclerk.vntext import format_count

SOON_DAYS = 3  # the "sắp đến hạn" age band

_CENTER = Qt.AlignmentFlag.AlignCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    key: str  # the glossary name (also the Excel export's column key)
    label: str
    sort: str  # a key of tables.TASK_SORTS
    align: Qt.AlignmentFlag
    width: int


_L = glossary.TASK_LABELS
COLUMNS = [
    Column("ref", _L["ref"], "ref", _CENTER, 40),
    Column("content", _L["content"], "content", _LEFT, 320),
    Column("directive", "Văn bản giao", "directive", _LEFT, 140),
    Column("lead_unit", "Chủ trì", "lead_unit", _LEFT, 125),
    Column("coordinating_units", "Phối hợp", "coordinating", _LEFT, 125),
    Column("period", "Kỳ", "period", _CENTER, 76),
    Column("due_date", "Hạn", "due", _CENTER, 84),
    Column("status", "Tình trạng", "status", _LEFT, 280),
    Column("completed_date", "Ngày hoàn thành", "completed", _CENTER, 104),
    Column("follower", "Người theo dõi", "follower", _LEFT, 118),
]
COLUMN_KEYS = [column.key for column in COLUMNS]


# Colours that still read on a black-and-white printout: light backgrounds carry the colour, the font
# (bold, italic, grey) carries the meaning.
@dataclass(frozen=True)
class Look:
    background: QBrush | None = None
    foreground: QBrush | None = None
    bold: bool = False
    italic: bool = False


LOOKS: dict[str, Look] = {
    "overdue_30": Look(QBrush(QColor("#f6c9c9")), QBrush(QColor("#7a0010")), bold=True),
    "overdue": Look(QBrush(QColor("#fdecea")), None, bold=True),
    "due_soon": Look(QBrush(QColor("#fff6cc")), None, italic=True),
    "done": Look(None, QBrush(QColor("#6b6b6b"))),
}


def state_of(row: dict[str, Any], today: dt.date) -> tuple[str, str]:
    due = dates.from_iso(row["due_date"])
    bucket = tracking.bucket(row["status"], due, dates.from_iso(row["completed_date"]), today)
    return bucket, tracking.age_band(row["status"], due, today, SOON_DAYS)


def look_of(state: tuple[str, str]) -> Look | None:
    bucket, band = state
    if band:
        return LOOKS[band]
    if bucket.startswith("done"):
        return LOOKS["done"]
    return None


def status_text(row: dict[str, Any], state: tuple[str, str], today: dt.date) -> str:
    """The bucket's label, with how late or how soon: 'Quá hạn chưa hoàn thành (45 ngày)'."""
    bucket, band = state
    label = tracking.BUCKETS[bucket]
    due = dates.from_iso(row["due_date"])
    if due is None:
        return label
    if bucket == "open_overdue":
        return f"{label} ({format_count((today - due).days)} ngày)"
    if band == "due_soon":
        days = (due - today).days
        return f"{label} ({'hạn hôm nay' if days == 0 else f'còn {days} ngày'})"
    if bucket == "done_late":
        completed = dates.from_iso(row["completed_date"])
        if completed is not None:
            return f"{label} ({format_count((completed - due).days)} ngày)"
    return label


def short_status_text(row: dict[str, Any], state: tuple[str, str], today: dt.date) -> str:
    """The dashboard's short form for open items: 'Quá hạn 45 ngày', 'Còn 2 ngày', 'Hạn hôm nay'."""
    bucket, _band = state
    due = dates.from_iso(row["due_date"])
    if due is None or bucket not in ("open_overdue", "open_in_time"):
        return tracking.BUCKETS[bucket]
    days = (due - today).days
    if days < 0:
        return f"Quá hạn {format_count(-days)} ngày"
    return "Hạn hôm nay" if days == 0 else f"Còn {days} ngày"


def _units(row: dict[str, Any]) -> list[str]:
    return list(json.loads(row["coordinating_units"] or "[]"))


def _display(
    row: dict[str, Any], state: tuple[str, str], today: dt.date, short: bool = False
) -> tuple[str, ...]:
    values = {
        "ref": row["ref"],
        "content": " ".join(row["content"].split()),
        "directive": directive_label(row),
        "lead_unit": row["lead_unit"],
        "coordinating_units": "; ".join(_units(row)),
        "period": row["period_label"] or "",
        "due_date": dates.format_dmy(row["due_date"]) or (row["deadline_text"] or ""),
        "status": (short_status_text if short else status_text)(row, state, today),
        "completed_date": dates.format_dmy(row["completed_date"]),
        "follower": row["follower"],
    }
    return tuple(values[key] for key in COLUMN_KEYS)


def tooltip(row: dict[str, Any], display: tuple[str, ...]) -> str:
    shown = dict(zip(COLUMN_KEYS, display, strict=True))
    lines = [(f"Mục {row['ref']}: " if row["ref"] else "") + row["content"], ""]
    lines.append(f"Văn bản giao: {shown['directive']}")
    if row["directive_issuer"]:
        lines.append(f"Cơ quan ban hành: {row['directive_issuer']}")
    if row["lead_unit"]:
        lines.append(f"Chủ trì: {row['lead_unit']}")
    if shown["coordinating_units"]:
        lines.append(f"Phối hợp: {shown['coordinating_units']}")
    if row["deadline_text"]:
        lines.append(f"{_L['deadline_text']}: {row['deadline_text']}")
    if row["recurrence"]:
        lines.append(
            f"{_L['recurrence']}: {glossary.RECURRENCE_LABELS.get(row['recurrence'], row['recurrence'])}"
        )
    due = f"Hạn: {shown['due_date'] or 'không có'}" + (f" ({shown['period']})" if shown["period"] else "")
    lines.append(due)
    lines.append(f"Tình trạng: {shown['status']}")
    if shown["completed_date"]:
        reply = f", văn bản trả lời {row['reply_number']}" if row["reply_number"] else ""
        lines.append(f"Hoàn thành ngày {shown['completed_date']}{reply}")
    if row["follower"]:
        lines.append(f"Người theo dõi: {row['follower']}")
    return "\n".join(lines)


class TaskTableModel(LazyIdTableModel):
    columns = COLUMNS

    def __init__(
        self,
        conn: sqlite3.Connection,
        parent=None,
        *,
        query: TaskQuery | None = None,
        limit: int | None = None,
        short_status: bool = False,
    ):
        super().__init__(conn, query or TaskQuery(), parent, limit=limit)
        self._short = short_status
        self._fonts: dict[tuple[bool, bool], QFont] = {}
        for bold in (False, True):
            for italic in (False, True):
                font = QFont()
                font.setBold(bold)
                font.setItalic(italic)
                self._fonts[bold, italic] = font

    def fetch_ids(self, query: TaskQuery, limit: int | None) -> list[int]:
        return tables.task_item_ids(self._conn, query, limit=limit)

    def fetch_count(self, query: TaskQuery) -> int:
        return tables.task_item_count(self._conn, query)

    def fetch_rows(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        return tables.task_item_rows(self._conn, ids)

    def make_entry(self, row: dict[str, Any]) -> tuple:
        state = state_of(row, self._today)
        return row, _display(row, state, self._today, self._short), state

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
            return tooltip(row, display)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(COLUMNS[column].align)
        if role == STATE_ROLE:
            return state
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
            look = look_of(state)
            if look is None:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return look.background
            if role == Qt.ItemDataRole.ForegroundRole:
                return look.foreground
            if look.bold or look.italic:
                return self._fonts[look.bold, look.italic]
        return None
