"""The BÁO CÁO "Kết quả tự đánh giá, xếp hạng Chỉ số cải cách hành chính năm YYYY của các đơn vị" that a
collecting office (Sở Nội vụ, or a commune for its departments) sends after consolidating the units'
submissions, as a Decree 30 Document.

Body: I. who was to submit, who did, who is missing, and on what basis the index is computed (the units' own
scores before appraisal, the survey's points left out); II. per group of units (one criteria set) the
average, the highest and the lowest, the count per classification, the bar chart and the ranking table;
III. the items where most units lose points; IV. the proposals. The annex is the detailed table by field.
Figures come from `services.ranking.consolidate`, so the report, the Excel table and the screen agree.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence

from parclerk import vntext
from parclerk.criteria import format_percent, format_points
from parclerk.models import OfficeProfile
from parclerk.reports import context
from parclerk.reports.assessment_report import number_text
from parclerk.reports.chart import Bar, Threshold, bar_chart_pages
from parclerk.reports.document import Align, Annex, Block, Document, Heading, Paragraph, Picture, Table
from parclerk.services.ranking import Consolidation, Group, UnitResult, WeakItem

RANK_COLUMNS = ("Hạng", "Đơn vị", "Tổng điểm", "Chỉ số (%)", "Xếp loại")
WEAK_COLUMNS = ("Mã", "Tiêu chí", "Điểm tối đa", "Số đơn vị mất điểm", "Điểm bình quân")
DASH = "—"  # no rank (a unit not ranked), no classification (a set without any)
UNRANKED_NOTE = "không xếp hạng"
_HEADINGS = ("I", "II", "III", "IV")
_SHORT = re.compile(r"(?i)^(ủy|uỷ) ban nhân dân\s+")


def title(year: int) -> str:
    return f"Kết quả tự đánh giá, xếp hạng Chỉ số cải cách hành chính năm {year} của các đơn vị"


def ranking_document(consolidation: Consolidation, profile: OfficeProfile, *, day: dt.date) -> Document:
    """The report, ready for `render_docx`. Raises ValidationError when the office profile has no name or
    place. A consolidation with no submission yet still makes a report (that says so, without a chart)."""
    context.require_profile(profile)
    year = consolidation.year
    office = vntext.clean_line(profile.unit_name)
    reports_to = vntext.clean_line(profile.reports_to)
    groups = consolidation.groups
    several = len(groups) > 1

    blocks: list[Block] = [
        Paragraph(
            f"Thực hiện nhiệm vụ xác định Chỉ số cải cách hành chính năm {year}, {office} đã tiếp nhận, tổng "
            "hợp kết quả tự đánh giá, chấm điểm của các đơn vị. Kết quả tự đánh giá, xếp hạng như sau:"
        )
    ]
    blocks.append(Heading(1, "I. TÌNH HÌNH TỰ ĐÁNH GIÁ CỦA CÁC ĐƠN VỊ"))
    blocks += [Paragraph(text) for text in situation_sentences(consolidation)]

    blocks.append(Heading(1, "II. KẾT QUẢ XẾP HẠNG"))
    if not groups:
        blocks.append(Paragraph("Chưa có đơn vị nào nộp kết quả tự đánh giá nên chưa có kết quả xếp hạng."))
    figure = 1
    for number, group in enumerate(groups, start=1):
        if several:
            blocks.append(Heading(2, f"{number}. {group_title(group, groups)}"))
        blocks += [Paragraph(text) for text in group_sentences(group)]
        pictures = chart_pictures(group, year, figure, group_title(group, groups))
        figure += 1 if pictures else 0
        blocks += pictures
        blocks += rank_blocks(group)

    blocks.append(Heading(1, "III. NHỮNG TIÊU CHÍ NHIỀU ĐƠN VỊ BỊ MẤT ĐIỂM"))
    if not groups:
        blocks.append(Paragraph("Chưa có số liệu."))
    for number, group in enumerate(groups, start=1):
        if several:
            blocks.append(Heading(2, f"{number}. {group_title(group, groups)}"))
        blocks += weak_blocks(group)
    if any(group.weak_items for group in groups):
        blocks.append(
            Paragraph(
                "Đề nghị các đơn vị rà soát lại những tiêu chí nêu trên; cơ quan thường trực cải cách hành chính "
                "tăng cường hướng dẫn, hỗ trợ các đơn vị về cách thực hiện, chấm điểm và tài liệu kiểm chứng của "
                "các tiêu chí này."
            )
        )

    blocks.append(Heading(1, "IV. ĐỀ XUẤT"))
    blocks += [Paragraph(text) for text in proposal_sentences(consolidation, office)]
    closing = f"Trên đây là báo cáo kết quả tự đánh giá, xếp hạng Chỉ số cải cách hành chính năm {year} của các đơn vị"
    closing += ", kèm theo Bảng điểm tự đánh giá chi tiết theo lĩnh vực (Phụ lục)" if groups else ""
    closing += f", kính gửi {reports_to} xem xét, chỉ đạo." if reports_to else "."
    blocks.append(Paragraph(closing))

    annexes = ()
    if groups:
        annexes = (Annex(title="Bảng điểm tự đánh giá chi tiết theo lĩnh vực", blocks=annex_blocks(groups)),)
    return Document(
        title=title(year),
        letterhead=context.letterhead(profile, day, context.draft_symbol(profile, "BC")),
        signature=context.signature(profile),
        blocks=blocks,
        kinh_gui=[reports_to] if reports_to else [],
        recipients=context.recipients(profile, "Các đơn vị được đánh giá"),
        annexes=annexes,
    )


# --- words ----------------------------------------------------------------------------------------


def short_name(name: str) -> str:
    """'Ủy ban nhân dân xã Sơn Hà' -> 'UBND xã Sơn Hà' (tables and the chart); other names as written."""
    name = vntext.clean_line(name)
    return _SHORT.sub("UBND ", name)


def names_text(names: Sequence[str]) -> str:
    """'A, B và C'."""
    names = [vntext.clean_line(n) for n in names]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


def group_title(group: Group, groups: Sequence[Group]) -> str:
    """The group's level ("Sở, ban, ngành"), with its set's name when another group has the same level
    (units of one level scored on two different sets are ranked apart)."""
    if sum(1 for g in groups if g.label == group.label) > 1:
        return f"{group.label} ({vntext.clean_line(group.set_name)})"
    return group.label


def rank_text(result: UnitResult) -> str:
    return DASH if result.rank is None else str(result.rank)


def _ranked(group: Group) -> list[UnitResult]:
    return [r for r in group.results if r.ranked]


# --- section I ------------------------------------------------------------------------------------


def situation_sentences(consolidation: Consolidation) -> list[str]:
    """Expected, submitted, missing (named); the basis of the figures; unscored items; unranked units."""
    c = consolidation
    year = c.year
    sentences: list[str] = []
    on_list = c.expected - len(c.missing)  # expected units that submitted
    extra = c.submitted - on_list
    if c.expected:
        text = (
            f"Năm {year} có {context.count(c.expected, 'đơn vị')} thuộc diện tự đánh giá, xác định Chỉ số cải "
            f"cách hành chính; đã nhận kết quả tự đánh giá (bài nộp) của {context.count(on_list, 'đơn vị')}, "
            f"đạt {context.rate(on_list, c.expected)}"
        )
        if extra > 0:
            text += f"; ngoài danh sách còn nhận bài nộp của {context.count(extra, 'đơn vị')}"
        sentences.append(text + ".")
        if c.missing:
            sentences.append(
                f"Còn {context.count(len(c.missing), 'đơn vị')} chưa nộp kết quả tự đánh giá: "
                f"{names_text([short_name(n) for n in c.missing])}."
            )
        else:
            sentences.append("Tất cả các đơn vị đã nộp kết quả tự đánh giá.")
    elif c.submitted:
        sentences.append(
            f"Đã nhận kết quả tự đánh giá, xác định Chỉ số cải cách hành chính năm {year} (bài nộp) của "
            f"{context.count(c.submitted, 'đơn vị')} (chưa lập danh sách các đơn vị phải nộp)."
        )
    else:
        sentences.append(f"Chưa có đơn vị nào nộp kết quả tự đánh giá năm {year}.")
    if not c.groups:
        return sentences

    basis = (
        "Điểm số trong báo cáo này là điểm do các đơn vị tự đánh giá, chưa qua thẩm định. Chỉ số cải cách "
        "hành chính của mỗi đơn vị được tính bằng tỷ lệ giữa tổng điểm tự đánh giá và tổng điểm tối đa của "
        "các tiêu chí đơn vị tự chấm"
    )
    surveyed = [g for g in c.groups if g.survey_maximum]
    if len(c.groups) == 1:
        group = c.groups[0]
        maximum = group.results[0].maximum if group.results else 0
        basis += f" ({format_points(maximum)} điểm)"
        if group.survey_maximum:
            basis += (
                f"; {format_points(group.survey_maximum)} điểm điều tra xã hội học do cơ quan có thẩm quyền "
                "đánh giá không được tính vào điểm và chỉ số này"
            )
    elif surveyed:
        basis += "; điểm điều tra xã hội học do cơ quan có thẩm quyền đánh giá không được tính vào điểm và chỉ số này"
    sentences.append(basis + ".")

    unscored = [r for r in c.results if r.unscored]
    if unscored:
        listed = ", ".join(
            f"{short_name(r.name)} ({context.count(r.unscored, 'tiêu chí')})" for r in unscored
        )
        sentences.append(
            f"Có {context.count(len(unscored), 'đơn vị')} còn tiêu chí chưa tự chấm điểm (tính 0 điểm): {listed}."
        )
    unranked = [r.name for r in c.results if not r.ranked]
    if unranked:
        sentences.append(
            f"Không xếp hạng (vẫn tổng hợp điểm): {names_text([short_name(n) for n in unranked])}."
        )
    return sentences


# --- section II -----------------------------------------------------------------------------------


def _named(results: Sequence[UnitResult]) -> str:
    return names_text([short_name(r.name) for r in results])


def group_sentences(group: Group) -> list[str]:
    """Average, highest, lowest; the count per classification."""
    ranked = _ranked(group)
    if not ranked:
        return ["Các đơn vị của nhóm này đều không tham gia xếp hạng."]
    top = ranked[0].index_percent
    bottom = ranked[-1].index_percent
    highest = [r for r in ranked if r.index_percent == top]
    lowest = [r for r in ranked if r.index_percent == bottom]
    text = (
        f"Chỉ số cải cách hành chính tự đánh giá bình quân của {context.count(len(ranked), 'đơn vị')} được "
        f"xếp hạng đạt {format_percent(group.average_percent)}; cao nhất là {_named(highest)} "
        f"({format_percent(top)})"
    )
    if len(ranked) > 1 and bottom != top:
        text += f", thấp nhất là {_named(lowest)} ({format_percent(bottom)})"
    sentences = [text + "."]
    counts = group.counts()
    if counts:
        parts = [
            f"{label}: {context.count(n, 'đơn vị') if n else 'không có đơn vị nào'}"
            + (f" ({context.rate(n, len(ranked))})" if n else "")
            for label, n in counts
        ]
        unclassified = len(ranked) - sum(n for _, n in counts)
        if unclassified:
            parts.append(f"chưa xếp loại: {context.count(unclassified, 'đơn vị')}")
        sentences.append("Về xếp loại: " + "; ".join(parts) + ".")
    return sentences


def chart_pictures(group: Group, year: int, figure: int, label: str = "") -> list[Picture]:
    """The ranked units as bars (one picture per 35 units), captioned "Hình N. …"."""
    label = label or group.label
    ranked = _ranked(group)
    if not ranked:
        return []
    bars = [Bar(short_name(r.name), r.index_percent, r.classification, r.rank) for r in ranked]
    thresholds = [
        Threshold(c.label, c.minimum_percent) for c in group.classifications if c.minimum_percent > 0
    ]
    images = bar_chart_pages(
        bars,
        title=f"Chỉ số CCHC tự đánh giá năm {year} – {label}",
        thresholds=thresholds,
        average=group.average_percent,
    )
    caption = f"Hình {figure}. Chỉ số CCHC tự đánh giá năm {year} của các đơn vị ({label})"
    return [
        Picture(png, caption=caption if index == 0 else f"{caption} (tiếp theo)")
        for index, png in enumerate(images)
    ]


def rank_rows(group: Group) -> list[list[str]]:
    rows = []
    for r in group.results:
        name = short_name(r.name) + ("" if r.ranked else f" ({UNRANKED_NOTE})")
        rows.append(
            [rank_text(r), name, format_points(r.achieved), number_text(r.index_percent),
             r.classification or DASH]
        )  # fmt: skip
    return rows


def rank_blocks(group: Group) -> list[Block]:
    maximum = group.results[0].maximum if group.results else 0
    columns = list(RANK_COLUMNS)
    columns[2] = f"Tổng điểm (tối đa {format_points(maximum)})"
    blocks: list[Block] = [
        Table(
            columns,
            rank_rows(group),
            widths_mm=[16, 71, 28, 24, 26],
            align=["center", "left", "center", "center", "center"],
        )
    ]
    if any(not r.ranked for r in group.results):
        blocks.append(
            Paragraph(f"Ghi chú: đơn vị có hạng “{DASH}” không tham gia xếp hạng; điểm vẫn được tổng hợp.")
        )
    return blocks


# --- section III ----------------------------------------------------------------------------------


def weak_rows(items: Sequence[WeakItem]) -> list[list[str]]:
    return [
        [w.code, vntext.clean_line(w.title), format_points(w.maximum), f"{w.losing}/{w.submitted}",
         format_points(w.average)]
        for w in items
    ]  # fmt: skip


def weak_blocks(group: Group) -> list[Block]:
    if not group.weak_items:
        return [Paragraph("Các đơn vị đều tự chấm đạt điểm tối đa ở tất cả các tiêu chí.")]
    return [
        Paragraph(
            "Những tiêu chí có nhiều đơn vị tự chấm dưới điểm tối đa (kể cả tiêu chí chưa chấm điểm), "
            "nhiều nhất trước:"
        ),
        Table(
            WEAK_COLUMNS,
            weak_rows(group.weak_items),
            widths_mm=[14, 75, 26, 26, 24],
            align=["center", "left", "center", "center", "center"],
        ),
    ]


# --- section IV -----------------------------------------------------------------------------------


def low_labels(group: Group) -> list[str]:
    """The lower half of the set's classifications, highest first ("Trung bình", "Yếu" of five)."""
    ordered = sorted(group.classifications, key=lambda c: c.minimum_percent, reverse=True)
    return [c.label for c in ordered[len(ordered) - len(ordered) // 2 :]] if len(ordered) > 1 else []


def proposal_sentences(consolidation: Consolidation, office: str) -> list[str]:
    year = consolidation.year
    sentences = []
    low: list[UnitResult] = []
    labels: list[str] = []
    for group in consolidation.groups:
        group_low = low_labels(group)
        found = [r for r in _ranked(group) if r.classification in group_low]
        labels += [
            label
            for label in group_low
            if label not in labels and any(r.classification == label for r in found)
        ]
        low += found
    if low:
        sentences.append(
            f"Đề nghị các đơn vị có kết quả tự đánh giá thấp (xếp loại {' và '.join(labels)}: {_named(low)}) "
            "rà soát lại kết quả tự chấm điểm, bổ sung tài liệu kiểm chứng, phân tích nguyên nhân và có giải "
            "pháp khắc phục những tồn tại, hạn chế."
        )
    elif consolidation.groups:
        sentences.append(
            "Đề nghị các đơn vị tiếp tục duy trì, nâng cao chất lượng thực hiện các nhiệm vụ cải cách hành chính."
        )
    if consolidation.missing:
        sentences.append(
            f"Đề nghị các đơn vị chưa nộp ({names_text([short_name(n) for n in consolidation.missing])}) khẩn trương hoàn thành việc tự "
            f"đánh giá và gửi kết quả về {office}."
        )
    sentences.append(
        f"{office} tiếp tục tổ chức thẩm định kết quả tự đánh giá của các đơn vị; kết quả xếp hạng Chỉ số cải "
        f"cách hành chính năm {year} chính thức được công bố sau khi có kết quả thẩm định và điều tra xã hội học."
    )
    return sentences


# --- the annex ------------------------------------------------------------------------------------


def field_legend(group: Group) -> str:
    """'LV1: CÔNG TÁC CHỈ ĐẠO… (tối đa 20 điểm)', one line per field; a line on the bonus and penalty points
    when some unit's total is not the sum of its fields."""
    lines = [
        f"LV{n}: {vntext.clean_line(f.title)} (tối đa {format_points(f.maximum)} điểm)."
        for n, f in enumerate(group.fields, start=1)
    ]
    if any(has_extra(r) for r in group.results):
        lines.append("Tổng: điểm các lĩnh vực, cộng điểm thưởng và trừ điểm phạt (nếu có).")
    return "\n".join(lines)


def has_extra(result: UnitResult) -> bool:
    """Bonus or penalty points: the total is not the sum of the fields."""
    return result.achieved != sum(result.fields.values())


# Annex widths in mm on the 165 mm of an A4 portrait page: a field's points ("17,25" in 12 pt) need 14 mm.
_STT_MM, _FIELD_MM, _NAME_MM = 13, 14, 30
_TAIL_MM = (15, 16, 20, 15)  # Tổng, Chỉ số (%), Xếp loại, Hạng
_TEXT_MM = 165
_TAIL_FIELDS = (_TEXT_MM - _STT_MM - _NAME_MM - sum(_TAIL_MM)) // _FIELD_MM  # fields beside the tail: 4
_MORE_FIELDS = (_TEXT_MM - _STT_MM - _NAME_MM) // _FIELD_MM  # fields in a table without the tail: 8


def annex_parts(count: int) -> list[tuple[int, int]]:
    """The fields as (start, stop) per table: all in one table when they fit beside the total, the index,
    the classification and the rank; else as few tables as needed, the fields shared out evenly, the last
    table with the tail, so that no column is too narrow for its figures."""
    tables = 1
    while (tables - 1) * _MORE_FIELDS + _TAIL_FIELDS < count:
        tables += 1
    last = min(_TAIL_FIELDS, -(-count // tables))
    rest, before = count - last, tables - 1
    bounds = [0]
    for index in range(before):
        bounds.append(bounds[-1] + rest // before + (1 if index < rest % before else 0))
    bounds.append(count)
    return list(itertools.pairwise(bounds))


def annex_tables(group: Group) -> list[Table]:
    """STT, Đơn vị, LV1…LVn, Tổng, Chỉ số (%), Xếp loại, Hạng in rank order, then the average of the ranked
    units; cut in two (the same rows) when the fields would not fit on an A4 portrait page."""
    fields = group.fields
    ranked = _ranked(group)
    average = len(ranked) > 1
    points = [[format_points(r.fields.get(f.code, 0)) for f in fields] for r in group.results]
    if average:
        points.append(
            [format_points(round(sum(r.fields.get(f.code, 0) for r in ranked) / len(ranked))) for f in fields]
        )
    heads = [[str(n), short_name(r.name)] for n, r in enumerate(group.results, start=1)]
    tails = [[format_points(r.achieved), number_text(r.index_percent), r.classification or DASH, rank_text(r)]
             for r in group.results]  # fmt: skip
    if average:
        heads.append(["", "Bình quân"])
        tails.append(
            [
                format_points(round(sum(r.achieved for r in ranked) / len(ranked))),
                number_text(group.average_percent),
                "",
                "",
            ]
        )
    tables = []
    for start, stop in annex_parts(len(fields)):
        last = stop == len(fields)
        columns = ["STT", "Đơn vị", *[f"LV{n}" for n in range(start + 1, stop + 1)]]
        widths = [_STT_MM, 0, *[_FIELD_MM] * (stop - start)]
        if last:
            columns += ["Tổng", "Chỉ số (%)", "Xếp loại", "Hạng"]
            widths += _TAIL_MM
        widths[1] = _TEXT_MM - sum(widths)
        rows = [
            [*head, *row[start:stop], *(tail if last else [])]
            for head, row, tail in zip(heads, points, tails, strict=True)
        ]
        align: list[Align] = ["center", "left", *["center"] * (len(columns) - 2)]
        tables.append(Table(columns, rows, widths_mm=widths, align=align))
    return tables


def annex_blocks(groups: Sequence[Group]) -> list[Block]:
    blocks: list[Block] = []
    several = len(groups) > 1
    for number, group in enumerate(groups, start=1):
        if several:
            blocks.append(Heading(2, f"{number}. {group_title(group, groups)}"))
        blocks.append(Paragraph(field_legend(group)))
        tables = annex_tables(group)
        for index, table in enumerate(tables):
            if index:
                blocks.append(Paragraph(f"(Tiếp theo: {', '.join(table.columns[2:])})"))
            blocks.append(table)
    return blocks
