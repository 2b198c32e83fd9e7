"""Export the Sổ đăng ký văn bản đến of one year to Excel, ready to print A4 landscape and bind.

The rows and title lines come from `parclerk.reports.register_print.register_book`, the same source as
the printed register. openpyxl is imported inside the function (about 100 ms; start-up must not pay
for it) and the book is written in write-only mode. Every text cell is forced to a string, so a
subject such as "=HYPERLINK(...)" stays text and never becomes a formula. The file is written next to
the target and moved into place, so a failed export leaves no half-written file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from parclerk.excel.sheet import Sheet
from parclerk.fileio import write_atomically
from parclerk.reports.register_print import REGISTER_COLUMNS, RegisterBook, register_book

if TYPE_CHECKING:
    from sqlite_utils import Database

# Column widths in Excel's character units (about 140 fill A4 landscape with 1.5 cm margins; fit-to-width
# scales the rest). Date columns keep room to spare: a date that does not fit shows as ##### in Excel.
COLUMN_WIDTHS: tuple[float, ...] = (11.5, 6.5, 18, 15, 11.5, 37, 16, 11.5, 9, 13)
_WRAPPED = (2, 3, 5, 6, 9)  # the text columns whose lines decide a row's height


def export_register_xlsx(db: Database, year: int, out_path: Path) -> int:
    """Write the register of `year` to `out_path` (.xlsx); return the number of directive rows written."""
    book = register_book(db, year)
    write_atomically(Path(out_path), lambda temp: _write_book(book, temp), what="sổ đăng ký văn bản đến")
    return len(book.rows)


def _write_book(book: RegisterBook, path: Path) -> None:
    header_row = len(book.title_lines) + 2  # title lines, one blank row, then the column headers
    sheet = Sheet(
        f"Sổ đăng ký văn bản đến năm {book.year}",
        f"Sổ đến {book.year}",
        "Sổ đến",
        COLUMN_WIDTHS,
        freeze=f"A{header_row + 2}",
    )
    title_styles = ("tên cơ quan", "tên sổ", "năm")
    for index, line in enumerate(book.title_lines):
        sheet.title_line(line, title_styles[index] if index < len(title_styles) else "dòng phụ")
    sheet.append([], 8)
    sheet.header(REGISTER_COLUMNS, numbered=True)
    for row in book.rows:
        values = (
            sheet.plain(row.ngay_den, "ngày"),
            sheet.plain(row.so_den, "giữa"),
            sheet.text(row.issuer),
            sheet.text(row.number),
            sheet.plain(row.issued_date, "ngày"),
            sheet.text(row.type_and_subject),
            sheet.text(row.assigned_to),
            sheet.plain(row.handed_date, "ngày"),
            sheet.text(""),  # Ký nhận: signed by hand on the print
            sheet.text(row.notes),
        )
        sheet.append(
            list(values), sheet.height([(values[i].value or "", COLUMN_WIDTHS[i]) for i in _WRAPPED])
        )
    if not book.rows:
        sheet.append([sheet.text(book.empty_note, "ghi chú")], sheet.height([]))
    sheet.save(path, title_rows=f"{header_row}:{header_row + 1}")
