"""Evidence, where points are lost, year over year, a new year from last year's, classifications, and the
scoring table in Excel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from parclerk.criteria import Classification, CriteriaSet, Criterion, parse_points, parse_rule
from parclerk.errors import NotFoundError, ParclerkError, ValidationError
from parclerk.models import DirectiveInput
from parclerk.services import assessment
from parclerk.services.directives import register_directive


def _set(year: int = 2025, extra: bool = False) -> CriteriaSet:
    rows = [
        ("1", "Chỉ đạo, điều hành", "60", "", "", False),
        ("1.1", "Ban hành kế hoạch CCHC năm", "30",
         "Ban hành kịp thời: 30; Ban hành không kịp thời: 15; Không ban hành: 0", "Văn phòng", False),
        ("1.2", "Báo cáo CCHC", "30", "", "Văn phòng", False),
        ("1.2.1", "Báo cáo đúng hạn", "15,5", "", "Văn phòng", False),
        ("1.2.2", "Báo cáo đủ nội dung", "14,5", "", "Tư pháp - Hộ tịch", False),
        ("2", "Sự hài lòng của người dân", "40", "", "", True),
    ]  # fmt: skip
    if extra:  # this year's set moved 40 points from the survey to a new field
        rows[-1] = ("3", "Chính quyền số", "40", "", "Văn phòng", False)
    items = tuple(
        Criterion(code, title, parse_points(m), parse_rule(rule, parse_points(m)), survey, "", department)
        for code, title, m, rule, department, survey in rows
    )
    ranks = (Classification("Tốt", Decimal(80)), Classification("Khá", Decimal(65)))
    return CriteriaSet("Cấp xã & phường", year, "xa", "QĐ thử", items, ranks)


@pytest.fixture
def scored(db):
    set_id = assessment.save_set(db, _set())
    assessment_id = assessment.start_assessment(db, set_id, 2025, unit_name="UBND xã Ba Điền")
    assessment.set_score(db, assessment_id, "1.1", "15", explanation="Ban hành chậm 5 ngày")
    assessment.set_score(db, assessment_id, "1.2.1", "15,5")
    assessment.set_score(db, assessment_id, "1.2.2", "10")  # below, no explanation
    return assessment_id


def _register(db, number: str, issued: dt.date) -> int:
    values = DirectiveInput(
        ngay_den=issued, issuer="UBND xã Ba Điền", number=number, issued_date=issued,
        doc_type="Kế hoạch", subject="Kế hoạch CCHC năm 2025 & <phụ lục>",
    )  # fmt: skip
    return register_directive(db, values, today=dt.date(2026, 1, 1)).directive.id


def test_evidence_from_the_register_takes_its_date_and_flags_other_years(db, scored):
    this_year = _register(db, "05/KH-UBND", dt.date(2025, 1, 20))
    old = _register(db, "88/KH-UBND", dt.date(2024, 12, 30))
    assessment.add_evidence(db, scored, "1.1", directive_id=this_year, locator="Mục II, trang 3")
    assessment.add_evidence(db, scored, "1.2.1", directive_id=old)
    assessment.add_evidence(
        db, scored, "1.2.2", description="Báo cáo số 12/BC-UBND (văn bản đi)", evidence_date="15/06/2025"
    )
    items = {e.code: e for e in assessment.list_evidence(db, scored)}
    assert items["1.1"].evidence_date == dt.date(2025, 1, 20) and not items["1.1"].out_of_year
    assert items["1.1"].label.startswith("Kế hoạch 05/KH-UBND ngày 20/01/2025 của UBND xã Ba Điền")
    assert "& <phụ lục>" in items["1.1"].label and items["1.1"].locator == "Mục II, trang 3"
    assert items["1.2.1"].out_of_year
    assert items["1.2.2"].label == "Báo cáo số 12/BC-UBND (văn bản đi)" and not items["1.2.2"].out_of_year
    view = assessment.view_assessment(db, scored)
    assert {r.criterion.code: r.evidence_count for r in view.rows}["1.1"] == 1


def test_evidence_file_is_stored_by_hash_and_opens_as_a_copy(db, scored, tmp_path):
    source = tmp_path / "Kế hoạch 05.pdf"
    source.write_bytes(b"%PDF-1.4 evidence")
    assessment.add_evidence(db, scored, "1.1", file=source, evidence_date=dt.date(2025, 2, 1))
    (item,) = assessment.list_evidence(db, scored, "1.1")
    assert item.original_name == "Kế hoạch 05.pdf" and len(item.sha256) == 64
    copy = assessment.evidence_file_for_viewing(db, item.id)
    assert copy.read_bytes() == b"%PDF-1.4 evidence" and copy.name == "Kế hoạch 05.pdf"
    assessment.remove_evidence(db, item.id)
    assert assessment.list_evidence(db, scored) == []
    with pytest.raises(NotFoundError):
        assessment.remove_evidence(db, item.id)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Hãy chọn một văn bản"),
        ({"description": "KH", "evidence_date": "31/02/2025"}, "không có trên lịch"),
        ({"directive_id": 999}, "Không tìm thấy văn bản"),
        ({"file": "/nonexistent/x.pdf"}, "Không tìm thấy tệp"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_stored(db, scored, kwargs, message):
    with pytest.raises(ParclerkError, match=message):
        assessment.add_evidence(db, scored, "1.1", **kwargs)
    assert assessment.list_evidence(db, scored) == []


def test_lost_points_lists_each_reason_with_points_at_stake(db, scored):
    day = dt.date(2025, 3, 1)
    assessment.add_evidence(db, scored, "1.2.1", description="Báo cáo quý I", evidence_date=day)
    lost = {item.criterion.code: item for item in assessment.lost_points(db, scored)}
    assert set(lost) == {"1.1", "1.2.2"}  # 1.2.1 full, with evidence; 2 is the survey's
    assert lost["1.1"].reasons == ("below", "no_evidence")  # explained
    assert lost["1.1"].lost == 1500 and lost["1.1"].at_risk == 1500 and lost["1.1"].at_stake == 3000
    assert lost["1.2.2"].reasons == ("below", "no_evidence", "no_explanation")
    by_department = assessment.group_lost(list(lost.values()), "department")
    assert [(label, points) for label, _items, points in by_department] == [
        ("Tư pháp - Hộ tịch", 1450),
        ("Văn phòng", 3000),
    ]
    (field,) = assessment.group_lost(list(lost.values()), "field")
    assert field[0] == "1. Chỉ đạo, điều hành" and field[2] == 4450


def test_a_new_year_starts_empty_with_last_years_evidence_as_suggestions(db, scored):
    assessment.add_evidence(
        db, scored, "1.1", description="Kế hoạch 05/KH-UBND", evidence_date=dt.date(2025, 1, 5)
    )
    new_set = assessment.save_set(db, _set(2026, extra=True))
    this = assessment.start_from_previous(db, scored, 2026, set_id=new_set)
    view = assessment.view_assessment(db, this)
    assert view.year == 2026 and view.unit_name == "UBND xã Ba Điền"
    assert all(row.self_score is None and not row.explanation for row in view.rows)
    (suggestion,) = assessment.list_evidence(db, this)
    assert suggestion.suggested and suggestion.out_of_year
    assert {r.criterion.code: r.suggested_count for r in view.rows}["1.1"] == 1
    assert "no_evidence" in {i.criterion.code: i for i in assessment.lost_points(db, this)}["1.1"].reasons
    assessment.confirm_evidence(db, suggestion.id, evidence_date="10/01/2026")
    (kept,) = assessment.list_evidence(db, this)
    assert not kept.suggested and not kept.out_of_year
    with pytest.raises(ValidationError, match="Năm 2026 đã có"):
        assessment.start_from_previous(db, scored, 2026)


def test_without_a_new_set_the_year_starts_on_a_copy_of_last_years(db, scored):
    this = assessment.start_from_previous(db, scored, 2026)
    view = assessment.view_assessment(db, this)
    assert [r.criterion.code for r in view.rows] == [c.code for c in _set().criteria]
    assert assessment.load_set(db, view.set_id).year == 2026 and view.set_id != 1


def test_year_over_year_matches_by_code(db, scored):
    new_set = assessment.save_set(db, _set(2026, extra=True))
    this = assessment.start_from_previous(db, scored, 2026, set_id=new_set)
    assessment.set_score(db, this, "1.1", "30")
    assessment.set_score(db, this, "3", "20")
    comparison = assessment.compare_years(db, this)
    rows = {row.code: row for row in comparison.rows}
    assert comparison.last_year == 2025 and comparison.matched == 5
    assert comparison.only_this == 1 and comparison.only_last == 1
    assert rows["1.1"].difference == 1500
    assert rows["1"].this_year == 3000 and rows["1"].last_year == 4050  # rolled up
    assert rows["3"].last_year is None and rows["3"].difference is None
    assert rows["2"].maximum is None and rows["2"].this_year is None  # only last year
    assert comparison.this_total == 5000 and comparison.last_total == 4050
    alone = assessment.compare_years(db, scored)
    assert alone.last_year is None and alone.rows[0].last_year is None


def test_classifications_are_edited_and_checked(db, scored):
    set_id = assessment.view_assessment(db, scored).set_id
    assessment.set_classifications(
        db, set_id, [("Khá", "65"), ("Xuất sắc", "90,5"), ("Tốt", "80%"), ("", "")]
    )
    ranks = assessment.load_set(db, set_id).classifications
    assert [(c.label, str(c.minimum_percent)) for c in ranks] == [
        ("Xuất sắc", "90.5"),
        ("Tốt", "80"),
        ("Khá", "65"),
    ]
    for bad, message in [
        ([("Tốt", "abc")], "không phải là số"),
        ([("Tốt", "120")], "từ 0 đến 100"),
        ([("Tốt", "80"), ("tot", "70")], "bị trùng"),
        ([("Tốt", "80"), ("Khá", "80")], "cùng ngưỡng"),
        ([("", "50")], "chưa có tên"),
    ]:
        with pytest.raises(ValidationError, match=message):
            assessment.set_classifications(db, set_id, bad)
    assert assessment.load_set(db, set_id).classifications == ranks  # unchanged by the refusals


def test_the_scoring_table_exports_with_subtotals_and_evidence(db, scored, tmp_path):
    from openpyxl import load_workbook

    from parclerk.excel.assessment_export import COLUMNS, export_assessment_xlsx

    assessment.set_score(db, scored, "1.1", "30", appraised=True)
    assessment.add_evidence(db, scored, "1.1", description='=HYPERLINK("x") Kế hoạch', locator="trang 2")
    out = tmp_path / "tự đánh giá.xlsx"
    assert export_assessment_xlsx(db, scored, out) == 6
    ws = load_workbook(out).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "STT")
    assert tuple(rows[header]) == COLUMNS
    body = {row[0]: row for row in rows[header + 2 :] if row[0]}
    assert body["1"][2:5] == [60, 40.5, 30]
    assert body["1.2"][3] == 25.5 and body["1.2.2"][3] == 10
    assert body["1.1"][5] == '- =HYPERLINK("x") Kế hoạch (trang 2)'
    assert ws.cell(row=header + 3 + 1, column=6).data_type == "s"  # text, never a formula
    assert body["1.1"][6] == "Ban hành chậm 5 ngày"
    assert body["2"][6] == "Điểm điều tra xã hội học"
    totals = {row[1]: row for row in rows if row[1] in ("TỔNG ĐIỂM", "CHỈ SỐ CCHC (%)")}
    assert totals["TỔNG ĐIỂM"][2:4] == [100, 40.5]
    assert totals["CHỈ SỐ CCHC (%)"][3] == 40.5
    assert any(row[0] and str(row[0]).startswith("Xếp loại (tự đánh giá): chưa xếp loại") for row in rows)


def test_importing_a_set_opens_its_year_from_last_years_assessment(db, scored):
    assessment.add_evidence(db, scored, "1.1", description="Kế hoạch 05/KH-UBND")
    imported = assessment.import_set(db, _set(2026, extra=True))
    assert imported.carried_from == scored and imported.assessment_id is not None
    assert [e.suggested for e in assessment.list_evidence(db, imported.assessment_id)] == [True]
    again = assessment.import_set(db, _set(2026, extra=True))  # the year is already being scored
    assert again.assessment_id is None and again.set_id != imported.set_id
    first = assessment.import_set(db, _set(2024))  # nothing earlier: an empty assessment
    assert first.carried_from is None and assessment.view_assessment(db, first.assessment_id).year == 2024


def test_a_failed_import_stores_nothing(db, scored, monkeypatch):
    before = db.execute("SELECT count(*) FROM criteria_sets").fetchone()[0]

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(assessment, "start_from_previous", broken)
    with pytest.raises(RuntimeError):
        assessment.import_set(db, _set(2026))
    assert db.execute("SELECT count(*) FROM criteria_sets").fetchone()[0] == before
