"""The Word reports built on the Decree 30 engine: the self-assessment report, the report on a directive and
the units' results over a period. Each is rendered from a demo database, read back with python-docx and
checked against the services' own figures; one assessment report goes through LibreOffice to a PDF.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from parclerk import dates, tracking, vntext
from parclerk.criteria import format_percent as percent_text
from parclerk.criteria import format_points
from parclerk.data import repo_tasks, tables
from parclerk.data.db import open_db
from parclerk.errors import NotFoundError, ValidationError
from parclerk.models import DirectiveInput, TaskInput
from parclerk.queries import TaskQuery
from parclerk.reports import context
from parclerk.reports.assessment_report import (
    EVIDENCE_COLUMNS,
    LOST_COLUMNS,
    OUT_OF_YEAR,
    assessment_document,
)
from parclerk.reports.render import render_docx
from parclerk.reports.task_reports import (
    DIRECTIVE_TABLE_COLUMNS,
    OVERDUE_TABLE_COLUMNS,
    UNIT_TABLE_COLUMNS,
    directive_by_number,
    directive_document,
    shorten,
    units_document,
)
from parclerk.services import assessment, directives, tasks
from parclerk.services.assessment import assessment_for_year
from parclerk.services.demo import build_demo
from parclerk.services.settings import get_profile

THIS_YEAR = dates.today().year
LAST_YEAR = THIS_YEAR - 1
DAY = dt.date(THIS_YEAR, 1, 15)
ASSESSMENT_TITLE = f"Tự đánh giá, xác định Chỉ số cải cách hành chính năm {LAST_YEAR}"
DIRECTIVE_TITLE = (
    "Kết quả thực hiện Công văn số 107/UBND-NC ngày 09/01/2021 của Ủy ban nhân dân tỉnh Quảng Ngãi"
)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    build_demo(path, generated=50, seed=2)
    return path


@pytest.fixture(scope="module")
def demo_db(demo_path: Path):
    database = open_db(demo_path)
    yield database
    database.close()


@pytest.fixture
def demo_copy(demo_path: Path, tmp_path: Path):
    """A copy of the demo database for tests that write."""
    target = tmp_path / "copy.sqlite"
    shutil.copy(demo_path, target)
    database = open_db(target)
    yield database
    database.close()


# --- reading a rendered report back ------------------------------------------------------------------


def rendered(document, tmp_path: Path, name: str = "bao-cao.docx"):
    return docx.Document(str(render_docx(document, tmp_path / name)))


def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def table_rows(doc, columns) -> list[list[str]]:
    """The data rows (header left out) of every table whose header row is `columns`."""
    found = []
    for table in doc.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and tuple(rows[0]) == tuple(columns):
            found += rows[1:]
    return found


def headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"P30 Mục {level}"]


# --- the self-assessment report --------------------------------------------------------------------


def test_assessment_report_shows_the_services_figures(demo_db, tmp_path):
    assessment_id = assessment_for_year(demo_db, LAST_YEAR)
    view = assessment.view_assessment(demo_db, assessment_id)
    own, theirs = view.totals, view.appraised_totals
    doc = rendered(assessment_document(demo_db, assessment_id, day=DAY, number_symbol="15/BC-UBND"), tmp_path)
    texts = paragraphs(doc)

    assert texts[:2] == ["BÁO CÁO", ASSESSMENT_TITLE]
    assert "Kính gửi: Sở Nội vụ tỉnh Quảng Ngãi." in texts
    assert headings(doc, 1) == [
        "I. KẾT QUẢ TỰ ĐÁNH GIÁ",
        "II. CÁC TIÊU CHÍ CHƯA ĐẠT ĐIỂM TỐI ĐA",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    body = "\n".join(texts)
    assert f"Tổng điểm tự đánh giá: {format_points(own.achieved)}/{format_points(own.maximum)} điểm" in body
    assert f"đạt {percent_text(own.index_percent)}; xếp loại: {own.classification}." in body
    assert percent_text(own.index_percent) == f"{own.index_percent}".replace(".", ",") + "%"
    # the survey is the province's: shown apart, from the appraisal here
    assert "Điểm điều tra xã hội học (tối đa 30 điểm)" in body
    assert f"{format_points(theirs.survey_points)} điểm (theo kết quả thẩm định)" in body
    assert f"Kết quả thẩm định: {format_points(theirs.achieved)}/{format_points(theirs.maximum)} điểm" in body
    assert "Chưa tự chấm" not in body and "chưa tự chấm" not in body  # last year is fully scored

    columns = ("STT", "Lĩnh vực", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định", "Tỷ lệ (%)")
    fields = table_rows(doc, columns)
    tops = [row for row in view.rows if row.criterion.depth == 0]
    assert [row[0] for row in fields[:-1]] == [row.criterion.code for row in tops]
    first = tops[0]
    assert fields[0][2:5] == [
        format_points(first.criterion.maximum),
        format_points(first.rolled_self),
        format_points(first.rolled_appraised),
    ]
    assert fields[-1][1:5] == [
        "Tổng cộng",
        format_points(own.maximum),
        format_points(own.achieved),
        format_points(theirs.achieved),
    ]
    assert doc.tables[0].rows[0].cells[0].text.startswith("ỦY BAN NHÂN DÂN")  # the template's letterhead


def test_lost_points_rows_are_the_items_below_their_maximum(demo_db, tmp_path):
    assessment_id = assessment_for_year(demo_db, LAST_YEAR)
    below = [item for item in assessment.lost_points(demo_db, assessment_id) if "below" in item.reasons]
    assert below  # the demo loses points somewhere
    doc = rendered(assessment_document(demo_db, assessment_id, day=DAY), tmp_path)

    rows = table_rows(doc, LOST_COLUMNS)
    items = [row for row in rows if row[2]]  # a field's own row has no maximum
    assert items == [
        [
            item.criterion.code,
            item.criterion.title,
            format_points(item.criterion.maximum),
            format_points(item.self_score),
            item.explanation or "(chưa có giải trình)",
        ]
        for item in below
    ]
    group_rows = [row for row in rows if not row[2]]
    assert all(row[1] == row[1].upper() for row in group_rows)  # fields in upper case
    lost = sum(item.lost for item in below)
    assert f"tổng số điểm chưa đạt là {format_points(lost)} điểm" in "\n".join(paragraphs(doc))


def test_annexes_hold_the_score_table_and_the_confirmed_evidence(demo_db, tmp_path):
    assessment_id = assessment_for_year(demo_db, THIS_YEAR)
    view = assessment.view_assessment(demo_db, assessment_id)
    evidence = assessment.list_evidence(demo_db, assessment_id)
    confirmed = [item for item in evidence if not item.suggested]
    assert len(confirmed) < len(evidence)  # this year still has suggestions carried over
    doc = rendered(assessment_document(demo_db, assessment_id, day=DAY), tmp_path)
    texts = paragraphs(doc)

    assert "Phụ lục I" in texts and "Phụ lục II" in texts
    assert f"BẢNG ĐIỂM TỰ ĐÁNH GIÁ, XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {THIS_YEAR}" in texts
    assert "DANH MỤC TÀI LIỆU KIỂM CHỨNG" in texts

    # no appraisal yet: no appraised column anywhere
    scores = table_rows(
        doc,
        ("STT/Mã", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá",
         "Số tài liệu kiểm chứng"),
    )  # fmt: skip
    assert [row[0] for row in scores[: len(view.rows)]] == [row.criterion.code for row in view.rows]
    assert scores[len(view.rows)][1:4] == [
        "TỔNG ĐIỂM",
        format_points(view.totals.maximum),
        format_points(view.totals.achieved),
    ]
    assert scores[len(view.rows)][4] == str(sum(row.evidence_count for row in view.rows))
    field = next(i for i, row in enumerate(view.rows) if row.criterion.depth == 0)
    assert scores[field][1] == view.rows[field].criterion.title.upper()
    assert not any(
        "Điểm thẩm định" in cell for table in doc.tables for cell in (c.text for c in table.rows[0].cells)
    )

    listed = table_rows(doc, EVIDENCE_COLUMNS)
    assert len(listed) == len(confirmed)
    assert [row[0] for row in listed] == [str(n) for n in range(1, len(confirmed) + 1)]
    assert sorted((row[1], row[2]) for row in listed) == sorted((e.code, e.label) for e in confirmed)
    suggested_only = {e.label for e in evidence if e.suggested} - {e.label for e in confirmed}
    assert not suggested_only & {row[2] for row in listed}
    for item in confirmed:
        row = next(r for r in listed if r[1] == item.code and r[2] == item.label)
        assert row[3] == item.locator
        assert row[4].startswith(dates.format_dmy(item.evidence_date))
        assert (OUT_OF_YEAR in row[4]) == item.out_of_year

    body = "\n".join(texts)
    unscored = view.totals.unscored
    assert unscored
    assert (
        f"Còn {context.count(len(unscored), 'tiêu chí')} chưa tự chấm điểm (mã: {', '.join(unscored)})"
        in body
    )


def test_narrative_replaces_the_defaults(demo_db, tmp_path):
    assessment_id = assessment_for_year(demo_db, LAST_YEAR)
    default = paragraphs(rendered(assessment_document(demo_db, assessment_id, day=DAY), tmp_path, "a.docx"))
    assert any(text.startswith("Đề nghị Sở Nội vụ tỉnh Quảng Ngãi xem xét, thẩm định") for text in default)

    narrative = {
        "danh_gia": "Công tác cải cách hành chính có chuyển biến rõ nét.",
        "de_xuat": "Đề nghị tỉnh hỗ trợ kinh phí số hóa & chữ ký số <2025>.",
    }
    texts = paragraphs(
        rendered(
            assessment_document(demo_db, assessment_id, day=DAY, narrative=narrative), tmp_path, "b.docx"
        )
    )
    assert texts.index(narrative["danh_gia"]) < texts.index("II. CÁC TIÊU CHÍ CHƯA ĐẠT ĐIỂM TỐI ĐA")
    assert texts[texts.index("III. ĐỀ XUẤT, KIẾN NGHỊ") + 1] == narrative["de_xuat"]
    assert not any(text.startswith("Đề nghị Sở Nội vụ tỉnh Quảng Ngãi xem xét") for text in texts)


# --- the report on a directive --------------------------------------------------------------------


def test_directive_report_lists_each_task(demo_db, tmp_path):
    directive_id = directive_by_number(demo_db, "107/ubnd-nc")
    directive = directives.get_directive(demo_db, directive_id)
    assert directive.number == "107/UBND-NC"
    listed = [task for task in repo_tasks.for_directive(demo_db, directive_id) if task.status != "cancelled"]
    assert len(listed) == 5
    doc = rendered(directive_document(demo_db, directive_id, day=DAY, number_symbol="07/BC-UBND"), tmp_path)
    texts = paragraphs(doc)

    assert texts[:2] == ["BÁO CÁO", DIRECTIVE_TITLE]
    assert "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi." in texts
    assert texts[4].startswith(
        "Thực hiện Công văn số 107/UBND-NC ngày 09/01/2021 của Ủy ban nhân dân tỉnh Quảng Ngãi về việc tham mưu"
    )
    assert texts[4].endswith("Ủy ban nhân dân xã Sơn Tây báo cáo kết quả thực hiện như sau:")
    assert headings(doc, 1) == ["I. KẾT QUẢ THỰC HIỆN", "II. KHÓ KHĂN, VƯỚNG MẮC", "III. ĐỀ XUẤT, KIẾN NGHỊ"]
    assert headings(doc, 2) == [
        *(f"{n}. {shorten(task.content)}" for n, task in enumerate(listed, start=1)),
        "6. Tổng hợp kết quả thực hiện",
    ]
    body = "\n".join(texts)
    assert "đơn vị chủ trì: Sở Nội vụ" in body
    assert "thời hạn: chậm nhất trong tháng 2/2021 (ngày 28/02/2021)" in body
    overdue = (DAY - dt.date(2021, 2, 28)).days
    assert f"Kết quả: Chưa hoàn thành, đã quá hạn {vntext.format_count(overdue)} ngày" in body
    assert "trước ngày ban hành văn bản" in body  # task 2's deadline (02/2020) predates the letter: flagged

    rows = table_rows(doc, DIRECTIVE_TABLE_COLUMNS)
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]
    assert [row[2] for row in rows] == [task.lead_unit for task in listed]
    assert rows[0][3] == "28/02/2021"
    assert all(row[4].startswith("Chưa hoàn thành, quá hạn") for row in rows)


def test_directive_report_follows_progress_and_survives_hostile_text(demo_copy, tmp_path):
    directive_id = directive_by_number(demo_copy, "107/UBND-NC")
    hostile = "Rà soát & báo cáo <x> “đầy đủ” về Tiêu chí 1 </w:t> {{ noi_dung }}"
    with demo_copy.atomic():
        tasks.add_tasks(
            demo_copy,
            directive_id,
            [
                TaskInput(
                    content=hostile, ref="3", lead_unit="Văn phòng - Thống kê", deadline=dt.date(2021, 2, 28)
                )
            ],
        )
    (item_id,) = tables.task_item_ids(demo_copy.conn, TaskQuery(directive_id=directive_id, own_only=True))
    tasks.add_note(demo_copy, item_id, "Đã họp & thống nhất <nội dung>", note_date=dt.date(2021, 2, 1))
    tasks.complete_items(
        demo_copy, [item_id], dt.date(2021, 3, 2), reply_number="12/BC-UBND", today=dt.date(2021, 3, 5)
    )
    doc = rendered(directive_document(demo_copy, directive_id, day=DAY), tmp_path)
    texts = paragraphs(doc)

    # once a task concerns the office, the report is about the office's tasks only
    assert headings(doc, 2) == [f"1. {hostile}", "2. Tổng hợp kết quả thực hiện"]
    body = "\n".join(texts)
    assert "Nhiệm vụ tại mục 3 của văn bản; đơn vị chủ trì: Văn phòng - Thống kê" in body
    assert (
        "Kết quả: Đã hoàn thành ngày 02/03/2021 (văn bản số 12/BC-UBND), chậm 2 ngày so với thời hạn." in body
    )
    assert "- Ngày 01/02/2021: Đã họp & thống nhất <nội dung>" in texts
    assert not any(
        text.startswith("- Ngày 05/03/2021: Hoàn thành ngày") for text in texts
    )  # the status says it
    (row,) = table_rows(doc, DIRECTIVE_TABLE_COLUMNS)
    assert row == [
        "1",
        hostile,
        "Văn phòng - Thống kê",
        "28/02/2021",
        "Hoàn thành ngày 02/03/2021 (chậm 2 ngày)",
    ]


def test_directive_by_number_ignores_case_diacritics_and_cancelled_ones(demo_copy):
    first = directive_by_number(demo_copy, "107/UBND-NC")
    assert directive_by_number(demo_copy, "  107/ubnd-nc ") == first
    values = DirectiveInput(
        ngay_den=dt.date(2022, 3, 2),
        issuer="Sở Nội vụ tỉnh Quảng Ngãi",
        subject="V/v thử nghiệm",
        number="777/QĐ-SNV",
        issued_date=dt.date(2022, 3, 1),
        doc_type="Quyết định",
    )
    older = directives.register_directive(demo_copy, values).directive.id
    later = dataclasses.replace(values, ngay_den=dt.date(2023, 5, 6), issued_date=dt.date(2023, 5, 5))
    newer = directives.register_directive(demo_copy, later).directive.id
    assert directive_by_number(demo_copy, "777/qd-snv") == newer  # đ folds to d; the latest wins
    directives.cancel_directive(demo_copy, newer, "Nhập trùng")
    assert directive_by_number(demo_copy, "777/QĐ-SNV") == older


def test_unknown_directive_number_is_a_vietnamese_not_found_error(demo_db):
    with pytest.raises(NotFoundError, match="Không tìm thấy văn bản số “999/XYZ-ABC” trong sổ văn bản đến"):
        directive_by_number(demo_db, "999/XYZ-ABC")
    with pytest.raises(NotFoundError, match="Chưa nhập số, ký hiệu"):
        directive_by_number(demo_db, "  ")


# --- the units' results over a period ------------------------------------------------------------


def test_units_report_counts_match_the_task_list(demo_copy, tmp_path):
    start, end = dt.date(LAST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
    tasks.create_task(
        demo_copy,
        TaskInput(
            content="Kiểm tra & xử lý <hồ sơ> trễ hạn",
            lead_unit="Công an xã",
            deadline=dt.date(LAST_YEAR, 3, 1),
        ),
    )
    doc = rendered(units_document(demo_copy, start, end, f"Năm {LAST_YEAR}", day=DAY), tmp_path)
    texts = paragraphs(doc)

    assert texts[:2] == ["BÁO CÁO", f"Kết quả thực hiện nhiệm vụ được giao năm {LAST_YEAR}"]
    assert "Kính gửi: Sở Nội vụ tỉnh Quảng Ngãi." in texts
    assert headings(doc, 1) == [
        "I. KẾT QUẢ CHUNG",
        "II. KẾT QUẢ THEO ĐƠN VỊ CHỦ TRÌ",
        "III. CÁC NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH",
        "IV. KHÓ KHĂN, VƯỚNG MẮC",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    rows = table_rows(doc, UNIT_TABLE_COLUMNS)
    units, total = rows[:-1], rows[-1]
    assert total[1] == "Tổng cộng"
    for row in units:
        assert int(row[2]) == sum(int(cell) for cell in row[3:7])
        assert row[7] == context.rate(int(row[3]), int(row[2]))
    assert [int(cell) for cell in total[2:7]] == [sum(int(row[i]) for row in units) for i in range(2, 7)]

    query = TaskQuery(due_from=start, due_to=end, today=DAY)
    overdue = tables.task_item_count(
        demo_copy.conn, TaskQuery(bucket="open_overdue", due_from=start, due_to=end, today=DAY)
    )
    assert overdue >= 1 and int(total[6]) == overdue
    assert int(total[2]) >= tables.task_item_count(
        demo_copy.conn, query
    )  # + items done in the year, due outside
    assert int(total[3]) + int(total[4]) >= tables.task_item_count(
        demo_copy.conn, TaskQuery(bucket="done_on_time", due_from=start, due_to=end, today=DAY)
    ) + tables.task_item_count(
        demo_copy.conn, TaskQuery(bucket="done_late", due_from=start, due_to=end, today=DAY)
    )

    # the overdue items, by unit, in the annex
    assert "Phụ lục" in texts
    listed = table_rows(doc, OVERDUE_TABLE_COLUMNS)
    assert len(listed) == overdue
    mine = next(row for row in listed if "Kiểm tra & xử lý <hồ sơ> trễ hạn" in row[1])
    assert mine[2] == tracking.directive_label({"directive_id": None})
    assert mine[3] == f"01/03/{LAST_YEAR}"
    assert mine[4] == str((DAY - dt.date(LAST_YEAR, 3, 1)).days)
    assert "Công an xã" in [text.split(". ", 1)[-1] for text in headings(doc, 2)]
    assert any(text.startswith("- Công an xã: ") for text in texts)


def test_units_report_of_an_empty_period_and_bad_ranges(demo_db, tmp_path):
    doc = rendered(
        units_document(demo_db, dt.date(1999, 1, 1), dt.date(1999, 3, 31), "quý I năm 1999", day=DAY),
        tmp_path,
    )
    texts = paragraphs(doc)
    assert "Trong kỳ không có nhiệm vụ nào đến hạn hoặc hoàn thành." in texts
    assert "Không có nhiệm vụ quá hạn chưa hoàn thành." in texts
    assert not table_rows(doc, UNIT_TABLE_COLUMNS)
    assert "Phụ lục" not in texts
    with pytest.raises(ValidationError, match="ở sau ngày kết thúc"):
        units_document(demo_db, dt.date(2025, 3, 1), dt.date(2025, 1, 1), "quý I năm 2025")


def test_reports_need_the_office_profile(db):
    assert get_profile(db).is_empty
    with pytest.raises(ValidationError, match="Thông tin đơn vị"):
        units_document(db, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "năm 2025")


# --- one real conversion ---------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed (libreoffice-writer)"
)
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed (poppler-utils)")
def test_libreoffice_prints_the_assessment_report(demo_db, tmp_path, to_pdf):
    assessment_id = assessment_for_year(demo_db, LAST_YEAR)
    source = render_docx(assessment_document(demo_db, assessment_id, day=DAY), tmp_path / "tu-danh-gia.docx")
    pdf = to_pdf(source)
    result = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    text = " ".join(lines)
    assert "BÁO CÁO" in lines
    assert ASSESSMENT_TITLE in text
    assert "I. KẾT QUẢ TỰ ĐÁNH GIÁ" in text
