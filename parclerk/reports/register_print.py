"""The printed Sổ đăng ký văn bản đến (Nghị định 30/2020/NĐ-CP, Phụ lục IV) for one calendar year.

`register_book` gathers the rows and title lines as plain values; the Excel export
(`parclerk.excel.register_export`) and `register_print_html` (for Qt's QTextDocument, whose HTML 4
subset repeats a table's `<thead>` on every printed page) both draw from it, so the two can never
disagree about what the register holds. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parclerk import dates, glossary, vntext
from parclerk.services.settings import get_profile

if TYPE_CHECKING:
    from sqlite_utils import Database

REGISTER_TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
REGISTER_COLUMNS = glossary.REGISTER_COLUMNS


# Share of the printed width per column (A4 landscape), in per cent; sums to 100.
COLUMN_PERCENT: tuple[int, ...] = (8, 5, 12, 11, 8, 23, 11, 8, 6, 8)


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register, already in the form's terms (column 6 is type and subject)."""

    ngay_den: dt.date
    so_den: int
    issuer: str
    number: str
    issued_date: dt.date | None
    type_and_subject: str
    assigned_to: str
    handed_date: dt.date | None
    notes: str
    cancelled: bool


@dataclass(frozen=True)
class RegisterBook:
    year: int
    office_name: str  # upper case, may be ''
    rows: tuple[RegisterRow, ...]

    @property
    def title_lines(self) -> list[str]:
        """The lines above the table, office name first ('' when the profile has none)."""
        lines = [self.office_name, REGISTER_TITLE, f"Năm {self.year}"]
        if self.rows:
            first_day = min(row.ngay_den for row in self.rows)
            last_day = max(row.ngay_den for row in self.rows)
            lines.append(f"Từ ngày {dates.format_dmy(first_day)} đến ngày {dates.format_dmy(last_day)}")
            lines.append(f"Từ số {self.rows[0].so_den} đến số {self.rows[-1].so_den}")
        return lines

    @property
    def empty_note(self) -> str:
        return f"Không có văn bản đến trong năm {self.year}."


def type_and_subject(doc_type: str, subject: str) -> str:
    """Column 6: 'Kế hoạch: <subject>'; a Công văn has no type name, so just its subject.

    A subject that already starts with its type name ('Báo cáo tình hình ...') is not prefixed twice.
    """
    doc_type = doc_type.strip()
    folded_type = vntext.fold(doc_type)
    if not folded_type or folded_type == vntext.fold("Công văn"):
        return subject
    folded_subject = vntext.fold(subject)
    if folded_subject == folded_type or folded_subject.startswith(folded_type + " "):
        return subject
    return f"{doc_type}: {subject}"


def register_notes(*, cancelled: bool, cancel_reason: str, notes: str) -> str:
    """Column 10: 'Đã hủy: <reason>' first for a cancelled entry, then the clerk's notes."""
    parts = []
    if cancelled:
        reason = cancel_reason.strip()
        parts.append(f"{glossary.STATUS_CANCELLED}: {reason}" if reason else glossary.STATUS_CANCELLED)
    if notes.strip():
        parts.append(notes.strip())
    return "\n".join(parts)


def register_book(db: Database, year: int) -> RegisterBook:
    """Every directive numbered in `year` (cancelled ones included), in số đến order."""
    rows = db.query(
        """
        SELECT so_den, ngay_den, issuer, number, issued_date, doc_type, subject, assigned_to, handed_date,
               notes, cancelled, cancel_reason
        FROM directives WHERE so_den_year = ? ORDER BY so_den
        """,
        [year],
    )
    register_rows = tuple(
        RegisterRow(
            ngay_den=dt.date.fromisoformat(row["ngay_den"]),
            so_den=row["so_den"],
            issuer=row["issuer"],
            number=row["number"],
            issued_date=dates.from_iso(row["issued_date"]),
            type_and_subject=type_and_subject(row["doc_type"], row["subject"]),
            assigned_to=row["assigned_to"],
            handed_date=dates.from_iso(row["handed_date"]),
            notes=register_notes(
                cancelled=bool(row["cancelled"]), cancel_reason=row["cancel_reason"], notes=row["notes"]
            ),
            cancelled=bool(row["cancelled"]),
        )
        for row in rows
    )
    office = get_profile(db).unit_name.strip().upper()
    return RegisterBook(year=year, office_name=office, rows=register_rows)


# --- HTML for QTextDocument -------------------------------------------------------------------------

_BODY_STYLE = "font-family: 'Times New Roman', 'Liberation Serif', serif; font-size: 11pt;"
_TABLE_PT = "9.5pt"


def _text(value: str) -> str:
    """User text, escaped, line breaks kept (\r\n and Word's vertical-tab soft breaks too)."""
    return "<br>".join(html.escape(line) for line in value.splitlines())


def _cell(content: str, *, align: str = "left") -> str:
    return f'<td align="{align}" valign="top" style="font-size: {_TABLE_PT};">{content}</td>'


def _date_cell(day: dt.date | None) -> str:
    """A date never breaks inside (dd/mm/yy-yy): the column grows instead."""
    style = f"font-size: {_TABLE_PT}; white-space: nowrap;"
    return f'<td align="center" valign="top" style="{style}">{dates.format_dmy(day)}</td>'


def _row_cells(row: RegisterRow) -> Sequence[str]:
    return (
        _date_cell(row.ngay_den),
        _cell(str(row.so_den), align="center"),
        _cell(_text(row.issuer)),
        _cell(_text(row.number)),
        _date_cell(row.issued_date),
        _cell(_text(row.type_and_subject)),
        _cell(_text(row.assigned_to)),
        _date_cell(row.handed_date),
        _cell(""),
        _cell(_text(row.notes)),
    )


def register_print_html(db: Database, year: int) -> str:
    """The register of `year` as one HTML document for QTextDocument (print it A4 landscape)."""
    book = register_book(db, year)
    return book_html(book)


def book_html(book: RegisterBook) -> str:
    title = html.escape(f"Sổ đăng ký văn bản đến năm {book.year}")
    parts = [
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN">',
        "<html><head>",
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        f"<title>{title}</title>",
        "</head>",
        f'<body style="{_BODY_STYLE}">',
    ]
    office, register_title, year_line, *range_lines = book.title_lines
    if office:
        parts.append(
            f'<p align="center" style="margin: 0; font-size: 12pt;"><b>{html.escape(office)}</b></p>'
        )
    parts.append(
        f'<p align="center" style="margin-top: 6pt; margin-bottom: 0; font-size: 15pt;"><b>{register_title}</b></p>'
    )
    parts.append(f'<p align="center" style="margin: 0; font-size: 13pt;"><b>{year_line}</b></p>')
    for line in range_lines:
        parts.append(f'<p align="center" style="margin: 0;"><i>{html.escape(line)}</i></p>')
    parts.append('<p style="margin: 0; font-size: 6pt;">&nbsp;</p>')

    parts.append(
        '<table border="1" cellspacing="0" cellpadding="3" width="100%" '
        'style="border-collapse: collapse; border-color: #000000;">'
    )
    parts.append("<thead>")
    parts.append(
        "<tr>"
        + "".join(
            f'<th width="{percent}%" align="center" valign="middle" style="font-size: {_TABLE_PT};">'
            f"<b>{html.escape(label)}</b></th>"
            for label, percent in zip(REGISTER_COLUMNS, COLUMN_PERCENT, strict=True)
        )
        + "</tr>"
    )
    parts.append(
        "<tr>"
        + "".join(
            f'<th align="center" style="font-size: {_TABLE_PT}; font-weight: normal;"><i>({n})</i></th>'
            for n in range(1, len(REGISTER_COLUMNS) + 1)
        )
        + "</tr>"
    )
    parts.append("</thead>")
    parts.append("<tbody>")
    if book.rows:
        for row in book.rows:
            parts.append("<tr>" + "".join(_row_cells(row)) + "</tr>")
    else:
        parts.append(
            f'<tr><td colspan="{len(REGISTER_COLUMNS)}" style="font-size: {_TABLE_PT};">'
            f"<i>{html.escape(book.empty_note)}</i></td></tr>"
        )
    parts.append("</tbody>")
    parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
