"""One name per concept, with its Vietnamese label.

The name is the DB column, the dataclass field and the Excel header key; the label is what the clerk
reads in the UI, in exports and in error messages. Changing a label touches one line here.
"""

from __future__ import annotations

# Directive (incoming document) fields.
LABELS: dict[str, str] = {
    "so_den": "Số đến",
    "ngay_den": "Ngày đến",
    "issuer": "Cơ quan ban hành",
    "number": "Số, ký hiệu",
    "issued_date": "Ngày văn bản",
    "issued_place": "Địa danh",
    "doc_type": "Loại văn bản",
    "subject": "Trích yếu nội dung",
    "signer": "Người ký",
    "signer_title": "Chức vụ người ký",
    "urgency": "Độ khẩn",
    "secrecy": "Độ mật",
    "assigned_to": "Đơn vị hoặc người nhận",
    "handed_date": "Ngày chuyển",
    "deadline": "Hạn giải quyết",
    "handled_date": "Ngày giải quyết xong",
    "reply_number": "Số, ký hiệu văn bản trả lời",
    "page_count": "Số trang",
    "file_code": "Số và ký hiệu hồ sơ",
    "direction": "Ý kiến chỉ đạo",
    "notes": "Ghi chú",
    "status": "Tình trạng",
    "cancel_reason": "Lý do hủy",
    "recipients": "Kính gửi",
    "noi_nhan": "Nơi nhận",
    "related_documents": "Văn bản liên quan",
}

# Task fields.
TASK_LABELS: dict[str, str] = {
    "ref": "Mục",
    "content": "Nội dung nhiệm vụ",
    "lead_unit": "Đơn vị chủ trì",
    "coordinating_units": "Đơn vị phối hợp",
    "deadline": "Hạn xử lý",
    "deadline_text": "Thời hạn ghi trong văn bản",
    "recurrence": "Định kỳ",
    "concerns_office": "Liên quan đơn vị mình",
    # A work item (one per period for a recurring task), as the task list and its Excel export show it.
    "directive": "Văn bản giao",
    "period": "Kỳ",
    "due_date": "Hạn",
    "status": "Tình trạng",
    "completed_date": "Ngày hoàn thành",
    "follower": "Người theo dõi",
    "reply_number": "Số, ký hiệu văn bản trả lời",
}
RECURRENCE_LABELS: dict[str, str] = {
    "monthly": "Hàng tháng",
    "quarterly": "Hàng quý",
    "semiannual": "6 tháng một lần",
    "annual": "Hàng năm",
}

# The ten columns of the Sổ đăng ký văn bản đến (Nghị định 30/2020, Phụ lục IV), in order, as printed.
REGISTER_COLUMNS: tuple[str, ...] = (
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
)

# The printed task checklist (Danh sách kiểm tra nhiệm vụ), in order; the eighth is the tick box.
CHECKLIST_COLUMNS: tuple[str, ...] = (
    "STT",
    "Nội dung nhiệm vụ",
    "Văn bản giao",
    "Chủ trì",
    "Phối hợp",
    "Hạn",
    "Tình trạng",
    "Kiểm tra",
    "Ghi chú",
)

# The seven columns of the Sổ theo dõi giải quyết văn bản đến (Nghị định 30/2020, Phụ lục IV), as printed.
HANDLING_LOG_COLUMNS: tuple[str, ...] = (
    "Số đến",
    "Tên loại, số, ký hiệu, ngày tháng và tên cơ quan ban hành",
    "Đơn vị hoặc người nhận",
    "Thời hạn giải quyết",
    "Tiến độ giải quyết",
    "Số, ký hiệu văn bản trả lời",
    "Ghi chú",
)

# Office profile (Cài đặt) fields.
PROFILE_LABELS: dict[str, str] = {
    "unit_name": "Tên cơ quan, đơn vị",
    "parent_name": "Cơ quan chủ quản",
    "unit_abbrev": "Chữ viết tắt của cơ quan (trong ký hiệu văn bản)",
    "level": "Cấp đơn vị",
    "place_name": "Địa danh (dùng trong dòng ngày tháng)",
    "signer_name": "Người ký thường xuyên",
    "signer_title": "Chức vụ người ký",
    "signer_authority": "Thẩm quyền ký (TM./KT. ...)",
    "reports_to": "Cơ quan nhận báo cáo",
}

# The office's level is data, never a hard-coded tier (two-tier local government since 01/7/2025).
LEVELS: dict[str, str] = {
    "xa": "Xã, phường, đặc khu",
    "so": "Sở, ban, ngành",
    "huyen": "Huyện, quận, thị xã (dữ liệu trước 01/7/2025)",
}

URGENCY: dict[int, str] = {0: "Thường", 1: "Khẩn", 2: "Thượng khẩn", 3: "Hỏa tốc"}
SECRECY: dict[int, str] = {0: "Thường", 1: "Mật", 2: "Tối mật", 3: "Tuyệt mật"}

# Older registers use other urgency labels: map them (folded) on input.
URGENCY_ALIASES: dict[str, int] = {
    "thuong": 0,
    "binh thuong": 0,
    "khan": 1,
    "khan cap": 2,
    "thuong khan": 2,
    "hoa toc": 3,
    "hoa toc hen gio": 3,
}

# Document types (Nghị định 30/2020/NĐ-CP, Phụ lục III) with their abbreviations; Công văn has none.
DOC_TYPES: dict[str, str] = {
    "Công văn": "",
    "Nghị quyết": "NQ",
    "Quyết định": "QĐ",
    "Chỉ thị": "CT",
    "Quy chế": "QC",
    "Quy định": "QyĐ",
    "Thông cáo": "TC",
    "Thông báo": "TB",
    "Hướng dẫn": "HD",
    "Chương trình": "CTr",
    "Kế hoạch": "KH",
    "Phương án": "PA",
    "Đề án": "ĐA",
    "Dự án": "DA",
    "Báo cáo": "BC",
    "Biên bản": "BB",
    "Tờ trình": "TTr",
    "Hợp đồng": "HĐ",
    "Công điện": "CĐ",
    "Bản ghi nhớ": "BGN",
    "Bản thỏa thuận": "BTT",
    "Giấy ủy quyền": "GUQ",
    "Giấy mời": "GM",
    "Giấy giới thiệu": "GGT",
    "Giấy nghỉ phép": "GNP",
    "Phiếu gửi": "PG",
    "Phiếu chuyển": "PC",
    "Phiếu báo": "PB",
    "Bản sao y": "SY",
    "Bản trích sao": "TrS",
    "Bản sao lục": "SL",
    "Thư công": "",
}

STATUS_CANCELLED = "Đã hủy"
STATUS_DONE = "Đã giải quyết"
STATUS_OVERDUE = "Quá hạn"
STATUS_OPEN = "Đang giải quyết"
STATUS_NONE = ""

# Phụ lục VI limits on electronic fields (characters).
MAX_LENGTH: dict[str, int] = {
    "issuer": 200,
    "number": 42,  # Số (11) + "/" + Ký hiệu (30)
    "doc_type": 100,
    "subject": 500,
    "notes": 500,
    "assigned_to": 1000,
    "signer": 200,
    "signer_title": 200,
    "issued_place": 100,
    "reply_number": 42,
    "file_code": 100,
    "direction": 5000,
    "cancel_reason": 500,
    "recipients": 2000,
    "noi_nhan": 2000,
    "related_documents": 2000,
}
