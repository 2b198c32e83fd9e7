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


def _db(window):
    return open_db(window.db_path)


def _this_year(view):
    view.chooser.setCurrentIndex(0)  # newest first: this year, partly scored, last year's evidence suggested
    return view.current


def test_appraised_score_is_entered_beside_the_self_score(qtbot, window, no_dialogs):
    view = _view(window)
    _this_year(view)
    view.model.setData(view.model.index_of("1.1.2", APPRAISED), "0,5")
    assert view.model.index_of("1.1.2", APPRAISED).data() == "0,5"
    view.model.setData(view.model.index_of("4", APPRAISED), "24,5")  # the survey: the province's points
    assert view.model.index_of("4", APPRAISED).data() == "24,5"
    assert "Thẩm định:" in view.summary.text() and "điều tra XHH: 24,5" in view.summary.text()


def test_lost_points_tab_groups_and_leads_back_to_the_item(qtbot, window):
    view = _view(window)
    _this_year(view)
    view.tabs.setCurrentIndex(1)
    tree = view.lost_tree
    assert tree.topLevelItemCount() >= 1 and "điểm có nguy cơ mất" in view.lost_summary.text()
    first = tree.topLevelItem(0)
    assert (
        first.text(0).startswith("1. ") and "điểm có nguy cơ mất" in first.text(0) and first.childCount() >= 1
    )
    view.lost_grouping.setCurrentIndex(1)  # by department
    labels = [tree.topLevelItem(i).text(0).split(" — ")[0] for i in range(tree.topLevelItemCount())]
    assert "Văn phòng - Thống kê" in labels
    child = tree.topLevelItem(labels.index("Văn phòng - Thống kê")).child(0)
    tree.itemDoubleClicked.emit(child, 0)
    assert view.tabs.currentIndex() == 0 and view._current_code() == child.text(0)


def test_year_over_year_tab(qtbot, window):
    view = _view(window)
    current = _this_year(view)
    view.tabs.setCurrentIndex(2)
    assert f"Năm {current.year}:" in view.compare_summary.text()
    assert f"năm {current.year - 1}:" in view.compare_summary.text()
    codes = [view.compare_tree.topLevelItem(i).text(0) for i in range(view.compare_tree.topLevelItemCount())]
    assert codes[:3] == ["1", "1.1", "1.1.1"]
    row = view.compare_tree.topLevelItem(codes.index("1.1.4"))
    assert row.text(4) != ""  # last year's score is there


def test_evidence_from_the_register_through_the_dialog(qtbot, window, no_dialogs):
    from parclerk.ui.dialogs.evidence_dialog import EvidenceDialog

    view = _view(window)
    current = _this_year(view)
    view.select_code("2.1")
    dialog = EvidenceDialog(view.runner, current.assessment_id, "2.1", "Tuyên truyền", current.year, view)
    qtbot.addWidget(dialog)
    dialog.query.setText("ke hoach")  # without diacritics
    dialog.search()
    assert dialog.results.count() > 0
    dialog.results.setCurrentRow(0)
    assert dialog.date.text()  # the document's own date, filled in
    dialog.locator.setText("Mục II, trang 3")
    dialog.save()
    assert dialog.result() == EvidenceDialog.DialogCode.Accepted
    db = _db(window)
    try:
        added = [e for e in assessment.list_evidence(db, current.assessment_id, "2.1") if not e.suggested]
    finally:
        db.close()
    assert added[-1].locator == "Mục II, trang 3" and added[-1].directive_id is not None


def test_evidence_dialog_refuses_an_empty_choice_and_flags_another_year(qtbot, window, no_dialogs):
    from parclerk.ui.dialogs.evidence_dialog import EvidenceDialog

    view = _view(window)
    current = _this_year(view)
    dialog = EvidenceDialog(view.runner, current.assessment_id, "2.1", "Tuyên truyền", current.year, view)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(2)
    dialog.save()
    assert "Hãy chọn một văn bản trong sổ, một tệp, hoặc ghi tên" in dialog.error_label.text()
    dialog.date.setText(f"15/03/{current.year - 1}")
    assert "Ngoài năm đánh giá" in dialog.date_note.text()
    dialog.description.setText("Báo cáo số 12/BC-UBND (văn bản đi)")
    dialog.save()
    assert dialog.result() == EvidenceDialog.DialogCode.Accepted


def test_a_suggestion_is_confirmed_then_removed(qtbot, window, no_dialogs):
    view = _view(window)
    current = _this_year(view)
    db = _db(window)
    try:
        suggestion = next(e for e in assessment.list_evidence(db, current.assessment_id) if e.suggested)
    finally:
        db.close()
    view.select_code(suggestion.code)
    entries = [view.evidence_list.item(i) for i in range(view.evidence_list.count())]
    entry = next(e for e in entries if e.text().startswith("[Gợi ý từ năm trước]"))
    view.evidence_list.setCurrentItem(entry)
    assert view.confirm_button.isEnabled()
    view.confirm_button.click()
    texts = [view.evidence_list.item(i).text() for i in range(view.evidence_list.count())]
    assert any(f"ngoài năm {current.year}" in t for t in texts)  # kept, with last year's date flagged
    view.evidence_list.setCurrentRow(0)
    view.remove_button.click()
    assert no_dialogs["ask"] and "Gỡ minh chứng" in no_dialogs["ask"][-1]


def test_import_a_set_from_excel_with_preview_then_score_it(qtbot, window, no_dialogs, tmp_path):
    from parclerk.excel.criteria_import import export_criteria_xlsx
    from parclerk.services.demo import load_sample_set
    from parclerk.ui.dialogs.criteria_import_dialog import CriteriaImportDialog

    view = _view(window)
    year = view.current.year + 1
    good = tmp_path / "bo-chi-so.xlsx"
    export_criteria_xlsx(load_sample_set(year), good)
    dialog = CriteriaImportDialog(view.runner, view)
    qtbot.addWidget(dialog)
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"not a spreadsheet")
    dialog.open_path(broken)
    assert not dialog.import_button.isEnabled() and "không phải là tệp Excel" in dialog.verdict.text()
    assert not no_dialogs["error"]  # said in the dialog, not in a box on top of it
    dialog.open_path(good)
    assert dialog.import_button.isEnabled() and "Không có lỗi" in dialog.verdict.text()
    assert dialog.preview.topLevelItemCount() == 4
    dialog.do_import()
    assert dialog.imported is not None and dialog.imported.carried_from is not None
    view.select_assessment(dialog.imported.assessment_id)
    assert view.current.year == year and view.chooser.currentText().startswith(f"Năm {year}")


def test_hostile_workbooks_are_refused_in_the_import_dialog(qtbot, window, no_dialogs, tmp_path):
    """What tests/unit/test_hostile_input.py checks on the reader, through the dialog a clerk uses: each file
    gets its Vietnamese message in the dialog, Nhập stays off, and the database holds no new set."""
    import io
    import sqlite3
    import zipfile

    from parclerk.excel.criteria_import import export_criteria_xlsx
    from parclerk.services.demo import load_sample_set
    from parclerk.ui.dialogs.criteria_import_dialog import CriteriaImportDialog

    view = _view(window)
    good = tmp_path / "tot.xlsx"
    export_criteria_xlsx(load_sample_set(view.current.year + 1), good)
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">' for i in range(9)
    )  # &j; is 10^9 "ha"s
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = f"{laughs}]>".encode() + data.replace(b"<v>", b"<v>&j;", 1)
            target.writestr(info, data)
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    files = {
        "cuoi.xlsx": (out.getvalue(), "DTD"),
        "mat-khau.xlsx": (ole2 + "EncryptedPackage".encode("utf-16-le"), "mật khẩu"),
        "cu.xlsx": (ole2, "Excel 97-2003"),
    }
    count = "SELECT count(*) FROM criteria_sets"
    with sqlite3.connect(window.db_path) as conn:
        before = conn.execute(count).fetchone()[0]
    dialog = CriteriaImportDialog(view.runner, view)
    qtbot.addWidget(dialog)
    for name, (data, said) in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        dialog.open_path(path)
        assert said in dialog.verdict.text() and "Chưa nhập gì" in dialog.verdict.text(), name
        assert not dialog.import_button.isEnabled(), name
    assert not no_dialogs["error"]
    with sqlite3.connect(window.db_path) as conn:
        assert conn.execute(count).fetchone()[0] == before


def test_template_download_and_classifications(qtbot, window, no_dialogs, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from parclerk.ui.dialogs import messages
    from parclerk.ui.dialogs.classification_dialog import ClassificationDialog
    from parclerk.ui.dialogs.criteria_import_dialog import CriteriaImportDialog

    view = _view(window)
    target = tmp_path / "mau"
    monkeypatch.setattr(messages, "save_file_name", lambda *args: str(target))
    dialog = CriteriaImportDialog(view.runner, view)
    qtbot.addWidget(dialog)
    dialog.save_template()
    assert load_workbook(tmp_path / "mau.xlsx").active.max_row > 3 and no_dialogs["opened"]

    ranks = ClassificationDialog(view.runner, view.current.set_id, [], view)
    qtbot.addWidget(ranks)
    ranks.rows[0][0].setText("Đạt")
    ranks.rows[0][1].setText("0")
    ranks.save()
    assert ranks.result() == ClassificationDialog.DialogCode.Accepted
    view.load()
    assert "— Đạt" in view.summary.text()
    ranks.rows[1][0].setText("Tốt")
    ranks.rows[1][1].setText("200")
    ranks.save()
    assert "từ 0 đến 100" in ranks.error_label.text()


def test_export_from_the_view(qtbot, window, no_dialogs, tmp_path, monkeypatch):
    from parclerk.ui.dialogs import messages

    view = _view(window)
    monkeypatch.setattr(messages, "save_file_name", lambda *args: str(tmp_path / "bang"))
    view.export_button.click()
    assert (tmp_path / "bang.xlsx").is_file() and no_dialogs["opened"] == [tmp_path / "bang.xlsx"]


def test_new_year_from_last_year(qtbot, window, no_dialogs):
    view = _view(window)
    year = view.current.year
    view.new_year_button.click()
    assert view.current.year == year + 1
    assert all(row.self_score is None for row in view.current.rows)
    assert any(row.suggested_count for row in view.current.rows)
    view.chooser.setCurrentIndex(view.chooser.findText(f"Năm {year}", Qt.MatchFlag.MatchStartsWith))
    view.new_year_button.click()  # that year exists now: said, nothing made
    assert no_dialogs["error"] and "đã có bản tự đánh giá" in no_dialogs["error"][-1]
