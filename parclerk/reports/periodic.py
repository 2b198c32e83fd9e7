"""The periodic CCHC report (quý I, 6 tháng, quý III, năm): the period by the data cut-off rule, an outline
the clerk edits (provinces issue their own guidance), figures computed from the register and the tasks, the
narrative the clerk writes, and a numeric annex.

The outline is plain text, one heading per line, numbered as the report numbers them ("I.", "1.", "a)");
a marker in square brackets puts computed figures under a heading, and {kỳ tới} / {kỳ báo cáo} are replaced by
the period's name:

    I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH [số liệu văn bản]
    2. Về công tác chỉ đạo, điều hành [số liệu nhiệm vụ]
    IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {KỲ TỚI}
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parclerk import dates, vntext
from parclerk.errors import ValidationError
from parclerk.reports import context
from parclerk.reports.document import Annex, Block, Document, Heading, Paragraph, Table

if TYPE_CHECKING:
    from sqlite_utils import Database

# --- the period -------------------------------------------------------------------------------------

_KINDS = {
    "Q1": ("quý I năm {y}", 1, 3, "quý II năm {y}"),
    "H1": ("6 tháng đầu năm {y}", 1, 6, "6 tháng cuối năm {y}"),
    "Q3": ("quý III năm {y}", 7, 9, "quý IV năm {y}"),
    "": ("năm {y}", 1, 12, "năm {next}"),
}
PERIOD_CHOICES = {"Q1": "Quý I", "H1": "6 tháng", "Q3": "Quý III", "": "Năm"}


@dataclass(frozen=True)
class Period:
    key: str  # "2021-Q1", "2021-H1", "2021-Q3", "2021"
    label: str  # "quý I năm 2021"
    start: dt.date  # data from (the day after the cut-off of the month before)
    end: dt.date  # data to (the cut-off day of the period's last month)
    next_label: str  # "quý II năm 2021"

    @property
    def year(self) -> int:
        return int(self.key[:4])


def parse_period(key: str, *, cutoff_day: int = 14) -> Period:
    """'2021-Q1' -> quý I năm 2021, data 15/12/2020-14/03/2021 (cut-off on the 14th: Nghị định 09/2019)."""
    match = re.fullmatch(r"\s*(\d{4})(?:-(Q1|H1|Q3))?\s*", (key or "").upper())
    if not match:
        raise ValidationError(
            {"Kỳ báo cáo": f"Kỳ báo cáo “{key}” không hợp lệ: dùng 2021-Q1 (quý I), 2021-H1 (6 tháng), "
             "2021-Q3 (quý III) hoặc 2021 (cả năm)."}
        )  # fmt: skip
    year, kind = int(match.group(1)), match.group(2) or ""
    label, first, last, following = _KINDS[kind]
    start_month = dt.date(year, first, 1) - dt.timedelta(days=1)  # the month before the period
    start = dates.clamp_day(start_month.year, start_month.month, cutoff_day) + dt.timedelta(days=1)
    end = dates.clamp_day(year, last, cutoff_day)
    return Period(
        f"{year}-{kind}" if kind else str(year),
        label.format(y=year),
        start,
        end,
        following.format(y=year, next=year + 1),
    )


# --- the outline ------------------------------------------------------------------------------------

FIGURES = {
    "số liệu văn bản": "documents",
    "số liệu nhiệm vụ": "tasks",
    "chỉ số cchc": "index",
}
_SUBSTITUTIONS = ("kỳ tới", "kỳ báo cáo")

DEFAULT_OUTLINE = """\
I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH [số liệu văn bản]
1. Về kế hoạch cải cách hành chính
2. Về công tác chỉ đạo, điều hành [số liệu nhiệm vụ]
3. Công tác kiểm tra cải cách hành chính
4. Công tác tuyên truyền cải cách hành chính
5. Sáng kiến, mô hình mới
II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH
1. Cải cách thể chế
2. Cải cách thủ tục hành chính
3. Cải cách tổ chức bộ máy hành chính
4. Cải cách chế độ công vụ
5. Cải cách tài chính công
6. Xây dựng chính quyền điện tử, chính quyền số
III. ĐÁNH GIÁ CHUNG [chỉ số CCHC]
1. Ưu điểm
2. Tồn tại, hạn chế và nguyên nhân
IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {KỲ TỚI}
V. ĐỀ XUẤT, KIẾN NGHỊ
"""


@dataclass(frozen=True)
class OutlineItem:
    level: int  # 1 "I.", 2 "1.", 3 "a)"
    number: str  # "I.", "2.", "a)"
    heading: str  # the text after the number, markers removed, substitutions still as written
    key: str  # where its narrative is saved: the heading folded ("cong-tac-kiem-tra-cai-cach-hanh-chinh")
    figures: tuple[str, ...]  # values of FIGURES


_NUMBER = re.compile(
    r"^(?P<number>(?P<roman>[IVXLC]+\.)|(?P<arabic>\d+(?:\.\d+)*\.)|(?P<letter>[a-zđ]\)))\s*"
)


def parse_outline(text: str) -> list[OutlineItem]:
    """The clerk's outline -> items; every problem is listed with its line number."""
    items: list[OutlineItem] = []
    problems: dict[str, str] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = vntext.clean_line(raw)
        if not line:
            continue
        match = _NUMBER.match(line)
        if not match:
            problems[f"Dòng {number}"] = (
                f"Dòng {number}: “{line[:60]}” chưa có số thứ tự (I., 1. hoặc a) ở đầu dòng)."
            )
            continue
        level = 1 if match.group("roman") else 2 if match.group("arabic") else 3
        rest = line[match.end() :]
        figures = []
        for marker in re.findall(r"\[([^\]]*)\]", rest):
            kind = FIGURES.get(vntext.clean_line(marker).lower())
            if kind is None:
                known = ", ".join(
                    f"[{name}]" for name in ("số liệu văn bản", "số liệu nhiệm vụ", "chỉ số CCHC")
                )
                problems[f"Dòng {number}"] = f"Dòng {number}: không hiểu “[{marker}]” (dùng {known})."
            else:
                figures.append(kind)
        for name in re.findall(r"\{([^}]*)\}", rest):
            if vntext.clean_line(name).lower() not in _SUBSTITUTIONS:
                problems[f"Dòng {number}"] = (
                    f"Dòng {number}: không hiểu “{{{name}}}” (dùng {{kỳ tới}} hoặc {{kỳ báo cáo}})."
                )
        heading = vntext.clean_line(re.sub(r"\[[^\]]*\]", "", rest))
        if not heading:
            problems[f"Dòng {number}"] = f"Dòng {number}: chưa có tên mục."
            continue
        key = "-".join(re.findall(r"[a-z0-9]+", vntext.fold(re.sub(r"\{[^}]*\}", "", heading))))
        items.append(OutlineItem(level, match.group("number"), heading, key, tuple(figures)))
    if not items and not problems:
        problems["Dàn ý"] = "Dàn ý báo cáo đang trống."
    keys = [item.key for item in items]
    for item in items:
        if keys.count(item.key) > 1:
            problems[item.key] = f"Mục “{item.heading}” có hai lần trong dàn ý; hãy đặt tên khác nhau."
    if problems:
        raise ValidationError(problems)
    return items


def substitute(text: str, period: Period) -> str:
    """{kỳ tới} / {KỲ TỚI} -> the next period's name, upper case when the marker is."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        value = period.next_label if vntext.clean_line(name).lower() == "kỳ tới" else period.label
        return value.upper() if name.isupper() else value

    return re.sub(r"\{([^}]*)\}", one, text)


# --- the figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    total: int
    on_time: int
    late: int
    open: int
    overdue: int


@dataclass(frozen=True)
class PeriodicFigures:
    documents: int
    documents_by_type: tuple[tuple[str, int], ...]  # (type, count), most first
    tasks: int  # work items to carry out in the period (due in it, or carried over still open)
    carried_over: int
    on_time: int
    late: int
    open: int  # not done by the end of the period
    overdue: int  # of those, past their deadline at the end
    no_deadline: int  # open items without a deadline
    by_unit: tuple[UnitFigures, ...]
    index_line: str  # the latest self-assessment in words, or ""


def periodic_figures(db: Database, period: Period) -> PeriodicFigures:
    """Counted in SQL over indexed columns: a year of 5,000 tasks is a few milliseconds."""
    start, end = period.start.isoformat(), period.end.isoformat()
    by_type = db.execute(
        "SELECT CASE doc_type WHEN '' THEN 'Văn bản khác' ELSE doc_type END AS t, count(*) FROM directives "
        "WHERE ngay_den BETWEEN ? AND ? AND cancelled = 0 GROUP BY t ORDER BY count(*) DESC, t",
        [start, end],
    ).fetchall()
    # In scope: this office's items due by the end of the period and not done before it began, plus open
    # items without a deadline created by the end.
    rows = db.execute(
        """
        SELECT coalesce(nullif(t.lead_unit, ''), '(chưa ghi đơn vị chủ trì)') AS unit,
               count(*),
               sum(i.due_date < ?),
               sum(i.status = 'done' AND i.completed_date <= ? AND (i.due_date IS NULL OR i.completed_date <= i.due_date)),
               sum(i.status = 'done' AND i.completed_date <= ? AND i.due_date IS NOT NULL AND i.completed_date > i.due_date),
               sum(NOT (i.status = 'done' AND i.completed_date <= ?)),
               sum(NOT (i.status = 'done' AND i.completed_date <= ?) AND i.due_date < ?),
               sum(NOT (i.status = 'done' AND i.completed_date <= ?) AND i.due_date IS NULL)
        FROM task_items i JOIN tasks t ON t.id = i.task_id
        WHERE i.scope = 2
          AND ((i.due_date IS NOT NULL AND i.due_date <= ?) OR (i.due_date IS NULL AND substr(i.created_at, 1, 10) <= ?))
          AND NOT (i.status = 'done' AND i.completed_date < ?)
        GROUP BY unit
        """,
        [start, end, end, end, end, end, end, end, end, start],
    ).fetchall()  # fmt: skip
    units = sorted(
        (
            UnitFigures(unit, n, on_time or 0, late or 0, open_ or 0, overdue or 0)
            for unit, n, _carried, on_time, late, open_, overdue, _nodue in rows
        ),  # fmt: skip
        key=lambda u: vntext.sort_key(u.unit),
    )
    total = sum(row[1] for row in rows)
    return PeriodicFigures(
        documents=sum(n for _t, n in by_type),
        documents_by_type=tuple((t, int(n)) for t, n in by_type),
        tasks=total,
        carried_over=sum(row[2] or 0 for row in rows),
        on_time=sum(u.on_time for u in units),
        late=sum(u.late for u in units),
        open=sum(u.open for u in units),
        overdue=sum(u.overdue for u in units),
        no_deadline=sum(row[7] or 0 for row in rows),
        by_unit=tuple(units),
        index_line=_index_line(db, period),
    )


def _index_line(db: Database, period: Period) -> str:
    from parclerk.criteria import format_percent, format_points
    from parclerk.services.assessment import view_assessment

    row = db.execute(
        "SELECT id FROM assessments WHERE year <= ? ORDER BY year DESC, id DESC LIMIT 1", [period.year]
    ).fetchone()
    if row is None:
        return ""
    view = view_assessment(db, int(row[0]))
    t, a = view.totals, view.appraised_totals
    line = (
        f"Kết quả tự đánh giá Chỉ số cải cách hành chính năm {view.year}: {format_points(t.achieved)}/"
        f"{format_points(t.maximum)} điểm, đạt {format_percent(t.index_percent)}"
        + (f", xếp loại {t.classification}" if t.classification and not t.unscored else "")
    )
    if t.unscored:
        line += f" (còn {context.count(len(t.unscored), 'tiêu chí')} chưa tự chấm)"
    if any(r.appraised_score is not None for r in view.rows):
        line += (
            f"; điểm thẩm định {format_points(a.achieved)} điểm, đạt {format_percent(a.index_percent)}"
            + (f", xếp loại {a.classification}" if a.classification else "")
        )
    return line + "."


# --- the document -----------------------------------------------------------------------------------

TITLE = "Kết quả thực hiện công tác cải cách hành chính {period}"


def periodic_document(
    db: Database,
    period: Period,
    narrative: dict[str, str],
    *,
    outline: str = DEFAULT_OUTLINE,
    day: dt.date | None = None,
    number_symbol: str = "",
) -> Document:
    from parclerk.services.settings import get_profile

    profile = get_profile(db)
    context.require_profile(profile)
    items = parse_outline(outline)
    figures = periodic_figures(db, period)
    day = day or dates.today()
    unit = profile.unit_name
    blocks: list[Block] = [
        Paragraph(
            f"Thực hiện chế độ báo cáo định kỳ về công tác cải cách hành chính, {unit} báo cáo kết quả thực hiện "
            f"công tác cải cách hành chính {period.label} (số liệu từ ngày {dates.format_dmy(period.start)} đến "
            f"ngày {dates.format_dmy(period.end)}) như sau:"
        )
    ]
    for item in items:
        blocks.append(Heading(item.level, f"{item.number} {substitute(item.heading, period)}"))
        for kind in item.figures:
            blocks.extend(_figure_blocks(kind, figures, period, unit))
        text = (narrative.get(item.key) or "").strip()
        if text:
            blocks.extend(Paragraph(part) for part in text.splitlines() if part.strip())
    blocks.append(
        Paragraph(
            f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {period.label} của {unit}."
        )
    )
    return Document(
        title=TITLE.format(period=period.label),
        letterhead=context.letterhead(profile, day, number_symbol or context.draft_symbol(profile)),
        signature=context.signature(profile),
        blocks=tuple(blocks),
        kinh_gui=(profile.reports_to,) if profile.reports_to else (),
        recipients=tuple(context.recipients(profile)),
        annexes=(_annex(figures, period),),
    )


def _figure_blocks(kind: str, f: PeriodicFigures, period: Period, unit: str) -> list[Block]:
    if kind == "documents":
        types = "; ".join(f"{t.lower()}: {n}" for t, n in f.documents_by_type[:6])
        text = (
            f"Trong kỳ, {unit} đã tiếp nhận, vào sổ và xử lý {context.count(f.documents, 'văn bản đến')}"
            + (f" ({types}{'; …' if len(f.documents_by_type) > 6 else ''})." if types else ".")
        )
        return [Paragraph(text)]
    if kind == "tasks":
        done = f.on_time + f.late
        text = (
            f"Tổng số nhiệm vụ phải thực hiện trong kỳ: {f.tasks}"
            + (
                f" (trong đó {context.count(f.carried_over, 'nhiệm vụ')} kỳ trước chuyển sang)"
                if f.carried_over
                else ""
            )
            + f"; đã hoàn thành {done} ({f.on_time} đúng hạn, {f.late} quá hạn), tỷ lệ hoàn thành đúng hạn "
            f"{context.rate(f.on_time, f.tasks)}; chưa hoàn thành {f.open}"
            + (f", trong đó {f.overdue} nhiệm vụ đã quá hạn" if f.overdue else "")
            + (f" và {f.no_deadline} nhiệm vụ chưa có thời hạn" if f.no_deadline else "")
            + "."
        )
        blocks: list[Block] = [Paragraph(text)]
        if f.by_unit:
            blocks.append(Paragraph("Kết quả theo đơn vị chủ trì:"))
            blocks.append(_unit_table(f))
        return blocks
    if kind == "index":
        return [Paragraph(f.index_line)] if f.index_line else []
    return []


def _unit_table(f: PeriodicFigures) -> Table:
    rows = [
        [str(n), u.unit, str(u.total), str(u.on_time), str(u.late), str(u.open), str(u.overdue)]
        for n, u in enumerate(f.by_unit, start=1)
    ]
    rows.append(["", "Tổng cộng", str(f.tasks), str(f.on_time), str(f.late), str(f.open), str(f.overdue)])
    return Table(
        columns=(
            "STT",
            "Đơn vị chủ trì",
            "Số nhiệm vụ",
            "Đúng hạn",
            "Quá hạn",
            "Chưa hoàn thành",
            "Trong đó quá hạn",
        ),
        rows=tuple(tuple(row) for row in rows),
        widths_mm=(12, 50, 20, 18, 18, 24, 23),
        align=("center", "left", "center", "center", "center", "center", "center"),
    )


def _annex(f: PeriodicFigures, period: Period) -> Annex:
    done = f.on_time + f.late
    rows = [
        ("1", "Văn bản đến được vào sổ, xử lý", "Văn bản", str(f.documents)),
        ("2", "Nhiệm vụ phải thực hiện trong kỳ", "Nhiệm vụ", str(f.tasks)),
        ("", "- Trong đó, kỳ trước chuyển sang", "Nhiệm vụ", str(f.carried_over)),
        ("3", "Nhiệm vụ đã hoàn thành", "Nhiệm vụ", str(done)),
        ("", "- Hoàn thành đúng hạn", "Nhiệm vụ", str(f.on_time)),
        ("", "- Hoàn thành quá hạn", "Nhiệm vụ", str(f.late)),
        ("4", "Nhiệm vụ chưa hoàn thành", "Nhiệm vụ", str(f.open)),
        ("", "- Trong đó, đã quá hạn", "Nhiệm vụ", str(f.overdue)),
        ("5", "Tỷ lệ hoàn thành đúng hạn", "%", context.rate(f.on_time, f.tasks)),
    ]
    return Annex(
        title=f"SỐ LIỆU CÔNG TÁC CẢI CÁCH HÀNH CHÍNH {period.label.upper()}",
        blocks=(
            Table(
                columns=("STT", "Nội dung", "Đơn vị tính", "Số liệu"),
                rows=tuple(rows),
                widths_mm=(12, 100, 25, 28),
                align=("center", "left", "center", "center"),
            ),
        ),
    )
