"""The year's consolidation as an Excel book for the collecting office: "Xếp hạng" (each unit's points by
field, total, index, classification and rank, group by group, with the average and the count per
classification), "Tiêu chí mất điểm" (the items where most units lose points) and "Chưa nộp" (the units
still missing).

Points are numbers (19,25 shows with the decimal comma of a Vietnamese Windows), never formulas; the units'
names and every other text are forced to text. The book is written next to the target and moved into
place, like every export.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parclerk import vntext
from parclerk.criteria import format_points
from parclerk.excel.sheet import FONT_NAME, Sheet, row_height
from parclerk.fileio import write_atomically

if TYPE_CHECKING:
    from parclerk.services.ranking import Consolidation, Group, UnitResult

STYLE_PREFIX = "Xếp hạng CCHC"
RANK_SHEET, WEAK_SHEET, MISSING_SHEET = "Xếp hạng", "Tiêu chí mất điểm", "Chưa nộp"
UNRANKED = "Không xếp hạng"
HEADER_ROW = 4  # the first group's column header (title, note, blank line above)

# "Xếp hạng": Hạng, Đơn vị, the fields, then the tail.
RANK_WIDTHS = (7, 36)
FIELD_WIDTH = 15
EXTRA_COLUMN = "Điểm thưởng (+), trừ (−)"  # only when some unit has bonus or penalty points
EXTRA_WIDTH = 10
TAIL_COLUMNS = ("Tổng điểm", "Điểm tối đa", "Chỉ số (%)", "Xếp loại", "Phiên bản", "Ghi chú")
TAIL_WIDTHS = (10, 9, 9, 12, 19, 34)
WEAK_COLUMNS = (
    "Mã",
    "Tiêu chí",
    "Điểm tối đa",
    "Số đơn vị mất điểm",
    "Tỷ lệ (%)",
    "Điểm bình quân",
    "Tổng điểm bị mất",
)
WEAK_WIDTHS = (10, 70, 10, 12, 10, 11, 11)
MISSING_COLUMNS = ("STT", "Đơn vị")
MISSING_WIDTHS = (7, 60)


def export_ranking_xlsx(consolidation: Consolidation, out: Path) -> Path:
    """Write the book at `out` (atomically); returns `out`."""
    out = Path(out)
    write_atomically(out, lambda path: _write(consolidation, path), what="bảng xếp hạng Chỉ số CCHC")
    return out


def _points(hundredths: int | float) -> Decimal:
    return (Decimal(hundredths) / 100).quantize(Decimal("0.01"))


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values) if values else 0


def _add_styles(sheet: Sheet) -> None:
    """The "số" styles with two decimals ("0.00": 90,00 beside 88,37) for the index and the shares, and the
    group's line (bold, not wrapped: it runs on over the empty cells to its right)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    group = NamedStyle(
        name=f"{STYLE_PREFIX} - nhóm",
        font=Font(name=FONT_NAME, size=12, bold=True),
        alignment=Alignment(horizontal="left", vertical="center", wrap_text=False),
    )
    sheet.wb.add_named_style(group)
    sheet.style_names["nhóm"] = group.name
    sheet.font_sizes["nhóm"] = 12.0

    thin = Side(style="thin", color="000000")
    for key, bold in (("chỉ số", False), ("chỉ số đậm", True)):
        style = NamedStyle(
            name=f"{STYLE_PREFIX} - {key}",
            font=Font(name=FONT_NAME, size=11, bold=bold),
            border=Border(left=thin, right=thin, top=thin, bottom=thin),
            alignment=Alignment(horizontal="center", vertical="top", wrap_text=True),
            number_format="0.00",
        )
        sheet.wb.add_named_style(style)
        sheet.style_names[key] = style.name
        sheet.font_sizes[key] = 11.0


def _write(consolidation: Consolidation, path: Path) -> None:
    year = consolidation.year
    groups = consolidation.groups
    field_count = max((len(g.fields) for g in groups), default=0)
    extra = any(_extra(r) for g in groups for r in g.results)
    widths = (*RANK_WIDTHS, *[FIELD_WIDTH] * field_count, *([EXTRA_WIDTH] if extra else []), *TAIL_WIDTHS)
    several = len(groups) > 1
    first_header = HEADER_ROW + (1 if several else 0)
    sheet = Sheet(
        f"Kết quả tự đánh giá, xếp hạng Chỉ số CCHC năm {year}",
        RANK_SHEET,
        STYLE_PREFIX,
        widths,
        freeze=f"C{first_header + 1}",
    )
    _add_styles(sheet)
    weak = sheet.add_sheet(WEAK_SHEET, WEAK_WIDTHS, freeze=f"A{first_header + 1}")
    missing = sheet.add_sheet(MISSING_SHEET, MISSING_WIDTHS, freeze="A4")

    sheet.title_line(f"KẾT QUẢ TỰ ĐÁNH GIÁ, XẾP HẠNG CHỈ SỐ CCHC NĂM {year}", "năm")
    sheet.title_line(
        "Điểm do các đơn vị tự đánh giá, chưa qua thẩm định; chỉ số tính trên điểm các tiêu chí đơn vị tự chấm, "
        "không gồm điểm điều tra xã hội học" + _survey_note(groups) + ".",
        "dòng phụ",
    )
    sheet.append([], 8)
    if not groups:
        sheet.append([sheet.text("Chưa có đơn vị nào nộp kết quả tự đánh giá.", "ghi chú")])
    for group in groups:
        _rank_group(sheet, group, field_count, several=several, extra=extra)
    # With several groups, each has its own header: only the title repeats on every printed page.
    sheet_titles = "1:2" if several or not groups else f"{first_header}:{first_header}"

    _weak_sheet(weak, consolidation)
    _missing_sheet(missing, consolidation)
    weak.set_page(title_rows=sheet_titles)
    missing.set_page(title_rows="3:3")
    sheet.save(path, title_rows=sheet_titles)


def _survey_note(groups: Sequence[Group]) -> str:
    surveys = {g.survey_maximum for g in groups if g.survey_maximum}
    if len(surveys) == 1:
        return f" (tối đa {format_points(surveys.pop())} điểm)"
    return ""


def _group_text(group: Group) -> str:
    return f"{group.label.upper()} ({vntext.clean_line(group.set_name)})"


def _group_line(sheet: Sheet, text: str) -> None:
    sheet.append([sheet.text(text, "nhóm")], 20)


def _note(result: UnitResult) -> str:
    notes = []
    if not result.ranked:
        notes.append(UNRANKED)
    if result.unscored:
        notes.append(f"{result.unscored} tiêu chí chưa chấm (tính 0 điểm)")
    return "; ".join(notes)


def _version(result: UnitResult) -> str:
    day = result.exported_at[:10]
    if len(day) == 10 and day[4] == "-" and day[7] == "-":
        return f"{result.version} (xuất {day[8:10]}/{day[5:7]}/{day[:4]})"
    return str(result.version)


def _extra(result: UnitResult) -> int:
    """Bonus less penalty points (hundredths): what the total holds beyond the fields."""
    return result.achieved - sum(result.fields.values())


def _rank_group(sheet: Sheet, group: Group, field_count: int, *, several: bool, extra: bool) -> None:
    if several:
        _group_line(sheet, _group_text(group))
    pad = field_count - len(group.fields)
    fields = [
        f"{f.code}. {vntext.clean_line(f.title)}\n(tối đa {format_points(f.maximum)})" for f in group.fields
    ]
    sheet.header(["Hạng", "Đơn vị", *fields, *[""] * pad, *([EXTRA_COLUMN] if extra else []), *TAIL_COLUMNS])
    blanks = [sheet.plain(None, "số") for _ in range(pad)]
    for result in group.results:
        note = _note(result)
        version = _version(result)
        cells = [
            sheet.plain(result.rank, "số") if result.rank is not None else sheet.text("—", "giữa"),
            sheet.text(result.name),
            *[sheet.plain(_points(result.fields.get(f.code, 0)), "số") for f in group.fields],
            *blanks,
            *([sheet.plain(_points(_extra(result)), "số")] if extra else []),
            sheet.plain(_points(result.achieved), "số"),
            sheet.plain(_points(result.maximum), "số"),
            sheet.plain(result.index_percent, "chỉ số"),
            sheet.text(result.classification or "Chưa xếp loại", "giữa"),
            sheet.text(version, "giữa"),
            sheet.text(note),
        ]
        texts = [(result.name, sheet.widths[1]), (version, sheet.widths[-2]), (note, sheet.widths[-1])]
        sheet.append(cells, sheet.height(texts))

    ranked = [r for r in group.results if r.ranked]
    if ranked:
        sheet.append(
            [
                sheet.text("", "chữ đậm"),
                sheet.text(f"Bình quân ({len(ranked)} đơn vị xếp hạng)", "chữ đậm"),
                *[
                    sheet.plain(_points(_mean([r.fields.get(f.code, 0) for r in ranked])), "số đậm")
                    for f in group.fields
                ],
                *[sheet.plain(None, "số đậm") for _ in range(pad)],
                *([sheet.plain(_points(_mean([_extra(r) for r in ranked])), "số đậm")] if extra else []),
                sheet.plain(_points(_mean([r.achieved for r in ranked])), "số đậm"),
                sheet.plain(_points(ranked[0].maximum), "số đậm"),
                sheet.plain(group.average_percent, "chỉ số đậm"),
                *[sheet.text("", "chữ đậm") for _ in range(3)],
            ]
        )
    _count_block(sheet, group, len(ranked))
    sheet.append([], 8)


def _count_block(sheet: Sheet, group: Group, ranked: int) -> None:
    """Xếp loại | Số đơn vị | Tỷ lệ (%), under the unit names."""
    from parclerk.criteria import percent

    counts = group.counts()
    if not counts:
        return
    sheet.append([], 8)
    sheet.append([None, sheet.text("Xếp loại", "tên cột"), sheet.text("Số đơn vị", "tên cột"),
                  sheet.text("Tỷ lệ (%)", "tên cột")])  # fmt: skip
    for label, count in counts:
        sheet.append([None, sheet.text(label), sheet.plain(count, "số"),
                      sheet.plain(percent(count, ranked), "chỉ số")])  # fmt: skip
    sheet.append([None, sheet.text("Cộng", "chữ đậm"), sheet.plain(sum(n for _, n in counts), "số đậm"),
                  sheet.plain(None, "số đậm")])  # fmt: skip


def _title(sheet: Sheet, text: str, note: str) -> None:
    sheet.title_line(text, "năm")
    if note:
        sheet.title_line(note, "dòng phụ")


def _weak_sheet(sheet: Sheet, consolidation: Consolidation) -> None:
    year = consolidation.year
    _title(
        sheet,
        f"NHỮNG TIÊU CHÍ NHIỀU ĐƠN VỊ BỊ MẤT ĐIỂM NĂM {year}",
        "Số đơn vị tự chấm dưới điểm tối đa (kể cả chưa chấm điểm), nhiều nhất trước",
    )
    sheet.append([], 8)
    several = len(consolidation.groups) > 1
    if not consolidation.groups:
        sheet.append([sheet.text("Chưa có đơn vị nào nộp kết quả tự đánh giá.", "ghi chú")])
    for group in consolidation.groups:
        if several:
            _group_line(sheet, _group_text(group))
        sheet.header(WEAK_COLUMNS)
        if not group.weak_items:
            sheet.append(
                [sheet.text("Các đơn vị đều tự chấm đạt điểm tối đa ở tất cả các tiêu chí.", "ghi chú")]
            )
        for item in group.weak_items:
            title = vntext.clean_line(item.title)
            cells: list[Any] = [
                sheet.text(item.code, "giữa"),
                sheet.text(title),
                sheet.plain(_points(item.maximum), "số"),
                sheet.plain(item.losing, "số"),
                sheet.plain(item.share_percent, "chỉ số"),
                sheet.plain(_points(item.average), "số"),
                sheet.plain(_points(item.lost_total), "số"),
            ]
            sheet.append(cells, row_height([(title, sheet.widths[1])], 11))
        sheet.append([], 8)


def _missing_sheet(sheet: Sheet, consolidation: Consolidation) -> None:
    _title(sheet, f"CÁC ĐƠN VỊ CHƯA NỘP KẾT QUẢ TỰ ĐÁNH GIÁ NĂM {consolidation.year}", "")
    sheet.append([], 8)
    sheet.header(MISSING_COLUMNS)
    if not consolidation.expected:
        sheet.append([None, sheet.text("Chưa lập danh sách các đơn vị phải nộp.", "ghi chú")])
    elif not consolidation.missing:
        sheet.append([None, sheet.text("Tất cả đơn vị đã nộp.", "ghi chú")])
    for number, name in enumerate(consolidation.missing, start=1):
        sheet.append([sheet.plain(number, "số"), sheet.text(name)], sheet.height([(name, sheet.widths[1])]))
