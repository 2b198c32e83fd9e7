"""The printable Sổ đăng ký văn bản đến as HTML for QTextDocument (no Qt needed to test it)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from parclerk.models import DirectiveInput, OfficeProfile
from parclerk.reports.register_print import REGISTER_COLUMNS, register_print_html, type_and_subject
from parclerk.services.directives import cancel_directive, register_directive
from parclerk.services.settings import save_profile

TODAY = dt.date(2025, 6, 30)


def _register(db, **values):
    return register_directive(db, DirectiveInput(**values), today=TODAY).directive


@pytest.fixture
def register_db(db):
    """The conftest's fresh migrated database, with a profile and a few directives of 2023 and 2024."""
    database = db
    save_profile(
        database, OfficeProfile(unit_name="Ủy ban nhân dân xã Tịnh Ấn & <Tây>", place_name="Sơn Tịnh")
    )
    _register(
        database,
        ngay_den=dt.date(2024, 2, 1),
        issuer="Sở Nội vụ & UBND <huyện>",
        number="107/UBND-NC",
        issued_date=dt.date(2024, 1, 30),
        subject='V/v "cải cách" hành chính <script>alert(1)</script>',
        assigned_to="Văn phòng - Thống kê",
        handed_date=dt.date(2024, 2, 2),
        notes="Dòng một\nDòng hai",
    )
    _register(database, ngay_den=dt.date(2023, 11, 20), issuer="Sở Tài chính", subject="Văn bản năm trước")
    cancelled = _register(
        database,
        ngay_den=dt.date(2024, 2, 3),
        issuer="UBND tỉnh",
        doc_type="Thông báo",
        subject="Kết luận của Chủ tịch UBND tỉnh",
    )
    cancel_directive(database, cancelled.id, "Nhập nhầm")
    return database


class _Structure(HTMLParser):
    """Counts rows per table section and checks every opened tag is closed in order (void tags aside)."""

    VOID = {"meta", "br", "col", "hr", "img"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.section = ""
        self.rows: dict[str, int] = {"thead": 0, "tbody": 0}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag in ("thead", "tbody"):
            self.section = tag
        if tag == "tr":
            self.rows[self.section] += 1

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def _structure(html: str) -> _Structure:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    assert not parser.stack
    return parser


def test_user_text_is_escaped(register_db):
    html = register_print_html(register_db, 2024)
    assert "Sở Nội vụ &amp; UBND &lt;huyện&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;cải cách&quot;" in html
    assert "<huyện>" not in html and "<script>" not in html
    assert "ỦY BAN NHÂN DÂN XÃ TỊNH ẤN &amp; &lt;TÂY&gt;" in html
    assert "Dòng một<br>Dòng hai" in html


def test_year_filter_and_order(register_db):
    html = register_print_html(register_db, 2024)
    assert "Văn bản năm trước" not in html
    assert "Năm 2024" in html
    assert "Từ ngày 01/02/2024 đến ngày 03/02/2024" in html
    assert "Từ số 1 đến số 2" in html
    assert html.index("107/UBND-NC") < html.index("Kết luận của Chủ tịch UBND tỉnh")
    assert _structure(html).rows == {"thead": 2, "tbody": 2}
    assert "Văn bản năm trước" in register_print_html(register_db, 2023)


def test_thead_repeats_the_ten_columns(register_db):
    html = register_print_html(register_db, 2024)
    thead = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert thead
    labels = re.findall(r"<b>(.*?)</b>", thead.group(1))
    assert labels == list(REGISTER_COLUMNS)
    assert [f"({n})" for n in range(1, 11)] == re.findall(r"\(\d+\)", thead.group(1))
    assert html.index("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN") < html.index("<table")


def test_rows_carry_the_register_values(register_db):
    html = register_print_html(register_db, 2024)
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    first, second = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", first, re.S)
    assert len(cells) == 10
    assert (
        cells[0] == "01/02/2024" and cells[1] == "1" and cells[4] == "30/01/2024" and cells[7] == "02/02/2024"
    )
    assert cells[8] == ""  # Ký nhận
    cancelled = re.findall(r"<td[^>]*>(.*?)</td>", second, re.S)
    assert cancelled[5] == "Thông báo: Kết luận của Chủ tịch UBND tỉnh"
    assert cancelled[9] == "Đã hủy: Nhập nhầm"


def test_fonts_and_sizes(register_db):
    html = register_print_html(register_db, 2024)
    assert "Times New Roman" in html and "font-size: 11pt" in html
    sizes = {float(size) for size in re.findall(r"<t[dh][^>]*font-size: ([\d.]+)pt", html)}
    assert sizes and all(9 <= size <= 10 for size in sizes)
    widths = [int(w) for w in re.findall(r'<th width="(\d+)%"', html)]
    assert len(widths) == 10 and sum(widths) == 100


def test_empty_year(register_db):
    html = register_print_html(register_db, 2021)
    assert "Không có văn bản đến trong năm 2021." in html
    assert "<thead>" in html and "Từ số" not in html
    assert _structure(html).rows == {"thead": 2, "tbody": 1}


@pytest.mark.parametrize(
    ("doc_type", "subject", "expected"),
    [
        ("Công văn", "V/v tăng cường kỷ cương", "V/v tăng cường kỷ cương"),
        ("", "Không rõ loại", "Không rõ loại"),
        ("Kế hoạch", "Triển khai Đề án 06", "Kế hoạch: Triển khai Đề án 06"),
        ("Báo cáo", "Báo cáo tình hình quý I", "Báo cáo tình hình quý I"),
        ("Thông báo", "thông báo kết luận", "thông báo kết luận"),
        ("Quyết định", "Quyết toán ngân sách", "Quyết định: Quyết toán ngân sách"),
    ],
)
def test_type_and_subject(doc_type, subject, expected):
    assert type_and_subject(doc_type, subject) == expected
