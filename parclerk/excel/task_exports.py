"""Excel exports of task tracking: the task list as the clerk sees it, and the Sổ theo dõi giải quyết văn bản đến.

Both follow `parclerk.excel.register_export`: openpyxl is imported inside the functions, the book is written
in write-only mode with named styles, every text cell is forced to a string (a task reading "=SUM(...)"
stays text), dates are real dates shown dd/mm/yyyy, pages are A4 landscape with the header rows repeated and
numbered, and the file is written next to the target and moved into place (`write_atomically`), so a failed
export leaves no half-written file and never a truncated old one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parclerk import dates, glossary, tracking
from parclerk.data import tables
from parclerk.errors import ParclerkError
from parclerk.excel.sheet import Sheet
from parclerk.fileio import write_atomically
from parclerk.queries import TaskQuery
from parclerk.reports.handling_log import HANDLING_LOG_COLUMNS, HandlingLog, handling_log
from parclerk.reports.handling_log import (
    handling_log_html as handling_log_html,  # printed through the preview
)
from parclerk.tracking import directive_label

if TYPE_CHECKING:
    from sqlite_utils import Database

Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, text: str) -> None:
    pass


# --- the task list as the clerk sees it -------------------------------------------------------------

# The columns a task view can show, in their usual order, with widths in Excel's character units.
TASK_COLUMN_WIDTHS: dict[str, float] = {
    "ref": 7,
    "content": 60,
    "directive": 24,
    "lead_unit": 22,
    "coordinating_units": 24,
    "period": 16,
    "due_date": 12,
    "status": 22,
    "completed_date": 12,
    "follower": 18,
    "reply_number": 18,
}
TASK_COLUMNS: tuple[str, ...] = tuple(TASK_COLUMN_WIDTHS)
_TASK_DATES = {"due_date", "completed_date"}
_TASK_CENTRED = {"ref", "period"}
_PAGE = 500


def task_values(row: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """One work item's cells by column key: texts, and dates as dates (the deadline as written when undated)."""
    due = dates.from_iso(row["due_date"])
    completed = dates.from_iso(row["completed_date"])
    units = json.loads(row["coordinating_units"] or "[]")
    return {
        "ref": row["ref"],
        "content": row["content"],
        "directive": directive_label(row),
        "lead_unit": row["lead_unit"],
        "coordinating_units": "\n".join(unit for unit in units if isinstance(unit, str)),
        "period": row["period_label"],
        "due_date": due or row["deadline_text"],
        "status": tracking.BUCKETS[tracking.bucket(row["status"], due, completed, today)],
        "completed_date": completed,
        "follower": row["follower"],
        "reply_number": row["reply_number"],
    }


def export_task_view_xlsx(
    db: Database,
    query: TaskQuery,
    columns: Sequence[str],
    out_path: Path,
    *,
    progress: Progress = _no_progress,
) -> int:
    """Write the work items of `query`, in its order, with `columns` (keys of TASK_COLUMNS, in the order shown)
    to `out_path` (.xlsx); return the number of rows written."""
    unknown = [key for key in columns if key not in TASK_COLUMN_WIDTHS]
    if unknown:
        raise ValueError(f"unknown task columns {unknown}")
    if not columns:
        raise ParclerkError("Chưa chọn cột nào để xuất ra Excel.")
    today = query.today or dates.today()
    query = dataclasses.replace(query, today=today)
    ids = tables.task_item_ids(db.conn, query)

    def write(path: Path) -> None:
        sheet = Sheet(
            "Danh sách nhiệm vụ", "Nhiệm vụ", "Nhiệm vụ", [TASK_COLUMN_WIDTHS[key] for key in columns]
        )
        sheet.ws.freeze_panes = "A2"
        sheet.header([glossary.TASK_LABELS[key] for key in columns])
        wrapped = [(index, key) for index, key in enumerate(columns) if key not in _TASK_DATES]
        for start in range(0, len(ids), _PAGE):
            page = ids[start : start + _PAGE]
            rows = tables.task_item_rows(db.conn, page)
            for item_id in page:
                values = task_values(rows[item_id], today)
                cells = []
                for key in columns:
                    value = values[key]
                    if isinstance(value, str):
                        cells.append(sheet.text(value, "giữa" if key in _TASK_CENTRED else "chữ"))
                    else:
                        cells.append(sheet.plain(value, "ngày"))
                texts = [
                    (values[key], sheet.widths[index])
                    for index, key in wrapped
                    if isinstance(values[key], str)
                ]
                sheet.append(cells, sheet.height(texts))
            progress(min(start + _PAGE, len(ids)), len(ids), "Đang xuất danh sách nhiệm vụ ra Excel…")
        if ids:
            from openpyxl.utils import get_column_letter

            sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(ids) + 1}"
        else:
            sheet.append([sheet.text("Không có nhiệm vụ nào.", "ghi chú")])
        sheet.save(path, title_rows="1:1")

    write_atomically(out_path, write, what="danh sách nhiệm vụ")
    return len(ids)


# --- Sổ theo dõi giải quyết văn bản đến -------------------------------------------------------------

# Widths in Excel's character units (about 140 fill A4 landscape with 1.5 cm margins).
HANDLING_LOG_WIDTHS: tuple[float, ...] = (8, 44, 20, 13, 26, 17, 12)


def export_handling_log_xlsx(db: Database, year: int, out_path: Path, *, today: dt.date | None = None) -> int:
    """Write the Sổ theo dõi giải quyết văn bản đến of `year` to `out_path` (.xlsx); return the number of rows."""
    log = handling_log(db, year, today=today)
    write_atomically(
        out_path, lambda path: _write_handling_log(log, path), what="sổ theo dõi giải quyết văn bản đến"
    )
    return len(log.rows)


def _write_handling_log(log: HandlingLog, path: Path) -> None:
    sheet = Sheet(
        f"Sổ theo dõi giải quyết văn bản đến năm {log.year}",
        f"Sổ giải quyết {log.year}",
        "Sổ giải quyết",
        HANDLING_LOG_WIDTHS,
    )
    office, book_title, year_line, as_of = log.title_lines
    header_row = 6  # four title lines, one blank row, then the column headers
    sheet.ws.freeze_panes = f"A{header_row + 2}"
    sheet.title_line(office, "tên cơ quan")
    sheet.title_line(book_title, "tên sổ")
    sheet.title_line(year_line, "năm")
    sheet.title_line(as_of, "dòng phụ")
    sheet.append([], 8)
    sheet.header(HANDLING_LOG_COLUMNS, numbered=True)
    widths = sheet.widths
    for row in log.rows:
        deadline = (
            sheet.plain(row.deadline, "ngày") if row.deadline else sheet.text(row.deadline_text, "giữa")
        )
        cells = [
            sheet.plain(row.so_den, "giữa"),
            sheet.text(row.document),
            sheet.text(row.assigned_to),
            deadline,
            sheet.text(row.progress, "chữ đậm" if row.overdue else "chữ"),
            sheet.text(row.reply),
            sheet.text(row.notes),
        ]
        texts = [
            (row.document, widths[1]),
            (row.assigned_to, widths[2]),
            (row.deadline_text, widths[3]),
            (row.progress, widths[4]),
            (row.reply, widths[5]),
            (row.notes, widths[6]),
        ]
        sheet.append(cells, sheet.height(texts))
    if not log.rows:
        sheet.append([sheet.text(log.empty_note, "ghi chú")])
    sheet.save(path, title_rows=f"{header_row}:{header_row + 1}")
