"""The Sổ theo dõi giải quyết văn bản đến (Nghị định 30/2020/NĐ-CP, Phụ lục IV) for one calendar year.

The handling log follows the incoming documents that ask the office for something: those with a deadline,
with tasks that concern the office, or already answered. Its seven columns come from the register (số đến,
the document, who received it, the deadline, the reply) and from the tasks' progress (column 5, as of a
given day). `handling_log` gathers plain values; the Excel export (`parclerk.excel.task_exports`) and
`handling_log_html` (for QTextDocument, whose `<thead>` repeats on every printed page) both draw from it.
No Qt here.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parclerk import dates, glossary
from parclerk.services.settings import get_profile

if TYPE_CHECKING:
    from sqlite_utils import Database

HANDLING_LOG_TITLE = "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN"
HANDLING_LOG_COLUMNS = glossary.HANDLING_LOG_COLUMNS

# Share of the printed width per column (A4 landscape), in per cent; sums to 100.
COLUMN_PERCENT: tuple[int, ...] = (6, 32, 14, 10, 17, 12, 9)


@dataclass(frozen=True)
class HandlingRow:
    """One line of the log, already in the form's terms."""

    so_den: int
    document: str  # column 2: "Kế hoạch số 45/KH-STC ngày 08/01/2024 của Sở Tài chính", the subject below
    assigned_to: str
    deadline: dt.date | None  # column 4 when it is one date ...
    deadline_text: str  # ... else its words ("Theo từng nhiệm vụ: ...", "Hàng quý", "")
    progress: str
    overdue: bool
    reply: str
    notes: str

    @property
    def deadline_display(self) -> str:
        return dates.format_dmy(self.deadline) if self.deadline else self.deadline_text


@dataclass(frozen=True)
class HandlingLog:
    year: int
    office_name: str  # upper case, may be ''
    today: dt.date
    rows: tuple[HandlingRow, ...] = field(default=())

    @property
    def title_lines(self) -> list[str]:
        """Office name ('' when the profile has none), the book's name, the year, the day progress is counted to."""
        return [
            self.office_name,
            HANDLING_LOG_TITLE,
            f"Năm {self.year}",
            f"Tiến độ tính đến ngày {dates.format_dmy(self.today)}",
        ]

    @property
    def empty_note(self) -> str:
        return f"Không có văn bản đến cần theo dõi giải quyết trong năm {self.year}."


def document_text(doc_type: str, number: str, issued: dt.date | None, issuer: str, subject: str) -> str:
    """Column 2: 'Công văn số 107/UBND-NC ngày 09/01/2021 của UBND tỉnh Quảng Ngãi', the subject on the next line."""
    text = doc_type.strip() or "Văn bản"
    if number.strip():
        text += f" số {number.strip()}"
    if issued:
        text += f" ngày {dates.format_dmy(issued)}"
    if issuer.strip():
        text += f" của {issuer.strip()}"
    return f"{text}\n{subject.strip()}" if subject.strip() else text


@dataclass
class _Items:
    """The office's work items of one directive, counted."""

    total: int = 0
    done: int = 0
    overdue: int = 0
    last_completed: dt.date | None = None
    deadlines: set[dt.date] = field(default_factory=set)  # one-off tasks' dates
    deadline_texts: list[str] = field(default_factory=list)  # undated or recurring tasks' words
    units: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)


def _add_unique(values: list[str], value: str) -> None:
    value = value.strip()
    if value and value not in values:
        values.append(value)


def progress_text(
    *, handled: dt.date | None, deadline: dt.date | None, items: _Items, today: dt.date
) -> tuple[str, bool]:
    """Column 5 and whether the document is late: handled, all tasks done, in progress (n/m), or overdue."""
    if handled:
        text = f"Đã giải quyết ngày {dates.format_dmy(handled)}"
        if deadline and handled > deadline:
            text += f" (chậm {(handled - deadline).days} ngày)"
        return text, False
    late_deadline = deadline is not None and deadline < today
    if items.total:
        counted = f"{items.done}/{items.total} nhiệm vụ hoàn thành"
        if items.done == items.total:
            day = f", xong ngày {dates.format_dmy(items.last_completed)}" if items.last_completed else ""
            return f"Đã hoàn thành các nhiệm vụ ({counted}){day}", False
        if items.overdue or late_deadline:
            late = f"; {items.overdue} nhiệm vụ quá hạn" if items.overdue else ""
            return f"Quá hạn: {counted}{late}", True
        return f"Đang giải quyết: {counted}", False
    if late_deadline:
        return "Quá hạn, chưa giải quyết", True
    return glossary.STATUS_OPEN, False


def _deadline(deadline: dt.date | None, items: _Items) -> tuple[dt.date | None, str]:
    if deadline:
        return deadline, ""
    texts = list(items.deadline_texts)
    if len(items.deadlines) == 1 and not texts:
        return next(iter(items.deadlines)), ""
    if items.deadlines:
        first, last = min(items.deadlines), max(items.deadlines)
        span = (
            dates.format_dmy(first)
            if first == last
            else f"{dates.format_dmy(first)} – {dates.format_dmy(last)}"
        )
        texts.insert(0, f"Theo từng nhiệm vụ: {span}")
    return None, "; ".join(texts)


def handling_log(db: Database, year: int, *, today: dt.date | None = None) -> HandlingLog:
    """The documents numbered in `year` (not cancelled) that ask for handling, in số đến order."""
    today = today or dates.today()
    items: dict[int, _Items] = {}
    rows = db.execute(
        """
        SELECT t.directive_id, t.lead_unit, t.deadline, t.deadline_text, t.recurrence,
               i.status, i.due_date, i.completed_date, i.reply_number
        FROM task_items i JOIN tasks t ON t.id = i.task_id JOIN directives d ON d.id = t.directive_id
        WHERE d.so_den_year = ? AND d.cancelled = 0 AND t.status != 'cancelled' AND t.concerns_office = 1
        ORDER BY t.directive_id, t.position, t.id, i.due_date
        """,
        [year],
    ).fetchall()
    for directive_id, unit, deadline, deadline_text, recurrence, status, due, completed, reply in rows:
        counted = items.setdefault(directive_id, _Items())
        counted.total += 1
        _add_unique(counted.units, unit)
        _add_unique(counted.replies, reply)
        if status == "done":
            counted.done += 1
            day = dates.from_iso(completed)
            if day and (counted.last_completed is None or day > counted.last_completed):
                counted.last_completed = day
        elif due and due < today.isoformat():
            counted.overdue += 1
        if deadline and recurrence is None:
            counted.deadlines.add(dt.date.fromisoformat(deadline))
        else:
            _add_unique(
                counted.deadline_texts, deadline_text or glossary.RECURRENCE_LABELS.get(recurrence or "", "")
            )

    directives = db.execute(
        """
        SELECT id, so_den, doc_type, number, issued_date, issuer, subject, assigned_to, deadline, handled_date,
               reply_number, notes
        FROM directives d
        WHERE so_den_year = ? AND cancelled = 0
          AND (deadline IS NOT NULL OR handled_date IS NOT NULL OR reply_number != ''
               OR EXISTS (SELECT 1 FROM tasks t WHERE t.directive_id = d.id AND t.status != 'cancelled'
                          AND t.concerns_office = 1))
        ORDER BY so_den
        """,
        [year],
    ).fetchall()
    log_rows = []
    for (
        directive_id,
        so_den,
        doc_type,
        number,
        issued,
        issuer,
        subject,
        assigned_to,
        deadline_iso,
        handled_iso,
        reply_number,
        notes,
    ) in directives:
        counted = items.get(directive_id, _Items())
        deadline = dates.from_iso(deadline_iso)
        progress, overdue = progress_text(
            handled=dates.from_iso(handled_iso), deadline=deadline, items=counted, today=today
        )
        replies: list[str] = []
        for reply in (reply_number, *counted.replies):
            _add_unique(replies, reply)
        due, due_words = _deadline(deadline, counted)
        log_rows.append(
            HandlingRow(
                so_den=so_den,
                document=document_text(doc_type, number, dates.from_iso(issued), issuer, subject),
                assigned_to=assigned_to.strip() or "\n".join(counted.units),
                deadline=due,
                deadline_text=due_words,
                progress=progress,
                overdue=overdue,
                reply="\n".join(replies),
                notes=notes.strip(),
            )
        )
    office = get_profile(db).unit_name.strip().upper()
    return HandlingLog(year=year, office_name=office, today=today, rows=tuple(log_rows))


# --- HTML for QTextDocument -------------------------------------------------------------------------

_BODY_STYLE = "font-family: 'Times New Roman', 'Liberation Serif', serif; font-size: 11pt;"
_TABLE_PT = "10pt"


def _text(value: str) -> str:
    return "<br>".join(html.escape(line) for line in value.splitlines())


def _cell(content: str, *, align: str = "left") -> str:
    return f'<td align="{align}" valign="top" style="font-size: {_TABLE_PT};">{content}</td>'


def _row_cells(row: HandlingRow) -> Sequence[str]:
    progress = _text(row.progress)
    if row.overdue:  # bold, not coloured: it has to show on a black-and-white printer
        progress = f"<b>{progress}</b>"
    return (
        _cell(str(row.so_den), align="center"),
        _cell(_text(row.document)),
        _cell(_text(row.assigned_to)),
        _cell(_text(row.deadline_display), align="center"),
        _cell(progress),
        _cell(_text(row.reply)),
        _cell(_text(row.notes)),
    )


def handling_log_html(db: Database, year: int, *, today: dt.date | None = None) -> str:
    """The handling log of `year` as one HTML document for QTextDocument (print it A4 landscape)."""
    return log_html(handling_log(db, year, today=today))


def log_html(log: HandlingLog) -> str:
    title = html.escape(f"Sổ theo dõi giải quyết văn bản đến năm {log.year}")
    parts = [
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN">',
        "<html><head>",
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        f"<title>{title}</title>",
        "</head>",
        f'<body style="{_BODY_STYLE}">',
    ]
    office, book_title, year_line, as_of = log.title_lines
    if office:
        parts.append(
            f'<p align="center" style="margin: 0; font-size: 12pt;"><b>{html.escape(office)}</b></p>'
        )
    parts.append(
        '<p align="center" style="margin-top: 6pt; margin-bottom: 0; font-size: 15pt;">'
        f"<b>{html.escape(book_title)}</b></p>"
    )
    parts.append(f'<p align="center" style="margin: 0; font-size: 13pt;"><b>{html.escape(year_line)}</b></p>')
    parts.append(f'<p align="center" style="margin: 0;"><i>{html.escape(as_of)}</i></p>')
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
            for label, percent in zip(HANDLING_LOG_COLUMNS, COLUMN_PERCENT, strict=True)
        )
        + "</tr>"
    )
    parts.append(
        "<tr>"
        + "".join(
            f'<th align="center" style="font-size: {_TABLE_PT}; font-weight: normal;"><i>({n})</i></th>'
            for n in range(1, len(HANDLING_LOG_COLUMNS) + 1)
        )
        + "</tr>"
    )
    parts.append("</thead>")
    parts.append("<tbody>")
    for row in log.rows:
        parts.append("<tr>" + "".join(_row_cells(row)) + "</tr>")
    if not log.rows:
        parts.append(
            f'<tr><td colspan="{len(HANDLING_LOG_COLUMNS)}" style="font-size: {_TABLE_PT};">'
            f"<i>{html.escape(log.empty_note)}</i></td></tr>"
        )
    parts.append("</tbody>")
    parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
