"""Consolidating the units' submissions: ranks (ties share one), unranked units last, the missing units, the
items where most units lose points, the index without the survey; the Excel book read back with openpyxl;
the Word report read back with python-docx (title, ranking in order, the chart, the annex), one printed by
LibreOffice; the `parclerk ranking` command.

The collecting database is built with the real services: packages written from chosen scores as a unit's
parclerk would export them, imported through the same checks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from parclerk.cli import EXIT_KNOWN, EXIT_OK, main
from parclerk.criteria import Classification, CriteriaSet, Criterion
from parclerk.data.db import open_db
from parclerk.errors import NotFoundError
from parclerk.excel.ranking_export import (
    MISSING_SHEET,
    RANK_SHEET,
    TAIL_COLUMNS,
    WEAK_COLUMNS,
    WEAK_SHEET,
    export_ranking_xlsx,
)
from parclerk.models import OfficeProfile
from parclerk.reports.document import Heading, Picture, Table
from parclerk.reports.ranking_report import annex_parts, ranking_document, short_name
from parclerk.services import assessment, ranking, settings, submissions
from parclerk.services.ranking import Consolidation, FieldColumn, Group, UnitResult

YEAR = 2026
DAY = dt.date(YEAR, 12, 1)
D = Decimal
FORMULA_NAME = '=HYPERLINK("http://x.invalid","Xã Bấm")'
OFFICE = OfficeProfile(
    unit_name="Sở Nội vụ tỉnh Quảng Ngãi",
    parent_name="Ủy ban nhân dân tỉnh Quảng Ngãi",
    unit_abbrev="SNV",
    level="so",
    place_name="Quảng Ngãi",
    signer_name="Trần Văn Bình",
    signer_title="Giám đốc",
    reports_to="Ủy ban nhân dân tỉnh Quảng Ngãi",
)
RANKS = (
    Classification("Tốt", D(80)),
    Classification("Khá", D(65)),
    Classification("Trung bình", D(50)),
    Classification("Yếu", D(0)),
)
# Hundredths for 1.1 (10), 1.2 (20), 2.1 (20), 2.2 (20); field 3 (30 points) is the survey's.
SCORES: dict[str, tuple[int | None, ...]] = {
    "Ủy ban nhân dân xã An Phú": (1000, 2000, 2000, 2000),  # 70/70 = 100%
    "Xã Bình Minh": (1000, 2000, 2000, 1000),  # 60/70 = 85,71%
    "Xã Cát Tiên": (500, 2000, 2000, 1500),  # 60/70 = 85,71%, the same rank
    FORMULA_NAME: (1000, 1000, None, 1000),  # 30/70 = 42,86%, one item unscored
    "Xã Đồng Tâm": (1000, 2000, 2000, 2000),  # 100%, not ranked
}
MISSING = "Xã Gia Lộc"


def _set() -> CriteriaSet:
    rows = [
        ("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 3000, False),
        ("1.1", "Ban hành kế hoạch CCHC", 1000, False),
        ("1.2", "Báo cáo CCHC đúng hạn", 2000, False),
        ("2", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 4000, False),
        ("2.1", "Công khai thủ tục hành chính", 2000, False),
        ("2.2", "Giải quyết hồ sơ đúng hạn", 2000, False),
        ("3", "SỰ HÀI LÒNG CỦA NGƯỜI DÂN", 3000, True),
    ]
    items = tuple(Criterion(code, title, maximum, survey=survey) for code, title, maximum, survey in rows)
    return CriteriaSet("Bộ chỉ số thử cấp xã", YEAR, "xa", "QĐ thử", items, RANKS)


def _collect(db, folder: Path) -> None:
    criteria_set = _set()
    assessment.save_set(db, criteria_set)
    settings.save_profile(db, OFFICE)
    submissions.add_expected_units(db, YEAR, [*[n for n in SCORES if n != FORMULA_NAME], MISSING])
    files = []
    for number, (name, points) in enumerate(SCORES.items(), start=1):
        out = folder / f"{number:02d}.zip"
        profile = OfficeProfile(unit_name=name, level="xa", place_name=name)
        scores = dict(zip(("1.1", "1.2", "2.1", "2.2"), points, strict=True))
        submissions.write_demo_package(
            out, criteria_set, profile, year=YEAR, scores=scores, source=f"test-{number}",
            exported_at=f"{YEAR}-11-{number:02d}T09:00:00",
        )  # fmt: skip
        files.append(out)
    outcome = submissions.import_submissions(db, files, year=YEAR)
    assert outcome.imported == len(SCORES), [p.problems for p in outcome.previews]
    unit = next(u for u in submissions.list_units(db, YEAR) if u.name == "Xã Đồng Tâm")
    submissions.set_ranked(db, unit.id, False)


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collecting database with the year's submissions (shared: tests only read it)."""
    from parclerk.data.db import open_and_migrate

    folder = tmp_path_factory.mktemp("ranking")
    path = folder / "collect.sqlite"
    database = open_and_migrate(path)
    try:
        _collect(database, folder)
    finally:
        database.close()
    return path


@pytest.fixture(scope="module")
def cdb(collected: Path):
    database = open_db(collected)
    yield database
    database.close()


@pytest.fixture(scope="module")
def consolidation(cdb) -> Consolidation:
    return ranking.consolidate(cdb, YEAR)


# --- the consolidation ----------------------------------------------------------------------------


def test_units_are_ranked_by_index_and_ties_share_a_rank(consolidation):
    (group,) = consolidation.groups
    assert [(r.name, r.rank) for r in group.results] == [
        ("Ủy ban nhân dân xã An Phú", 1),
        ("Xã Bình Minh", 2),
        ("Xã Cát Tiên", 2),
        (FORMULA_NAME, 4),
        ("Xã Đồng Tâm", None),  # not ranked: last, without a rank, though its index is the highest
    ]
    first = group.results[0]
    assert first.achieved == first.maximum == 7000  # the survey's 30 points are neither scored nor counted
    assert first.index_percent == D("100.00") and first.classification == "Tốt"
    assert group.survey_maximum == 3000
    assert [f.maximum for f in group.fields] == [3000, 4000]  # the survey field has no column
    assert group.results[1].index_percent == D("85.71")
    formula = group.results[3]
    assert formula.unscored == 1 and formula.index_percent == D("42.86") and formula.classification == "Yếu"
    assert group.results[4].ranked is False and group.results[4].index_percent == D("100.00")
    assert group.average_percent == D(
        "78.57"
    )  # (100 + 85,71 + 85,71 + 42,86) / 4: the unranked unit left out
    assert group.counts() == [("Tốt", 3), ("Khá", 0), ("Trung bình", 0), ("Yếu", 1)]


def test_missing_units_and_counts(consolidation):
    assert consolidation.missing == (MISSING,)
    assert (
        consolidation.expected == 5 and consolidation.submitted == 5
    )  # the formula-named unit is not listed


def test_weak_items_most_losing_first_then_most_points_lost(consolidation):
    (group,) = consolidation.groups
    assert [(w.code, w.losing, w.lost_total) for w in group.weak_items] == [
        ("2.2", 3, 2500),
        ("2.1", 1, 2000),  # unscored counts as losing every point
        ("1.2", 1, 1000),
        ("1.1", 1, 500),
    ]
    weak = group.weak_items[0]
    assert weak.submitted == 5 and weak.average == 1500 and weak.share_percent == D("60.00")
    assert all(w.code != "3" for w in group.weak_items)  # the survey is not the units' to lose


def test_a_year_without_units_is_not_found(cdb):
    with pytest.raises(NotFoundError, match="Năm 1999"):
        ranking.consolidate(cdb, 1999)


# --- the Excel book -------------------------------------------------------------------------------


def test_excel_book_holds_numbers_and_texts_never_formulas(consolidation, tmp_path):
    out = export_ranking_xlsx(consolidation, tmp_path / "xep-hang.xlsx")
    assert out == tmp_path / "xep-hang.xlsx"
    assert [p.name for p in tmp_path.iterdir()] == ["xep-hang.xlsx"]  # nothing left beside it
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [RANK_SHEET, WEAK_SHEET, MISSING_SHEET]
    sheet = book[RANK_SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == f"KẾT QUẢ TỰ ĐÁNH GIÁ, XẾP HẠNG CHỈ SỐ CCHC NĂM {YEAR}"
    assert "chưa qua thẩm định" in rows[1][0] and "điều tra xã hội học" in rows[1][0]
    header = rows[3]
    assert header[:2] == ["Hạng", "Đơn vị"]
    assert header[2] == "1. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH\n(tối đa 30)"
    assert header[3] == "2. CẢI CÁCH THỦ TỤC HÀNH CHÍNH\n(tối đa 40)"
    assert header[4:] == list(TAIL_COLUMNS)
    assert sheet.freeze_panes == "C5"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"
    data = rows[4:9]
    assert [r[1] for r in data] == [r.name for r in consolidation.groups[0].results]
    assert [r[0] for r in data] == [1, 2, 2, 4, "—"]
    an_phu = data[0]
    assert an_phu[2:7] == [30, 40, 70, 70, 100]
    assert all(isinstance(v, int | float) for v in an_phu[2:7])
    assert an_phu[7] == "Tốt"
    assert data[3][2:5] == [20, 10, 30] and data[3][9] == "1 tiêu chí chưa chấm (tính 0 điểm)"
    assert data[4][9] == "Không xếp hạng"
    assert data[1][6] == pytest.approx(85.71)
    average = rows[9]
    assert average[1].startswith("Bình quân") and average[6] == pytest.approx(78.57)
    counts = {r[1]: r[2] for r in rows[10:] if r[1] in ("Tốt", "Khá", "Trung bình", "Yếu")}
    assert counts == {"Tốt": 3, "Khá": 0, "Trung bình": 0, "Yếu": 1}
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    formula_cell = sheet.cell(row=8, column=2)
    assert formula_cell.value == FORMULA_NAME and formula_cell.data_type == "s"
    assert sheet.cell(row=5, column=3).number_format in ("General", "0.00")
    assert sheet.cell(row=5, column=7).number_format == "0.00"

    weak = [[c.value for c in row] for row in book[WEAK_SHEET].iter_rows()]
    assert weak[3] == list(WEAK_COLUMNS)
    assert weak[4] == ["2.2", "Giải quyết hồ sơ đúng hạn", 20, 3, 60, 15, 25]
    assert [r[0] for r in weak[4:8]] == ["2.2", "2.1", "1.2", "1.1"]
    missing = [[c.value for c in row] for row in book[MISSING_SHEET].iter_rows()]
    assert missing[2] == ["STT", "Đơn vị"] and missing[3] == [1, MISSING]


def test_excel_book_of_a_year_everyone_submitted(consolidation, tmp_path):
    done = dataclasses.replace(consolidation, missing=())
    book = openpyxl.load_workbook(export_ranking_xlsx(done, tmp_path / "x.xlsx"))
    texts = [c.value for row in book[MISSING_SHEET].iter_rows() for c in row if c.value]
    assert "Tất cả đơn vị đã nộp." in texts


# --- the Word report ------------------------------------------------------------------------------


def _table_rows(doc, first_header: str) -> list[list[str]]:
    found = []
    for table in doc.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_header:
            found.append(rows)
    return found


def test_word_report_has_the_ranking_the_chart_and_the_annex(cdb, tmp_path):
    written = ranking.write_ranking_report(cdb, YEAR, tmp_path / "xep-hang.docx", day=DAY)
    assert written.number_symbol == ""
    doc = docx.Document(str(written.path))
    texts = [p.text for p in doc.paragraphs]
    text = "\n".join(texts)
    assert f"Kết quả tự đánh giá, xếp hạng Chỉ số cải cách hành chính năm {YEAR} của các đơn vị" in text
    for heading in ("I. TÌNH HÌNH TỰ ĐÁNH GIÁ CỦA CÁC ĐƠN VỊ", "II. KẾT QUẢ XẾP HẠNG",
                    "III. NHỮNG TIÊU CHÍ NHIỀU ĐƠN VỊ BỊ MẤT ĐIỂM", "IV. ĐỀ XUẤT"):  # fmt: skip
        assert heading in texts
    assert "Còn 01 đơn vị chưa nộp kết quả tự đánh giá: Xã Gia Lộc." in text
    assert "30 điểm điều tra xã hội học" in text and "chưa qua thẩm định" in text
    assert "bình quân của 04 đơn vị được xếp hạng đạt 78,57%" in text
    assert "cao nhất là UBND xã An Phú (100,00%)" in text
    assert f"Hình 1. Chỉ số CCHC tự đánh giá năm {YEAR} của các đơn vị (Xã, phường, đặc khu)" in text
    assert "BẢNG ĐIỂM TỰ ĐÁNH GIÁ CHI TIẾT THEO LĨNH VỰC" in text
    assert "LV1: CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH (tối đa 30 điểm)." in texts

    (rank,) = _table_rows(doc, "Hạng")
    assert rank[0][2] == "Tổng điểm (tối đa 70)"
    assert [(r[0], r[1]) for r in rank[1:]] == [
        ("1", "UBND xã An Phú"),
        ("2", "Xã Bình Minh"),
        ("2", "Xã Cát Tiên"),
        ("4", FORMULA_NAME),
        ("—", "Xã Đồng Tâm (không xếp hạng)"),
    ]
    assert rank[1][2:] == ["70", "100,00", "Tốt"] and rank[2][2:] == ["60", "85,71", "Tốt"]
    assert rank[4][2:] == ["30", "42,86", "Yếu"]
    (weak,) = _table_rows(doc, "Mã")
    assert [r[0] for r in weak[1:]] == ["2.2", "2.1", "1.2", "1.1"]
    assert weak[1][3] == "3/5" and weak[1][4] == "15"
    (annex,) = _table_rows(doc, "STT")
    assert annex[0] == ["STT", "Đơn vị", "LV1", "LV2", "Tổng", "Chỉ số (%)", "Xếp loại", "Hạng"]
    assert annex[1] == ["1", "UBND xã An Phú", "30", "40", "70", "100,00", "Tốt", "1"]
    assert annex[-1][1] == "Bình quân" and annex[-1][5] == "78,57"

    assert len(doc.inline_shapes) == 1
    with zipfile.ZipFile(written.path) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(media) == 1


def test_report_with_no_submission_yet(cdb, tmp_path):
    empty = Consolidation(YEAR, (), ("Xã A", "Xã B"), 2, 0)
    document = ranking_document(empty, OFFICE, day=DAY)
    assert not any(isinstance(b, Picture | Table) for b in document.blocks) and not document.annexes
    text = "\n".join(getattr(b, "text", "") for b in document.blocks)
    assert "chưa có kết quả xếp hạng" in text and "Xã A và Xã B" in text
    from parclerk.reports.render import render_docx

    assert render_docx(document, tmp_path / "trong.docx").exists()
    book = openpyxl.load_workbook(export_ranking_xlsx(empty, tmp_path / "trong.xlsx"))
    assert book.sheetnames == [RANK_SHEET, WEAK_SHEET, MISSING_SHEET]


def _group(level: str, set_id: int, fields: int, units: int) -> Group:
    columns = tuple(FieldColumn(str(n), f"LĨNH VỰC {n}", 1000) for n in range(1, fields + 1))
    results = tuple(
        UnitResult(
            set_id * 100 + n, f"Đơn vị {level} {n}", True, n, set_id * 100 + n, 1, f"{YEAR}-11-01T08:00:00",
            {c.code: 1000 - 50 * n for c in columns}, (1000 - 50 * n) * fields, 1000 * fields,
            D(100 - 5 * n), "Tốt" if n < 4 else "Khá", 0,
        )
        for n in range(1, units + 1)
    )  # fmt: skip
    return Group(set_id, level, f"Bộ {level}", columns, results, (), RANKS, 0)


def test_several_groups_get_their_own_heading_chart_and_table(tmp_path):
    several = Consolidation(YEAR, (_group("xa", 1, 2, 3), _group("so", 2, 7, 4)), (), 7, 7)
    document = ranking_document(several, OFFICE, day=DAY)
    level_two = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 2]
    assert level_two == ["1. Xã, phường, đặc khu", "2. Sở, ban, ngành"] * 2
    pictures = [b for b in document.blocks if isinstance(b, Picture)]
    assert [p.caption[:7] for p in pictures] == ["Hình 1.", "Hình 2."]
    (annex,) = document.annexes
    tables = [b for b in annex.blocks if isinstance(b, Table)]
    # seven fields do not fit beside the tail on A4 portrait: that group's table is cut in two
    assert [list(t.columns[2:]) for t in tables] == [
        ["LV1", "LV2", "Tổng", "Chỉ số (%)", "Xếp loại", "Hạng"],
        ["LV1", "LV2", "LV3"],
        ["LV4", "LV5", "LV6", "LV7", "Tổng", "Chỉ số (%)", "Xếp loại", "Hạng"],
    ]
    book = openpyxl.load_workbook(export_ranking_xlsx(several, tmp_path / "nhom.xlsx"))
    values = [c.value for row in book[RANK_SHEET].iter_rows() for c in row]
    assert "XÃ, PHƯỜNG, ĐẶC KHU (Bộ xa)" in values and "SỞ, BAN, NGÀNH (Bộ so)" in values


def test_annex_parts_share_the_fields_out():
    assert annex_parts(3) == [(0, 3)]
    assert annex_parts(4) == [(0, 4)]
    assert annex_parts(5) == [(0, 2), (2, 5)]
    assert annex_parts(8) == [(0, 4), (4, 8)]
    for count in range(1, 30):
        parts = annex_parts(count)
        assert parts[0][0] == 0 and parts[-1][1] == count
        assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))
        assert parts[-1][1] - parts[-1][0] <= 4 and all(stop - start <= 8 for start, stop in parts)


def test_short_names():
    assert short_name("Ủy ban nhân dân xã Sơn Hà") == "UBND xã Sơn Hà"
    assert short_name("Uỷ ban nhân dân  phường Nghĩa Lộ") == "UBND phường Nghĩa Lộ"
    assert short_name("Sở Tư pháp") == "Sở Tư pháp"


# --- LibreOffice ----------------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed (libreoffice-writer)"
)
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed (poppler-utils)")
def test_libreoffice_prints_the_ranking_report(cdb, tmp_path, to_pdf):
    source = ranking.write_ranking_report(cdb, YEAR, tmp_path / "xep-hang.docx", day=DAY).path
    pdf = to_pdf(source)
    result = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
    )
    text = " ".join(result.stdout.split())
    assert "II. KẾT QUẢ XẾP HẠNG" in text
    assert "UBND xã An Phú" in text and "Xã Cát Tiên" in text


# --- the command line -----------------------------------------------------------------------------


def test_cli_writes_the_table_and_the_report(collected, tmp_path, capsys):
    xlsx, report = tmp_path / "x.xlsx", tmp_path / "x.docx"
    args = ["ranking", "--db", str(collected), "--year", str(YEAR)]
    assert main([*args, "--out", str(xlsx)]) == EXIT_OK
    assert main([*args, "--out", str(report), "--date", "01/12/2026"]) == EXIT_OK
    assert xlsx.stat().st_size > 0 and report.stat().st_size > 0
    assert f"Đã lập kết quả xếp hạng năm {YEAR}" in capsys.readouterr().out
    assert main([*args, "--out", str(tmp_path / "x.pdf")]) == EXIT_KNOWN
    assert "phải có đuôi .xlsx" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_bonus_points_get_a_column_and_two_sets_of_one_level_are_told_apart(tmp_path):
    old, new = _group("xa", 1, 2, 3), _group("xa", 2, 2, 2)
    results = list(old.results)
    results[0] = dataclasses.replace(results[0], achieved=results[0].achieved + 150)  # 1,5 bonus points
    old = dataclasses.replace(old, results=tuple(results), set_name="Bộ chỉ số 2025")
    two = Consolidation(YEAR, (old, new), (), 5, 5)
    document = ranking_document(two, OFFICE, day=DAY)
    level_two = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 2]
    assert level_two[:2] == ["1. Xã, phường, đặc khu (Bộ chỉ số 2025)", "2. Xã, phường, đặc khu (Bộ xa)"]
    legend = "\n".join(b.text for b in document.annexes[0].blocks if not isinstance(b, Table | Heading))
    assert "điểm thưởng" in legend
    book = openpyxl.load_workbook(export_ranking_xlsx(two, tmp_path / "thuong.xlsx"))
    rows = [[c.value for c in row] for row in book[RANK_SHEET].iter_rows()]
    header = next(r for r in rows if r[0] == "Hạng")
    column = header.index("Điểm thưởng (+), trừ (−)")
    assert header[column + 1] == "Tổng điểm"
    first = rows[rows.index(header) + 1]
    assert first[column] == 1.5 and first[column + 1] == pytest.approx(20.5)
