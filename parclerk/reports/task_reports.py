"""Reports on the tasks directives assign, as Decree 30 Documents for `render_docx`.

- `directive_document`: "BÁO CÁO / Kết quả thực hiện Công văn số 107/UBND-NC ngày 09/01/2021 của …",
  sent back to the directive's issuer: each task with its lead and coordinating units, deadline, result and
  progress notes, then a summary table, difficulties and proposals.
- `units_document`: the work items due or completed in a period, per lead unit (the five official buckets
  of `tracking.BUCKETS` and the on-time rate), the overdue items listed by unit in an annex.
- `directive_by_number`: the directive a clerk means by "107/ubnd-nc".

Statuses are counted as of the report's day with `tracking.bucket`, like the task list and the checklist.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parclerk import dates, glossary, tracking, vntext
from parclerk.errors import NotFoundError, ValidationError
from parclerk.reports import context
from parclerk.reports.document import Annex, Block, Document, Heading, Paragraph, Table

if TYPE_CHECKING:
    from sqlite_utils import Database

    from parclerk.models import Directive, OfficeProfile, Task

DIRECTIVE_TABLE_COLUMNS = ("STT", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Kết quả")
UNIT_TABLE_COLUMNS = (
    "STT",
    "Đơn vị",
    "Số nhiệm vụ",
    tracking.BUCKETS["done_on_time"],
    tracking.BUCKETS["done_late"],
    tracking.BUCKETS["open_in_time"],
    tracking.BUCKETS["open_overdue"],
    "Tỷ lệ hoàn thành đúng hạn",
)
UNIT_BUCKETS = ("done_on_time", "done_late", "open_in_time", "open_overdue")  # the table's columns
OVERDUE_TABLE_COLUMNS = ("STT", "Nhiệm vụ", "Văn bản giao", "Thời hạn", "Số ngày quá hạn")
NO_UNIT = "(Chưa xác định đơn vị chủ trì)"
HEADING_LIMIT = 160  # characters of a task's content in its heading ...
CELL_LIMIT = 110  # ... and in the summary table
_NOTE_DONE = re.compile(r"^Hoàn thành ngày \d{2}/\d{2}/\d{4}(, văn bản trả lời [^.]*)?\.\s*")


# --- finding a directive --------------------------------------------------------------------------


def directive_by_number(db: Database, number: str) -> int:
    """The id of the non-cancelled directive with this số, ký hiệu, compared without case or diacritics
    ("107/ubnd-nc" finds "107/UBND-NC"); of several, the latest issued (then received)."""
    wanted = vntext.fold(number)
    if not wanted:
        raise NotFoundError("Chưa nhập số, ký hiệu của văn bản cần báo cáo.")
    row = db.execute(
        "SELECT id FROM directives WHERE number_fold = ? AND cancelled = 0 "
        "ORDER BY issued_date DESC, ngay_den DESC, id DESC LIMIT 1",
        [wanted],
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"Không tìm thấy văn bản số “{vntext.clean_line(number)}” trong sổ văn bản đến "
            "(văn bản đã hủy không được tính). Hãy kiểm tra lại số, ký hiệu."
        )
    return int(row[0])


# --- wording ----------------------------------------------------------------------------------------

_BODY_WORDS = {"UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân"}


def body_name(name: str) -> str:
    """'UBND tỉnh Quảng Ngãi' -> 'Ủy ban nhân dân tỉnh Quảng Ngãi': a formal report spells bodies out."""
    text = vntext.clean_line(name)
    return re.sub(r"(?<![\w/-])(UBND|HĐND)(?![\w/-])", lambda m: _BODY_WORDS[m.group(1)], text)


def shorten(text: str, limit: int = HEADING_LIMIT) -> str:
    """The text on one line, cut at a word before `limit` characters with "…"."""
    text = vntext.clean_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–") + "…"


def document_reference(directive: Directive) -> str:
    """'Công văn số 107/UBND-NC ngày 09/01/2021 của Ủy ban nhân dân tỉnh Quảng Ngãi'."""
    text = vntext.clean_line(directive.doc_type) or "Văn bản"
    text += f" số {vntext.clean_line(directive.number)}" if directive.number.strip() else " (không số)"
    if directive.issued_date:
        text += f" ngày {dates.format_dmy(directive.issued_date)}"
    if directive.issuer.strip():
        text += f" của {body_name(directive.issuer)}"
    return text


def about(subject: str) -> str:
    """'V/v tham mưu …' -> 'về việc tham mưu …'; 'Kết luận của …' -> 'về kết luận của …'."""
    text = vntext.clean_line(subject).rstrip(".")
    match = re.match(r"^(v/v|về việc|ve viec)\s*[:.]?\s*", text, flags=re.IGNORECASE)
    if match:
        return "về việc " + text[match.end() :]
    if not text:
        return ""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return "về " + text


def _period(label: str) -> str:
    """'Quý I năm 2026' in running text: 'quý I năm 2026'."""
    label = vntext.clean_line(label)
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _narrative(narrative: Mapping[str, str] | None, key: str, default: str) -> str:
    text = (narrative or {}).get(key, "") or ""
    return text.strip() or default


def _recipients(profile: OfficeProfile) -> list[str]:
    lines = context.recipients(profile)
    return lines if lines[:1] == ["Như trên"] else ["Như trên", *lines]


# First words that are common nouns or adverbs, lower case inside a sentence (a body's name keeps its capital).
_COMMON_FIRST_WORDS = {
    "cac",
    "nhung",
    "hang",
    "chua",
    "cham",
    "trong",
    "truoc",
    "dinh",
    "khong",
    "thuong",
    "theo",
}


def lower_first(text: str) -> str:
    """'Hàng quý' -> 'hàng quý', 'Các cơ quan' -> 'các cơ quan' in running text; 'UBND', 'Sở …' stay."""
    text = vntext.clean_line(text)
    if text[1:2].islower() and vntext.fold(text.split(" ", 1)[0]) in _COMMON_FIRST_WORDS:
        return text[0].lower() + text[1:]
    return text


def _units_text(coordinating: Sequence[str]) -> str:
    return ", ".join(lower_first(unit) for unit in coordinating if unit.strip())


# --- a directive's tasks ----------------------------------------------------------------------------


@dataclass
class TaskResult:
    """One task of a directive with its work items, as the report words it."""

    task: Task
    items: list[dict[str, Any]] = field(default_factory=list)
    notes: list[tuple[dt.date, str]] = field(default_factory=list)
    state: str = "open_in_time"  # a key of tracking.BUCKETS for the whole task
    result: str = ""  # the sentence in section I
    short_result: str = ""  # the "Kết quả" cell


def _item_date(row: dict[str, Any], name: str) -> dt.date | None:
    return dates.from_iso(row.get(name))


def _deadline_words(task: Task, issued: dt.date | None = None) -> str:
    """'chậm nhất trong tháng 2/2021 (ngày 28/02/2021)', 'ngày 28/02/2021', 'hàng quý', 'không quy định'."""
    words = lower_first(task.deadline_text)
    day = dates.format_dmy(task.deadline)
    if task.recurrence:
        label = glossary.RECURRENCE_LABELS.get(task.recurrence, "").lower()
        return words or label or "định kỳ"
    early = ", trước ngày ban hành văn bản" if task.deadline and issued and task.deadline < issued else ""
    if words and day:
        return (
            f"{words}{f' ({early[2:]})' if early else ''}" if day in words else f"{words} (ngày {day}{early})"
        )
    if day:
        return f"ngày {day}{f' ({early[2:]})' if early else ''}"
    return words or "không quy định"


def _deadline_cell(task: Task) -> str:
    if task.recurrence:
        return glossary.RECURRENCE_LABELS.get(task.recurrence, "Định kỳ")
    if task.deadline:
        return dates.format_dmy(task.deadline)
    words = vntext.clean_line(task.deadline_text)
    return words[:1].upper() + words[1:] if words else "Không quy định"


def _reply(row: dict[str, Any]) -> str:
    reply = vntext.clean_line(row.get("reply_number") or "")
    return f" (văn bản số {reply})" if reply else ""


def _single_result(row: dict[str, Any], today: dt.date, ongoing: bool) -> tuple[str, str, str]:
    """(bucket, sentence, cell) for a task with one work item."""
    due, completed = _item_date(row, "due_date"), _item_date(row, "completed_date")
    bucket = tracking.bucket(row["status"], due, completed, today)
    done_day = dates.format_dmy(completed)
    if bucket == "done_on_time":
        if completed is None:
            return bucket, f"Đã hoàn thành{_reply(row)}.", "Đã hoàn thành"
        timing = ", đúng thời hạn" if due else ""
        return (
            bucket,
            f"Đã hoàn thành ngày {done_day}{_reply(row)}{timing}.",
            f"Hoàn thành ngày {done_day}" + (" (đúng hạn)" if due else ""),
        )
    if bucket == "done_late":
        late = (completed - due).days if completed and due else 0
        return (
            bucket,
            f"Đã hoàn thành ngày {done_day}{_reply(row)}, chậm {vntext.format_count(late)} ngày so với "
            "thời hạn.",
            f"Hoàn thành ngày {done_day} (chậm {vntext.format_count(late)} ngày)",
        )
    if bucket == "open_overdue" and due is not None:
        days = vntext.format_count((today - due).days)
        return (
            bucket,
            f"Chưa hoàn thành, đã quá hạn {days} ngày (tính đến ngày {dates.format_dmy(today)}).",
            f"Chưa hoàn thành, quá hạn {days} ngày",
        )
    if bucket == "open_in_time" and due is not None:
        return (
            bucket,
            f"Đang triển khai thực hiện, trong thời hạn (hạn ngày {dates.format_dmy(due)}).",
            "Đang thực hiện (trong hạn)",
        )
    if ongoing:
        return bucket, "Đang triển khai thực hiện (nhiệm vụ thường xuyên).", "Đang thực hiện (thường xuyên)"
    return bucket, "Đang triển khai thực hiện.", "Đang thực hiện"


def _recurring_result(rows: list[dict[str, Any]], today: dt.date, task: Task) -> tuple[str, str, str]:
    """(bucket, sentence, cell) for a duty with one work item per period."""
    tally: dict[str, list[dict[str, Any]]] = {key: [] for key in tracking.BUCKETS}
    for row in rows:
        key = tracking.bucket(
            row["status"], _item_date(row, "due_date"), _item_date(row, "completed_date"), today
        )
        tally[key].append(row)
    done = len(tally["done_on_time"]) + len(tally["done_late"])
    label = glossary.RECURRENCE_LABELS.get(task.recurrence or "", "định kỳ").lower()
    sentence = (
        f"Nhiệm vụ thực hiện định kỳ ({label}): đã thực hiện {done}/{len(rows)} kỳ "
        f"(đúng hạn {len(tally['done_on_time'])}, chậm {len(tally['done_late'])})"
    )
    cell = f"Đã thực hiện {done}/{len(rows)} kỳ"
    overdue = tally["open_overdue"]
    if overdue:
        periods = []
        for row in overdue[:6]:
            due = _item_date(row, "due_date")
            days = vntext.format_count((today - due).days) if due else "?"
            periods.append(f"{row.get('period_label') or dates.format_dmy(due)} (quá hạn {days} ngày)")
        more = f" và {len(overdue) - 6} kỳ khác" if len(overdue) > 6 else ""
        sentence += f"; chưa thực hiện: {', '.join(periods)}{more}"
        cell += f"; quá hạn {len(overdue)} kỳ"
    current = tally["open_in_time"]
    if current:
        row = current[0]
        period = vntext.clean_line(row.get("period_label") or "")
        sentence += f"; kỳ {period + ' ' if period else ''}đang thực hiện, hạn ngày {dates.format_dmy(row['due_date'])}"
    if overdue:
        state = "open_overdue"
    elif current:
        state = "open_in_time"
    elif tally["done_late"]:
        state = "done_late"
    else:
        state = "done_on_time" if done else "open_in_time"
    return state, sentence + ".", cell


def task_results(db: Database, directive_id: int, *, today: dt.date) -> list[TaskResult]:
    """The directive's tasks in their order: those that concern the office when it has any, else all of them
    (a directive to the province's departments is reported on as a whole); cancelled tasks are left out."""
    from parclerk.data import repo_tasks, tables
    from parclerk.queries import TaskQuery

    tasks = [task for task in repo_tasks.for_directive(db, directive_id) if task.status != "cancelled"]
    shown = [task for task in tasks if task.concerns_office] or tasks
    if not shown:
        return []
    query = TaskQuery(directive_id=directive_id, own_only=False, today=today)
    ids = tables.task_item_ids(db.conn, query)
    rows = tables.task_item_rows(db.conn, ids)
    results = {task.id: TaskResult(task) for task in shown}
    for item_id in ids:  # in due order
        row = rows[item_id]
        if row["task_id"] in results:
            results[row["task_id"]].items.append(row)
    marks = ", ".join("?" for _ in results)
    for task_id, day, note in db.execute(
        f"SELECT task_id, note_date, note FROM task_notes WHERE task_id IN ({marks}) ORDER BY note_date, id",
        list(results),
    ).fetchall():
        text = _NOTE_DONE.sub("", vntext.nfc(note).strip()).strip()
        if text:
            results[task_id].notes.append((dt.date.fromisoformat(day), text))
    for result in results.values():
        task = result.task
        ongoing = "thuong xuyen" in vntext.fold(task.deadline_text)
        if not result.items:
            result.state, result.result, result.short_result = (
                "open_in_time",
                "Chưa có thông tin theo dõi.",
                "Chưa có thông tin",
            )
        elif task.recurrence or len(result.items) > 1:
            result.state, result.result, result.short_result = _recurring_result(result.items, today, task)
        else:
            result.state, result.result, result.short_result = _single_result(result.items[0], today, ongoing)
    return [results[task.id] for task in shown]


def _assignment(result: TaskResult, issued: dt.date | None) -> str:
    task = result.task
    parts = []
    if task.ref.strip():
        parts.append(f"Nhiệm vụ tại mục {vntext.clean_line(task.ref)} của văn bản")
    lead = vntext.clean_line(task.lead_unit)
    parts.append(f"đơn vị chủ trì: {lead}" if lead else "chưa xác định đơn vị chủ trì")
    coordinating = _units_text(task.coordinating_units)
    if coordinating:
        parts.append(f"đơn vị phối hợp: {coordinating}")
    parts.append(f"thời hạn: {_deadline_words(task, issued)}")
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def _tally_sentence(results: Sequence[TaskResult]) -> str:
    counts = {key: sum(1 for r in results if r.state == key) for key in tracking.BUCKETS}
    done = counts["done_on_time"] + counts["done_late"]
    parts = []
    if done:
        parts.append(
            f"đã hoàn thành {context.count(done, 'nhiệm vụ')} (đúng hạn {counts['done_on_time']}, "
            f"quá hạn {counts['done_late']})"
        )
    in_progress = counts["open_in_time"] + counts["no_deadline"]
    if in_progress:
        parts.append(f"đang thực hiện {context.count(in_progress, 'nhiệm vụ')}")
    if counts["open_overdue"]:
        parts.append(f"quá hạn chưa hoàn thành {context.count(counts['open_overdue'], 'nhiệm vụ')}")
    return f"Tổng số {context.count(len(results), 'nhiệm vụ')}: " + "; ".join(parts) + "."


def directive_document(
    db: Database,
    directive_id: int,
    *,
    day: dt.date | None = None,
    number_symbol: str = "",
    narrative: Mapping[str, str] | None = None,
) -> Document:
    """The report on one directive, addressed to its issuer. `narrative` may hold "kho_khan" and "de_xuat"
    (sections II and III); empty ones get a sentence drawn from the figures. Statuses as of `day`."""
    from parclerk.services.directives import get_directive
    from parclerk.services.settings import get_profile

    profile = get_profile(db)
    context.require_profile(profile)
    today = day or dates.today()
    directive = get_directive(db, directive_id)
    unit = vntext.clean_line(profile.unit_name)
    reference = document_reference(directive)
    subject = about(directive.subject)
    results = task_results(db, directive_id, today=today)

    lead = f"Thực hiện {reference}" + (f" {subject}" if subject else "")
    blocks: list[Block] = [Paragraph(f"{lead}, {unit} báo cáo kết quả thực hiện như sau:")]
    blocks.append(Heading(1, "I. KẾT QUẢ THỰC HIỆN"))
    if not results:
        text = "Văn bản không có nhiệm vụ cụ thể được theo dõi trong sổ."
        if directive.handled_date:
            reply = (
                f" (văn bản số {directive.reply_number.strip()})" if directive.reply_number.strip() else ""
            )
            text += f" {unit} đã giải quyết xong ngày {dates.format_dmy(directive.handled_date)}{reply}."
        blocks.append(Paragraph(text))
    for number, result in enumerate(results, start=1):
        task = result.task
        blocks.append(Heading(2, f"{number}. {shorten(task.content)}"))
        blocks.append(Paragraph(_assignment(result, directive.issued_date)))
        blocks.append(Paragraph(f"Kết quả: {result.result}"))
        if result.notes:
            blocks.append(Paragraph("Tiến độ thực hiện:"))
            blocks += [Paragraph(f"- Ngày {dates.format_dmy(d)}: {note}") for d, note in result.notes]
    if results:
        blocks.append(Heading(2, f"{len(results) + 1}. Tổng hợp kết quả thực hiện"))
        blocks.append(Paragraph(_tally_sentence(results)))
        rows = [
            [
                str(number),
                shorten(r.task.content, CELL_LIMIT),
                vntext.clean_line(r.task.lead_unit),
                _deadline_cell(r.task),
                r.short_result,
            ]
            for number, r in enumerate(results, start=1)
        ]
        blocks.append(
            Table(
                DIRECTIVE_TABLE_COLUMNS,
                rows,
                widths_mm=[13, 66, 30, 24, 32],
                align=["center", "left", "left", "center", "left"],
            )
        )

    late = sum(1 for r in results if r.state in ("open_overdue", "done_late"))
    default_problems = (
        f"Còn {context.count(late, 'nhiệm vụ')} chưa hoàn thành hoặc hoàn thành chậm so với thời hạn yêu cầu."
        if late
        else "Không có khó khăn, vướng mắc phát sinh."
    )
    blocks.append(Heading(1, "II. KHÓ KHĂN, VƯỚNG MẮC"))
    blocks.append(Paragraph(_narrative(narrative, "kho_khan", default_problems)))
    blocks.append(Heading(1, "III. ĐỀ XUẤT, KIẾN NGHỊ"))
    blocks.append(Paragraph(_narrative(narrative, "de_xuat", "Không có đề xuất, kiến nghị.")))
    issuer = body_name(directive.issuer)
    short_reference = reference.split(" của ", 1)[0]
    blocks.append(
        Paragraph(
            f"Trên đây là báo cáo kết quả thực hiện {short_reference} của {unit}"
            + (f", kính gửi {issuer} xem xét, theo dõi." if issuer else ".")
        )
    )
    return Document(
        title=f"Kết quả thực hiện {reference}",
        letterhead=context.letterhead(profile, today, number_symbol or context.draft_symbol(profile, "BC")),
        signature=context.signature(profile),
        blocks=blocks,
        kinh_gui=[issuer] if issuer else [],
        recipients=_recipients(profile),
    )


# --- the units' results over a period ------------------------------------------------------------


@dataclass
class UnitTally:
    """A lead unit's work items in the period, by bucket, and its overdue items (oldest first)."""

    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(tracking.BUCKETS, 0))
    overdue: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_time_rate(self) -> str:
        return context.rate(self.counts["done_on_time"], self.total)


_UNIT_ROWS_SQL = """
    SELECT i.id AS item_id, i.period_label, i.due_date, i.status, i.completed_date, t.ref, t.content,
           t.lead_unit, t.lead_unit_fold, u.name AS unit_name, t.directive_id, d.number AS directive_number,
           d.issued_date AS directive_date, d.issuer AS directive_issuer
    FROM task_items i JOIN tasks t ON t.id = i.task_id
    LEFT JOIN units u ON u.id = t.lead_unit_id
    LEFT JOIN directives d ON d.id = t.directive_id
    WHERE i.scope = 2
      AND ((i.due_date BETWEEN :start AND :end) OR (i.completed_date BETWEEN :start AND :end))
"""


def unit_tallies(db: Database, start: dt.date, end: dt.date, *, today: dt.date) -> list[UnitTally]:
    """The office's own work items due or completed in [start, end], per lead unit in Vietnamese order (an
    item with no lead unit last), in one query."""
    cursor = db.execute(_UNIT_ROWS_SQL, {"start": start.isoformat(), "end": end.isoformat()})
    names = [d[0] for d in cursor.description]
    tallies: dict[str, UnitTally] = {}
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        key = row["lead_unit_fold"] or vntext.fold_body_name(row["lead_unit"])
        name = vntext.clean_line(row["unit_name"] or row["lead_unit"] or "") or NO_UNIT
        tally = tallies.setdefault(key, UnitTally(name))
        due = dates.from_iso(row["due_date"])
        bucket = tracking.bucket(row["status"], due, dates.from_iso(row["completed_date"]), today)
        tally.counts[bucket] += 1
        if bucket == "open_overdue":
            tally.overdue.append(row)
    for tally in tallies.values():
        tally.overdue.sort(key=lambda row: (row["due_date"] or "", row["item_id"]))
    return sorted(tallies.values(), key=lambda t: (t.name == NO_UNIT, vntext.sort_key(t.name)))


def _counts_sentence(total: dict[str, int], items: int) -> str:
    parts = [
        f"{tracking.BUCKETS[key].lower()}: {context.count(total[key], 'nhiệm vụ')} "
        f"({context.rate(total[key], items)})"
        for key in ("done_on_time", "done_late", "open_in_time", "open_overdue")
        if total[key]
    ]
    return "; ".join(parts)


def _overdue_rows(tally: UnitTally, today: dt.date) -> list[list[str]]:
    from parclerk.reports.checklist import task_text

    rows = []
    for number, row in enumerate(tally.overdue, start=1):
        due = dates.from_iso(row["due_date"])
        task = task_text(row["ref"] or "", row["content"] or "")
        if row["period_label"]:
            task += f" ({row['period_label']})"
        source = tracking.directive_label(row)
        if row["directive_id"] is not None and (row["directive_issuer"] or "").strip():
            source += f"\n{vntext.clean_line(row['directive_issuer'])}"
        days = vntext.format_count((today - due).days) if due else ""
        rows.append([str(number), shorten(task, 220), source, dates.format_dmy(due), days])
    return rows


def units_document(
    db: Database,
    start: dt.date,
    end: dt.date,
    period_label: str,
    *,
    day: dt.date | None = None,
    number_symbol: str = "",
    narrative: Mapping[str, str] | None = None,
) -> Document:
    """The office's tasks due or completed in [start, end] per lead unit, statuses as of `day` (default
    today). `period_label` names the period in the title ("quý I năm 2026", "năm 2025"). `narrative` may
    hold "danh_gia" (after the figures), "kho_khan" and "de_xuat"."""
    from parclerk.services.settings import get_profile

    if start > end:
        raise ValidationError(
            {
                "Kỳ báo cáo": f"Ngày bắt đầu {dates.format_dmy(start)} ở sau ngày kết thúc "
                f"{dates.format_dmy(end)}."
            }
        )
    profile = get_profile(db)
    context.require_profile(profile)
    today = day or dates.today()
    period = _period(period_label) or f"từ ngày {dates.format_dmy(start)} đến ngày {dates.format_dmy(end)}"
    unit = vntext.clean_line(profile.unit_name)
    tallies = unit_tallies(db, start, end, today=today)
    total = {key: sum(t.counts[key] for t in tallies) for key in tracking.BUCKETS}
    items = sum(total.values())
    span = f"từ ngày {dates.format_dmy(start)} đến ngày {dates.format_dmy(end)}"

    blocks: list[Block] = [
        Paragraph(
            f"{unit} báo cáo kết quả thực hiện các nhiệm vụ được giao {period} ({span}; số liệu tính đến "
            f"ngày {dates.format_dmy(today)}) như sau:"
        ),
        Heading(1, "I. KẾT QUẢ CHUNG"),
    ]
    if items:
        blocks.append(
            Paragraph(
                f"Trong kỳ có {context.count(items, 'nhiệm vụ')} đến hạn hoặc đã hoàn thành, do "
                f"{context.count(len(tallies), 'bộ phận, đơn vị')} chủ trì thực hiện; trong đó "
                f"{_counts_sentence(total, items)}."
            )
        )
    else:
        blocks.append(Paragraph("Trong kỳ không có nhiệm vụ nào đến hạn hoặc hoàn thành."))
    if (narrative or {}).get("danh_gia", "").strip():
        blocks.append(Paragraph((narrative or {})["danh_gia"].strip()))

    blocks.append(Heading(1, "II. KẾT QUẢ THEO ĐƠN VỊ CHỦ TRÌ"))
    if tallies:
        rows = [
            [
                str(number),
                t.name,
                vntext.format_count(t.total),
                *(vntext.format_count(t.counts[key]) for key in UNIT_BUCKETS),
                t.on_time_rate,
            ]
            for number, t in enumerate(tallies, start=1)
        ]
        rows.append(
            [
                "",
                "Tổng cộng",
                vntext.format_count(items),
                *(vntext.format_count(total[key]) for key in UNIT_BUCKETS),
                context.rate(total["done_on_time"], items),
            ]
        )
        blocks.append(
            Table(
                UNIT_TABLE_COLUMNS,
                rows,
                widths_mm=[12, 39, 16, 19, 19, 19, 19, 22],
                align=["center", "left", *["center"] * 6],
            )
        )
    else:
        blocks.append(Paragraph("Không có số liệu."))

    overdue_units = [t for t in tallies if t.overdue]
    blocks.append(Heading(1, "III. CÁC NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH"))
    annexes: list[Annex] = []
    if overdue_units:
        blocks.append(
            Paragraph(
                f"Đến ngày {dates.format_dmy(today)}, còn {context.count(total['open_overdue'], 'nhiệm vụ')} "
                "quá hạn chưa hoàn thành (chi tiết tại Phụ lục kèm theo), gồm:"
            )
        )
        blocks += [
            Paragraph(
                f"- {t.name}: {context.count(len(t.overdue), 'nhiệm vụ')}"
                + ("." if index == len(overdue_units) - 1 else ";")
            )
            for index, t in enumerate(overdue_units)
        ]
        annex_blocks: list[Block] = []
        for number, tally in enumerate(overdue_units, start=1):
            annex_blocks.append(Heading(2, f"{number}. {tally.name}"))
            annex_blocks.append(
                Table(
                    OVERDUE_TABLE_COLUMNS,
                    _overdue_rows(tally, today),
                    widths_mm=[13, 67, 40, 25, 20],
                    align=["center", "left", "left", "center", "center"],
                )
            )
        annexes.append(
            Annex(title=f"Danh sách nhiệm vụ quá hạn chưa hoàn thành {period}", blocks=annex_blocks)
        )
    else:
        blocks.append(Paragraph("Không có nhiệm vụ quá hạn chưa hoàn thành."))

    problems = []
    if total["open_overdue"]:
        problems.append(f"còn {context.count(total['open_overdue'], 'nhiệm vụ')} quá hạn chưa hoàn thành")
    if total["done_late"]:
        problems.append(f"{context.count(total['done_late'], 'nhiệm vụ')} hoàn thành chậm so với thời hạn")
    default_problems = (
        "Trong kỳ " + " và ".join(problems) + "." if problems else "Không có khó khăn, vướng mắc phát sinh."
    )
    blocks.append(Heading(1, "IV. KHÓ KHĂN, VƯỚNG MẮC"))
    blocks.append(Paragraph(_narrative(narrative, "kho_khan", default_problems)))
    blocks.append(Heading(1, "V. ĐỀ XUẤT, KIẾN NGHỊ"))
    blocks.append(Paragraph(_narrative(narrative, "de_xuat", "Không có đề xuất, kiến nghị.")))
    reports_to = vntext.clean_line(profile.reports_to)
    blocks.append(
        Paragraph(
            f"Trên đây là báo cáo kết quả thực hiện nhiệm vụ được giao {period} của {unit}"
            + (f", kính gửi {reports_to} theo dõi, chỉ đạo." if reports_to else ".")
        )
    )
    return Document(
        title=f"Kết quả thực hiện nhiệm vụ được giao {period}",
        letterhead=context.letterhead(profile, today, number_symbol or context.draft_symbol(profile, "BC")),
        signature=context.signature(profile),
        blocks=blocks,
        kinh_gui=[reports_to] if reports_to else [],
        recipients=context.recipients(profile),
        annexes=annexes,
    )
