"""The parser on document shapes the samples do not have, written the way real ones are."""

from __future__ import annotations

import datetime as dt

from parclerk.parsing.directive import parse_directive
from parclerk.parsing.names import proper_body_name, proper_title, split_units

D = dt.date

KE_HOACH = """
ỦY BAN NHÂN DÂN
XÃ BA ĐIỀN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 45/KH-UBND

Ba Điền, ngày 05 tháng 02 năm 2024

KẾ HOẠCH
Cải cách hành chính năm 2024 trên địa bàn xã

Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2024 của UBND huyện Ba Tơ về cải cách hành chính năm 2024;

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích
Nâng cao chất lượng giải quyết thủ tục hành chính, phấn đấu 100% hồ sơ được giải quyết đúng hạn.

2. Yêu cầu
Các bộ phận chủ động triển khai, bảo đảm tiến độ.

II. NỘI DUNG THỰC HIỆN

1. Công tác chỉ đạo, điều hành
a) Ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2024. Thời gian thực hiện: trong quý I/2024.
b) Kiểm tra công tác cải cách hành chính tại các bộ phận chuyên môn. Thời gian thực hiện: trước ngày 30/11/2024.
2. Cải cách thủ tục hành chính
a) Công khai đầy đủ thủ tục hành chính tại Bộ phận Một cửa (thường xuyên).
b) Báo cáo tình hình giải quyết hồ sơ thủ tục hành chính hàng tháng.

III. TỔ CHỨC THỰC HIỆN

1. Công chức Văn phòng - Thống kê:
- Chủ trì, phối hợp với công chức Tư pháp - Hộ tịch theo dõi, đôn đốc việc thực hiện Kế hoạch này.
- Tổng hợp, báo cáo kết quả thực hiện định kỳ 6 tháng và năm về UBND huyện.
2. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã phối hợp tuyên truyền, vận động Nhân dân thực hiện dịch vụ công trực tuyến.

Trên đây là Kế hoạch cải cách hành chính năm 2024 của UBND xã Ba Điền./.

Nơi nhận:
- UBND huyện Ba Tơ (b/c);
- Phòng Nội vụ huyện;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Phạm Văn Hùng
"""


def test_ke_hoach_header():
    doc = parse_directive(KE_HOACH)
    assert doc.issuer == "Ủy ban nhân dân xã Ba Điền"
    assert doc.number == "45/KH-UBND"
    assert doc.doc_type == "Kế hoạch"
    assert doc.issued_place == "Ba Điền"
    assert doc.issued_date == D(2024, 2, 5)
    assert doc.subject == "Cải cách hành chính năm 2024 trên địa bàn xã"
    assert doc.recipients == ()
    assert doc.signer == "Phạm Văn Hùng"
    assert doc.signer_title == "Phó Chủ tịch"
    assert doc.signer_authority == "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"
    assert doc.noi_nhan == ("UBND huyện Ba Tơ (b/c)", "Phòng Nội vụ huyện", "Lưu: VT")


def test_ke_hoach_tasks_skip_the_purpose_section():
    doc = parse_directive(KE_HOACH)
    refs = [t.ref for t in doc.tasks]
    assert refs == ["II.1.a", "II.1.b", "II.2.a", "II.2.b", "III.1-1", "III.1-2", "III.2"]
    by_ref = {t.ref: t for t in doc.tasks}
    assert by_ref["II.1.a"].deadline == D(2024, 3, 31)
    assert by_ref["II.1.b"].deadline == D(2024, 11, 29)  # "trước ngày 30/11": the day before
    assert by_ref["II.2.a"].deadline is None and by_ref["II.2.a"].deadline_text == "thường xuyên"
    assert by_ref["II.2.b"].recurrence == "monthly"
    assert by_ref["III.1-1"].lead_unit == "Công chức Văn phòng - Thống kê"
    assert by_ref["III.1-1"].coordinating_units == ("Công chức Tư pháp - Hộ tịch",)
    assert by_ref["III.1-2"].recurrence == "semiannual"
    assert by_ref["III.2"].lead_unit == "Ủy ban Mặt trận Tổ quốc Việt Nam xã"
    # The closing sentence is not a task and is not glued onto the last one.
    assert "Trên đây là" not in by_ref["III.2"].text


QUYET_DINH = """
UBND TỈNH QUẢNG NGÃI
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 215/QĐ-SNV
Quảng Ngãi, ngày 18 tháng 7 năm 2025
QUYẾT ĐỊNH
Về việc thành lập Tổ kiểm tra công tác cải cách hành chính năm 2025
GIÁM ĐỐC SỞ NỘI VỤ TỈNH QUẢNG NGÃI
Căn cứ Quyết định số 12/2025/QĐ-UBND ngày 01/3/2025 của UBND tỉnh;
Theo đề nghị của Trưởng phòng Cải cách hành chính.
QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ kiểm tra công tác cải cách hành chính năm 2025 gồm các ông (bà) có tên sau.
Điều 2. Tổ kiểm tra có nhiệm vụ kiểm tra tại các xã, phường; báo cáo kết quả về Sở Nội vụ trước ngày 15/12/2025.
Điều 3. Chánh Văn phòng Sở, Trưởng phòng Cải cách hành chính và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 3;
- Lưu: VT, CCHC.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Trần Thị Thu Hà
"""


def test_quyet_dinh_with_a_parent_body():
    doc = parse_directive(QUYET_DINH)
    assert doc.parent_body == "UBND tỉnh Quảng Ngãi"
    assert doc.issuer == "Sở Nội vụ tỉnh Quảng Ngãi"
    assert doc.number == "215/QĐ-SNV"
    assert doc.doc_type == "Quyết định"
    assert doc.issued_date == D(2025, 7, 18)
    assert doc.subject == "Về việc thành lập Tổ kiểm tra công tác cải cách hành chính năm 2025"
    assert doc.signer == "Trần Thị Thu Hà"
    assert doc.signer_title == "Phó Giám đốc"
    assert doc.signer_authority == "KT. GIÁM ĐỐC"
    assert any(t.deadline == D(2025, 12, 14) for t in doc.tasks)


SHORT_LETTER = """UBND HUYỆN BA TƠ
PHÒNG NỘI VỤ
Số: 88/PNV
V/v báo cáo kết quả thực hiện
công tác cải cách hành chính 6 tháng
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Ba Tơ, ngày 02 tháng 6 năm 2021
Kính gửi: Ủy ban nhân dân các xã, thị trấn.
Thực hiện Công văn số 1047/SNV-CCHC ngày 25/5/2021 của Sở Nội vụ, Phòng Nội vụ đề nghị UBND các xã, thị trấn báo cáo kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2021, gửi về Phòng Nội vụ trước ngày 15/6/2021 để tổng hợp.
Rất mong sự phối hợp của quý cơ quan./.
Nơi nhận:
- Như trên;
- Lưu: VT.
TRƯỞNG PHÒNG
Nguyễn Thị Mai
"""


def test_a_short_letter_without_numbered_items_still_gives_its_request():
    doc = parse_directive(SHORT_LETTER)
    assert doc.issuer == "Phòng Nội vụ huyện Ba Tơ"
    assert doc.parent_body == "UBND huyện Ba Tơ"
    assert doc.subject == "V/v báo cáo kết quả thực hiện công tác cải cách hành chính 6 tháng"
    assert doc.recipients == ("Ủy ban nhân dân các xã, thị trấn",)
    assert doc.signer_title == "Trưởng phòng"
    assert doc.signer == "Nguyễn Thị Mai"
    assert len(doc.tasks) == 1
    task = doc.tasks[0]
    assert task.lead_unit == "UBND các xã, thị trấn"
    assert task.deadline == D(2021, 6, 14)


# A PDF's text layer: both header columns on one line, paragraphs wrapped, no blank lines.
PDF_LIKE = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc
Số: 310/UBND-NC Quảng Ngãi, ngày 14 tháng 01 năm 2025
V/v triển khai nhiệm vụ cải cách
hành chính năm 2025
Kính gửi:
- Sở Nội vụ;
- UBND các huyện, thị xã, thành phố.
Chủ tịch UBND tỉnh yêu cầu các cơ quan, đơn vị thực hiện các nội dung
sau:
1. Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan tham mưu UBND tỉnh
ban hành Kế hoạch kiểm tra cải cách hành chính năm 2025; hoàn thành trong
tháng 3/2025.
2. UBND các huyện, thị xã, thành phố báo cáo kết quả thực hiện định kỳ hàng
quý về Sở Nội vụ để tổng hợp.
Nơi nhận:
- Như trên;
- Lưu: VT, NC.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Phước Hiền
"""


def test_pdf_text_layer_shapes():
    doc = parse_directive(PDF_LIKE)
    assert doc.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert doc.number == "310/UBND-NC"
    assert doc.issued_date == D(2025, 1, 14)
    assert doc.subject == "V/v triển khai nhiệm vụ cải cách hành chính năm 2025"
    assert doc.recipients == ("Sở Nội vụ", "UBND các huyện, thị xã, thành phố")
    assert [t.ref for t in doc.tasks] == ["1", "2"]
    first, second = doc.tasks
    assert first.lead_unit == "Sở Nội vụ"
    assert first.coordinating_units == ("Các cơ quan liên quan",)
    assert first.deadline == D(2025, 3, 31)
    assert second.lead_unit == "UBND các huyện, thị xã, thành phố"
    assert second.recurrence == "quarterly"
    assert doc.signer == "Trần Phước Hiền" and doc.signer_title == "Phó Chủ tịch"


DRAFT = """ỦY BAN NHÂN DÂN
XÃ BA ĐIỀN
Số:      /QĐ-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Ba Điền, ngày      tháng      năm 2024
QUYẾT ĐỊNH
Về việc kiện toàn Ban Chỉ đạo cải cách hành chính xã
"""


def test_a_draft_number_is_missing_not_guessed():
    doc = parse_directive(DRAFT)
    assert doc.number is None
    assert "number" in doc.uncertain
    assert doc.doc_type == "Quyết định"
    assert doc.issued_date is None
    assert any("Số văn bản để trống" in w for w in doc.warnings)


CHI_THI = """
ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ
Số: 10/CT-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Trị, ngày 26 tháng 9 năm 2022
CHỈ THỊ
Về việc nâng cao chỉ số cải cách hành chính (PAR INDEX)

Để cải thiện thứ hạng các chỉ số, Chủ tịch UBND tỉnh chỉ thị:

1. Thủ trưởng các sở, ban, ngành:
1.1. Rà soát, đánh giá các tiêu chí bị trừ điểm năm 2021, đề ra giải pháp khắc phục; hoàn thành trong tháng 10/2022.
1.2. Thực hiện nghiêm chế độ báo cáo định kỳ quý, 6 tháng và năm.
2. Giao Sở Nội vụ chủ trì, phối hợp với Văn phòng UBND tỉnh theo dõi, đôn đốc việc thực hiện Chỉ thị này; tổng hợp báo cáo UBND tỉnh trong tháng 12 hằng năm.
"""


def test_chi_thi_with_two_level_numbering():
    doc = parse_directive(CHI_THI)
    assert doc.doc_type == "Chỉ thị"
    assert doc.subject == "Về việc nâng cao chỉ số cải cách hành chính (PAR INDEX)"
    assert [t.ref for t in doc.tasks] == ["1.1", "1.2", "2"]
    by_ref = {t.ref: t for t in doc.tasks}
    assert by_ref["1.1"].lead_unit == "Các sở, ban, ngành"
    assert by_ref["1.1"].deadline == D(2022, 10, 31)
    assert by_ref["1.2"].recurrence == "quarterly"
    assert by_ref["2"].lead_unit == "Sở Nội vụ"
    assert by_ref["2"].coordinating_units == ("Văn phòng UBND tỉnh",)
    assert by_ref["2"].recurrence == "annual" and by_ref["2"].deadline == D(2022, 12, 31)


def test_nothing_recognisable_is_said_plainly():
    doc = parse_directive("Xin chào, đây không phải là văn bản hành chính.")
    assert doc.tasks == ()
    assert any("Không nhận ra phần đầu văn bản" in w for w in doc.warnings)


def test_names_in_running_text():
    assert proper_body_name("ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ") == "Ủy ban nhân dân tỉnh Thừa Thiên Huế"
    assert proper_body_name("SỞ THÔNG TIN VÀ TRUYỀN THÔNG") == "Sở Thông tin và Truyền thông"
    assert proper_body_name("UBND TỈNH QUẢNG TRỊ") == "UBND tỉnh Quảng Trị"
    assert proper_body_name("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG") == "Trung tâm Phục vụ hành chính công"
    assert proper_body_name("Sở Nội vụ") == "Sở Nội vụ"  # already written properly: kept
    assert proper_body_name("UBND THỊ XÃ ĐỨC PHỔ") == "UBND thị xã Đức Phổ"  # "thị xã" before "xã"
    assert proper_body_name("BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH") == "Ban Chỉ đạo cải cách hành chính"
    assert proper_title("CHÁNH VĂN PHÒNG") == "Chánh Văn phòng"
    assert proper_title("PHÓ GIÁM ĐỐC") == "Phó Giám đốc"
    assert proper_title("TRƯỞNG PHÒNG") == "Trưởng phòng"
    assert split_units("Văn phòng UBND tỉnh, Đài Phát thanh - Truyền hình Quảng Ngãi") == [
        "Văn phòng UBND tỉnh",
        "Đài Phát thanh - Truyền hình Quảng Ngãi",
    ]
    assert split_units("các cơ quan, đơn vị liên quan") == ["các cơ quan, đơn vị liên quan"]


def test_a_long_capital_line_is_named_in_one_pass():
    """80,000 words: the rest of the line was joined again at every word (quadratic: minutes); now ~2 s at most."""
    line = "PHÒNG VĂN HÓA " * 20_000 + "TỈNH QUẢNG NGÃI"
    name = proper_body_name(line)
    assert name.startswith("Phòng Văn hóa phòng văn hóa") and name.endswith("tỉnh Quảng Ngãi")
