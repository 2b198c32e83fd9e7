"""Tổng hợp đơn vị: the consolidation on screen (ranking, chart, weak items, submissions), the import preview
that stores nothing until asked, the year's unit list, and the unit side's "Xuất bài nộp…"."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from parclerk import dates, vntext
from parclerk.data.db import open_db
from parclerk.services import submissions

LAST_YEAR = dates.today().year - 1  # the demo's collection
THIS_YEAR = dates.today().year


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """This year's packages of two units (each from its own database), and one cut short in transit."""
    from parclerk.services.demo import build_demo

    folder = tmp_path_factory.mktemp("packages")
    made = {}
    for key, unit, seed in (("ba_to", "Xã Ba Tơ", 3), ("minh_long", "Xã Minh Long", 5)):
        path = folder / key / "unit.sqlite"
        path.parent.mkdir()
        build_demo(path, generated=0, unit=unit, seed=seed)
        db = open_db(path)
        try:
            _version, name = submissions.next_export(db, THIS_YEAR)
            made[key] = submissions.export_submission(db, THIS_YEAR, folder / name).path
        finally:
            db.close()
    cut = folder / "ChiSoCCHC-hong.zip"
    cut.write_bytes(made["ba_to"].read_bytes()[:1500])
    made["cut"] = cut
    return made


def _view(window):
    window.show_view("collection")
    view = window.view("collection")
    view.refresh()
    return view


def _db(window):
    return open_db(window.db_path)


def _column(table, title: str) -> int:
    labels = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return next(i for i, label in enumerate(labels) if label.startswith(title))


def test_the_ranking_table_and_chart_of_last_years_collection(qtbot, window):
    view = _view(window)
    assert view.year == LAST_YEAR  # the newest year with data, though this year is offered too
    years = [view.year_choice.itemData(i) for i in range(view.year_choice.count())]
    assert years == [THIS_YEAR, LAST_YEAR]
    assert view.summary.text().startswith("Đã nhận 18/20 bài nộp · Bình quân ")
    assert "Xuất sắc" in view.summary.text() and "," in view.summary.text()  # 76,63%: a decimal comma
    table = view.ranking_table
    assert table.rowCount() == 18
    ranks = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert ranks[0] == "1"
    index = _column(table, "Chỉ số")
    percents = [float(table.item(r, index).text().rstrip("%").replace(",", ".")) for r in range(18)]
    assert percents == sorted(percents, reverse=True)
    assert _column(table, "Lĩnh vực 1") == 2 and "tối đa" in table.horizontalHeaderItem(2).text()
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # sortable by name, in Vietnamese order
    names = [table.item(row, 1).text() for row in range(table.rowCount())]
    assert names == sorted(names, key=vntext.sort_key)
    # The chart: drawn once, shown scaled to the room there is, not redrawn on a resize.
    assert view.chart.source is not None and not view.chart.source.isNull()
    shown = view.chart.label.pixmap()
    assert not shown.isNull() and shown.width() <= view.chart.source.width()
    drawn = len(view._charts)
    window.resize(1100, 700)
    qtbot.wait(10)
    view.refresh()
    assert len(view._charts) == drawn  # the same bars: the picture comes from the cache


def test_weak_items_and_submissions_tabs(qtbot, window):
    view = _view(window)
    view.tabs.setCurrentIndex(1)
    assert view.weak_table.rowCount() >= 1 and "tiêu chí" in view.weak_note.text()
    assert "/18 (" in view.weak_table.item(0, 3).text()
    view.tabs.setCurrentIndex(2)
    table = view.submissions_table
    states = [table.item(row, 7).text() for row in range(table.rowCount())]
    assert states[:2] == ["Chưa nộp", "Chưa nộp"] and states.count("Đang dùng") == 18
    assert "2/20 đơn vị trong danh sách chưa nộp" in view.submissions_note.text()


def test_a_year_without_data_explains_how_to_collect(qtbot, window):
    view = _view(window)
    view.year_choice.setCurrentIndex(view.year_choice.findData(THIS_YEAR))
    assert view.stack.currentWidget() is view.empty
    assert "“Xuất bài nộp…”" in view.empty.text() and "“Nhập bài nộp…”" in view.empty.text()
    assert not view.excel_button.isEnabled() and not view.word_button.isEnabled()


def test_import_preview_refuses_the_damaged_file_and_imports_the_good_one(
    qtbot, window, no_dialogs, packages
):
    from parclerk.ui.dialogs.submission_import_dialog import RESULT, SubmissionImportDialog

    view = _view(window)
    dialog = SubmissionImportDialog(view.runner, [packages["ba_to"], packages["cut"]], view)
    qtbot.addWidget(dialog)
    dialog.check()
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, RESULT).text() == "Nhập mới"
    assert dialog.table.item(0, 1).text() == "Ủy ban nhân dân xã Ba Tơ"
    assert dialog.table.item(1, RESULT).text() == "Không nhập"
    dialog.table.setCurrentCell(1, 0)
    assert "bị cắt cụt" in dialog.details.toPlainText()
    assert dialog.verdict.text().startswith("2 tệp: 1 nhập mới, 1 không nhập.")
    assert dialog.import_button.text() == "Nhập 1 bài nộp" and dialog.import_button.isEnabled()
    db = _db(window)
    try:
        assert submissions.list_submissions(db, THIS_YEAR) == []  # the preview stored nothing
    finally:
        db.close()
    dialog.import_button.click()
    assert dialog.outcome is not None and dialog.outcome.imported == 1
    db = _db(window)
    try:
        stored = submissions.list_submissions(db, THIS_YEAR)
    finally:
        db.close()
    assert [(s.unit_name, s.file_name) for s in stored] == [
        ("Ủy ban nhân dân xã Ba Tơ", packages["ba_to"].name)
    ]


def test_importing_through_the_view_switches_to_the_imported_year(
    qtbot, window, no_dialogs, packages, monkeypatch
):
    from parclerk.ui.dialogs import messages
    from parclerk.ui.dialogs.submission_import_dialog import SubmissionImportDialog

    view = _view(window)
    files = [str(packages["ba_to"]), str(packages["minh_long"]), str(packages["cut"])]
    monkeypatch.setattr(messages, "open_file_names", lambda *args: files)

    def run(dialog):
        dialog.check()
        assert dialog.import_button.text() == "Nhập 2 bài nộp"
        dialog.import_button.click()
        return dialog.result()

    monkeypatch.setattr(SubmissionImportDialog, "exec", run)
    view.import_button.click()
    assert no_dialogs["info"][-1].startswith(f"Đã nhập 2 bài nộp năm {THIS_YEAR}. 1 tệp không nhập")
    assert view.year == THIS_YEAR and view.ranking_table.rowCount() == 2
    assert view.summary.text().startswith("Đã nhận 2 bài nộp (chưa lập danh sách đơn vị)")
    assert view.chart.source is not None


def test_the_units_dialog_adds_toggles_copies_and_removes(qtbot, window, no_dialogs):
    from parclerk.ui.dialogs.collection_units_dialog import CollectionUnitsDialog

    view = _view(window)
    view.year_choice.setCurrentIndex(view.year_choice.findData(THIS_YEAR))  # empty: no list yet
    dialog = CollectionUnitsDialog(view.runner, THIS_YEAR, view)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 0 and "Chưa có đơn vị nào" in dialog.count.text()
    dialog.add_button.click()
    assert "Chưa nhập tên đơn vị nào" in dialog.error_label.text()
    dialog.names.setPlainText("Xã Ba Tơ\n\n  Phường Nghĩa Lộ  \n")
    dialog.add_button.click()
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert texts == ["Phường Nghĩa Lộ (chưa nộp)", "Xã Ba Tơ (chưa nộp)"] and dialog.names.toPlainText() == ""
    dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)  # Xã Ba Tơ: scored, not ranked
    db = _db(window)
    try:
        ranked = {u.name: u.ranked for u in submissions.list_units(db, THIS_YEAR)}
    finally:
        db.close()
    assert ranked == {"Phường Nghĩa Lộ": True, "Xã Ba Tơ": False}
    assert dialog.list.item(1).checkState() == Qt.CheckState.Unchecked
    assert dialog.copy_button.isEnabled() and dialog.copy_button.text() == f"Chép danh sách năm {LAST_YEAR}"
    dialog.copy_button.click()
    assert no_dialogs["info"][-1] == f"Đã thêm 20 đơn vị từ danh sách năm {LAST_YEAR}."
    assert dialog.list.count() == 22
    dialog.list.setCurrentRow(0)
    assert not dialog.remove_submissions_button.isEnabled()  # nothing submitted this year yet
    name = dialog.current_unit().name
    dialog.remove_unit_button.click()
    assert no_dialogs["ask"][-1].startswith(f"Xóa “{name}” khỏi danh sách đơn vị năm {THIS_YEAR}?")
    assert dialog.list.count() == 21
    # The view followed the changes: this year has a list now, and nothing to rank yet.
    assert view.summary.text() == "Đã nhận 0/21 bài nộp"
    assert (
        view.stack.currentWidget() is view.tabs and view.ranking_stack.currentWidget() is view.ranking_empty
    )
    assert view.submissions_table.rowCount() == 21


def test_removing_a_units_submissions_keeps_the_unit(qtbot, window, no_dialogs):
    from parclerk.ui.dialogs.collection_units_dialog import CollectionUnitsDialog

    view = _view(window)
    dialog = CollectionUnitsDialog(view.runner, LAST_YEAR, view)
    qtbot.addWidget(dialog)
    row = next(i for i, u in enumerate(dialog.units) if u.submission_id is not None)
    dialog.list.setCurrentRow(row)
    name = dialog.current_unit().name
    assert dialog.remove_submissions_button.isEnabled()
    dialog.remove_submissions_button.click()
    assert "Đơn vị vẫn ở trong danh sách" in no_dialogs["ask"][-1]
    assert dialog.list.item(row).text() == f"{name} (chưa nộp)"
    dialog.list.setCurrentRow(row)
    dialog.remove_unit_button.click()
    assert "cũng bị xóa" not in no_dialogs["ask"][-1]  # nothing left to lose with it
    assert view.summary.text().startswith("Đã nhận 17/19 bài nộp")


def test_exports_excel_and_word_from_the_view(qtbot, window, no_dialogs, tmp_path, monkeypatch):
    from parclerk.ui.dialogs import messages

    view = _view(window)
    asked = []

    def save(parent, title, suggested, pattern):
        asked.append(suggested)
        return str(tmp_path / Path(suggested).stem)

    monkeypatch.setattr(messages, "save_file_name", save)
    view.excel_button.click()
    assert asked[-1] == f"XepHang-ChiSoCCHC-{LAST_YEAR}.xlsx"
    assert (tmp_path / f"XepHang-ChiSoCCHC-{LAST_YEAR}.xlsx").stat().st_size > 0
    assert no_dialogs["opened"][-1] == tmp_path / f"XepHang-ChiSoCCHC-{LAST_YEAR}.xlsx"
    no_dialogs["answers"]["ask"] = False  # a draft, not issued; and not opened
    view.word_button.click()
    assert asked[-1].endswith(f"-{LAST_YEAR}.docx")
    assert (tmp_path / Path(asked[-1])).stat().st_size > 0
    assert "bản dự thảo" in no_dialogs["ask"][-1]


def test_the_unit_exports_its_submission_from_the_assessment_view(
    qtbot, window, no_dialogs, tmp_path, monkeypatch
):
    from parclerk.ui.dialogs import messages

    window.show_view("assessment")
    view = window.view("assessment")
    view.refresh()
    view.chooser.setCurrentIndex(0)  # this year
    year = view.current.year
    asked = []

    def save(parent, title, suggested, pattern):
        asked.append(suggested)
        return str(tmp_path / "bai-nop")

    monkeypatch.setattr(messages, "save_file_name", save)
    assert view.submission_button.isEnabled()
    view.submission_button.click()
    assert asked[-1].startswith(f"ChiSoCCHC-{year}-") and asked[-1].endswith("-v1.zip")
    assert (tmp_path / "bai-nop.zip").is_file()
    questions = no_dialogs["ask"]
    assert questions[-2].startswith("Kèm tệp tài liệu kiểm chứng?")
    assert questions[-1].startswith("Đã xuất bài nộp phiên bản 1:") and "không đổi" not in questions[-1]
    assert no_dialogs["opened"][-1] == tmp_path  # the folder, to attach the file to an e-mail
    view.submission_button.click()  # nothing changed since
    assert "(nội dung không đổi so với lần xuất trước)" in no_dialogs["ask"][-1]
    db = _db(window)
    try:
        previews = submissions.preview_import(db, [tmp_path / "bai-nop.zip"])
    finally:
        db.close()
    assert previews[0].status == "new" and previews[0].year == year  # a package the office can read


def test_screenshots_of_the_collection(qtbot, window, no_dialogs, packages, tmp_path):
    from parclerk.ui.dialogs.collection_units_dialog import CollectionUnitsDialog
    from parclerk.ui.dialogs.submission_import_dialog import SubmissionImportDialog

    view = _view(window)
    assert window.grab().save(str(tmp_path / "collection.png"))
    dialog = SubmissionImportDialog(view.runner, list(packages.values()), view)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.check()
    assert dialog.grab().save(str(tmp_path / "import.png"))
    units = CollectionUnitsDialog(view.runner, LAST_YEAR, view)
    qtbot.addWidget(units)
    units.show()
    assert units.grab().save(str(tmp_path / "units.png"))
