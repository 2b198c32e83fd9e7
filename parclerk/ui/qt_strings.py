"""Vietnamese for the few Qt-owned strings a clerk sees (the PySide6 wheels ship no qtbase_vi.qm)."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

_STRINGS = {
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "Cắ&t",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ liên kết",
    "&Yes": "&Có",
    "&No": "&Không",
    "&OK": "Đồng ý",
    "OK": "Đồng ý",
    "Cancel": "Hủy bỏ",
    "&Cancel": "&Hủy bỏ",
    "Close": "Đóng",
    "&Save": "&Lưu",
    "Save": "Lưu",
    "&Open": "&Mở",
    "Open": "Mở",
    "Print": "In",
    "&Print": "&In",
    "Print Preview": "Xem trước khi in",
    "Page Setup": "Thiết lập trang",
    "Portrait": "Khổ dọc",
    "Landscape": "Khổ ngang",
    "First page": "Trang đầu",
    "Previous page": "Trang trước",
    "Next page": "Trang sau",
    "Last page": "Trang cuối",
    "Fit width": "Vừa chiều rộng",
    "Fit page": "Vừa trang",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "Show single page": "Hiện một trang",
    "Show facing pages": "Hiện hai trang",
    "Show overview of all pages": "Hiện tất cả các trang",
    "Look in:": "Thư mục:",
    "File &name:": "&Tên tệp:",
    "Files of type:": "Loại tệp:",
    "&Choose": "&Chọn",
}


class VietnameseQtStrings(QTranslator):
    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002 - Qt's signature
        # None is a null QString: "no translation here". An empty string would blank every other Qt text.
        return _STRINGS.get(source_text)
