"""The Báo cáo view: open a periodic report, write a section, save, preview, save a draft, issue it."""

from __future__ import annotations

import datetime as dt

from docx import Document

from parclerk.data.db import open_db
from parclerk.services import reports


def _view(window):
    window.show_view("reports")
    return window.view("reports")


def test_write_a_periodic_report_and_issue_it(qtbot, window, no_dialogs, tmp_path, monkeypatch):
    from parclerk.ui import printing
    from parclerk.ui.dialogs import messages
    from parclerk.ui.views import reports as view_module

    view = _view(window)
    year = dt.date.today().year
    view.year.setValue(year)
    view.period.setCurrentIndex(view.period.findData("Q1"))
    view.open_draft()
    assert f"quý I năm {year}" in view.heading.text() and "bản dự thảo" in view.heading.text()
    assert "văn bản đến" in view.figures.text()
    labels = [view.sections.item(i).text() for i in range(view.sections.count())]
    assert labels[0].startswith("I. CÔNG TÁC CHỈ ĐẠO") and any("QUÝ II NĂM" in label for label in labels)
    row = next(i for i, label in enumerate(labels) if "Ưu điểm" in label)
    view.sections.setCurrentRow(row)
    view.text.setPlainText("Chỉ đạo sát sao & kịp thời <quý I>.")
    view.sections.setCurrentRow(0)  # moving on keeps what was typed
    view.save()
    db = open_db(window.db_path)
    try:
        saved = reports.load_draft(db, "periodic", f"{year}-Q1")
    finally:
        db.close()
    assert saved.narrative == {"uu-diem": "Chỉ đạo sát sao & kịp thời <quý I>."}

    shown = []
    monkeypatch.setattr(printing, "preview_html", lambda parent, html, title, **kw: shown.append(html))
    view.preview()
    assert shown and "Chỉ đạo sát sao &amp; kịp thời &lt;quý I&gt;." in shown[0]

    monkeypatch.setattr(messages, "save_file_name", lambda *args: str(tmp_path / "du-thao"))
    view.draft_button.click()
    text = "\n".join(p.text for p in Document(str(tmp_path / "du-thao.docx")).paragraphs)
    assert "Chỉ đạo sát sao & kịp thời <quý I>." in text

    monkeypatch.setattr(view_module.IssueDialog, "ask", classmethod(lambda cls, parent, items: (True, None)))
    monkeypatch.setattr(messages, "save_file_name", lambda *args: str(tmp_path / "chinh-thuc.docx"))
    view.issue_button.click()
    assert "đã cấp số 01/BC-UBND" in view.heading.text()
    view.tabs.setCurrentIndex(1)
    view.outgoing_year.setValue(dt.date.today().year)
    view.load_outgoing()
    assert view.outgoing.rowCount() == 1 and view.outgoing.item(0, 0).text() == "01/BC-UBND"


def test_a_bad_outline_is_refused_in_the_dialog(qtbot):
    from parclerk.ui.views.reports import OutlineDialog

    dialog = OutlineDialog("I. A\nkhông số")
    qtbot.addWidget(dialog)
    dialog.check()
    assert "Dòng 2" in dialog.error_label.text() and dialog.result() == 0


def test_the_assessment_report_opens_for_last_year(qtbot, window, no_dialogs):
    view = _view(window)
    view.kind.setCurrentIndex(view.kind.findData("assessment"))
    view.year.setValue(dt.date.today().year - 1)
    view.open_draft()
    assert "Tự đánh giá:" in view.figures.text()
    assert [view.sections.item(i).text() for i in range(view.sections.count())][-1].startswith("III.")
