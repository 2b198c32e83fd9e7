"""The shared way parclerk writes a printable .xlsx: a write-only sheet with named styles (Times New Roman,
A4 landscape, repeated header rows, page numbers), text always stored as text (a value starting with "="
never becomes a formula), row heights estimated for wrapped text, and the file written beside its target
and moved into place so a failed export leaves nothing half-written. openpyxl is imported on use."""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FONT_NAME = "Times New Roman"
DATE_FORMAT = "DD/MM/YYYY"

# Control characters the xlsx format cannot hold (a vertical tab is what Word's soft line break pastes as).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_MAX_TEXT = 32_767


def clean_text(text: str) -> str:
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


def row_height(texts: list[tuple[str, float]], size_pt: float, *, bold: bool = False) -> float:
    lines = max(
        (_line_count(text, _column_text_pt(width), size_pt, bold=bold) for text, width in texts), default=1
    )
    return round(lines * size_pt * _LINE_FACTOR + _ROW_PADDING_PT, 1)


# --- writing a file safely --------------------------------------------------------------------------


# --- a write-only sheet with named styles -----------------------------------------------------------


class Sheet:
    """One write-only worksheet: named styles registered once, text forced to text, rows with set heights."""

    def __init__(
        self,
        title: str,
        sheet_name: str,
        style_prefix: str,
        widths: Sequence[float],
        *,
        freeze: str | None = None,
    ):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

        self.wb = Workbook(write_only=True)
        self.wb.properties.title = title
        self.wb.properties.creator = "parclerk"
        self._new_worksheet(sheet_name, widths, freeze)

        # Named styles, registered once: setting font, border and alignment cell by cell makes openpyxl hash
        # each style object for every cell (17 of the 30 s a 20,000-row export once took).
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
            "số": NamedStyle(font=Font(name=FONT_NAME, size=11), border=grid, alignment=top_center),
            "số đậm": NamedStyle(
                font=Font(name=FONT_NAME, size=11, bold=True), border=grid, alignment=top_center
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

    def _new_worksheet(self, sheet_name: str, widths: Sequence[float], freeze: str | None) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        self.ws = self.wb.create_sheet(title=sheet_name[:31])
        self.widths = tuple(widths)
        self.written = 0
        # Everything written at the top of the sheet XML must be set before the first append.
        for index, width in enumerate(self.widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        if freeze:
            self.ws.freeze_panes = freeze

    def add_sheet(self, sheet_name: str, widths: Sequence[float], *, freeze: str | None = None) -> Sheet:
        """Another worksheet of this book, sharing its named styles. Set its page up with `set_page`; the
        book is saved once, by `save` on any of its sheets."""
        other = copy.copy(self)
        other._new_worksheet(sheet_name, widths, freeze)
        return other

    def text(self, value: str, style: str = "chữ") -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, value=clean_text(value) if value else None)
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
        height = row_height(list(zip(labels, self.widths, strict=True)), 11, bold=True)
        self.append([self.text(label, "tên cột") for label in labels], height)
        if numbered:
            self.append([self.text(f"({n})", "số cột") for n in range(1, len(labels) + 1)])

    def height(self, texts: Sequence[tuple[str, float]]) -> float:
        return row_height(list(texts), 11)

    def save(self, path: Path, *, title_rows: str, footer: str = "Trang &P / &N") -> None:
        """Set this sheet's page up and save the book."""
        self.set_page(title_rows=title_rows, footer=footer)
        self.wb.save(path)

    def set_page(self, *, title_rows: str, footer: str = "Trang &P / &N") -> None:
        """A4 landscape, fit to the width, the title rows repeated on every page, page numbers below."""
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
