"""Excel exports of task tracking, read back with openpyxl: the task view and the Sổ theo dõi giải quyết văn
bản đến (and its print HTML)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parclerk import glossary
from parclerk.errors import ParclerkError
from parclerk.excel.task_exports import (
    TASK_COLUMNS,
    export_handling_log_xlsx,
    export_task_view_xlsx,
    handling_log_html,
)
from parclerk.fileio import write_atomically
from parclerk.models import DirectiveInput, OfficeProfile, TaskInput
from parclerk.queries import TaskQuery
from parclerk.reports.handling_log import HANDLING_LOG_COLUMNS, handling_log
from parclerk.services.directives import cancel_directive
from parclerk.services.intake import register_with_tasks
from parclerk.services.settings import save_profile
from parclerk.services.tasks import complete_items, create_task

TODAY = dt.date(2025, 6, 30)
D = dt.date
FORMULA = "=SUM(A1:A3) & <b>"


def _items(db, content: str) -> list[int]:
    rows = db.execute(
        "SELECT i.id FROM task_items i JOIN tasks t ON t.id = i.task_id WHERE t.content = ? ORDER BY i.id",
        [content],
    ).fetchall()
    return [row[0] for row in rows]


def _directive(db, number: str, tasks=(), **values):
    values = {
        "ngay_den": D(2025, 1, 10),
        "issuer": "UBND tỉnh Quảng Ngãi",
        "subject": f"Văn bản {number}",
        **values,
    }
    return register_with_tasks(
        db, DirectiveInput(number=number, **values), list(tasks), today=TODAY
    ).directive


@pytest.fixture
def task_db(db):
    save_profile(db, OfficeProfile(unit_name="Ủy ban nhân dân xã Sơn Tây", place_name="Sơn Tây"))
    # 1: three tasks, one done, one overdue.
    _directive(
        db,
        "107/UBND-NC",
        [
            TaskInput(ref="1", content="Việc A1", lead_unit="Văn phòng - Thống kê", deadline=D(2025, 3, 1)),
            TaskInput(ref="2", content=FORMULA, lead_unit="Tư pháp - Hộ tịch", deadline=D(2025, 5, 1)),
            TaskInput(ref="3", content="Việc A3", lead_unit="Văn phòng - Thống kê", deadline=D(2025, 9, 1)),
        ],
        issued_date=D(2025, 1, 8),
        doc_type="Công văn",
        assigned_to="",
    )
    complete_items(db, _items(db, "Việc A1"), D(2025, 2, 25), reply_number="12/BC-UBND", today=TODAY)
    # 2: handled late, with a reply.
    _directive(
        db,
        "45/KH-STC",
        doc_type="Kế hoạch",
        issuer="Sở Tài chính",
        issued_date=D(2025, 1, 9),
        subject="Triển khai dự toán ngân sách năm 2025",
        assigned_to="Công chức Tài chính - Kế toán",
        deadline=D(2025, 2, 15),
        handled_date=D(2025, 2, 20),
        reply_number="25/BC-UBND",
        notes="Bản giấy",
    )
    # 3: five tasks in time, two done.
    names = [f"Việc C{n}" for n in range(1, 6)]
    _directive(
        db,
        "9/SNV-CCHC",
        [TaskInput(content=name, lead_unit="Bộ phận Một cửa", deadline=D(2025, 12, 1)) for name in names],
        issuer="Sở Nội vụ",
    )
    complete_items(db, _items(db, "Việc C1") + _items(db, "Việc C2"), D(2025, 6, 1), today=TODAY)
    # 4: nothing to handle (no deadline, no tasks): not in the log.
    _directive(db, "3/GM-UBND", doc_type="Giấy mời", subject="Mời họp")
    # 5: cancelled: not in the log.
    cancelled = _directive(db, "8/UBND", deadline=D(2025, 2, 1))
    cancel_directive(db, cancelled.id, "Vào sổ nhầm")
    # 6: a deadline passed, no tasks, not handled.
    _directive(db, "77/UBND-KT", deadline=D(2025, 4, 30), subject=FORMULA)
    # 7: every task done.
    _directive(
        db, "5/TB-UBND", [TaskInput(content="Việc G1", lead_unit="Công an xã", deadline=D(2025, 4, 1))]
    )
    complete_items(db, _items(db, "Việc G1"), D(2025, 3, 28), today=TODAY)
    # Last year's document and the office's own task.
    _directive(db, "1/UBND", ngay_den=D(2024, 12, 30), deadline=D(2025, 1, 5))
    create_task(
        db, TaskInput(content="Việc riêng", lead_unit="Văn phòng - Thống kê"), follower="Trần Văn Nam"
    )
    return db


def _header_row(ws, labels) -> int:
    for row in ws.iter_rows():
        if [cell.value for cell in row[: len(labels)]] == list(labels):
            return row[0].row
    raise AssertionError("no header row")


# --- the task view --------------------------------------------------------------------------------


def test_task_view_headers_rows_and_types(task_db, tmp_path):
    columns = ["due_date", "content", "directive", "lead_unit", "status", "completed_date", "reply_number"]
    out = tmp_path / "nhiem-vu.xlsx"
    count = export_task_view_xlsx(task_db, TaskQuery(today=TODAY), columns, out)
    ws = load_workbook(out).active
    assert [cell.value for cell in ws[1]] == [glossary.TASK_LABELS[key] for key in columns]
    rows = [[cell for cell in row] for row in ws.iter_rows(min_row=2)]
    assert count == len(rows) == 10  # 3 + 5 + 1 work items from directives, and the office's own task
    first = rows[0]
    assert first[0].value == dt.datetime(2025, 3, 1) and first[0].number_format == "DD/MM/YYYY"
    assert [cell.value for cell in first[1:7]] == [
        "Việc A1",
        "107/UBND-NC ngày 08/01/2025",
        "Văn phòng - Thống kê",
        "Hoàn thành đúng hạn",
        dt.datetime(2025, 2, 25),
        "12/BC-UBND",
    ]
    formula = next(row for row in rows if row[1].value == FORMULA)
    assert formula[1].data_type == "s"  # text, never a formula
    assert formula[4].value == "Quá hạn chưa hoàn thành"
    own = rows[-1]  # no due date: last, the cell left empty
    assert own[0].value is None and own[1].value == "Việc riêng" and own[2].value == "Nhiệm vụ của đơn vị"


def test_task_view_page_setup(task_db, tmp_path):
    out = tmp_path / "nhiem-vu.xlsx"
    export_task_view_xlsx(task_db, TaskQuery(today=TODAY), list(TASK_COLUMNS), out)
    ws = load_workbook(out).active
    assert [cell.value for cell in ws[1]] == [glossary.TASK_LABELS[key] for key in TASK_COLUMNS]
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.oddFooter.center.text == "Trang &P / &N"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:K11"


def test_task_view_keeps_the_query(task_db, tmp_path):
    out = tmp_path / "qua-han.xlsx"
    count = export_task_view_xlsx(task_db, TaskQuery(today=TODAY, bucket="open_overdue"), ["content"], out)
    ws = load_workbook(out).active
    assert count == 1 and [row[0].value for row in ws.iter_rows(min_row=2)] == [FORMULA]


def test_task_view_empty_and_bad_columns(task_db, tmp_path):
    out = tmp_path / "trong.xlsx"
    assert (
        export_task_view_xlsx(task_db, TaskQuery(today=TODAY, text="không có việc này"), ["content"], out)
        == 0
    )
    ws = load_workbook(out).active
    assert ws["A2"].value == "Không có nhiệm vụ nào."
    with pytest.raises(ParclerkError):
        export_task_view_xlsx(task_db, TaskQuery(), [], out)
    with pytest.raises(ValueError):
        export_task_view_xlsx(task_db, TaskQuery(), ["content", "password"], out)


# --- Sổ theo dõi giải quyết văn bản đến -------------------------------------------------------------


def _log(db, tmp_path: Path, year: int = 2025):
    out = tmp_path / f"so-theo-doi-{year}.xlsx"
    count = export_handling_log_xlsx(db, year, out, today=TODAY)
    wb = load_workbook(out)
    return count, wb.active


def test_handling_log_title_block_and_columns(task_db, tmp_path):
    count, ws = _log(task_db, tmp_path)
    assert count == 5
    assert [ws.cell(row=r, column=1).value for r in range(1, 5)] == [
        "ỦY BAN NHÂN DÂN XÃ SƠN TÂY",
        "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
        "Năm 2025",
        "Tiến độ tính đến ngày 30/06/2025",
    ]
    header = _header_row(ws, HANDLING_LOG_COLUMNS)
    assert header == 6
    assert [c.value for c in ws[header + 1]] == [f"({n})" for n in range(1, 8)]
    assert ws.print_title_rows == "$6:$7"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.oddFooter.center.text == "Trang &P / &N"


def test_handling_log_rows(task_db, tmp_path):
    _, ws = _log(task_db, tmp_path)
    rows = {row[0].value: row for row in ws.iter_rows(min_row=8, max_col=7)}
    assert sorted(rows) == [1, 2, 3, 6, 7]  # no Giấy mời, nothing cancelled, nothing from 2024

    first = [cell.value for cell in rows[1]]
    assert first[1] == "Công văn số 107/UBND-NC ngày 08/01/2025 của UBND tỉnh Quảng Ngãi\nVăn bản 107/UBND-NC"
    assert first[2] == "Văn phòng - Thống kê\nTư pháp - Hộ tịch"  # no recipient: the tasks' lead units
    assert first[3] == "Theo từng nhiệm vụ: 01/03/2025 – 01/09/2025"
    assert first[4] == "Quá hạn: 1/3 nhiệm vụ hoàn thành; 1 nhiệm vụ quá hạn"
    assert rows[1][4].font.b  # bold, readable in black and white
    assert first[5] == "12/BC-UBND"

    handled = [cell.value for cell in rows[2]]
    assert handled[1].startswith("Kế hoạch số 45/KH-STC ngày 09/01/2025 của Sở Tài chính\n")
    assert handled[2:] == [
        "Công chức Tài chính - Kế toán",
        dt.datetime(2025, 2, 15),
        "Đã giải quyết ngày 20/02/2025 (chậm 5 ngày)",
        "25/BC-UBND",
        "Bản giấy",
    ]
    assert rows[2][3].number_format == "DD/MM/YYYY"

    assert rows[3][3].value == dt.datetime(2025, 12, 1)  # one date for all its tasks: a real date
    assert rows[3][4].value == "Đang giải quyết: 2/5 nhiệm vụ hoàn thành"
    assert rows[6][4].value == "Quá hạn, chưa giải quyết"
    assert rows[6][1].value.endswith("\n" + FORMULA) and rows[6][1].data_type == "s"
    assert rows[7][4].value == "Đã hoàn thành các nhiệm vụ (1/1 nhiệm vụ hoàn thành), xong ngày 28/03/2025"


def test_handling_log_of_an_empty_year(task_db, tmp_path):
    count, ws = _log(task_db, tmp_path, 2019)
    assert count == 0
    assert ws.cell(row=8, column=1).value == "Không có văn bản đến cần theo dõi giải quyết trong năm 2019."


def test_handling_log_html(task_db):
    page = handling_log_html(task_db, 2025, today=TODAY)
    # The names and the (1)..(7) row, in the <thead> that QTextDocument repeats on each page.
    assert "<thead>" in page and page.count("<th ") == 14
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in page and "Năm 2025" in page
    assert "=SUM(A1:A3) &amp; &lt;b&gt;" in page and "<b>=SUM" not in page
    assert "<b>Quá hạn, chưa giải quyết</b>" in page
    assert "Không có văn bản đến" in handling_log_html(task_db, 2019, today=TODAY)


def test_handling_log_counts_only_the_office_tasks(task_db):
    register_with_tasks(
        task_db,
        DirectiveInput(ngay_den=D(2025, 2, 1), issuer="UBND tỉnh", number="99/UBND", subject="Giao các Sở"),
        [
            TaskInput(
                content="Việc của Sở", lead_unit="Sở Nội vụ", deadline=D(2025, 3, 1), concerns_office=False
            )
        ],
        today=TODAY,
    )
    numbers = [row.document for row in handling_log(task_db, 2025, today=TODAY).rows]
    assert not any("99/UBND" in text for text in numbers)


# --- writing files safely -------------------------------------------------------------------------


def test_a_failed_export_leaves_the_old_file_and_no_temp(task_db, tmp_path):
    folder = tmp_path / "xuat"
    folder.mkdir()
    out = folder / "so.xlsx"
    out.write_bytes(b"old")

    def broken(path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ParclerkError, match="Ổ đĩa đã đầy"):
        write_atomically(out, broken, what="sổ theo dõi")
    assert out.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["so.xlsx"]


def test_missing_folder_and_directory_targets(task_db, tmp_path):
    with pytest.raises(ParclerkError, match="không tồn tại"):
        export_handling_log_xlsx(task_db, 2025, tmp_path / "khong-co" / "so.xlsx", today=TODAY)
    with pytest.raises(ParclerkError, match="là một thư mục"):
        export_task_view_xlsx(task_db, TaskQuery(today=TODAY), ["content"], tmp_path)
