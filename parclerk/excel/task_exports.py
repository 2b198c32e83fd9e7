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
import errno
import json
import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parclerk import dates, glossary, tracking
from parclerk.data import tables
from parclerk.errors import ParclerkError
from parclerk.excel.register_export import (
    _LINE_FACTOR,
    _ROW_PADDING_PT,
    DATE_FORMAT,
    FONT_NAME,
    _clean,
    _row_height,
)
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


# --- writing a file safely --------------------------------------------------------------------------


def write_atomically(out_path: Path, write: Callable[[Path], None], *, what: str) -> None:
    """Call `write(temp)` for a temporary file beside `out_path`, flush it to disk, then move it into place.

    `what` names the document in the Vietnamese error ("danh sách nhiệm vụ"). OSErrors become ParclerkErrors;
    on any failure the temporary file is removed and an existing `out_path` is left as it was.
    """
    out_path = Path(out_path)
    if out_path.is_dir():
        raise ParclerkError(f"“{out_path}” là một thư mục. Hãy chọn tên tệp để lưu {what}.")
    temp = out_path.with_name(f".{out_path.stem}.{secrets.token_hex(4)}.tmp")
    created = replacing = False
    try:
        temp.touch(exist_ok=False)  # a folder we cannot write to fails here, before the real work starts
        created = True
        write(temp)
        with open(temp, "rb+") as handle:  # on disk before it takes the real name (power cuts happen)
            os.fsync(handle.fileno())
        replacing = True
        os.replace(temp, out_path)
        created = False
    except OSError as exc:
        raise ParclerkError(_explain(exc, out_path, what=what, replacing=replacing)) from exc
    finally:
        if created:
            try:
                temp.unlink()
            except OSError:
                pass


def _explain(exc: OSError, out_path: Path, *, what: str, replacing: bool) -> str:
    folder = out_path.parent
    if exc.errno == errno.ENOSPC:
        return f"Ổ đĩa đã đầy, chưa lưu được {what}. Hãy giải phóng dung lượng rồi thử lại."
    if not folder.is_dir():
        return f"Không lưu được {what}: thư mục “{folder}” không tồn tại."
    if replacing:  # the new file was written; only the old one could not be replaced
        return (
            f"Không ghi đè được tệp “{out_path.name}”: tệp đang được mở (ví dụ trong Excel) hoặc chỉ cho phép "
            "đọc. Hãy đóng tệp hoặc chọn tên khác rồi thử lại."
        )
    return f"Không ghi được tệp vào thư mục “{folder}”. Hãy kiểm tra quyền ghi hoặc chọn thư mục khác."


# --- a write-only sheet with named styles -----------------------------------------------------------


class _Sheet:
    """One write-only worksheet: named styles registered once, text forced to text, rows with set heights."""

    def __init__(self, title: str, sheet_name: str, style_prefix: str, widths: Sequence[float]):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        self.wb = Workbook(write_only=True)
        self.wb.properties.title = title
        self.wb.properties.creator = "parclerk"
        self.ws = self.wb.create_sheet(title=sheet_name[:31])
        self.widths = tuple(widths)
        self.written = 0
        # Everything written at the top of the sheet XML must be set before the first append.
        for index, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

        thin = Side(style="thin", color="000000")
        grid = Border(left=thin, right=thin, top=thin, bottom=thin)
        top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
        top_center = Alignment(horizontal="center", vertical="top", wrap_text=True)
        across = Alignment(horizontal="centerContinuous", vertical="center")
        styles = {
            "tên cơ quan": NamedStyle(font=Font(name=FONT_NAME, size=12, bold=True), alignment=across),
            "tên sổ": NamedStyle(font=Font(name=FONT_NAME, size=15, bold=True), alignment=across),
            "năm": NamedStyle(font=Font(name=FONT_NAME, size=13, bold=True), alignment=across),
            "dòng phụ": NamedStyle(font=Font(name=FONT_NAME, size=12, italic=True), alignment=across),
            "tên cột": NamedStyle(
                font=Font(name=FONT_NAME, size=11, bold=True),
                border=grid,
                alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            ),
            "số cột": NamedStyle(
                font=Font(name=FONT_NAME, size=10, italic=True),
                border=grid,
                alignment=Alignment(horizontal="center", vertical="center"),
            ),
            "chữ": NamedStyle(font=Font(name=FONT_NAME, size=11), border=grid, alignment=top_left),
            "chữ đậm": NamedStyle(
                font=Font(name=FONT_NAME, size=11, bold=True), border=grid, alignment=top_left
            ),
            "giữa": NamedStyle(font=Font(name=FONT_NAME, size=11), border=grid, alignment=top_center),
            "ngày": NamedStyle(
                font=Font(name=FONT_NAME, size=11),
                border=grid,
                alignment=top_center,
                number_format=DATE_FORMAT,
            ),
            "ghi chú": NamedStyle(  # not wrapped: the one line runs on over the empty cells to its right
                font=Font(name=FONT_NAME, size=11, italic=True),
                alignment=Alignment(horizontal="left", vertical="top", wrap_text=False),
            ),
        }
        self.style_names: dict[str, str] = {}
        self.font_sizes: dict[str, float] = {}
        for key, style in styles.items():
            style.name = f"{style_prefix} - {key}"  # shown in Excel's Cell Styles gallery
            self.wb.add_named_style(style)
            self.style_names[key] = style.name
            self.font_sizes[key] = float(style.font.size)

    def text(self, value: str, style: str = "chữ") -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, value=_clean(value) if value else None)
        if value:
            cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.style = self.style_names[style]
        return cell

    def plain(self, value: Any, style: str) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, value=value)
        cell.style = self.style_names[style]
        return cell

    def append(self, cells: list[Any], height: float | None = None) -> None:
        self.written += 1
        if height is not None:
            self.ws.row_dimensions[self.written].height = height
        self.ws.append(cells)
        self.ws.row_dimensions.pop(self.written, None)  # the row is on disk now; keep memory flat

    def title_line(self, text: str, style: str) -> None:
        """A line centred across the table's columns without merging (centerContinuous)."""
        cells = [self.text(text, style)] + [self.text("", style) for _ in range(len(self.widths) - 1)]
        self.append(cells, round(self.font_sizes[style] * _LINE_FACTOR + _ROW_PADDING_PT, 1))

    def header(self, labels: Sequence[str], *, numbered: bool = False) -> None:
        height = _row_height(list(zip(labels, self.widths, strict=True)), 11, bold=True)
        self.append([self.text(label, "tên cột") for label in labels], height)
        if numbered:
            self.append([self.text(f"({n})", "số cột") for n in range(1, len(labels) + 1)])

    def height(self, texts: Sequence[tuple[str, float]]) -> float:
        return _row_height(list(texts), 11)

    def save(self, path: Path, *, title_rows: str, footer: str = "Trang &P / &N") -> None:
        from openpyxl.worksheet.worksheet import Worksheet

        ws = self.ws
        ws.print_title_rows = title_rows
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_options.horizontalCentered = True
        margin = 1.5 / 2.54  # inches
        ws.page_margins.left = ws.page_margins.right = margin
        ws.page_margins.top = margin
        ws.page_margins.bottom = 2.0 / 2.54
        ws.page_margins.header = 0.8 / 2.54
        ws.page_margins.footer = 0.8 / 2.54
        ws.oddFooter.center.text = footer
        ws.oddFooter.center.font = f"{FONT_NAME},Regular"
        ws.oddFooter.center.size = 10
        self.wb.save(path)


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
        sheet = _Sheet(
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
    sheet = _Sheet(
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
