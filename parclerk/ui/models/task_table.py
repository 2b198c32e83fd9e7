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
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont

from parclerk import dates, glossary, tracking
from parclerk.data import tables
from parclerk.queries import TaskQuery
from parclerk.tracking import directive_label

PAGE_SIZE = 200
CACHED_PAGES = 30
FIRST_IDS = 2 * PAGE_SIZE
SOON_DAYS = 3  # the "sắp đến hạn" age band
ID_ROLE = Qt.ItemDataRole.UserRole
STATE_ROLE = (
    Qt.ItemDataRole.UserRole + 1
)  # (bucket, age band): ("open_overdue", "overdue_30"), ("done_late", "")

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
    Column("content", _L["content"], "content", _LEFT, 360),
    Column("directive", "Văn bản giao", "directive", _LEFT, 140),
    Column("lead_unit", "Chủ trì", "lead_unit", _LEFT, 125),
    Column("coordinating_units", "Phối hợp", "coordinating", _LEFT, 125),
    Column("period", "Kỳ", "period", _CENTER, 76),
    Column("due_date", "Hạn", "due", _CENTER, 84),
    Column("status", "Tình trạng", "status", _LEFT, 215),
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


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


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
        return f"{label} ({_number((today - due).days)} ngày)"
    if band == "due_soon":
        days = (due - today).days
        return f"{label} ({'hạn hôm nay' if days == 0 else f'còn {days} ngày'})"
    if bucket == "done_late":
        completed = dates.from_iso(row["completed_date"])
        if completed is not None:
            return f"{label} ({_number((completed - due).days)} ngày)"
    return label


def short_status_text(row: dict[str, Any], state: tuple[str, str], today: dt.date) -> str:
    """The dashboard's short form for open items: 'Quá hạn 45 ngày', 'Còn 2 ngày', 'Hạn hôm nay'."""
    bucket, _band = state
    due = dates.from_iso(row["due_date"])
    if due is None or bucket not in ("open_overdue", "open_in_time"):
        return tracking.BUCKETS[bucket]
    days = (due - today).days
    if days < 0:
        return f"Quá hạn {_number(-days)} ngày"
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


class TaskTableModel(QAbstractTableModel):
    def __init__(
        self,
        conn: sqlite3.Connection,
        parent=None,
        *,
        query: TaskQuery | None = None,
        limit: int | None = None,
        short_status: bool = False,
    ):
        super().__init__(parent)
        self._conn = conn
        self._query = query or TaskQuery()
        self._limit = limit
        self._short = short_status
        self._ids: list[int] = []
        self._count = 0
        self._row_of: dict[int, int] | None = None
        self._pages: OrderedDict[int, dict[int, tuple[dict[str, Any], tuple[str, ...], tuple[str, str]]]] = (
            OrderedDict()
        )
        self._today = dates.today()
        self._fonts: dict[tuple[bool, bool], QFont] = {}
        for bold in (False, True):
            for italic in (False, True):
                font = QFont()
                font.setBold(bold)
                font.setItalic(italic)
                self._fonts[bold, italic] = font

    # --- the query -------------------------------------------------------------------------------
    @property
    def query(self) -> TaskQuery:
        return self._query

    @property
    def today(self) -> dt.date:
        return self._today

    def set_query(self, query: TaskQuery, *, count: int | None = None) -> None:
        """A new filter or order; `count` when the caller has just counted the matches itself."""
        self._query = query
        self.reload(count=count)

    def _dated(self) -> TaskQuery:
        return replace(self._query, today=self._today)

    def reload(self, *, count: int | None = None) -> None:
        """Re-run the id query (membership or order may have changed) and drop cached rows."""
        self._today = self._query.today or dates.today()
        query = self._dated()
        first = self._limit if self._limit is not None else FIRST_IDS
        ids = tables.task_item_ids(self._conn, query, limit=first)
        if len(ids) < first or self._limit is not None:
            count = len(ids)
        elif count is None:
            count = tables.task_item_count(self._conn, query)
        self.beginResetModel()
        self._ids = ids
        self._count = count
        self._row_of = None
        self._pages.clear()
        self.endResetModel()

    def _all_ids(self) -> list[int]:
        """The whole ordered id list, read the first time a row past the first ones is needed."""
        if len(self._ids) < self._count:
            ids = tables.task_item_ids(self._conn, self._dated())
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

    def row_of(self, item_id: int, *, read_all: bool = True) -> int | None:
        """The row showing this item; with read_all=False only among the ids already read (no query)."""
        if not read_all and len(self._ids) < self._count:
            try:
                return self._ids.index(item_id)
            except ValueError:
                return None
        if self._row_of is None:
            self._row_of = {iid: row for row, iid in enumerate(self._all_ids())}
        return self._row_of.get(item_id)

    def row_data(self, row: int) -> dict[str, Any] | None:
        """The stored values behind a row (for the dialogs and tests), or None."""
        item_id = self.id_at(row)
        entry = self._entry(row, item_id) if item_id is not None else None
        return entry[0] if entry else None

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

    def _entry(self, row_index: int, row_id: int):
        page_no = row_index // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            ids = self._ids if (page_no + 1) * PAGE_SIZE <= len(self._ids) else self._all_ids()
            page_ids = [i for i in ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE] if i]
            rows = tables.task_item_rows(self._conn, page_ids)
            page = {}
            for rid, row in rows.items():
                state = state_of(row, self._today)
                page[rid] = (row, _display(row, state, self._today, self._short), state)
            self._pages[page_no] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(row_id)
