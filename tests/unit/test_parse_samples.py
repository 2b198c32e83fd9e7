"""The parser on the three real directives in ../shared/samples, expected fields written by hand.

The samples are real text with OCR markup (**bold**, ~~strike~~), page breaks inside sentences, an
e-signature stamp and an enclosed document. Each field is checked on its own so a failure names it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parclerk.parsing.directive import parse_directive
from parclerk.parsing.model import ParsedDirective, as_json

# The real directives of ../shared/samples, as shipped with the demo (a clone may have no ../shared).
SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "demo" / "samples"
D = dt.date


def parse(name: str) -> ParsedDirective:
    return parse_directive((SAMPLES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cv107() -> ParsedDirective:
    return parse("cv-107-UBND-NC-quang-ngai-2021.txt")


@pytest.fixture(scope="module")
def cv294() -> ParsedDirective:
    return parse("cv-294-UBND-son-tay-2021-with-tb-89.txt")


@pytest.fixture(scope="module")
def cv526() -> ParsedDirective:
    return parse("cv-526-VP-HCTC-quang-tri-2022.txt")


# --- Công văn 107/UBND-NC, UBND tỉnh Quảng Ngãi, 09/01/2021 -----------------------------------------


def test_107_header(cv107):
    assert cv107.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert cv107.parent_body == ""
    assert cv107.number == "107/UBND-NC"  # "Số: ~~107~~ /UBND-NC": strike markup and the space tolerated
    assert cv107.doc_type == "Công văn"
    assert cv107.issued_place == "Quảng Ngãi"
    assert cv107.issued_date == D(2021, 1, 9)
    assert cv107.subject == (
        "V/v tham mưu chỉ đạo tăng cường công tác cải cách hành chính, văn hóa công vụ và chấn chỉnh kỷ luật, "
        "kỷ cương hành chính trên địa bàn tỉnh"
    )


def test_107_recipients_signer_noi_nhan(cv107):
    assert cv107.recipients == (
        "Sở Nội vụ",
        "Sở Thông tin và Truyền thông",
        "Sở Tư pháp",
        "Sở Tài chính",
        "Sở Khoa học và Công nghệ",
        "Văn phòng UBND tỉnh",
    )
    assert cv107.signer == "Đặng Văn Minh"
    assert cv107.signer_title == "Chủ tịch"
    assert cv107.noi_nhan[0] == "Như trên"
    assert cv107.noi_nhan[-1].startswith("Lưu: VT, NC")
    assert cv107.references == ()


def test_107_tasks(cv107):
    assert [t.ref for t in cv107.tasks] == ["1.a", "1.b", "1.c", "1.d", "2"]
    for task in cv107.tasks[:4]:
        assert task.lead_unit == "Sở Nội vụ"  # "yêu cầu Sở Nội vụ (...), thực hiện các nhiệm vụ sau"
        assert task.coordinating_units == ("Các cơ quan, đơn vị liên quan",)
        # "Hoàn thành các nhiệm vụ nêu trên chậm nhất trong tháng 2/2021." closes item 1 for a) to d).
        assert task.deadline == D(2021, 2, 28)
        assert task.deadline_text == "chậm nhất trong tháng 2/2021"
        assert task.recurrence is None
    assert cv107.tasks[0].text.startswith("Khẩn trương rà soát, tham mưu sửa đổi")
    # A page break split 1.d in the middle of a sentence ("có trách nhiệm với / dân; ...").
    assert "có trách nhiệm với dân; nâng cao hiệu quả" in cv107.tasks[3].text
    second = cv107.tasks[4]
    assert second.lead_unit == "Sở Nội vụ"
    assert second.coordinating_units == (
        "Văn phòng UBND tỉnh",
        "Sở Thông tin và Truyền thông",
        "Sở Tài chính",
        "Sở Tư pháp",
        "Sở Khoa học và Công nghệ",
        "Các cơ quan, đơn vị liên quan",
    )
    assert second.deadline == D(2020, 2, 29)  # as written (tháng 02/2020), flagged, never fixed
    assert second.deadline_text == "chậm nhất trong tháng 02/2020"
    assert "deadline" in second.uncertain


def test_107_warns_about_the_deadline_before_the_document(cv107):
    assert any(w.startswith("Nhiệm vụ 2:") and "sớm hơn" in w for w in cv107.warnings), cv107.warnings


# --- Công văn 294/UBND, UBND huyện Sơn Tây, 31/3/2021, enclosing Thông báo 89/TB-UBND ---------------


def test_294_header(cv294):
    assert cv294.issuer == "Ủy ban nhân dân huyện Sơn Tây"
    assert cv294.number == "294/UBND"  # "Số: **294** /UBND"
    assert cv294.doc_type == "Công văn"
    assert cv294.issued_place == "Sơn Tây"
    assert cv294.issued_date == D(2021, 3, 31)
    assert cv294.subject == (
        "V/v thực hiện Thông báo kết luận của đồng chí Đặng Văn Minh tại buổi họp BCD cải cách hành chính và "
        "nâng cao chỉ số năng lực cạnh tranh tỉnh Quảng Ngãi"
    )
    assert cv294.recipients == ("Thủ trưởng các cơ quan, đơn vị thuộc huyện", "Chủ tịch UBND các xã")


def test_294_is_the_outer_letter_and_names_the_enclosed_one(cv294):
    # The signer is the outer letter's, not the enclosed Thông báo's (Phạm Xuân Duệ).
    assert cv294.signer == "Nguyễn Ngọc Trân"
    assert cv294.signer_title == "Chủ tịch"
    assert cv294.noi_nhan[:2] == ("Như trên", "CT, PCT UBND huyện")
    assert cv294.references == (
        "Thông báo số 89/TB-UBND ngày 16/3/2021 của Ủy ban nhân dân tỉnh Quảng Ngãi: Kết luận của đồng chí Đặng "
        "Văn Minh - Chủ tịch UBND tỉnh tại buổi họp Ban Chỉ đạo cải cách hành chính và nâng cao chỉ số năng lực "
        "cạnh tranh tỉnh Quảng Ngãi",
    )


def test_294_tasks(cv294):
    assert [t.ref for t in cv294.tasks] == ["1", "2"]
    first, second = cv294.tasks
    assert first.lead_unit == "Thủ trưởng các cơ quan, đơn vị, Chủ tịch UBND các xã"
    assert first.recurrence == "quarterly"  # "Hàng quý báo cáo kết quả thực hiện về UBND huyện"
    assert first.deadline is None
    assert first.deadline_text.lower() == "hàng quý"
    assert second.lead_unit == "Cơ quan Tổ chức – Nội vụ"
    assert second.deadline is None and second.recurrence is None
    # Nothing from the enclosed Thông báo becomes a task of the outer letter.
    assert not any("Sở Nội vụ" in t.lead_unit for t in cv294.tasks)


# --- Công văn 526/VP-HCTC, Văn phòng UBND tỉnh Quảng Trị, 14/10/2022 ---------------------------------


def test_526_header(cv526):
    assert cv526.parent_body == "UBND tỉnh Quảng Trị"
    assert cv526.issuer == "Văn phòng UBND tỉnh Quảng Trị"
    assert cv526.number == "526/VP-HCTC"
    assert cv526.doc_type == "Công văn"
    assert cv526.issued_place == "Quảng Trị"
    assert cv526.issued_date == D(2022, 10, 14)
    assert cv526.subject == (
        "V/v đơn đốc triển khai thực hiện nhiệm vụ CCHC và đẩy mạnh tuyên truyền công tác CCHC"
    )  # "đơn đốc" is the document's own spelling: kept
    assert cv526.recipients == ("Các phòng, ban, trung tâm thuộc Văn phòng UBND tỉnh",)
    assert cv526.signer == "Nguyễn Cảnh Hưng"
    assert cv526.signer_title == "Chánh Văn phòng"
    assert cv526.noi_nhan == ("Như trên", "Sở Nội vụ", "CVP, các PVP UBND tỉnh", "Lưu: VT, HCTC(Ph)")


def test_526_tasks(cv526):
    assert [t.ref for t in cv526.tasks] == [str(n) for n in range(1, 13)]
    leads = {t.ref: t.lead_unit for t in cv526.tasks}
    assert (
        leads["1"] == "Các phòng, ban, trung tâm"
    )  # "Lãnh đạo các phòng, ban, trung tâm có trách nhiệm ..."
    assert leads["5"] == "Phòng Nội chính"
    assert leads["6"] == "Ban tiếp Công dân tỉnh"
    assert leads["7"] == "Trung tâm Phục vụ hành chính công tỉnh"
    assert leads["11"] == "Các đơn vị sự nghiệp thuộc Văn phòng UBND tỉnh"
    assert leads["12"] == "Phòng Hành chính - Tổ chức"  # "Tổ chức" is part of the name, not the verb
    by_ref = {t.ref: t for t in cv526.tasks}
    assert by_ref["5"].coordinating_units == ("Các cơ quan, đơn vị, địa phương",)
    assert by_ref["7"].coordinating_units == ("Trung tâm Tin học tỉnh",)
    # Item 3 runs over the three paragraphs that follow it.
    assert "Hình thức tuyên truyền tập trung" in by_ref["3"].text
    assert "Quán triệt các chủ trương" in by_ref["3"].text
    # "Định kỳ quý, 6 tháng và năm ... báo cáo": four reports a year.
    assert by_ref["12"].recurrence == "quarterly"
    # "chi thường xuyên" is recurrent spending, not an ongoing deadline.
    assert by_ref["10"].deadline_text == ""
    # The closing request ("Đề nghị Lãnh đạo các phòng ... ./.") is not glued onto item 12.
    assert "Đề nghị Lãnh đạo" not in by_ref["12"].text


# --- the JSON contract -------------------------------------------------------------------------------


def test_json_has_exactly_the_contract_keys(cv107):
    data = as_json(cv107)
    assert list(data) == [
        "issuer", "number", "doc_type", "issued_place", "issued_date", "subject", "recipients", "signer",
        "signer_title", "tasks", "warnings",
    ]  # fmt: skip
    assert data["issued_date"] == "2021-01-09"
    assert list(data["tasks"][0]) == [
        "ref", "text", "lead_unit", "coordinating_units", "deadline", "deadline_text", "recurrence",
    ]  # fmt: skip
    assert data["tasks"][0]["deadline"] == "2021-02-28"


def test_the_shipped_samples_are_the_shared_ones():
    shared = Path(__file__).resolve().parents[3] / "shared" / "samples"
    if not shared.exists():
        pytest.skip("no ../shared/samples beside this checkout")
    for path in shared.glob("*.txt"):
        assert (SAMPLES / path.name).read_bytes() == path.read_bytes(), f"{path.name} differs from ../shared"
