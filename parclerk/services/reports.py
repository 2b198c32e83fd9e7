"""Reports the clerk sends upward: the narrative saved with each report (so the next period starts from it),
the outline of the periodic report (a setting, since provinces issue their own guidance), rendering to Word,
and the Sổ văn bản đi: a report that is issued takes the year's next number, and one that answers a task
closes it with that reference."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parclerk import dates, vntext
from parclerk.data.repo_directives import now_text
from parclerk.errors import NotFoundError, ValidationError
from parclerk.queries import Changes
from parclerk.reports import context
from parclerk.reports.document import Document
from parclerk.reports.periodic import DEFAULT_OUTLINE, Period, parse_outline, parse_period, periodic_document
from parclerk.services.settings import get_profile, get_setting, put_setting

if TYPE_CHECKING:
    from sqlite_utils import Database

OUTLINE_KEY = "periodic_report_outline"
KINDS = {
    "periodic": "Báo cáo định kỳ công tác CCHC",
    "assessment": "Báo cáo tự đánh giá Chỉ số CCHC",
    "directive": "Báo cáo kết quả thực hiện văn bản",
    "units": "Báo cáo kết quả thực hiện nhiệm vụ theo đơn vị",
}


# --- the outline and the narrative ------------------------------------------------------------------


def get_outline(db: Database) -> str:
    stored = get_setting(db, OUTLINE_KEY, "")
    return stored if isinstance(stored, str) and stored.strip() else DEFAULT_OUTLINE


def save_outline(db: Database, outline: str) -> Changes:
    """Keep the province's outline for the periodic reports to come (checked first; "" restores the default)."""
    if outline.strip():
        parse_outline(outline)
    with db.atomic():
        put_setting(db, OUTLINE_KEY, outline.strip() + "\n" if outline.strip() else "")
    return Changes(settings=True)


@dataclass(frozen=True)
class Draft:
    """A report being written: what the clerk wrote so far, and where it came from."""

    kind: str
    subject_key: str  # "2021-Q1", "2025" (the assessment year), the directive id, "2021-Q1" for units
    title: str
    narrative: dict[str, str]
    outline: str
    report_id: int | None  # None until saved
    started_from: str = ""  # the earlier report whose narrative this one starts from
    issued: tuple[str, ...] = ()  # numbers it was issued under ("12/BC-UBND")


def load_draft(db: Database, kind: str, subject_key: str, title: str = "") -> Draft:
    """The saved report, or a new one starting from the latest earlier report of the same kind."""
    if kind not in KINDS:
        raise ValidationError({"Loại báo cáo": f"Không có loại báo cáo “{kind}”."})
    row = db.execute(
        "SELECT id, title, narrative, outline FROM reports WHERE kind = ? AND subject_key = ?",
        [kind, subject_key],
    ).fetchone()
    outline = get_outline(db) if kind == "periodic" else ""
    if row is not None:
        report_id, saved_title, narrative, saved_outline = row
        issued = tuple(
            f"{number:02d}/{symbol}"
            for number, symbol in db.execute(
                "SELECT number, symbol FROM outgoing WHERE report_id = ? AND cancelled = 0 ORDER BY id",
                [report_id],
            )
        )
        return Draft(kind, subject_key, saved_title or title, json.loads(narrative), saved_outline or outline,
                     report_id, issued=issued)  # fmt: skip
    if kind != "directive":  # each directive's answer is its own; periods and years follow each other
        here = _order(kind, subject_key)
        earlier = [
            (_order(kind, key), key, narrative)
            for key, narrative in db.execute(
                "SELECT subject_key, narrative FROM reports WHERE kind = ?", [kind]
            )
        ]
        earlier = [entry for entry in earlier if entry[0] < here]
        if earlier:
            _when, key, narrative = max(earlier)
            return Draft(kind, subject_key, title, json.loads(narrative), outline, None, started_from=key)
    return Draft(kind, subject_key, title, {}, outline, None)


def _order(kind: str, key: str) -> tuple[dt.date, int]:
    """Reports of one kind in time order: a period by its end (quý I before 6 tháng), a year by itself."""
    if kind == "assessment":
        return dt.date(int(key), 12, 31), 0
    period = parse_period(key)
    return period.end, len(period.key)


def save_draft(db: Database, draft: Draft) -> SavedDraft:
    """Store the narrative (and, for a periodic report, the outline it was written against)."""
    narrative = {key: text.strip() for key, text in draft.narrative.items() if text and text.strip()}
    if draft.kind == "periodic":
        parse_outline(draft.outline)
    stamp = now_text()
    with db.atomic():
        db.execute(
            "INSERT INTO reports (kind, subject_key, title, narrative, outline, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, subject_key) DO UPDATE SET title = excluded.title, "
            "narrative = excluded.narrative, outline = excluded.outline, updated_at = excluded.updated_at",
            [draft.kind, draft.subject_key, vntext.clean_line(draft.title),
             json.dumps(narrative, ensure_ascii=False), draft.outline, stamp, stamp],
        )  # fmt: skip
        report_id = int(
            db.execute(
                "SELECT id FROM reports WHERE kind = ? AND subject_key = ?", [draft.kind, draft.subject_key]
            ).fetchone()[0]
        )
    return SavedDraft(report_id)


@dataclass(frozen=True)
class SavedDraft:
    report_id: int
    changes: Changes = field(default_factory=lambda: Changes(settings=True))


# --- building the document --------------------------------------------------------------------------


def periodic_period(db: Database, key: str) -> Period:
    from parclerk.services.tasks import get_tracking_settings

    return parse_period(key, cutoff_day=get_tracking_settings(db).cutoff_day)


def build_document(
    db: Database, draft: Draft, *, day: dt.date | None = None, number_symbol: str = ""
) -> Document:
    """The Word document of a draft, as it stands (no number: a draft with "Số:      /BC-UBND")."""
    if draft.kind == "periodic":
        return periodic_document(
            db, periodic_period(db, draft.subject_key), draft.narrative, outline=draft.outline, day=day,
            number_symbol=number_symbol,
        )  # fmt: skip
    if draft.kind == "assessment":
        from parclerk.reports.assessment_report import assessment_document
        from parclerk.services.assessment import assessment_for_year

        assessment_id = assessment_for_year(db, int(draft.subject_key))
        return assessment_document(
            db, assessment_id, day=day, number_symbol=number_symbol, narrative=draft.narrative
        )
    if draft.kind == "directive":
        from parclerk.reports.task_reports import directive_document

        return directive_document(
            db, int(draft.subject_key), day=day, number_symbol=number_symbol, narrative=draft.narrative
        )
    from parclerk.reports.task_reports import units_document

    period = periodic_period(db, draft.subject_key)
    return units_document(
        db,
        period.start,
        period.end,
        period.label,
        day=day,
        number_symbol=number_symbol,
        narrative=draft.narrative,
    )


def write_report(
    db: Database,
    draft: Draft,
    out_path: Path,
    *,
    issue: bool = False,
    day: dt.date | None = None,
    task_item_id: int | None = None,
) -> WrittenReport:
    """Save the draft and write the .docx. With `issue`, the report first takes the year's next number in
    the Sổ văn bản đi (and closes `task_item_id` with it); the number is kept only if the file is written."""
    from parclerk.reports.render import render_docx

    day = day or dates.today()
    profile = get_profile(db)
    context.require_profile(profile)
    with db.atomic():  # one transaction: the number is not taken by a report whose file failed
        report_id = save_draft(db, draft).report_id
        document = build_document(db, draft, day=day)
        number = ""
        if issue:
            entry = register_outgoing(
                db, subject=document.title, issued_date=day, symbol=context.symbol(profile), recipients=profile.reports_to,
                signer=profile.signer_name, report_id=report_id, task_item_id=task_item_id,
                file_name=Path(out_path).name,
            )  # fmt: skip
            number = entry.number_symbol
            letterhead = dataclasses.replace(document.letterhead, number_symbol=number)
            document = dataclasses.replace(document, letterhead=letterhead)
        render_docx(document, Path(out_path))
    return WrittenReport(Path(out_path), number, report_id)


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    number_symbol: str  # "" for a draft
    report_id: int
    changes: Changes = field(default_factory=lambda: Changes(tasks=True, settings=True))


# --- Sổ văn bản đi ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    id: int
    year: int
    number: int
    symbol: str
    doc_type: str
    issued_date: dt.date
    subject: str
    recipients: str
    signer: str
    report_id: int | None
    task_item_id: int | None
    file_name: str

    @property
    def number_symbol(self) -> str:
        return f"{self.number:02d}/{self.symbol}"


def register_outgoing(
    db: Database,
    *,
    subject: str,
    issued_date: dt.date,
    symbol: str,
    doc_type: str = "Báo cáo",
    recipients: str = "",
    signer: str = "",
    report_id: int | None = None,
    task_item_id: int | None = None,
    file_name: str = "",
) -> Outgoing:
    """Give an outgoing document the year's next number (one sequence a year, from 01 on 01 January)."""
    subject = vntext.clean_line(subject)
    symbol = vntext.clean_line(symbol).upper().lstrip("/")
    if not subject or not symbol:
        raise ValidationError({"Văn bản đi": "Văn bản đi cần trích yếu và ký hiệu."})
    year = issued_date.year
    with db.atomic():
        cursor = db.execute(  # the first statement writes: two clerks never take the same number
            "INSERT INTO outgoing (year, number, symbol, doc_type, issued_date, subject, recipients, signer, "
            "report_id, task_item_id, file_name, created_at) SELECT ?, coalesce(max(number), 0) + 1, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ? FROM outgoing WHERE year = ?",
            [year, symbol, doc_type, issued_date.isoformat(), subject, vntext.clean_line(recipients),
             vntext.clean_line(signer), report_id, task_item_id, file_name, now_text(), year],
        )  # fmt: skip
        entry = get_outgoing(db, int(cursor.lastrowid or 0))
        if task_item_id is not None:
            from parclerk.services.tasks import complete_items

            complete_items(
                db, [task_item_id], issued_date, reply_number=entry.number_symbol, overwrite=True,
                today=max(issued_date, dates.today()),
            )  # fmt: skip
    return entry


_OUTGOING_COLUMNS = "id, year, number, symbol, doc_type, issued_date, subject, recipients, signer, report_id, task_item_id, file_name"


def _outgoing(row) -> Outgoing:
    values = list(row)
    values[5] = dt.date.fromisoformat(values[5])
    return Outgoing(*values)


def get_outgoing(db: Database, outgoing_id: int) -> Outgoing:
    row = db.execute(f"SELECT {_OUTGOING_COLUMNS} FROM outgoing WHERE id = ?", [outgoing_id]).fetchone()
    if row is None:
        raise NotFoundError(f"Không tìm thấy văn bản đi mã {outgoing_id}.")
    return _outgoing(row)


def list_outgoing(db: Database, year: int) -> list[Outgoing]:
    """The Sổ văn bản đi of a year, by number."""
    rows = db.execute(f"SELECT {_OUTGOING_COLUMNS} FROM outgoing WHERE year = ? ORDER BY number", [year])
    return [_outgoing(row) for row in rows]


def answerable_items(db: Database, *, limit: int = 200) -> list[tuple[int, str]]:
    """Open work items of this office a report may answer: (item id, 'due date — task'), soonest first."""
    rows = db.execute(
        "SELECT i.id, i.due_date, i.period_label, t.content FROM task_items i JOIN tasks t ON t.id = i.task_id "
        "WHERE i.scope = 2 AND i.status = 'open' ORDER BY i.due_sort, i.id LIMIT ?",
        [limit],
    ).fetchall()
    result = []
    for item_id, due, period_label, content in rows:
        when = dates.format_dmy(due) if due else "chưa có hạn"
        label = f"{when} — {content[:90]}" + (f" ({period_label})" if period_label else "")
        result.append((int(item_id), label))
    return result


# --- what the editor shows --------------------------------------------------------------------------

FIXED_SECTIONS = {
    "assessment": (("danh_gia", "Đánh giá chung (sau phần kết quả)"), ("de_xuat", "III. Đề xuất, kiến nghị")),
    "directive": (("kho_khan", "II. Khó khăn, vướng mắc"), ("de_xuat", "III. Đề xuất, kiến nghị")),
    "units": (("danh_gia", "Đánh giá chung"), ("de_xuat", "Đề xuất, kiến nghị")),
}


@dataclass(frozen=True)
class Opened:
    draft: Draft
    title: str  # the report's trích yếu
    figures: str  # the computed figures in a line or two, for the editor
    sections: tuple[tuple[str, str], ...]  # (narrative key, label) in report order


def open_for_editing(db: Database, kind: str, chosen: str) -> Opened:
    """The draft of the report the clerk chose (a period key, a year, or a directive's number)."""
    from parclerk.criteria import format_percent, format_points
    from parclerk.reports.periodic import TITLE, periodic_figures, substitute

    if kind == "directive":
        from parclerk.reports.task_reports import directive_by_number

        key = str(directive_by_number(db, chosen))
    elif kind == "assessment":
        key = str(int(chosen))
    else:
        key = periodic_period(db, chosen).key
    draft = load_draft(db, kind, key)
    period = periodic_period(db, key) if kind in ("periodic", "units") else None
    # The periodic title needs no figures; the others come from their document (built once, here).
    title = (
        TITLE.format(period=period.label)
        if kind == "periodic" and period
        else build_document(db, draft).title
    )
    if period is not None:
        f = periodic_figures(db, period)
        figures = (
            f"Số liệu từ {dates.format_dmy(period.start)} đến {dates.format_dmy(period.end)}: {f.documents} văn bản "
            f"đến; {f.tasks} nhiệm vụ phải thực hiện, hoàn thành {f.on_time} đúng hạn và {f.late} quá hạn, "
            f"chưa hoàn thành {f.open} (quá hạn {f.overdue}). {f.index_line}"
        )
    elif kind == "assessment":
        from parclerk.services.assessment import assessment_for_year, totals

        t = totals(db, assessment_for_year(db, int(key)))
        figures = (
            f"Tự đánh giá: {format_points(t.achieved)}/{format_points(t.maximum)} điểm, chỉ số "
            f"{format_percent(t.index_percent)}"
            + (f", còn {len(t.unscored)} mục chưa chấm." if t.unscored else ".")
        )
    else:
        row = db.execute(
            "SELECT count(*), sum(i.status = 'done') FROM task_items i JOIN tasks t ON t.id = i.task_id "
            "WHERE t.directive_id = ?",
            [int(key)],
        ).fetchone()
        figures = f"{row[0] or 0} nhiệm vụ, đã hoàn thành {row[1] or 0}."
    if kind == "periodic" and period is not None:
        sections = tuple(
            (item.key, f"{'    ' * (item.level - 1)}{item.number} {substitute(item.heading, period)}"
             + (" [có số liệu]" if item.figures else ""))
            for item in parse_outline(draft.outline)
        )  # fmt: skip
    else:
        sections = FIXED_SECTIONS[kind]
    return Opened(dataclasses.replace(draft, title=title), title, figures, sections)


def preview_html(db: Database, draft: Draft) -> str:
    """The draft's pages as HTML for the on-screen preview."""
    from parclerk.reports.preview import document_html

    return document_html(build_document(db, draft))
