"""The self-assessment as the province's scoring table (.xlsx): STT, Lĩnh vực/Tiêu chí/Tiêu chí thành phần,
Điểm tối đa, Điểm tự đánh giá, Điểm thẩm định, Tài liệu kiểm chứng, Ghi chú; fields and criteria carry their
subtotals, and the total, the index and the classification close the table.

Points are written as numbers (0,5 shows with the decimal comma of a Vietnamese Windows), never as formulas;
texts are forced to text. Written next to the target and moved into place, like every export.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from parclerk.excel.sheet import Sheet, row_height
from parclerk.fileio import write_atomically

if TYPE_CHECKING:
    from sqlite_utils import Database

    from parclerk.services.assessment import AssessmentView, Evidence

COLUMNS = (
    "STT",
    "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "Điểm tối đa",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Tài liệu kiểm chứng",
    "Ghi chú",
)
WIDTHS = (9, 52, 9, 10, 10, 42, 34)


def export_assessment_xlsx(db: Database, assessment_id: int, out_path: Path) -> int:
    """Write the scoring table of one assessment; returns the number of criteria rows."""
    from parclerk.services.assessment import list_evidence, view_assessment

    view = view_assessment(db, assessment_id)
    office = view.unit_name or _office_name(db)
    evidence: dict[str, list[Evidence]] = {}
    for item in list_evidence(db, assessment_id):
        if not item.suggested:
            evidence.setdefault(item.code, []).append(item)
    write_atomically(
        out_path, lambda path: _write(view, office, evidence, path), what="bảng tự đánh giá chỉ số CCHC"
    )
    return len(view.rows)


def _office_name(db: Database) -> str:
    from parclerk.services.settings import get_profile

    return get_profile(db).unit_name


def _points(hundredths: int | None) -> Decimal | None:
    return None if hundredths is None else Decimal(hundredths) / 100


def evidence_text(items: list[Evidence]) -> str:
    lines = []
    for item in items:
        line = f"- {item.label}"
        if item.locator:
            line += f" ({item.locator})"
        if item.out_of_year:
            line += " [ngoài năm đánh giá]"
        lines.append(line)
    return "\n".join(lines)


def _write(view: AssessmentView, office: str, evidence: dict[str, list[Evidence]], path: Path) -> None:
    from parclerk.criteria import format_percent, format_points

    sheet = Sheet(
        f"Tự đánh giá Chỉ số CCHC năm {view.year}", f"Tự đánh giá {view.year}", "Chỉ số CCHC", WIDTHS
    )
    header_row = 6
    sheet.ws.freeze_panes = f"C{header_row + 2}"
    sheet.title_line(office.upper(), "tên cơ quan")
    sheet.title_line(f"BẢNG TỰ ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {view.year}", "năm")
    sheet.title_line(view.set_name + (" (bộ chỉ số mẫu)" if view.sample else ""), "dòng phụ")
    sheet.title_line(
        f"Tự đánh giá: {format_points(view.totals.achieved)}/{format_points(view.totals.maximum)} điểm; "
        f"chỉ số {format_percent(view.totals.index_percent)}",
        "dòng phụ",
    )
    sheet.append([], 8)
    sheet.header(COLUMNS, numbered=True)
    appraised = any(row.appraised_score is not None for row in view.rows)
    parents = {row.criterion.parent_code for row in view.rows}
    widths = sheet.widths
    for row in view.rows:
        c = row.criterion
        leaf = c.code not in parents
        bold = c.depth == 0 or not leaf
        own = row.self_score if leaf else row.rolled_self
        theirs = (row.appraised_score if leaf else row.rolled_appraised) if appraised else None
        title = c.title
        if c.kind == "bonus":
            title = f"Điểm thưởng: {title}"
        elif c.kind == "penalty":
            title = f"Điểm phạt (trừ): {title}"
        note = "Điểm điều tra xã hội học" if c.survey else row.explanation
        proof = evidence_text(evidence.get(c.code, []))
        number_style = "số đậm" if bold else "số"
        cells = [
            sheet.text(c.code, "chữ đậm" if bold else "giữa"),
            sheet.text(title, "chữ đậm" if bold else "chữ"),
            sheet.plain(_points(c.maximum), number_style),
            sheet.plain(_points(own), number_style),
            sheet.plain(_points(theirs), number_style),
            sheet.text(proof),
            sheet.text(note),
        ]
        texts = [(title, widths[1]), (proof, widths[5]), (note, widths[6])]
        sheet.append(cells, row_height(texts, 11, bold=bold))
    t, a = view.totals, view.appraised_totals
    closing = [
        ("TỔNG ĐIỂM", _points(t.maximum), _points(t.achieved), _points(a.achieved) if appraised else None),
        (
            "CHỈ SỐ CCHC (%)",
            Decimal(100),
            t.index_percent,
            a.index_percent if appraised else None,
        ),
    ]
    for label, maximum, own, theirs in closing:
        sheet.append(
            [
                sheet.text("", "chữ đậm"),
                sheet.text(label, "chữ đậm"),
                sheet.plain(maximum, "số đậm"),
                sheet.plain(own, "số đậm"),
                sheet.plain(theirs, "số đậm"),
                sheet.text("", "chữ"),
                sheet.text("", "chữ"),
            ]
        )
    ranks = f"Xếp loại (tự đánh giá): {t.classification or 'chưa xếp loại'}"
    if appraised and a.classification:
        ranks += f"; theo điểm thẩm định: {a.classification}"
    if t.survey_points:
        ranks += f". Trong đó điểm điều tra xã hội học: {format_points(t.survey_points)}"
    if t.unscored:
        ranks += f". Còn {len(t.unscored)} mục chưa chấm"
    sheet.append([sheet.text(ranks + ".", "ghi chú")])
    sheet.save(path, title_rows=f"{header_row}:{header_row + 1}")
