"""Scoring the year's criteria set in the tree: in place, by option buttons, with explanations."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from parclerk.data.db import open_db
from parclerk.services import assessment
from parclerk.ui.models.assessment_tree import APPRAISED, SELF


def _view(window):
    window.show_view("assessment")
    view = window.view("assessment")
    view.refresh()
    return view


def test_the_tree_shows_the_set_and_the_totals(qtbot, window, qtmodeltester):
    view = _view(window)
    assert view.chooser.count() == 2 and "MẪU" in view.chooser.currentText()
    qtmodeltester.check(view.model)
    top = view.model.index(0, 0)
    assert top.data() == "1" and view.model.rowCount(top) == 4
    assert "Tự chấm:" in view.summary.text() and "chỉ số" in view.summary.text()
    assert view.sample_note.isVisible()
    survey = view.model.index_of("4", 1)
    assert "(điều tra XHH)" in survey.data()
    assert not (view.model.index_of("4", SELF).flags() & Qt.ItemFlag.ItemIsEditable)
    assert not (view.model.index_of("1", SELF).flags() & Qt.ItemFlag.ItemIsEditable)  # parents add up


def test_scoring_in_place_and_by_option(qtbot, window, no_dialogs):
    view = _view(window)
    index = view.model.index_of("1.1.4", SELF)
    view.model.setData(index, "1")  # as typed in the Tự chấm cell
    assert view.model.index_of("1.1.4", SELF).data() == "1"
    view.tree.setCurrentIndex(view.model.index_of("1.1.1", SELF))
    buttons = [view.choices.itemAt(i).widget() for i in range(view.choices.count())]
    assert all(isinstance(b, QPushButton) for b in buttons)
    assert [b.text() for b in buttons] == [
        "Ban hành kịp thời: 1",
        "Ban hành không kịp thời: 0,5",
        "Không ban hành: 0",
    ]
    buttons[0].click()
    assert view.model.index_of("1.1.1", SELF).data() == "1"
    leaves = [view.model.index_of(code, SELF).data() for code in ("1.1.1", "1.1.2", "1.1.3", "1.1.4")]
    rolled = sum(float((v or "0").replace(",", ".")) for v in leaves)
    assert float(view.model.index_of("1.1", SELF).data().replace(",", ".")) == rolled  # rolled up at once
    view.score_edit.setText("1,5")
    view._save_current_score()
    assert "từ 0 đến 1" in view.error_label.text()  # refused, said beside the field
    view.explanation.setPlainText("Đã bổ sung kế hoạch & báo cáo <kiểm chứng>")
    view.save_explanation.click()
    db = open_db(window.db_path)
    try:
        totals = assessment.totals(db, view.current.assessment_id)
        explanation = db.execute(
            "SELECT explanation FROM assessment_scores WHERE assessment_id = ? AND code = '1.1.1'",
            [view.current.assessment_id],
        ).fetchone()[0]
    finally:
        db.close()
    assert totals.per_code["1.1.1"] == 100 and explanation == "Đã bổ sung kế hoạch & báo cáo <kiểm chứng>"


def test_last_years_appraisal_sits_beside(qtbot, window):
    view = _view(window)
    view.chooser.setCurrentIndex(1)  # last year: scored and appraised
    assert "Thẩm định:" in view.summary.text() and "chênh" in view.summary.text()
    assert view.model.index_of("1", APPRAISED).data() != ""


def test_screenshot_of_the_assessment_view(qtbot, window, tmp_path):
    _view(window)
    assert window.grab().save(str(tmp_path / "assessment.png"))
