"""The Excel Sổ đăng ký văn bản đến: read the export back and check what an inspector and Excel would see."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parclerk.data import repo_directives
from parclerk.errors import ParclerkError
from parclerk.excel.register_export import export_register_xlsx
from parclerk.models import DirectiveInput, OfficeProfile
from parclerk.services.directives import cancel_directive, register_directive
from parclerk.services.settings import save_profile

TODAY = dt.date(2025, 6, 30)
HEADERS = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
HYPERLINK = '=HYPERLINK("http://vi-du.invalid/x","Bấm vào đây")'


def _register(db, **values):
    return register_directive(db, DirectiveInput(**values), today=TODAY).directive


@pytest.fixture
def register_db(db):
    """The conftest's fresh migrated database, with a profile and a few directives of 2023 and 2024."""
    database = db
    save_profile(database, OfficeProfile(unit_name="Ủy ban nhân dân xã Sơn Tây", place_name="Sơn Tây"))
    _register(
        database,
        ngay_den=dt.date(2024, 1, 2),
        issuer="UBND tỉnh Quảng Ngãi",
        number="107/UBND-NC",
        issued_date=dt.date(2023, 12, 29),
        doc_type="Công văn",
        subject="V/v tăng cường công tác cải cách hành chính, văn hóa công vụ & kỷ cương hành chính",
        assigned_to="Công chức Văn phòng - Thống kê",
        handed_date=dt.date(2024, 1, 3),
        notes="Dòng một\x0bdòng hai",  # a vertical tab, as Word's soft line break pastes: illegal in xlsx
    )
    _register(
        database,
        ngay_den=dt.date(2023, 12, 28),
        issuer="Sở Nội vụ",
        subject="Văn bản của năm trước",
    )
    _register(
        database,
        ngay_den=dt.date(2024, 1, 3),
        issuer="-Sở Nội vụ tỉnh Quảng Ngãi",
        number="+12/SNV-CCHC",
        doc_type="Công văn",
        subject=HYPERLINK,
        assigned_to="@Chủ tịch UBND xã",
        notes="-5 ngày so với hạn",
    )
    cancelled = _register(
        database,
        ngay_den=dt.date(2024, 1, 5),
        issuer="Văn phòng UBND tỉnh",
        number="526/VP-HCTC",
        doc_type="Quyết định",
        subject="Ban hành Quy chế làm việc của Ủy ban nhân dân",
        notes="Bản giấy",
    )
    cancel_directive(database, cancelled.id, "Đăng ký trùng với số đến 2")
    _register(
        database,
        ngay_den=dt.date(2024, 1, 10),
        issuer="Sở Tài chính",
        number="45/KH-STC",
        issued_date=dt.date(2024, 1, 8),
        doc_type="Kế hoạch",
        subject="Triển khai thực hiện dự toán ngân sách năm 2024",
    )
    return database


def _export(database, year: int, path: Path):
    count = export_register_xlsx(database, year, path)
    wb = load_workbook(path)
    return count, wb, wb.active


def _header_row(ws) -> int:
    for row in ws.iter_rows():
        if [cell.value for cell in row[:10]] == HEADERS:
            return row[0].row
    raise AssertionError("no header row")


def _data_rows(ws):
    start = _header_row(ws) + 2
    return list(ws.iter_rows(min_row=start, max_col=10))


def test_title_block_and_headers(register_db, tmp_path):
    count, _, ws = _export(register_db, 2024, tmp_path / "so-den-2024.xlsx")
    assert count == 4
    titles = [ws.cell(row=r, column=1).value for r in range(1, 6)]
    assert titles == [
        "ỦY BAN NHÂN DÂN XÃ SƠN TÂY",
        "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
        "Năm 2024",
        "Từ ngày 02/01/2024 đến ngày 10/01/2024",
        "Từ số 1 đến số 4",
    ]
    for r in range(1, 6):
        for c in range(1, 11):
            assert ws.cell(row=r, column=c).alignment.horizontal == "centerContinuous"
    assert not ws.merged_cells.ranges
    header = _header_row(ws)
    assert [ws.cell(row=header + 1, column=c).value for c in range(1, 11)] == [f"({n})" for n in range(1, 11)]
    for cell in ws[header][:10]:
        assert cell.font.b and cell.font.name == "Times New Roman"
        assert cell.alignment.horizontal == "center" and cell.alignment.wrap_text
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"


def test_rows_year_order_and_columns(register_db, tmp_path):
    _, _, ws = _export(register_db, 2024, tmp_path / "so-den-2024.xlsx")
    rows = _data_rows(ws)
    assert len(rows) == 4
    assert [row[1].value for row in rows] == [1, 2, 3, 4]
    assert all("năm trước" not in str(cell.value) for row in rows for cell in row)

    first = [cell.value for cell in rows[0]]
    assert first[2:4] == ["UBND tỉnh Quảng Ngãi", "107/UBND-NC"]
    # A Công văn has no type name: column 6 is just its subject.
    assert first[5] == "V/v tăng cường công tác cải cách hành chính, văn hóa công vụ & kỷ cương hành chính"
    assert first[6] == "Công chức Văn phòng - Thống kê"
    assert first[8] is None  # Ký nhận is signed by hand on the print
    assert first[9] == "Dòng một\ndòng hai"
    assert rows[3][5].value == "Kế hoạch: Triển khai thực hiện dự toán ngân sách năm 2024"

    cancelled = rows[2]
    assert cancelled[5].value == "Quyết định: Ban hành Quy chế làm việc của Ủy ban nhân dân"
    assert cancelled[9].value == "Đã hủy: Đăng ký trùng với số đến 2\nBản giấy"

    for row in rows:
        for cell in row:
            assert cell.font.name == "Times New Roman"
            assert cell.border.top.style == "thin"
        assert row[5].alignment.wrap_text


def test_dates_are_real_dates(register_db, tmp_path):
    _, _, ws = _export(register_db, 2024, tmp_path / "so-den-2024.xlsx")
    first = _data_rows(ws)[0]
    assert first[0].value == dt.datetime(2024, 1, 2)
    assert first[4].value == dt.datetime(2023, 12, 29)
    assert first[7].value == dt.datetime(2024, 1, 3)
    for cell in (first[0], first[4], first[7]):
        assert cell.is_date
        assert cell.number_format == "DD/MM/YYYY"
    assert _data_rows(ws)[1][4].value is None  # no document date, no date invented


def test_formula_looking_text_stays_text(register_db, tmp_path):
    path = tmp_path / "so-den-2024.xlsx"
    _, _, ws = _export(register_db, 2024, path)
    row = _data_rows(ws)[1]
    expected = {
        2: "-Sở Nội vụ tỉnh Quảng Ngãi",
        3: "+12/SNV-CCHC",
        5: HYPERLINK,
        6: "@Chủ tịch UBND xã",
        9: "-5 ngày so với hạn",
    }
    for index, text in expected.items():
        assert row[index].value == text
        assert row[index].data_type == "s"
    # And in the file itself: no formula element anywhere, every text an inline string.
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_print_setup(register_db, tmp_path):
    _, _, ws = _export(register_db, 2024, tmp_path / "so-den-2024.xlsx")
    header = _header_row(ws)
    assert ws.print_title_rows == f"${header}:${header + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.page_margins.left == pytest.approx(1.5 / 2.54)
    assert ws.oddFooter.center.text == "Trang &P / &N"
    assert ws.freeze_panes == f"A{header + 2}"
    widths = [ws.column_dimensions[letter].width for letter in "ABCDEFGHIJ"]
    assert max(widths) == widths[5]  # the subject column is the widest
    assert ws.row_dimensions[header + 2].height > 14  # rows are tall enough for their wrapped text


def test_empty_year(register_db, tmp_path):
    count, _, ws = _export(register_db, 2022, tmp_path / "so-den-2022.xlsx")
    assert count == 0
    assert ws.cell(row=3, column=1).value == "Năm 2022"
    header = _header_row(ws)
    assert header == 5  # office, title, year, a blank row: no "Từ số ... đến số ..." line without rows
    assert ws.cell(row=header + 2, column=1).value == "Không có văn bản đến trong năm 2022."
    assert ws.max_row == header + 2


def test_without_office_name(db, tmp_path):
    count, _, ws = _export(db, 2024, tmp_path / "blank.xlsx")
    assert count == 0
    assert ws.cell(row=1, column=1).value is None
    assert ws.cell(row=2, column=1).value == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"


def test_order_is_by_so_den_not_by_insertion(db, tmp_path):
    rows = [
        (
            DirectiveInput(ngay_den=dt.date(2024, 3, day), issuer="Sở Nội vụ", subject=f"Số {so_den}"),
            so_den,
            "2024-03-05T08:00:00",
        )
        for so_den, day in ((3, 5), (1, 1), (2, 2))
    ]
    with db.atomic():
        repo_directives.insert_many(db, rows)  # as a bulk import may: ids not in số đến order
    _, _, ws = _export(db, 2024, tmp_path / "import.xlsx")
    assert [row[1].value for row in _data_rows(ws)] == [1, 2, 3]
    assert [row[5].value for row in _data_rows(ws)] == ["Số 1", "Số 2", "Số 3"]


def test_overwrites_and_leaves_no_temp_file(register_db, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "so-den.xlsx"
    target.write_bytes(b"old contents")
    export_register_xlsx(register_db, 2024, target)
    assert [p.name for p in folder.iterdir()] == ["so-den.xlsx"]
    load_workbook(target).close()


def test_missing_folder_is_a_known_error(register_db, tmp_path):
    target = tmp_path / "khong-co" / "so-den.xlsx"
    with pytest.raises(ParclerkError, match="không tồn tại"):
        export_register_xlsx(register_db, 2024, target)
    assert not target.parent.exists()


def test_failed_replace_keeps_the_old_file_and_cleans_up(register_db, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "so-den.xlsx"
    target.mkdir()  # a folder where the file should go: the final rename fails
    (target / "keep.txt").write_text("x")
    with pytest.raises(ParclerkError) as info:
        export_register_xlsx(register_db, 2024, target)
    assert "so-den.xlsx" in info.value.message
    assert [p.name for p in folder.iterdir()] == ["so-den.xlsx"]  # no temporary file left behind
    assert (target / "keep.txt").read_text() == "x"


def test_module_import_does_not_load_openpyxl():
    code = (
        "import sys, parclerk.excel.register_export, parclerk.reports.register_print; "
        "assert 'openpyxl' not in sys.modules, 'openpyxl imported'; "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
