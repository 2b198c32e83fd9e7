"""Importing a criteria set from Excel: the template, the export round trip, the Cà Mau rows of domain guide
§5.8, a messy provincial layout, and every problem listed by row with nothing returned."""

from __future__ import annotations

import time

import pytest
from openpyxl import Workbook, load_workbook

from parclerk.criteria import CriteriaSet, Criterion, parse_rule
from parclerk.errors import ParclerkError
from parclerk.excel.criteria_import import (
    CANONICAL_LABELS,
    FIELDS,
    RowProblem,
    export_criteria_xlsx,
    read_criteria_xlsx,
    write_template_xlsx,
)

HEADER = [CANONICAL_LABELS[name] for name in FIELDS]

# Cà Mau, QĐ 1880/QĐ-UBND năm 2013, lĩnh vực 1 (domain guide §5.8). The rows after 1.3 are missing from the
# source: 1.4 and field 2 are test fillers so that the set adds up to 100.
CA_MAU = [
    ["1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 20, ""],
    ["1.1", "Kế hoạch CCHC năm", 5, ""],
    [
        "1.1.1",
        "Ban hành kế hoạch CCHC năm",
        1,
        "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0",
    ],
    [
        "1.1.2",
        "Xác định đầy đủ các nhiệm vụ CCHC trên các lĩnh vực theo kế hoạch năm của UBND tỉnh và bố trí kinh phí "
        "thực hiện",
        1,
        "Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1; Không xác định đầy đủ nhiệm vụ hoặc không bố trí "
        "kinh phí: 0",
    ],
    [
        "1.1.3",
        "Các kết quả phải đạt được xác định rõ ràng, cụ thể và định rõ trách nhiệm triển khai của phòng, ban, đơn "
        "vị trực thuộc",
        1,
        "Đạt yêu cầu: 1; Không đạt yêu cầu: 0",
    ],
    [
        "1.1.4",
        "Mức độ thực hiện kế hoạch CCHC",
        2,
        "Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; Dưới 70% kế hoạch: 0",
    ],
    ["1.2", "Báo cáo CCHC", 2, ""],
    [
        "1.2.1",
        "Tất cả báo cáo được gửi đúng thời gian quy định (báo cáo quí I, quí III, báo cáo 6 tháng và báo cáo năm)",
        1,
        "Đủ số lượng và đúng thời gian quy định: 1; Không đủ số lượng báo cáo hoặc không đúng thời gian quy định: 0",
    ],
    ["1.2.2", "Tất cả báo cáo có đầy đủ nội dung theo hướng dẫn", 1, "Đạt yêu cầu: 1; Không đạt yêu cầu: 0"],
    ["1.3", "Kiểm tra công tác CCHC", 3, ""],
    ["1.4", "Tiêu chí bổ sung cho đủ điểm (giả định, chỉ dùng trong kiểm thử)", 10, ""],
    ["2", "LĨNH VỰC GIẢ ĐỊNH (chỉ dùng trong kiểm thử)", 80, ""],
]


def build(path, rows, *, header=HEADER, title="BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM 2025"):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def messages(problems: list[RowProblem]) -> str:
    return "\n".join(str(p) for p in problems)


def test_the_ca_mau_rows_read_as_a_set(tmp_path):
    criteria_set, problems = read_criteria_xlsx(build(tmp_path / "camau.xlsx", CA_MAU))
    assert problems == []
    assert criteria_set is not None
    assert criteria_set.name == "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM 2025"
    assert (criteria_set.year, criteria_set.level) == (2025, "xa")
    assert [c.code for c in criteria_set.criteria] == [row[0] for row in CA_MAU]
    by_code = {c.code: c for c in criteria_set.criteria}
    assert by_code["1.1.1"].rule.kind == "options"
    assert [o.points for o in by_code["1.1.1"].rule.options] == [100, 50, 0]
    assert by_code["1.1.4"].rule.kind == "bands"
    assert by_code["1.3"].rule.kind == "free"
    assert criteria_set.total_maximum() == 10000


def test_year_and_level_arguments_win(tmp_path):
    criteria_set, _ = read_criteria_xlsx(build(tmp_path / "a.xlsx", CA_MAU), year=2026, level="so")
    assert criteria_set is not None
    assert (criteria_set.year, criteria_set.level) == (2026, "so")


def test_a_set_round_trips_through_export(tmp_path):
    criteria = (
        Criterion("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 2000),
        Criterion("1.1", "Kế hoạch CCHC năm", 1975, evidence="Kế hoạch\nBáo cáo", department="Văn phòng"),
        Criterion(
            "1.2",
            '=HYPERLINK("http://x") không phải công thức',
            25,
            rule=parse_rule("Trực tuyến: 0,25; Không: 0", 25),
        ),
        Criterion("2", "Tác động của CCHC", 8000, survey=True),
        Criterion("T", "Điểm thưởng sáng kiến", 200, kind="bonus"),
        Criterion("P", "Điểm phạt vi phạm", 300, kind="penalty"),
    )
    original = CriteriaSet("Bộ chỉ số thử", 2025, "so", "QĐ 1880/QĐ-UBND năm 2013", criteria)
    out = tmp_path / "export.xlsx"
    assert export_criteria_xlsx(original, out) == len(criteria)
    back, problems = read_criteria_xlsx(out)
    assert problems == []
    assert back == original
    cell = next(
        c for row in load_workbook(out).worksheets[0].iter_rows() for c in row if str(c.value).startswith("=")
    )
    assert cell.data_type == "s"
    assert not list(tmp_path.glob(".*.tmp"))


def test_template_has_header_examples_and_guide_and_reads_once_filled(tmp_path):
    out = tmp_path / "mau.xlsx"
    write_template_xlsx(out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Bộ chỉ số", "Hướng dẫn"]
    ws = wb.worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header_index = rows.index(HEADER)
    example = ws.cell(row=header_index + 2, column=2)
    assert example.value.startswith("Ví dụ:")
    assert example.font.italic and example.font.color.rgb.endswith("808080")
    assert (
        rows[header_index + 3][3] == "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0"
    )
    guide = " ".join(str(c.value) for c in wb["Hướng dẫn"]["A"])
    assert "dấu phẩy" in guide and "Lựa chọn: điểm" in guide and "Điểm thưởng" in guide

    # The examples alone are skipped; the clerk's rows below them are read.
    _, problems = read_criteria_xlsx(out, year=2025)
    assert messages(problems) == "Không có tiêu chí nào dưới dòng tiêu đề cột."
    for row in CA_MAU:
        ws.append([*row[:3], row[3], "", "", ""])
    wb.save(out)
    criteria_set, problems = read_criteria_xlsx(out, year=2025)
    assert problems == []
    assert criteria_set is not None and len(criteria_set.criteria) == len(CA_MAU)


def test_a_messy_provincial_layout(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["UBND TỈNH CÀ MAU"])
    ws.append(["BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA SỞ, BAN, NGÀNH NĂM 2025"])
    ws.merge_cells("A2:H2")
    ws.append(["(Kèm theo Quyết định số 123/QĐ-UBND ngày 10/01/2025 của UBND tỉnh)"])
    ws.merge_cells("A3:H3")
    ws.append([])
    ws.append(["STT", "Lĩnh vực/ Tiêu chí/ Tiêu chí thành phần", None, "Điểm tối đa\n(điểm)", "Ghi chú", None,
               "Thang điểm chi tiết", "ĐTXHH"])  # fmt: skip
    ws.append(["(1)", "(2)", None, "(3)", "(4)", None, "(5)", "(6)"])
    rows = [
        ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", None, 20],
        [1, "Kế hoạch CCHC năm", None, "5"],
        [
            1.1,
            "Ban hành kế hoạch CCHC năm",
            None,
            "4,5",
            None,
            None,
            "Ban hành kịp thời: 4,5; Ban hành không kịp thời: 2; Không ban hành: 0",
        ],  # fmt: skip
        [1.2, "Xác định đầy đủ các nhiệm vụ", None, 0.5],
        [2, "Báo cáo CCHC", None, 15.0],
        [None, None, None, None],
        ["II", "TÁC ĐỘNG CỦA CCHC", None, 80],
        ["1", "Sự hài lòng của người dân", None, 80, None, None, None, "x"],
        ["", "Tổng cộng", None, 100],
        [None, "Điểm thưởng", None, 2],
        [None, "Điểm phạt", None, "1,5"],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("B9:C9")  # a merged title cell: its value is in the top-left cell
    path = tmp_path / "messy.xlsx"
    wb.save(path)

    criteria_set, problems = read_criteria_xlsx(path)
    assert messages(problems) == ""
    assert criteria_set is not None
    assert criteria_set.name == "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA SỞ, BAN, NGÀNH NĂM 2025"
    assert criteria_set.year == 2025
    assert criteria_set.source.startswith("Kèm theo Quyết định số 123/QĐ-UBND")
    got = [(c.code, c.maximum, c.kind, c.survey) for c in criteria_set.criteria]
    assert got == [
        ("1", 2000, "item", False),
        ("1.1", 500, "item", False),
        ("1.1.1", 450, "item", False),
        ("1.1.2", 50, "item", False),
        ("1.2", 1500, "item", False),
        ("2", 8000, "item", False),
        ("2.1", 8000, "item", True),
        ("T", 200, "bonus", False),
        ("P", 150, "penalty", False),
    ]
    assert criteria_set.criteria[2].rule.kind == "options"


def test_roman_fields_with_children_written_in_full_keep_their_codes(tmp_path):
    rows = [
        ["I", "Lĩnh vực một", 20],
        ["1.1", "Tiêu chí", 20],
        ["II", "Lĩnh vực hai", 80],
        ["2.1", "Tiêu chí", 80],
    ]
    header = ["TT", "Nội dung", "Điểm"]
    criteria_set, problems = read_criteria_xlsx(build(tmp_path / "r.xlsx", rows, header=header))
    assert problems == []
    assert criteria_set is not None
    assert [c.code for c in criteria_set.criteria] == ["1", "1.1", "2", "2.1"]


# --- problems, each with its row ------------------------------------------------------------------------


def test_a_child_worth_more_than_its_parent(tmp_path):
    rows = [["1", "Lĩnh vực", 20], ["1.1", "Tiêu chí", 25], ["2", "Khác", 80]]
    criteria_set, problems = read_criteria_xlsx(build(tmp_path / "p.xlsx", rows))
    assert criteria_set is None
    assert problems == [
        RowProblem(5, "Điểm tối đa", "Mã 1.1: điểm tối đa 25 lớn hơn mục cha 1 (20)."),
    ]
    assert str(problems[0]) == "Dòng 5, cột “Điểm tối đa”: Mã 1.1: điểm tối đa 25 lớn hơn mục cha 1 (20)."


def test_a_total_that_is_not_100(tmp_path):
    rows = [["1", "Lĩnh vực", 20], ["2", "Khác", "79,5"]]
    criteria_set, problems = read_criteria_xlsx(build(tmp_path / "p.xlsx", rows))
    assert criteria_set is None
    assert messages(problems) == "Tổng điểm tối đa của bộ chỉ số là 99,5, không phải 100."


def test_duplicate_codes_point_at_the_second_row(tmp_path):
    rows = [["1", "Lĩnh vực", 20], ["1", "Lĩnh vực nhập hai lần", 80]]
    _, problems = read_criteria_xlsx(build(tmp_path / "p.xlsx", rows))
    assert RowProblem(5, "Mã", "Mã “1” bị trùng.") in problems


def test_text_in_points_and_a_title_without_code(tmp_path):
    rows = [["1", "Lĩnh vực", 20], ["1.1", "Tiêu chí", "abc"], [None, "Dòng không mã", 1], ["2", "Khác", 80]]
    criteria_set, problems = read_criteria_xlsx(build(tmp_path / "p.xlsx", rows))
    assert criteria_set is None
    assert [str(p) for p in problems] == [
        "Dòng 5, cột “Điểm tối đa”: “abc” không phải là số điểm.",
        "Dòng 6, cột “Mã”: có nội dung nhưng thiếu mã.",
    ]


def test_a_missing_maximum_column_is_the_only_problem(tmp_path):
    header = ["STT", "Nội dung", "Cách chấm điểm"]
    criteria_set, problems = read_criteria_xlsx(
        build(tmp_path / "p.xlsx", [["1", "x", "abc"]], header=header)
    )
    assert criteria_set is None
    assert len(problems) == 1
    assert "“Điểm tối đa”" in problems[0].message


def test_a_formula_never_computed_is_reported(tmp_path):
    rows = [["1", "Lĩnh vực", 20], ["1.1", "Tiêu chí", "=10+10"], ["2", "Khác", 80]]
    criteria_set, problems = read_criteria_xlsx(build(tmp_path / "f.xlsx", rows))
    assert criteria_set is None
    assert [str(p) for p in problems] == [
        "Dòng 5, cột “Điểm tối đa”: ô có công thức chưa được tính; hãy mở tệp bằng Excel, lưu lại rồi nhập."
    ]


def test_a_huge_sheet_is_refused_quickly(tmp_path):
    rows = [["1", "Lĩnh vực", 100]] + [[f"1.{n}", "Tiêu chí", 1] for n in range(1, 6000)]
    path = build(tmp_path / "big.xlsx", rows)
    started = time.perf_counter()
    criteria_set, problems = read_criteria_xlsx(path)
    assert time.perf_counter() - started < 10
    assert criteria_set is None
    assert len(problems) == 1 and "5.000 dòng" in problems[0].message


def test_content_beyond_thirty_columns_is_refused(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.cell(row=2, column=40, value="lạc chỗ")
    wb.save(tmp_path / "wide.xlsx")
    _, problems = read_criteria_xlsx(tmp_path / "wide.xlsx")
    assert len(problems) == 1 and "30 cột" in problems[0].message


@pytest.mark.parametrize("content", [b"", b"not a spreadsheet", b"PK\x03\x04broken zip"])
def test_a_file_that_is_not_xlsx_is_a_clear_error(tmp_path, content):
    path = tmp_path / "bo-chi-so.xlsx"
    path.write_bytes(content)
    with pytest.raises(ParclerkError, match="không phải là tệp Excel .xlsx"):
        read_criteria_xlsx(path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ParclerkError, match="Không tìm thấy tệp"):
        read_criteria_xlsx(tmp_path / "khong-co.xlsx")


def test_module_import_does_not_load_openpyxl():
    import subprocess
    import sys

    code = "import sys, parclerk.excel.criteria_import; assert 'openpyxl' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the command line -------------------------------------------------------------------------------


def test_import_criteria_command_checks_then_stores(tmp_path, capsys):
    import sqlite3

    from parclerk.cli import main

    db_path = tmp_path / "p.sqlite"
    assert main(["demo", "--db", str(db_path), "--directives", "0"]) == 0
    good = tmp_path / "bo-chi-so.xlsx"
    build(good, CA_MAU)

    def sets() -> int:
        conn = sqlite3.connect(db_path)
        try:
            return conn.execute("SELECT count(*) FROM criteria_sets").fetchone()[0]
        finally:
            conn.close()

    before = sets()  # the demo's sample sets
    assert main(["import-criteria", "--db", str(db_path), str(good), "--dry-run"]) == 0
    assert "không có lỗi" in capsys.readouterr().out
    assert sets() == before
    assert main(["import-criteria", "--db", str(db_path), str(good)]) == 0
    assert "Đã nhập bộ chỉ số" in capsys.readouterr().out
    bad = tmp_path / "hong.xlsx"
    build(bad, [*CA_MAU[:-1], ["2", "LĨNH VỰC GIẢ ĐỊNH", "abc", ""]])
    assert main(["import-criteria", "--db", str(db_path), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Chưa có gì được ghi" in err and "không phải là số điểm" in err
    assert sets() == before + 1
    template = tmp_path / "mau.xlsx"
    assert main(["export", "criteria-template", "--out", str(template)]) == 0
    assert template.exists()
