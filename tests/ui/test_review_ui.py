"""Registering a directive by reading it: the review dialog, paste, open and drop, unreadable files."""

import os
from pathlib import Path

from PySide6.QtCore import Qt

from parclerk.data import repo_tasks
from parclerk.data.db import open_db
from parclerk.services import directives, intake
from parclerk.ui.dialogs.directive_dialog import DirectiveDialog
from parclerk.ui.dialogs.review_dialog import _COL, ReviewDialog

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "demo" / "samples" / "cv-107-UBND-NC-quang-ngai-2021.txt"
SCAN = ROOT / "tests" / "data" / "scan.pdf"


def _open_review(window, path: Path) -> ReviewDialog:
    window.register.read_path(path)
    dialogs = [d for d in window.register.findChildren(ReviewDialog) if d.isVisible()]
    assert dialogs, "the review dialog did not open"
    return dialogs[-1]


def test_review_shows_fields_tasks_and_warnings(qtbot, window, tmp_path, no_dialogs):
    dialog = _open_review(window, SAMPLE)
    assert dialog.form.fields["number"].text() == "107/UBND-NC"
    assert dialog.form.fields["issued_date"].text() == "09/01/2021"
    assert dialog.form.fields["issuer"].currentText() == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert dialog.tasks.rowCount() == 5
    assert dialog.tasks.item(0, _COL["deadline"]).text() == "28/02/2021"
    assert dialog.tasks.item(4, _COL["deadline"]).background().color() == Qt.GlobalColor.yellow
    assert "sớm hơn ngày văn bản" in dialog.warning_label.text() and dialog.warning_label.isVisible()
    # The demo register already holds 107/UBND-NC: said before the clerk types anything.
    assert "Số 107/UBND-NC của UBND tỉnh Quảng Ngãi đã có trong sổ" in dialog.warning_label.text()
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert save.text() == "Vào sổ và tạo 5 nhiệm vụ (Ctrl+S)"
    dialog.tasks.item(4, _COL["keep"]).setCheckState(Qt.CheckState.Unchecked)
    assert save.text() == "Vào sổ và tạo 4 nhiệm vụ (Ctrl+S)"
    dialog.resize(1340, 900)
    assert dialog.grab().save(str(tmp_path / "review.png"))
    if os.environ.get("PARCLERK_SHOTS"):  # for a person to look at
        dialog.grab().save(os.path.join(os.environ["PARCLERK_SHOTS"], "review.png"))


def test_review_saves_the_directive_with_the_kept_tasks(qtbot, window, no_dialogs):
    dialog = _open_review(window, SAMPLE)
    dialog.form.fields["ngay_den"].setText("12/01/2021")
    dialog.tasks.item(4, _COL["keep"]).setCheckState(Qt.CheckState.Unchecked)  # not for this office
    dialog.tasks.item(0, _COL["lead_unit"]).setText("Văn phòng - Thống kê")  # the clerk corrects a lead
    # The demo already has 107/UBND-NC: the clerk is asked, and says yes (paper and electronic copy).
    dialog.save()
    assert any("có thể đã được đăng ký" in q for q in no_dialogs["ask"])
    assert not dialog.isVisible()
    db = open_db(window.db_path)
    try:
        directive_id = window.register.selected_id()
        directive = directives.get_directive(db, directive_id)
        tasks = repo_tasks.for_directive(db, directive_id)
    finally:
        db.close()
    assert directive.number == "107/UBND-NC" and directive.so_den_year == 2021
    assert [t.ref for t in tasks] == ["1.a", "1.b", "1.c", "1.d"]
    assert tasks[0].lead_unit == "Văn phòng - Thống kê"
    assert directive.attachments[0].original_name == SAMPLE.name


def test_review_reports_a_bad_task_deadline_and_saves_nothing(qtbot, window, no_dialogs):
    dialog = _open_review(window, SAMPLE)
    before = window.register.model.rowCount()
    dialog.tasks.item(1, _COL["deadline"]).setText("31/02/2021")
    dialog.save()
    assert dialog.isVisible() and "không có trên lịch" in dialog.error_label.text()
    window.register.refresh()
    assert window.register.model.rowCount() == before


def test_pasted_text_is_read(qtbot, window, monkeypatch, no_dialogs):
    from parclerk.ui.dialogs import review_dialog

    text = SAMPLE.read_text(encoding="utf-8")

    class FakePaste:
        DialogCode = review_dialog.PasteDialog.DialogCode

        def __init__(self, parent):
            self.text = type("T", (), {"toPlainText": staticmethod(lambda: text)})()

        def exec(self):
            return review_dialog.PasteDialog.DialogCode.Accepted

    monkeypatch.setattr(review_dialog, "PasteDialog", FakePaste)
    window.register.paste_text()
    dialog = [d for d in window.register.findChildren(ReviewDialog) if d.isVisible()][-1]
    assert dialog.form.fields["number"].text() == "107/UBND-NC"
    assert dialog.files == []  # pasted: no original file to keep


def test_an_unreadable_scan_can_still_be_registered_by_hand(qtbot, window, no_dialogs):
    window.register.read_path(SCAN)
    assert any("bản quét" in q for q in no_dialogs["ask"])
    dialog = [d for d in window.register.findChildren(DirectiveDialog) if d.isVisible()][-1]
    assert dialog.file_list.count() == 1 and "scan.pdf" in dialog.file_list.item(0).text()


def test_dropping_a_file_reads_it(qtbot, window):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SAMPLE))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.register.dropEvent(event)
    assert [d for d in window.register.findChildren(ReviewDialog) if d.isVisible()]


def test_parse_for_review_matches_the_service():
    parsed = intake.parse_file(SAMPLE)
    assert [t.ref for t in parsed.tasks] == ["1.a", "1.b", "1.c", "1.d", "2"]
