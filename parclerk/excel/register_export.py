"""Export the Sổ đăng ký văn bản đến of one year to Excel, ready to print A4 landscape and bind.

The rows and title lines come from `parclerk.reports.register_print.register_book`, the same source as
the printed register. openpyxl is imported inside the function (about 100 ms; start-up must not pay
for it) and the book is written in write-only mode. Every text cell is forced to a string, so a
subject such as "=HYPERLINK(...)" stays text and never becomes a formula. The file is written next to
the target and moved into place, so a failed export leaves no half-written file.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parclerk.errors import ParclerkError
from parclerk.reports.register_print import REGISTER_COLUMNS, RegisterBook, register_book

if TYPE_CHECKING:
    from sqlite_utils import Database

FONT_NAME = "Times New Roman"
DATE_FORMAT = "DD/MM/YYYY"

# Column widths in Excel's character units (about 140 fill A4 landscape with 1.5 cm margins; fit-to-width
# scales the rest). Date columns keep room to spare: a date that does not fit shows as ##### in Excel.
COLUMN_WIDTHS: tuple[float, ...] = (11.5, 6.5, 18, 15, 11.5, 37, 16, 11.5, 9, 13)

# Control characters the xlsx format cannot hold (a vertical tab is what Word's soft line break pastes as).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_MAX_TEXT = 32_767


def _clean(text: str) -> str:
    text = _ILLEGAL.sub(lambda m: "\n" if m.group() == "\x0b" else " ", text)
    return text[:_EXCEL_MAX_TEXT]


# Row heights. Neither LibreOffice nor every Excel version grows a row to fit wrapped text on opening, so
# each row gets a height from an estimate of its wrapped lines, with Times New Roman's advance widths
# (em fractions; Liberation Serif has the same metrics). Erring high only leaves a little white space.
_EM = {
    ch: width
    for chars, width in (
        (" .,:;'|!iljt", 0.278),
        ("fr()-[]I/`", 0.333),
        ("s", 0.389),
        ("acez?", 0.444),
        ("mw&", 0.76),
        ("MW@%", 0.92),
    )
    for ch in chars
}
_LINE_FACTOR = 1.17  # line height per point of font size
_ROW_PADDING_PT = 3.0


def _char_em(ch: str) -> float:
    width = _EM.get(ch)
    if width is None:
        base = unicodedata.normalize("NFD", ch)[0]
        if base in _EM:
            width = _EM[base]
        elif base in "đĐ":
            width = 0.5 if base == "đ" else 0.722
        elif base.isupper():
            width = 0.776 if base in "ƠƯ" else 0.722
        elif unicodedata.east_asian_width(base) in "WF":
            width = 1.0
        else:
            width = 0.542 if base in "ơư" else 0.5
        _EM[ch] = width  # remembered: a register repeats the same few hundred characters
    return width


def _line_count(text: str, width_pt: float, size_pt: float, *, bold: bool = False) -> int:
    """How many lines `text` wraps to in a column `width_pt` wide (greedy word wrap, as Excel does)."""
    for ch in set(text).difference(_EM):
        _char_em(ch)
    em = _EM.__getitem__
    scale = size_pt * (1.07 if bold else 1.0)
    space = _EM[" "] * scale
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        if sum(map(em, paragraph)) * scale <= width_pt:
            continue
        used = 0.0
        for word in paragraph.split():
            word_pt = sum(map(em, word)) * scale
            if used and used + space + word_pt <= width_pt:
                used += space + word_pt
                continue
            if used:
                lines += 1
            while word_pt > width_pt:  # a word longer than the column breaks anywhere
                lines += 1
                word_pt -= width_pt
            used = word_pt
    return max(lines, 1)


def _column_text_pt(width: float) -> float:
    """Room for text in a column of `width` Excel character units (7 px each at 96 dpi, less the cell margins),
    with 3 % to spare for Windows' pixel-rounded glyph widths."""
    return (7 * width - 5) * 0.75 * 0.97


def _row_height(texts: list[tuple[str, float]], size_pt: float, *, bold: bool = False) -> float:
    lines = max(
        (_line_count(text, _column_text_pt(width), size_pt, bold=bold) for text, width in texts), default=1
    )
    return round(lines * size_pt * _LINE_FACTOR + _ROW_PADDING_PT, 1)


def export_register_xlsx(db: Database, year: int, out_path: Path) -> int:
    """Write the register of `year` to `out_path` (.xlsx); return the number of directive rows written."""
    book = register_book(db, year)
    out_path = Path(out_path)
    temp = out_path.with_name(f".{out_path.stem}.{secrets.token_hex(4)}.tmp")
    created = replacing = False
    try:
        temp.touch(exist_ok=False)  # a folder we cannot write to fails here, before openpyxl starts its work
        created = True
        _write_book(book, temp)
        with open(temp, "rb+") as handle:  # on disk before it takes the real name (power cuts happen)
            os.fsync(handle.fileno())
        replacing = True
        os.replace(temp, out_path)
        created = False
    except OSError as exc:
        raise ParclerkError(_explain(exc, out_path, replacing=replacing)) from exc
    finally:
        if created:
            try:
                temp.unlink()
            except OSError:
                pass
    return len(book.rows)


def _explain(exc: OSError, out_path: Path, *, replacing: bool) -> str:
    folder = out_path.parent
    if exc.errno == errno.ENOSPC:
        return "Ổ đĩa đã đầy, chưa xuất được sổ đăng ký văn bản đến. Hãy giải phóng dung lượng rồi thử lại."
    if not folder.is_dir():
        return f"Không xuất được sổ: thư mục “{folder}” không tồn tại."
    if replacing:  # the new file was written; only the old one could not be replaced
        return (
            f"Không ghi đè được tệp “{out_path.name}”: tệp đang được mở (ví dụ trong Excel) hoặc chỉ cho phép "
            "đọc. Hãy đóng tệp hoặc chọn tên khác rồi thử lại."
        )
    return f"Không ghi được tệp vào thư mục “{folder}”. Hãy kiểm tra quyền ghi hoặc chọn thư mục khác."


def _write_book(book: RegisterBook, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    ncols = len(REGISTER_COLUMNS)
    wb = Workbook(write_only=True)
    wb.properties.title = f"Sổ đăng ký văn bản đến năm {book.year}"
    wb.properties.creator = "parclerk"
    ws = wb.create_sheet(title=f"Sổ đến {book.year}")

    # Everything written at the top of the sheet XML must be set before the first append.
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    header_row = len(book.title_lines) + 2  # title lines, one blank row, then the column headers
    ws.freeze_panes = f"A{header_row + 2}"

    # Named styles, registered once: setting font, border and alignment cell by cell makes openpyxl hash
    # each style object for every cell (measured: 17 of the 30 s a 20,000-row export took; 4.5 s in all now).
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    top_center = Alignment(horizontal="center", vertical="top", wrap_text=True)
    across = Alignment(horizontal="centerContinuous", vertical="center")
    styles = {
        "office": NamedStyle(font=Font(name=FONT_NAME, size=12, bold=True), alignment=across),
        "title": NamedStyle(font=Font(name=FONT_NAME, size=15, bold=True), alignment=across),
        "year": NamedStyle(font=Font(name=FONT_NAME, size=13, bold=True), alignment=across),
        "range": NamedStyle(font=Font(name=FONT_NAME, size=12, italic=True), alignment=across),
        "header": NamedStyle(
            font=Font(name=FONT_NAME, size=11, bold=True),
            border=grid,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
        "column_number": NamedStyle(
            font=Font(name=FONT_NAME, size=10, italic=True),
            border=grid,
            alignment=Alignment(horizontal="center", vertical="center"),
        ),
        "text": NamedStyle(font=Font(name=FONT_NAME, size=11), border=grid, alignment=top_left),
        "number": NamedStyle(font=Font(name=FONT_NAME, size=11), border=grid, alignment=top_center),
        "date": NamedStyle(
            font=Font(name=FONT_NAME, size=11), border=grid, alignment=top_center, number_format=DATE_FORMAT
        ),
        "note": NamedStyle(  # not wrapped: the one line runs on over the empty cells to its right
            font=Font(name=FONT_NAME, size=11, italic=True),
            alignment=Alignment(horizontal="left", vertical="top", wrap_text=False),
        ),
    }
    style_names = {  # shown in Excel's Cell Styles gallery
        "office": "tên cơ quan",
        "title": "tên sổ",
        "year": "năm",
        "range": "từ ngày, từ số",
        "header": "tên cột",
        "column_number": "số cột",
        "text": "chữ",
        "number": "số đến",
        "date": "ngày",
        "note": "ghi chú",
    }
    for key, style in styles.items():
        style.name = f"Sổ đến - {style_names[key]}"
        wb.add_named_style(style)

    def text_cell(value: str, style: str) -> Any:
        cell = WriteOnlyCell(ws, value=_clean(value) if value else None)
        if value:
            cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.style = styles[style].name
        return cell

    def plain_cell(value: Any, style: str) -> Any:
        cell = WriteOnlyCell(ws, value=value)
        cell.style = styles[style].name
        return cell

    written = 0

    def append(cells: list[Any], height: float | None = None) -> None:
        nonlocal written
        written += 1
        if height is not None:
            ws.row_dimensions[written].height = height
        ws.append(cells)
        ws.row_dimensions.pop(written, None)  # the row is on disk now; keep memory flat

    # Title block, centred across the ten columns without merging (centerContinuous).
    title_styles = ("office", "title", "year")
    for index, line in enumerate(book.title_lines):
        style = title_styles[index] if index < len(title_styles) else "range"
        cells = [text_cell(line, style)] + [text_cell("", style) for _ in range(ncols - 1)]
        append(cells, round(styles[style].font.size * _LINE_FACTOR + _ROW_PADDING_PT, 1))
    append([], 8)

    header_height = _row_height(list(zip(REGISTER_COLUMNS, COLUMN_WIDTHS, strict=True)), 11, bold=True)
    append([text_cell(label, "header") for label in REGISTER_COLUMNS], header_height)
    append([text_cell(f"({n})", "column_number") for n in range(1, ncols + 1)])

    wrapped = (2, 3, 5, 6, 9)  # the text columns whose lines decide the row height
    for row in book.rows:
        values = (
            plain_cell(row.ngay_den, "date"),
            plain_cell(row.so_den, "number"),
            text_cell(row.issuer, "text"),
            text_cell(row.number, "text"),
            plain_cell(row.issued_date, "date"),
            text_cell(row.type_and_subject, "text"),
            text_cell(row.assigned_to, "text"),
            plain_cell(row.handed_date, "date"),
            text_cell("", "text"),  # Ký nhận: signed by hand on the print
            text_cell(row.notes, "text"),
        )
        texts = [(values[i].value or "", COLUMN_WIDTHS[i]) for i in wrapped]
        append(list(values), _row_height(texts, 11))
    if not book.rows:
        append([text_cell(book.empty_note, "note")], _row_height([], 11))

    ws.print_title_rows = f"{header_row}:{header_row + 1}"
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
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.oddFooter.center.font = f"{FONT_NAME},Regular"
    ws.oddFooter.center.size = 10

    wb.save(path)
