"""The printed register: the pages the print preview shows, written to PDF and read back."""

from pypdf import PdfReader

from parclerk.data.db import open_db
from parclerk.reports.register_print import register_print_html
from parclerk.ui.printing import html_to_pdf


def test_register_prints_landscape_with_the_header_on_every_page(qapp, demo_path, tmp_path):
    db = open_db(demo_path)
    try:
        html = register_print_html(db, 2021)
    finally:
        db.close()
    pdf = tmp_path / "so-2021.pdf"
    html_to_pdf(html, pdf, "Sổ đăng ký văn bản đến năm 2021")
    reader = PdfReader(pdf)
    assert len(reader.pages) > 1
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) > float(box.height)  # A4 landscape
        text = " ".join(page.extract_text().split())  # Qt's PDF spaces words with tabs
        assert "Tên loại và trích yếu nội dung" in text  # the header repeats
    first = " ".join(reader.pages[0].extract_text().split())
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in first and "Năm 2021" in first
    assert "107/UBND-NC" in "".join(page.extract_text() for page in reader.pages)


def test_qt_strings_are_vietnamese_and_leave_the_rest_alone(qapp):
    from PySide6.QtCore import QCoreApplication

    from parclerk.ui.app import make_app

    make_app()
    assert QCoreApplication.translate("QLineEdit", "Select All") == "Chọn tất cả"
    assert QCoreApplication.translate("QPrintPreviewDialog", "Landscape") == "Khổ ngang"
    # A string with no Vietnamese entry keeps its own text (an empty answer would blank it).
    assert QCoreApplication.translate("QWidget", "Some other text") == "Some other text"
