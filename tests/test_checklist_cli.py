"""`parclerk checklist` and `parclerk export handling-log`: the PDF Qt prints offscreen, read back with pypdf."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from parclerk.cli import EXIT_KNOWN, EXIT_OK, EXIT_USAGE, main
from parclerk.data.db import open_db
from parclerk.models import DirectiveInput, OfficeProfile, TaskInput
from parclerk.services.intake import register_with_tasks
from parclerk.services.settings import save_profile
from parclerk.services.tasks import complete_items, create_task

TODAY = dt.date(2025, 6, 30)
D = dt.date
UNITS = ("Văn phòng - Thống kê", "Tư pháp - Hộ tịch", "Bộ phận Một cửa")
HEADERS = ("STT", "Nội dung nhiệm vụ", "Văn bản giao", "Chủ trì", "Phối hợp", "Hạn", "Tình trạng", "Ghi chú")


@pytest.fixture
def checklist_db(db_path: Path, monkeypatch) -> Path:
    """Tasks in every bucket on TODAY: 30 from one directive (enough for several pages) and a few more."""
    monkeypatch.setattr("parclerk.dates.today", lambda: TODAY)
    db = open_db(db_path)
    try:
        save_profile(db, OfficeProfile(unit_name="Ủy ban nhân dân xã Sơn Tây", place_name="Sơn Tây"))
        tasks = [
            TaskInput(
                ref=str(n),
                content=f"Nhiệm vụ số {n}: rà soát, cập nhật hồ sơ cải cách hành chính của bộ phận & báo cáo kết quả",
                lead_unit=UNITS[n % 3],
                coordinating_units=(UNITS[(n + 1) % 3],),
                deadline=D(2025, 4, 1) + dt.timedelta(days=4 * n),  # 05/04 ... 28/08/2025
            )
            for n in range(1, 31)
        ]
        register_with_tasks(
            db,
            DirectiveInput(
                ngay_den=D(2025, 3, 20),
                issuer="UBND tỉnh Quảng Ngãi",
                number="107/UBND-NC",
                issued_date=D(2025, 3, 18),
                subject="V/v đẩy mạnh cải cách hành chính",
            ),
            tasks,
            today=TODAY,
        )
        create_task(
            db,
            TaskInput(
                content="Theo dõi bộ phận một cửa", lead_unit="Bộ phận Một cửa", deadline_text="thường xuyên"
            ),
            follower="Trần Văn Nam",
        )
        # Items 1-3 done (one late); the rest due before TODAY stay overdue.
        ids = [
            row[0]
            for row in db.execute(
                "SELECT id FROM task_items WHERE due_date IS NOT NULL ORDER BY due_date, id"
            ).fetchall()
        ]
        complete_items(db, ids[:2], D(2025, 4, 8), today=TODAY)
        complete_items(db, ids[2:3], D(2025, 4, 30), reply_number="12/BC-UBND", today=TODAY)
    finally:
        db.close()
    return db_path


def _pages(pdf: Path) -> list[str]:
    """Each page's text with whitespace normalised (Qt's PDF spaces words with tabs)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def test_checklist_pdf_has_title_headers_on_every_page_and_the_tasks(checklist_db, tmp_path, capsys):
    out = tmp_path / "danh-sach.pdf"
    assert main(["checklist", "--db", str(checklist_db), "--out", str(out)]) == EXIT_OK
    assert "Đã lưu danh sách kiểm tra 28 nhiệm vụ" in capsys.readouterr().out
    reader = PdfReader(out)
    for page in reader.pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    pages = _pages(out)
    # Every page with rows of the table repeats its header (the closing lines may run onto a page alone).
    table_pages = [text for text in pages if "Mục " in text]
    assert len(table_pages) > 1
    for number, text in enumerate(table_pages, start=1):
        for header in HEADERS:
            assert header in text, f"page {number} lacks the header {header!r}"
    first = pages[0]
    assert "ỦY BAN NHÂN DÂN XÃ SƠN TÂY" in first
    assert "DANH SÁCH KIỂM TRA NHIỆM VỤ" in first
    assert "Sơn Tây, ngày 30/06/2025" in first
    everything = " ".join(pages)
    assert "Nhiệm vụ số 4: rà soát" in everything and "Nhiệm vụ số 30: rà soát" in everything
    assert "Nhiệm vụ số 1: rà soát" not in everything  # done: not on the default list of open items
    assert "107/UBND-NC ngày 18/03/2025" in everything
    assert "Quá hạn trên 30 ngày (!!)" in everything and "Quá hạn (!)" in everything
    assert "Theo dõi bộ phận một cửa" in everything and "Nhiệm vụ thường xuyên" in everything
    assert "Tổng số: 28 nhiệm vụ; quá hạn: 19" in everything


def test_checklist_for_a_unit_and_a_period(checklist_db, tmp_path):
    out = tmp_path / "vp.pdf"
    args = ["checklist", "--db", str(checklist_db), "--unit", "van phong thong ke"]
    args += ["--from", "01/04/2025", "--to", "2025-05-31", "--out", str(out)]
    assert main(args) == EXIT_OK
    everything = " ".join(_pages(out))
    assert "Đơn vị chủ trì: Văn phòng - Thống kê" in everything
    assert "Hạn từ ngày 01/04/2025 đến ngày 31/05/2025" in everything
    # Units rotate with n % 3: Văn phòng - Thống kê leads n = 3, 6, 9, 12, 15 up to 31/05.
    for n in (3, 6, 9, 12, 15):
        assert f"Nhiệm vụ số {n}: rà soát" in everything
    assert "Nhiệm vụ số 18: rà soát" not in everything and "Nhiệm vụ số 4: rà soát" not in everything
    assert "Hoàn thành quá hạn" in everything  # a period lists done items too (n = 3 was done late)


def test_checklist_for_a_person(checklist_db, tmp_path):
    out = tmp_path / "nguoi.pdf"
    assert main(["checklist", "--db", str(checklist_db), "--person", "Trần Văn Nam", "--out", str(out)]) == 0
    everything = " ".join(_pages(out))
    assert "Người theo dõi: Trần Văn Nam" in everything
    assert "Tổng số: 1 nhiệm vụ; quá hạn: 0" in everything


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "31/02/2025"], "Ngày bắt đầu (--from) “31/02/2025” không có trên lịch"),
        (["--to", "30-06"], "Ngày kết thúc (--to) “30-06” không đúng dạng ngày/tháng/năm"),
        (["--from", "2025-13-01"], "không có trên lịch"),
        (["--from", "01/07/2025", "--to", "01/06/2025"], "ở sau ngày kết thúc"),
        (
            ["--unit", "Phòng Không Có"],
            "Các đơn vị đã có: Bộ phận Một cửa; Tư pháp - Hộ tịch; Văn phòng - Thống kê",
        ),
        (["--person", "Ai Đó"], "Không có người theo dõi “Ai Đó”"),
    ],
)
def test_checklist_bad_input_is_explained_in_vietnamese(checklist_db, tmp_path, capsys, args, message):
    out = tmp_path / "x.pdf"
    assert main(["checklist", "--db", str(checklist_db), *args, "--out", str(out)]) == EXIT_KNOWN
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_checklist_unwritable_output(checklist_db, tmp_path, capsys):
    out = tmp_path / "khong-co" / "x.pdf"
    assert main(["checklist", "--db", str(checklist_db), "--out", str(out)]) == EXIT_KNOWN
    err = capsys.readouterr().err
    assert "Không lưu được danh sách kiểm tra nhiệm vụ: thư mục" in err and "không tồn tại" in err
    assert main(["checklist", "--db", str(checklist_db), "--out", str(tmp_path)]) == EXIT_KNOWN
    assert "là một thư mục" in capsys.readouterr().err


def test_checklist_usage_and_missing_database(tmp_path, capsys):
    assert main(["checklist", "--db", str(tmp_path / "x.sqlite")]) == EXIT_USAGE  # --out is required
    capsys.readouterr()
    assert (
        main(["checklist", "--db", str(tmp_path / "x.sqlite"), "--out", str(tmp_path / "x.pdf")])
        == EXIT_KNOWN
    )
    assert "Không tìm thấy tệp cơ sở dữ liệu" in capsys.readouterr().err


def test_export_handling_log(checklist_db, tmp_path, capsys):
    out = tmp_path / "so-theo-doi.xlsx"
    args = ["export", "handling-log", "--db", str(checklist_db), "--year", "2025", "--out", str(out)]
    assert main(args) == EXIT_OK
    assert "Đã xuất sổ theo dõi giải quyết văn bản đến năm 2025 (1 văn bản)" in capsys.readouterr().out
    ws = load_workbook(out).active
    assert ws["A2"].value == "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN"
    assert ws["E8"].value == "Quá hạn: 3/30 nhiệm vụ hoàn thành; 19 nhiệm vụ quá hạn"
    assert ws["F8"].value == "12/BC-UBND"
