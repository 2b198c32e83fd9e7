"""The BÁO CÁO "Tự đánh giá, xác định Chỉ số cải cách hành chính năm YYYY" as a Decree 30 Document.

Body: I. the result (points, index, classification; survey points apart; what is still unscored) with a
table by field; II. the criteria below their maximum, grouped by field, with the explanations; III. the
proposals. Annex I is the full scoring table, annex II the confirmed evidence (suggestions carried over from
last year are not evidence yet). Figures come from `services.assessment`, so the report and the scoring
screen agree; points print as the provinces write them ("0,5", "31,5", "88,37%").

The engine's Table has no bold cells: field rows are told apart by their upper-case titles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from parclerk import dates, vntext
from parclerk.criteria import format_percent, format_points, percent
from parclerk.reports import context
from parclerk.reports.document import Align, Annex, Block, Document, Heading, Paragraph, Table

if TYPE_CHECKING:
    from sqlite_utils import Database

    from parclerk.services.assessment import AssessmentView, Evidence, ItemRow, LostItem, Totals

SUMMARY_COLUMNS = ("STT", "Lĩnh vực", "Điểm tối đa", "Điểm tự đánh giá", "Tỷ lệ (%)")
LOST_COLUMNS = ("Mã", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Giải trình")
SCORE_COLUMNS = (
    "STT/Mã",
    "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "Điểm tối đa",
    "Điểm tự đánh giá",
    "Số tài liệu kiểm chứng",
)
EVIDENCE_COLUMNS = ("STT", "Mã tiêu chí", "Tài liệu kiểm chứng", "Mục/trang", "Ngày")
APPRAISED = "Điểm thẩm định"
OUT_OF_YEAR = "(ngoài năm đánh giá)"
_UNSCORED_LISTED = 20  # codes named in the unscored sentence before "…"


def assessment_document(
    db: Database,
    assessment_id: int,
    *,
    day: dt.date | None = None,
    number_symbol: str = "",
    narrative: Mapping[str, str] | None = None,
) -> Document:
    """The self-assessment report of one assessment, ready for `render_docx`.

    `narrative` may hold "danh_gia" (a paragraph after section I) and "de_xuat" (section III); an empty or
    missing "de_xuat" gives a default request for appraisal. Raises ValidationError when the office profile
    has no name or place, NotFoundError for an unknown assessment.
    """
    from parclerk.services.assessment import assessment_set, list_evidence, lost_points, view_assessment
    from parclerk.services.settings import get_profile

    profile = get_profile(db)
    context.require_profile(profile)
    narrative = narrative or {}
    view = view_assessment(db, assessment_id)
    criteria_set = assessment_set(db, assessment_id)
    lost = [item for item in lost_points(db, assessment_id) if "below" in item.reasons]
    evidence = [item for item in list_evidence(db, assessment_id) if not item.suggested]
    unit = vntext.clean_line(view.unit_name) or vntext.clean_line(profile.unit_name)
    reports_to = vntext.clean_line(profile.reports_to)
    appraised = any(row.appraised_score is not None and not row.criterion.survey for row in view.rows)

    guidance = f"hướng dẫn của {reports_to}" if reports_to else "hướng dẫn của cơ quan có thẩm quyền"
    lead = (
        f"Thực hiện {guidance} về việc tự đánh giá, xác định Chỉ số cải cách hành chính năm {view.year}, "
        f"{unit} đã tổ chức tự đánh giá, chấm điểm {set_basis(view.set_name, criteria_set.source, view.sample)} "
        "và báo cáo kết quả như sau:"
    )
    blocks: list[Block] = [Paragraph(lead)]

    blocks.append(Heading(1, "I. KẾT QUẢ TỰ ĐÁNH GIÁ"))
    blocks += [Paragraph(text) for text in result_sentences(view, appraised=appraised)]
    blocks.append(field_table(view, appraised=appraised))
    if narrative.get("danh_gia", "").strip():
        blocks.append(Paragraph(narrative["danh_gia"].strip()))

    blocks.append(Heading(1, "II. CÁC TIÊU CHÍ CHƯA ĐẠT ĐIỂM TỐI ĐA"))
    blocks += lost_blocks(lost)

    blocks.append(Heading(1, "III. ĐỀ XUẤT, KIẾN NGHỊ"))
    proposal = narrative.get("de_xuat", "").strip()
    if not proposal:
        proposal = (
            f"Đề nghị {reports_to or 'cơ quan có thẩm quyền'} xem xét, thẩm định kết quả tự đánh giá, xác định "
            f"Chỉ số cải cách hành chính năm {view.year} của {unit}."
        )
    blocks.append(Paragraph(proposal))
    closing = (
        f"Trên đây là báo cáo kết quả tự đánh giá, xác định Chỉ số cải cách hành chính năm {view.year} của "
        f"{unit}, kèm theo Bảng điểm tự đánh giá (Phụ lục I) và Danh mục tài liệu kiểm chứng (Phụ lục II)"
    )
    closing += f", kính gửi {reports_to} xem xét, thẩm định." if reports_to else "."
    blocks.append(Paragraph(closing))

    annexes = (
        Annex(
            number="I",
            title=f"Bảng điểm tự đánh giá, xác định Chỉ số cải cách hành chính năm {view.year}",
            blocks=score_blocks(view, appraised=appraised),
        ),
        Annex(number="II", title="Danh mục tài liệu kiểm chứng", blocks=evidence_blocks(view, evidence)),
    )
    return Document(
        title=f"Tự đánh giá, xác định Chỉ số cải cách hành chính năm {view.year}",
        letterhead=context.letterhead(
            profile, day or dates.today(), number_symbol or context.draft_symbol(profile, "BC")
        ),
        signature=context.signature(profile),
        blocks=blocks,
        kinh_gui=[reports_to] if reports_to else [],
        recipients=context.recipients(profile),
        annexes=annexes,
    )


def set_basis(name: str, source: str, sample: bool) -> str:
    """'theo Bộ chỉ số ban hành kèm theo QĐ 2211/QĐ-UBND …', or the set's name when its source is unknown."""
    name, source = vntext.clean_line(name), vntext.clean_line(source)
    if sample:
        return "theo bộ chỉ số mẫu (minh họa) của phần mềm"
    if source:
        return f"theo Bộ chỉ số ban hành kèm theo {source}"
    return f"theo {name}" if name else "theo Bộ chỉ số cải cách hành chính được ban hành"


# --- numbers --------------------------------------------------------------------------------------


def number_text(value: Decimal) -> str:
    """Decimal('88.37') -> '88,37' (in a column headed "(%)")."""
    return f"{value:.2f}".replace(".", ",")


def points_of(achieved: int, maximum: int) -> str:
    """'53,5/100 điểm'."""
    return f"{format_points(achieved)}/{format_points(maximum)} điểm"


# --- section I ------------------------------------------------------------------------------------


def _survey_maximum(view: AssessmentView) -> int:
    parents = {row.criterion.parent_code for row in view.rows}
    return sum(
        row.criterion.maximum
        for row in view.rows
        if row.criterion.survey and row.criterion.code not in parents and row.criterion.kind == "item"
    )


def result_sentences(view: AssessmentView, *, appraised: bool) -> list[str]:
    """Total, index and classification; the survey points apart; what is still unscored; the appraisal."""
    own: Totals = view.totals
    theirs: Totals = view.appraised_totals
    classification = own.classification or "chưa xếp loại"
    sentences = [
        f"Tổng điểm tự đánh giá: {points_of(own.achieved, own.maximum)}; Chỉ số cải cách hành chính tự "
        f"đánh giá đạt {format_percent(own.index_percent)}; xếp loại: {classification}."
    ]
    survey_max = _survey_maximum(view)
    if survey_max:
        if own.survey_points:
            survey = f"{format_points(own.survey_points)} điểm"
        elif theirs.survey_points:
            survey = f"{format_points(theirs.survey_points)} điểm (theo kết quả thẩm định)"
        else:
            survey = "chưa có kết quả"
        sentences.append(
            f"Điểm điều tra xã hội học (tối đa {format_points(survey_max)} điểm) do cơ quan có thẩm quyền "
            f"đánh giá, được tính riêng: {survey}. Điểm các tiêu chí do đơn vị tự đánh giá: "
            f"{points_of(own.achieved - own.survey_points, own.maximum - survey_max)}."
        )
    if own.unscored:
        codes = ", ".join(own.unscored[:_UNSCORED_LISTED])
        if len(own.unscored) > _UNSCORED_LISTED:
            codes += ", …"
        sentences.append(
            f"Còn {context.count(len(own.unscored), 'tiêu chí')} chưa tự chấm điểm (mã: {codes}); điểm của các "
            "tiêu chí này chưa được tính vào tổng điểm."
        )
    if appraised:
        sentences.append(
            f"Kết quả thẩm định: {points_of(theirs.achieved, theirs.maximum)}; Chỉ số cải cách hành chính "
            f"đạt {format_percent(theirs.index_percent)}; xếp loại: {theirs.classification or 'chưa xếp loại'}."
        )
    return sentences


def _leaves_under(view: AssessmentView, code: str) -> list[ItemRow]:
    prefix = code + "."
    parents = {row.criterion.parent_code for row in view.rows}
    return [
        row
        for row in view.rows
        if (row.criterion.code == code or row.criterion.code.startswith(prefix))
        and row.criterion.code not in parents
    ]


def _is_survey_field(view: AssessmentView, code: str) -> bool:
    leaves = _leaves_under(view, code)
    return bool(leaves) and all(row.criterion.survey for row in leaves)


def _extra_title(row: ItemRow) -> str:
    title = vntext.clean_line(row.criterion.title)
    if row.criterion.kind == "bonus":
        return f"Điểm thưởng: {title}"
    if row.criterion.kind == "penalty":
        return f"Điểm phạt (trừ): {title}"
    return title


def field_table(view: AssessmentView, *, appraised: bool) -> Table:
    """STT, Lĩnh vực, Điểm tối đa, Điểm tự đánh giá, (Điểm thẩm định), Tỷ lệ (%); bonus and penalty rows
    after the fields; the total."""
    rows: list[list[str]] = []
    for row in view.rows:
        c = row.criterion
        if c.depth != 0 and c.kind == "item":
            continue
        survey = c.kind == "item" and _is_survey_field(view, c.code)
        own = "" if survey else format_points(row.rolled_self)
        ratio = "" if survey or not c.maximum else number_text(percent(row.rolled_self, c.maximum))
        cells = [c.code, _extra_title(row), format_points(c.maximum), own]
        if appraised:
            cells.append(format_points(row.rolled_appraised))
        cells.append(ratio)
        rows.append(cells)
    total = ["", "Tổng cộng", format_points(view.totals.maximum), format_points(view.totals.achieved)]
    if appraised:
        total.append(format_points(view.appraised_totals.achieved))
    total.append(number_text(view.totals.index_percent))
    rows.append(total)
    if appraised:
        columns = [*SUMMARY_COLUMNS[:4], APPRAISED, SUMMARY_COLUMNS[4]]
        widths = [12, 69, 20, 22, 21, 21]
    else:
        columns = list(SUMMARY_COLUMNS)
        widths = [12, 83, 22, 24, 24]
    align: list[Align] = ["center", "left", *["center"] * (len(columns) - 2)]
    return Table(columns, rows, widths_mm=widths, align=align)


# --- section II -----------------------------------------------------------------------------------


def lost_blocks(items: Sequence[LostItem]) -> list[Block]:
    """A sentence with the count and the points lost, then the items grouped by field."""
    from parclerk.services.assessment import group_lost

    if not items:
        return [Paragraph("Các tiêu chí đã tự chấm điểm đều đạt điểm tối đa.")]
    lost = sum(item.lost for item in items)
    blocks: list[Block] = [
        Paragraph(
            f"Có {context.count(len(items), 'tiêu chí')} tự chấm dưới điểm tối đa, tổng số điểm chưa đạt là "
            f"{format_points(lost)} điểm; lý do (giải trình) của từng tiêu chí như sau:"
        )
    ]
    rows: list[list[str]] = []
    for label, group, _ in group_lost(list(items), "field"):
        code, _, title = label.partition(". ")
        if any(item.criterion.code != code for item in group):
            rows.append([code, vntext.clean_line(title).upper(), "", "", ""])
        for item in group:
            rows.append(
                [
                    item.criterion.code,
                    vntext.clean_line(item.criterion.title),
                    format_points(item.criterion.maximum),
                    format_points(item.self_score),
                    vntext.nfc(item.explanation).strip() or "(chưa có giải trình)",
                ]
            )
    blocks.append(
        Table(
            LOST_COLUMNS,
            rows,
            widths_mm=[15, 62, 17, 17, 54],
            align=["center", "left", "center", "center", "left"],
        )
    )
    return blocks


# --- annexes --------------------------------------------------------------------------------------


def score_blocks(view: AssessmentView, *, appraised: bool) -> list[Block]:
    """Annex I: every row of the set with its points and the number of confirmed evidence documents."""
    parents = {row.criterion.parent_code for row in view.rows}
    rows: list[list[str]] = []
    evidence_total = 0
    for row in view.rows:
        c = row.criterion
        leaf = c.code not in parents
        title = _extra_title(row)
        if c.kind == "item" and c.depth == 0:
            title = title.upper()
        if c.survey and leaf:
            title += " (điều tra xã hội học)" if "điều tra xã hội học" not in title.lower() else ""
        if leaf:
            own = "" if c.survey else format_points(row.self_score)
            theirs = format_points(row.appraised_score)
        else:
            survey = _is_survey_field(view, c.code)
            own = "" if survey else format_points(row.rolled_self)
            theirs = format_points(row.rolled_appraised)
        evidence_total += row.evidence_count
        count = str(row.evidence_count) if row.evidence_count else ""
        cells = [c.code, title, format_points(c.maximum), own]
        if appraised:
            cells.append(theirs)
        cells.append(count)
        rows.append(cells)
    own_t, their_t = view.totals, view.appraised_totals
    total = ["", "TỔNG ĐIỂM", format_points(own_t.maximum), format_points(own_t.achieved)]
    index = ["", "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (%)", "100", format_percent(own_t.index_percent)]
    if appraised:
        total.append(format_points(their_t.achieved))
        index.append(format_percent(their_t.index_percent))
    rank = ["", "XẾP LOẠI", "", own_t.classification or "Chưa xếp loại"]
    if appraised:
        rank.append(their_t.classification or "Chưa xếp loại")
    total.append(str(evidence_total) if evidence_total else "")
    index.append("")
    rank.append("")
    rows += [total, index, rank]
    if appraised:
        columns = [*SCORE_COLUMNS[:4], APPRAISED, SCORE_COLUMNS[4]]
        widths = [13, 60, 16, 24, 24, 28]
    else:
        columns = list(SCORE_COLUMNS)
        widths = [14, 79, 20, 24, 28]
    align: list[Align] = ["center", "left", *["center"] * (len(columns) - 2)]
    return [Table(columns, rows, widths_mm=widths, align=align)]


def evidence_rows(view: AssessmentView, evidence: Sequence[Evidence]) -> list[list[str]]:
    """Confirmed evidence in the set's order (then as added): STT, code, document, mục/trang, date."""
    order = {row.criterion.code: index for index, row in enumerate(view.rows)}
    items = sorted(
        (item for item in evidence if not item.suggested),
        key=lambda item: (order.get(item.code, len(order)), item.id),
    )
    rows = []
    for number, item in enumerate(items, start=1):
        day = dates.format_dmy(item.evidence_date)
        if item.out_of_year:
            day = f"{day}\n{OUT_OF_YEAR}".strip()
        rows.append(
            [str(number), item.code, vntext.clean_line(item.label), vntext.clean_line(item.locator), day]
        )
    return rows


def evidence_blocks(view: AssessmentView, evidence: Sequence[Evidence]) -> list[Block]:
    rows = evidence_rows(view, evidence)
    if not rows:
        return [Paragraph("Chưa có tài liệu kiểm chứng nào được xác nhận cho năm đánh giá.")]
    return [
        Table(
            EVIDENCE_COLUMNS,
            rows,
            widths_mm=[13, 18, 76, 31, 27],
            align=["center", "center", "left", "left", "center"],
        )
    ]
