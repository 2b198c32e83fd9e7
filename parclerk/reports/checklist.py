"""The printed task checklist (Danh sách kiểm tra nhiệm vụ) for a unit, a person or a period.

`checklist_rows` gives the work items of a TaskQuery in due-date order, already in the form's terms;
`checklist_html` lays them out for Qt's QTextDocument (A4 landscape; the table's `<thead>` repeats on
every printed page and QTextDocument numbers the pages). The status column carries a mark as well as
its words ("Quá hạn (!)", "Quá hạn trên 30 ngày (!!)"), so an overdue item still stands out on a
black-and-white printer. `checklist_query` turns what the clerk typed (unit, person, period) into the
query and the title, with Vietnamese errors for names the database does not know. No Qt here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parclerk import dates, glossary, tracking, vntext
from parclerk.data import tables
from parclerk.errors import ParclerkError
from parclerk.queries import TaskQuery
from parclerk.services.settings import get_profile
from parclerk.services.tasks import unit_key
from parclerk.tracking import directive_label

if TYPE_CHECKING:
    from sqlite_utils import Database

CHECKLIST_TITLE = "DANH SÁCH KIỂM TRA NHIỆM VỤ"
CHECKLIST_COLUMNS = glossary.CHECKLIST_COLUMNS
CHECKBOX = "☐"
SOON_DAYS = 3  # the "sắp đến hạn" band of tracking.AGE_BANDS

# Share of the printed width per column (A4 landscape), in per cent; sums to 100.
COLUMN_PERCENT: tuple[int, ...] = (4, 27, 12, 10, 10, 9, 12, 6, 10)

# Marks that survive a black-and-white printer, explained under the table.
MARKS = {"due_soon": "(*)", "overdue": "(!)", "overdue_30": "(!!)"}
LEGEND = "(*) sắp đến hạn (trong 3 ngày); (!) quá hạn; (!!) quá hạn trên 30 ngày."
ONGOING = "Nhiệm vụ thường xuyên"
EMPTY_NOTE = "Không có nhiệm vụ nào phù hợp với điều kiện đã chọn."

_PAGE = 500  # rows fetched per query


@dataclass(frozen=True)
class ChecklistRow:
    """One line of the checklist; every field is the text printed in its column."""

    stt: int
    item_id: int
    task: str  # "Mục 1.a: <content>"
    directive: str  # "107/UBND-NC ngày 09/01/2021\nUBND tỉnh Quảng Ngãi", or "Nhiệm vụ của đơn vị"
    lead_unit: str
    coordinating_units: str  # one per line
    due: str  # "30/06/2025", the deadline as written when there is no date ("thường xuyên"), + the period
    status: str  # the bucket or age band with its mark: "Quá hạn (!)"
    status_detail: str  # "đã quá 12 ngày", "hoàn thành ngày 05/03/2025", ...
    bucket: str  # a key of tracking.BUCKETS
    band: str  # '' or a key of tracking.AGE_BANDS
    check: str = CHECKBOX
    notes: str = ""

    @property
    def cells(self) -> tuple[str, ...]:
        """The nine column texts, in CHECKLIST_COLUMNS order."""
        status = f"{self.status}\n{self.status_detail}" if self.status_detail else self.status
        return (
            str(self.stt),
            self.task,
            self.directive,
            self.lead_unit,
            self.coordinating_units,
            self.due,
            status,
            self.check,
            self.notes,
        )

    @property
    def overdue(self) -> bool:
        return self.bucket == "open_overdue"


def task_text(ref: str, content: str) -> str:
    """'Mục 1.a: <content>'; just the content when the task has no reference."""
    ref = ref.strip()
    content = content.strip()
    return f"Mục {ref}: {content}" if ref else content


def due_text(due: dt.date | None, deadline_text: str, period_label: str) -> str:
    """'30/06/2025', or the deadline as written when there is no date; the period on its own line."""
    text = dates.format_dmy(due) or deadline_text.strip() or "Không có hạn"
    if period_label:
        text += f"\n({period_label})"
    return text


def status_text(
    status: str, due: dt.date | None, completed: dt.date | None, today: dt.date
) -> tuple[str, str, str, str]:
    """(status words with their mark, detail line, bucket key, age band key) for one work item."""
    bucket = tracking.bucket(status, due, completed, today)
    band = tracking.age_band(status, due, today, SOON_DAYS)
    if bucket in ("done_on_time", "done_late"):
        detail = f"ngày {dates.format_dmy(completed)}" if completed else ""
        if bucket == "done_late" and due and completed:
            detail += f" (chậm {(completed - due).days} ngày)"
        return tracking.BUCKETS[bucket], detail, bucket, band
    if bucket == "open_overdue" and due is not None:  # its band is "overdue" or "overdue_30"
        return f"{tracking.AGE_BANDS[band]} {MARKS[band]}", f"đã quá {(today - due).days} ngày", bucket, band
    if band == "due_soon" and due is not None:
        days = (due - today).days
        detail = "đến hạn hôm nay" if days == 0 else f"còn {days} ngày"
        return f"Sắp đến hạn {MARKS['due_soon']}", detail, bucket, band
    return tracking.BUCKETS[bucket], "", bucket, band


def _ongoing(deadline_text: str) -> bool:
    """'thường xuyên': an ongoing duty, listed as such rather than as having no deadline (domain guide §7.2)."""
    return "thuong xuyen" in vntext.fold(deadline_text)


def _directive_text(row: dict[str, Any]) -> str:
    label = directive_label(row)
    issuer = (row.get("directive_issuer") or "").strip()
    return f"{label}\n{issuer}" if row.get("directive_id") is not None and issuer else label


def _units(text: str | None) -> str:
    try:
        units = json.loads(text or "[]")
    except ValueError:
        units = [text or ""]
    return "\n".join(unit.strip() for unit in units if isinstance(unit, str) and unit.strip())


def _rows_in_order(db: Database, query: TaskQuery) -> Iterator[dict[str, Any]]:
    ids = tables.task_item_ids(db.conn, query)
    for start in range(0, len(ids), _PAGE):
        page = ids[start : start + _PAGE]
        rows = tables.task_item_rows(db.conn, page)
        for item_id in page:
            yield rows[item_id]


def checklist_rows(db: Database, query: TaskQuery) -> list[ChecklistRow]:
    """The work items matching `query`, earliest due date first (items with no date last)."""
    today = query.today or dates.today()
    query = dataclasses.replace(query, sort="due", descending=False, today=today)
    found = []
    for stt, row in enumerate(_rows_in_order(db, query), start=1):
        due = dates.from_iso(row["due_date"])
        completed = dates.from_iso(row["completed_date"])
        status, detail, bucket, band = status_text(row["status"], due, completed, today)
        if bucket == "no_deadline" and _ongoing(row["deadline_text"]):
            status = ONGOING
        found.append(
            ChecklistRow(
                stt=stt,
                item_id=row["item_id"],
                task=task_text(row["ref"], row["content"]),
                directive=_directive_text(row),
                lead_unit=row["lead_unit"].strip(),
                coordinating_units=_units(row["coordinating_units"]),
                due=due_text(due, row["deadline_text"], row["period_label"]),
                status=status,
                status_detail=detail,
                bucket=bucket,
                band=band,
            )
        )
    return found


def summary_line(rows: Sequence[ChecklistRow]) -> str:
    """'Tổng số: 12 nhiệm vụ; quá hạn: 3 (trên 30 ngày: 1); sắp đến hạn: 2; đã hoàn thành: 4.'"""
    overdue = sum(row.overdue for row in rows)
    overdue_30 = sum(row.overdue and row.band == "overdue_30" for row in rows)
    soon = sum(row.band == "due_soon" for row in rows)
    done = sum(row.bucket in ("done_on_time", "done_late") for row in rows)
    text = f"Tổng số: {len(rows)} nhiệm vụ; quá hạn: {overdue}"
    if overdue_30:
        text += f" (trên 30 ngày: {overdue_30})"
    if soon:
        text += f"; sắp đến hạn: {soon}"
    if done:
        text += f"; đã hoàn thành: {done}"
    return text + "."


# --- what the clerk asked for -> query and title ----------------------------------------------------


def known_lead_units(db: Database) -> list[str]:
    """The lead units of the office's own tasks and the unit list, in Vietnamese order (for error messages)."""
    names: dict[str, str] = {}
    for (name,) in db.execute("SELECT name FROM units WHERE active = 1").fetchall():
        names.setdefault(vntext.fold_body_name(name), name)
    rows = db.execute(
        "SELECT min(lead_unit) FROM tasks WHERE concerns_office = 1 AND status != 'cancelled' "
        "AND lead_unit_fold != '' GROUP BY lead_unit_fold"
    ).fetchall()
    for (name,) in rows:
        names.setdefault(vntext.fold_body_name(name), name)
    return sorted(names.values(), key=vntext.sort_key)


def known_followers(db: Database) -> list[str]:
    rows = db.execute("SELECT DISTINCT follower FROM tasks WHERE follower != '' AND status != 'cancelled'")
    return sorted({name for (name,) in rows.fetchall()}, key=vntext.sort_key)


def _listing(names: Sequence[str], limit: int = 30) -> str:
    shown = "; ".join(names[:limit])
    return shown + (f"; … (và {len(names) - limit} tên khác)" if len(names) > limit else "")


def _loose(folded: str) -> str:
    """A folded name with its punctuation dropped: 'van phong thong ke' finds 'Văn phòng - Thống kê'."""
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def _find_unit(db: Database, name: str) -> tuple[str, str] | None:
    """(the key tasks are grouped by, a display name) for a unit name or alias, or None when unknown."""
    _, key = unit_key(db, name)
    if not key:
        return None
    names: dict[str, str] = {}
    rows = db.execute(
        "SELECT name_fold, name FROM units UNION ALL "
        "SELECT lead_unit_fold, min(lead_unit) FROM tasks WHERE lead_unit_fold != '' GROUP BY lead_unit_fold"
    ).fetchall()
    for fold, display in rows:
        names.setdefault(fold, display)
    if key in names:
        return key, names[key]
    near = [fold for fold in names if _loose(fold) == _loose(key)]
    return (near[0], names[near[0]]) if len(near) == 1 else None


def checklist_title(
    *,
    unit: str = "",
    person: str = "",
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    open_only: bool = False,
) -> str:
    """The title, then one line per filter: what the checklist covers."""
    lines = [CHECKLIST_TITLE]
    if unit:
        lines.append(f"Đơn vị chủ trì: {unit}")
    if person:
        lines.append(f"Người theo dõi: {person}")
    if due_from and due_to:
        lines.append(f"Hạn từ ngày {dates.format_dmy(due_from)} đến ngày {dates.format_dmy(due_to)}")
    elif due_from:
        lines.append(f"Hạn từ ngày {dates.format_dmy(due_from)}")
    elif due_to:
        lines.append(f"Hạn đến ngày {dates.format_dmy(due_to)}")
    if open_only:
        lines.append("Các nhiệm vụ chưa hoàn thành")
    return "\n".join(lines)


def checklist_query(
    db: Database,
    *,
    unit: str = "",
    person: str = "",
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[TaskQuery, str]:
    """The query and title for a checklist. With no period: every open item; with a period: every item due in
    it, done or not. A named unit or person also finds tasks that do not concern the office itself."""
    today = today or dates.today()
    if due_from and due_to and due_from > due_to:
        raise ParclerkError(
            f"Ngày bắt đầu {dates.format_dmy(due_from)} ở sau ngày kết thúc {dates.format_dmy(due_to)}."
        )
    unit_fold = unit_name = ""
    if unit.strip():
        found = _find_unit(db, unit)
        if found is None:
            raise ParclerkError(
                f"Không có đơn vị chủ trì “{vntext.clean_line(unit)}” trong danh sách nhiệm vụ. "
                f"Các đơn vị đã có: {_listing(known_lead_units(db)) or '(chưa có)'}."
            )
        unit_fold, unit_name = found
    follower = ""
    if person.strip():
        wanted = vntext.fold(person)
        followers = known_followers(db)
        matches = [name for name in followers if vntext.fold(name) == wanted] or [
            name for name in followers if _loose(vntext.fold(name)) == _loose(wanted)
        ]
        if not matches:
            raise ParclerkError(
                f"Không có người theo dõi “{vntext.clean_line(person)}” trong danh sách nhiệm vụ. "
                f"Những người đã có: {_listing(followers) or '(chưa có)'}."
            )
        follower = matches[0]
    open_only = due_from is None and due_to is None
    query = TaskQuery(
        unit=unit_fold,
        follower=follower,
        due_from=due_from,
        due_to=due_to,
        own_only=not (unit_fold or follower),
        open_only=open_only,
        today=today,
    )
    title = checklist_title(
        unit=unit_name, person=follower, due_from=due_from, due_to=due_to, open_only=open_only
    )
    return query, title


# --- HTML for QTextDocument -------------------------------------------------------------------------

_BODY_STYLE = "font-family: 'Times New Roman', 'Liberation Serif', serif; font-size: 12pt;"
_TABLE_PT = "10pt"
_SPACER = '<p style="margin: 0; font-size: 6pt;">&nbsp;</p>'


def _text(value: str) -> str:
    """User text, escaped, line breaks kept (\\r\\n and Word's vertical-tab soft breaks too)."""
    return "<br>".join(html.escape(line) for line in value.splitlines())


def _cell(content: str, *, align: str = "left", extra: str = "") -> str:
    return f'<td align="{align}" valign="top" style="font-size: {_TABLE_PT};{extra}">{content}</td>'


def _status_cell(row: ChecklistRow) -> str:
    words = html.escape(row.status)
    if row.overdue or row.band == "due_soon":
        words = f"<b>{words}</b>"
    if row.status_detail:
        words += f"<br><i>{html.escape(row.status_detail)}</i>"
    # A light grey behind the oldest debts: still grey, not black, on a monochrome printer.
    shade = " background-color: #d9d9d9;" if row.overdue and row.band == "overdue_30" else ""
    return _cell(words, extra=shade)


def _row_cells(row: ChecklistRow) -> Sequence[str]:
    return (
        _cell(str(row.stt), align="center"),
        _cell(_text(row.task)),
        _cell(_text(row.directive)),
        _cell(_text(row.lead_unit)),
        _cell(_text(row.coordinating_units)),
        _cell(_text(row.due), align="center"),
        _status_cell(row),
        f'<td align="center" valign="top" style="font-size: 13pt;">{row.check}</td>',
        _cell(_text(row.notes)),
    )


def _date_line(place: str, today: dt.date) -> str:
    day = dates.format_dmy(today)
    return f"{place}, ngày {day}" if place.strip() else f"Ngày {day}"


def checklist_html(db: Database, query: TaskQuery, title: str) -> str:
    """The checklist as one HTML document for QTextDocument (print it A4 landscape).

    `title`: the first line is the heading ("DANH SÁCH KIỂM TRA NHIỆM VỤ"), any further lines say what the
    list covers (unit, person, period); `checklist_query` and `checklist_title` build it.
    """
    today = query.today or dates.today()
    rows = checklist_rows(db, dataclasses.replace(query, today=today))
    profile = get_profile(db)
    return document_html(
        rows,
        title=title,
        office=profile.unit_name.strip().upper(),
        parent=profile.parent_name.strip().upper(),
        date_line=_date_line(profile.place_name, today),
    )


def document_html(
    rows: Sequence[ChecklistRow], *, title: str, office: str, parent: str, date_line: str
) -> str:
    heading, *covers = [
        line.strip() for line in (title.strip() or CHECKLIST_TITLE).splitlines() if line.strip()
    ]
    parts = [
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN">',
        "<html><head>",
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        f"<title>{html.escape(heading)}</title>",
        "</head>",
        f'<body style="{_BODY_STYLE}">',
    ]
    # The office on the left, the place and date on the right, as on an office form; no borders.
    office_lines = []
    if parent:
        office_lines.append(html.escape(parent))
    if office:
        office_lines.append(f"<b>{html.escape(office)}</b>")
    parts.append('<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>')
    parts.append(f'<td width="45%" align="center" valign="top">{"<br>".join(office_lines)}</td>')
    parts.append(f'<td width="55%" align="right" valign="top"><i>{html.escape(date_line)}</i></td>')
    parts.append("</tr></table>")
    parts.append(_SPACER)  # QTextDocument drops a paragraph's top margin after a table: spacers instead
    parts.append(f'<p align="center" style="margin: 0; font-size: 14pt;"><b>{html.escape(heading)}</b></p>')
    for line in covers:
        parts.append(f'<p align="center" style="margin: 0; font-size: 12pt;"><i>{html.escape(line)}</i></p>')
    parts.append(_SPACER)

    parts.append(
        '<table border="1" cellspacing="0" cellpadding="3" width="100%" '
        'style="border-collapse: collapse; border-color: #000000;">'
    )
    parts.append("<thead><tr>")
    parts.extend(
        f'<th width="{percent}%" align="center" valign="middle" style="font-size: {_TABLE_PT};">'
        f"<b>{html.escape(label)}</b></th>"
        for label, percent in zip(CHECKLIST_COLUMNS, COLUMN_PERCENT, strict=True)
    )
    parts.append("</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(_row_cells(row)) + "</tr>")
    if not rows:
        parts.append(
            f'<tr><td colspan="{len(CHECKLIST_COLUMNS)}" style="font-size: {_TABLE_PT};">'
            f"<i>{html.escape(EMPTY_NOTE)}</i></td></tr>"
        )
    parts.append("</tbody>")
    parts.append("</table>")
    parts.append(_SPACER)
    parts.append(f'<p style="margin: 0;"><b>{html.escape(summary_line(rows))}</b></p>')
    if rows:
        parts.append(f'<p style="margin: 0; font-size: 10pt;"><i>Ghi chú: {html.escape(LEGEND)}</i></p>')
    parts.append(_SPACER)
    parts.append(
        '<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>'
        '<td width="60%"></td>'
        '<td width="40%" align="center"><b>NGƯỜI LẬP</b><br><i>(Ký, ghi rõ họ tên)</i></td>'
        "</tr></table>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)
