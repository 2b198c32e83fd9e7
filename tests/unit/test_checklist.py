"""The printed task checklist: its rows (order, buckets, overdue marks) and its HTML (no Qt needed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html.parser import HTMLParser

import pytest

from parclerk.errors import ParclerkError
from parclerk.models import DirectiveInput, OfficeProfile, TaskInput
from parclerk.queries import TaskQuery
from parclerk.reports.checklist import (
    CHECKBOX,
    CHECKLIST_COLUMNS,
    EMPTY_NOTE,
    checklist_html,
    checklist_query,
    checklist_rows,
    checklist_title,
    status_text,
)
from parclerk.services.intake import register_with_tasks
from parclerk.services.settings import save_profile
from parclerk.services.tasks import complete_items, create_task, save_unit

TODAY = dt.date(2025, 6, 30)
D = dt.date
HOSTILE = "Rà soát thủ tục <hành chính> & báo cáo “kết quả”"


def _item_id(db, content: str) -> int:
    return db.execute(
        "SELECT i.id FROM task_items i JOIN tasks t ON t.id = i.task_id WHERE t.content = ? ORDER BY i.id",
        [content],
    ).fetchone()[0]


@pytest.fixture
def task_db(db):
    """A profile, one directive with tasks in every bucket, an own task and someone else's task."""
    save_profile(db, OfficeProfile(unit_name="Ủy ban nhân dân xã Tịnh Ấn & <Tây>", place_name="Sơn Tịnh"))
    register_with_tasks(
        db,
        DirectiveInput(
            ngay_den=D(2025, 1, 10),
            issuer="UBND tỉnh Quảng Ngãi",
            number="107/UBND-NC",
            issued_date=D(2025, 1, 9),
            subject="V/v tăng cường cải cách hành chính",
        ),
        [
            TaskInput(
                ref="1",
                content=HOSTILE,
                lead_unit="Văn phòng - Thống kê",
                coordinating_units=("Tư pháp - Hộ tịch", "Bộ phận Một cửa"),
                deadline=D(2025, 5, 15),  # 46 days late on TODAY
            ),
            TaskInput(
                ref="2", content="Báo cáo sơ kết", lead_unit="Tư pháp - Hộ tịch", deadline=D(2025, 6, 20)
            ),
            TaskInput(
                ref="3", content="Tuyên truyền", lead_unit="Văn phòng - Thống kê", deadline=D(2025, 7, 2)
            ),
            TaskInput(
                ref="4", content="Tổng kết năm", lead_unit="Văn phòng - Thống kê", deadline=D(2025, 9, 30)
            ),
            TaskInput(
                ref="5", content="Theo dõi một cửa", lead_unit="Bộ phận Một cửa", deadline_text="thường xuyên"
            ),
            TaskInput(
                ref="6", content="Xong đúng hạn", lead_unit="Tư pháp - Hộ tịch", deadline=D(2025, 3, 31)
            ),
            TaskInput(ref="7", content="Xong chậm", lead_unit="Tư pháp - Hộ tịch", deadline=D(2025, 2, 28)),
            TaskInput(
                ref="8",
                content="Việc của Sở Nội vụ",
                lead_unit="Sở Nội vụ",
                deadline=D(2025, 4, 1),
                concerns_office=False,
            ),
        ],
        today=TODAY,
    )
    complete_items(db, [_item_id(db, "Xong đúng hạn")], D(2025, 3, 30), today=TODAY)
    complete_items(db, [_item_id(db, "Xong chậm")], D(2025, 3, 10), today=TODAY)
    create_task(
        db,
        TaskInput(content='=HYPERLINK("http://x.invalid") việc riêng', lead_unit="Văn phòng - Thống kê"),
        follower="Trần Văn Nam",
    )
    return db


def _rows(db, **query):
    return checklist_rows(db, TaskQuery(today=TODAY, **{"open_only": True, **query}))


def test_rows_are_in_due_date_order_with_undated_last(task_db):
    rows = _rows(task_db)
    assert [row.stt for row in rows] == list(range(1, len(rows) + 1))
    contents = [row.task for row in rows]
    assert contents[:4] == [
        f"Mục 1: {HOSTILE}",
        "Mục 2: Báo cáo sơ kết",
        "Mục 3: Tuyên truyền",
        "Mục 4: Tổng kết năm",
    ]
    assert set(contents[4:]) == {"Mục 5: Theo dõi một cửa", '=HYPERLINK("http://x.invalid") việc riêng'}
    # Open items of the office only: nothing done, nothing of the Sở's.
    assert not any("Xong" in text or "Sở Nội vụ" in text for text in contents)


def test_status_marks_survive_black_and_white(task_db):
    by_content = {row.task: row for row in _rows(task_db)}
    first = by_content[f"Mục 1: {HOSTILE}"]
    assert (first.status, first.status_detail, first.bucket) == (
        "Quá hạn trên 30 ngày (!!)",
        "đã quá 46 ngày",
        "open_overdue",
    )
    second = by_content["Mục 2: Báo cáo sơ kết"]
    assert (second.status, second.status_detail) == ("Quá hạn (!)", "đã quá 10 ngày")
    soon = by_content["Mục 3: Tuyên truyền"]
    assert (soon.status, soon.status_detail, soon.bucket) == ("Sắp đến hạn (*)", "còn 2 ngày", "open_in_time")
    assert by_content["Mục 4: Tổng kết năm"].status == "Đang thực hiện trong hạn"
    ongoing = by_content["Mục 5: Theo dõi một cửa"]
    assert (ongoing.status, ongoing.due) == ("Nhiệm vụ thường xuyên", "thường xuyên")
    own = by_content['=HYPERLINK("http://x.invalid") việc riêng']
    assert (own.status, own.due, own.directive) == (
        "Không có thời hạn",
        "Không có hạn",
        "Nhiệm vụ của đơn vị",
    )


def test_row_columns(task_db):
    first = _rows(task_db)[0]
    assert first.directive == "107/UBND-NC ngày 09/01/2025\nUBND tỉnh Quảng Ngãi"
    assert first.lead_unit == "Văn phòng - Thống kê"
    assert first.coordinating_units == "Tư pháp - Hộ tịch\nBộ phận Một cửa"
    assert first.due == "15/05/2025"
    assert len(first.cells) == len(CHECKLIST_COLUMNS) == 9
    assert first.cells[7] == CHECKBOX and first.cells[8] == ""
    assert first.cells[6] == "Quá hạn trên 30 ngày (!!)\nđã quá 46 ngày"


def test_a_period_lists_done_items_too(task_db):
    query, title = checklist_query(task_db, due_from=D(2025, 1, 1), due_to=D(2025, 6, 30), today=TODAY)
    rows = checklist_rows(task_db, query)
    by_content = {row.task: row for row in rows}
    assert [row.due for row in rows] == sorted(
        (row.due for row in rows), key=lambda d: d[6:] + d[3:5] + d[:2]
    )
    late = by_content["Mục 7: Xong chậm"]
    assert (late.status, late.status_detail) == ("Hoàn thành quá hạn", "ngày 10/03/2025 (chậm 10 ngày)")
    assert by_content["Mục 6: Xong đúng hạn"].status == "Hoàn thành đúng hạn"
    assert "Mục 3: Tuyên truyền" not in by_content  # due after the period
    assert title == "DANH SÁCH KIỂM TRA NHIỆM VỤ\nHạn từ ngày 01/01/2025 đến ngày 30/06/2025"


def test_recurring_items_show_their_period(task_db):
    create_task(
        task_db,
        TaskInput(content="Báo cáo CCHC hàng quý", lead_unit="Văn phòng - Thống kê", recurrence="quarterly"),
    )
    rows = [row for row in _rows(task_db) if row.task == "Báo cáo CCHC hàng quý"]
    assert rows and all("\n(Quý " in row.due for row in rows)


def test_status_text_boundaries():
    assert status_text("open", TODAY, None, TODAY)[:2] == ("Sắp đến hạn (*)", "đến hạn hôm nay")
    assert status_text("open", TODAY - dt.timedelta(days=30), None, TODAY)[0] == "Quá hạn (!)"
    assert status_text("open", TODAY - dt.timedelta(days=31), None, TODAY)[0] == "Quá hạn trên 30 ngày (!!)"
    assert status_text("open", TODAY + dt.timedelta(days=4), None, TODAY)[0] == "Đang thực hiện trong hạn"
    assert status_text("done", None, TODAY, TODAY)[0] == "Hoàn thành đúng hạn"


def test_query_by_unit_alias_and_loose_name(task_db):
    save_unit(task_db, "Văn phòng - Thống kê", aliases=["VP-TK"])
    for typed in ("VP-TK", "van phong thong ke", "VĂN PHÒNG - THỐNG KÊ"):
        query, title = checklist_query(task_db, unit=typed, today=TODAY)
        rows = checklist_rows(task_db, query)
        assert {row.lead_unit for row in rows} == {"Văn phòng - Thống kê"}, typed
        assert "Đơn vị chủ trì: Văn phòng - Thống kê" in title.splitlines()
    # A named unit is found even when its tasks do not concern the office.
    query, _ = checklist_query(task_db, unit="sở nội vụ", due_from=D(2025, 1, 1), today=TODAY)
    assert [row.task for row in checklist_rows(task_db, query)] == ["Mục 8: Việc của Sở Nội vụ"]


def test_unknown_unit_and_person_list_the_known_ones(task_db):
    with pytest.raises(ParclerkError) as caught:
        checklist_query(task_db, unit="Phòng Không Có", today=TODAY)
    assert "Không có đơn vị chủ trì “Phòng Không Có”" in caught.value.message
    assert "Bộ phận Một cửa; Tư pháp - Hộ tịch; Văn phòng - Thống kê" in caught.value.message
    with pytest.raises(ParclerkError) as caught:
        checklist_query(task_db, person="Ai Đó", today=TODAY)
    assert "Trần Văn Nam" in caught.value.message
    query, title = checklist_query(task_db, person="tran van nam", today=TODAY)
    assert [row.task for row in checklist_rows(task_db, query)] == [
        '=HYPERLINK("http://x.invalid") việc riêng'
    ]
    assert "Người theo dõi: Trần Văn Nam" in title
    with pytest.raises(ParclerkError, match="ở sau ngày kết thúc"):
        checklist_query(task_db, due_from=D(2025, 7, 1), due_to=D(2025, 6, 1), today=TODAY)


class _Structure(HTMLParser):
    """Counts header cells and rows per section; checks every tag is closed in order (void tags aside)."""

    VOID = {"meta", "br"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.section = ""
        self.rows = {"thead": 0, "tbody": 0}
        self.header_cells: list[str] = []
        self._in_th = False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag in ("thead", "tbody"):
            self.section = tag
        if tag == "tr" and self.section in self.rows:
            self.rows[self.section] += 1
        if tag == "th":
            self._in_th = True
            self.header_cells.append("")

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if tag == "th":
            self._in_th = False
        if tag in ("thead", "tbody"):
            self.section = ""

    def handle_data(self, data):
        if self._in_th:
            self.header_cells[-1] += data


def _html(db) -> str:
    return checklist_html(db, TaskQuery(today=TODAY, open_only=True), checklist_title(open_only=True))


def test_html_heading_table_and_summary(task_db):
    page = _html(task_db)
    structure = _Structure()
    structure.feed(page)
    assert structure.stack == []
    assert structure.header_cells == list(CHECKLIST_COLUMNS)  # one header row, repeated by QTextDocument
    assert structure.rows == {"thead": 1, "tbody": 6}
    assert "<b>ỦY BAN NHÂN DÂN XÃ TỊNH ẤN &amp; &lt;TÂY&gt;</b>" in page
    assert "Sơn Tịnh, ngày 30/06/2025" in page
    assert "<b>DANH SÁCH KIỂM TRA NHIỆM VỤ</b>" in page
    assert "Các nhiệm vụ chưa hoàn thành" in page
    assert "Tổng số: 6 nhiệm vụ; quá hạn: 2 (trên 30 ngày: 1); sắp đến hạn: 1." in page
    assert page.count(CHECKBOX) == 6


def test_html_escapes_user_text(task_db):
    page = _html(task_db)
    assert "Rà soát thủ tục &lt;hành chính&gt; &amp; báo cáo" in page
    assert "<hành chính>" not in page and "<TÂY>" not in page
    assert "=HYPERLINK(&quot;http://x.invalid&quot;)" in page
    assert "Tư pháp - Hộ tịch<br>Bộ phận Một cửa" in page  # line breaks kept, as <br>


def test_html_title_lines_are_escaped(task_db):
    page = checklist_html(task_db, TaskQuery(today=TODAY), "DANH SÁCH <b>\nĐơn vị chủ trì: A & B")
    assert "DANH SÁCH &lt;b&gt;" in page and "Đơn vị chủ trì: A &amp; B" in page


def test_empty_list_says_so(db):
    page = checklist_html(db, TaskQuery(today=TODAY), checklist_title())
    assert EMPTY_NOTE in page
    assert "Tổng số: 0 nhiệm vụ; quá hạn: 0." in page
    assert "Ngày 30/06/2025" in page  # no place name in an empty profile
    structure = _Structure()
    structure.feed(page)
    assert structure.rows == {"thead": 1, "tbody": 1}


def test_long_lists_page_through_the_database(task_db):
    for number in range(1, 1201):
        create_task(task_db, TaskInput(content=f"Việc số {number}", deadline=D(2025, 8, 1)))
    rows = checklist_rows(task_db, dataclasses.replace(TaskQuery(today=TODAY), open_only=True))
    assert len(rows) == 1206 and rows[-1].stt == 1206


def test_default_query_is_every_open_item_of_the_office(task_db):
    query, title = checklist_query(task_db, today=TODAY)
    assert (query.open_only, query.own_only, query.today) == (True, True, TODAY)
    assert title == "DANH SÁCH KIỂM TRA NHIỆM VỤ\nCác nhiệm vụ chưa hoàn thành"
    assert len(checklist_rows(task_db, query)) == 6
