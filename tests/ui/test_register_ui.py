"""The register as the clerk uses it: the table model, the view, the edit form, cancel, settings."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from parclerk import dates
from parclerk.data import db as dbmod
from parclerk.data import tables
from parclerk.queries import DirectiveQuery
from parclerk.services import directives
from parclerk.ui.dialogs.directive_dialog import DirectiveDialog
from parclerk.ui.dialogs.settings_dialog import SettingsDialog
from parclerk.ui.models.directive_table import COLUMNS, STATE_ROLE, DirectiveTableModel


def _col(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)


@pytest.fixture
def conn(demo_path):
    connection = dbmod.connect(demo_path, read_only=True)
    yield connection
    connection.close()


def test_model_contract(qtmodeltester, conn):
    model = DirectiveTableModel(conn)
    model.reload()
    assert model.rowCount() == tables.directive_count(conn) == 303
    qtmodeltester.check(model)


def test_model_shows_formatted_rows_newest_first(conn):
    model = DirectiveTableModel(conn)
    model.set_query(DirectiveQuery(sort="so_den", descending=True))
    first = model.index(0, _col("ngay_den")).data()
    last = model.index(model.rowCount() - 1, _col("ngay_den")).data()
    assert dates.parse_dmy(first) >= dates.parse_dmy(last)
    assert model.index(model.rowCount() - 1, _col("so_den")).data() == "1"
    assert model.headerData(_col("subject"), Qt.Orientation.Horizontal) == "Trích yếu nội dung"


def test_sort_requeries_in_vietnamese_order(conn):
    model = DirectiveTableModel(conn)
    model.sort(_col("issuer"), Qt.SortOrder.AscendingOrder)
    issuers = [model.index(r, _col("issuer")).data() for r in range(model.rowCount())]
    # 'Ban Chỉ đạo' < 'Bộ Nội vụ' < 'Đảng ủy' < 'Phòng' < 'Sở' < 'Trung tâm' < 'UBND' < 'Văn phòng'
    firsts = list(dict.fromkeys(name.split()[0] for name in issuers))
    assert firsts == ["Ban", "Bộ", "Đảng", "Phòng", "Sở", "Trung", "UBND", "Văn"]
    model.sort(_col("issuer"), Qt.SortOrder.DescendingOrder)
    assert model.index(0, _col("issuer")).data().startswith("Văn")


def test_search_ignores_diacritics(conn):
    model = DirectiveTableModel(conn)
    model.set_query(DirectiveQuery(text="dang van minh"))
    subjects = [model.index(r, _col("subject")).data() for r in range(model.rowCount())]
    assert any("Đặng Văn Minh" in s for s in subjects)
    numbers = {model.index(r, _col("number")).data() for r in range(model.rowCount())}
    assert "294/UBND" in numbers
    model.set_query(DirectiveQuery(text='107/UBND-NC "'))
    assert model.rowCount() == 0 or all(model.index(r, 0).data() for r in range(model.rowCount()))
    model.set_query(DirectiveQuery(text="107/UBND-NC"))
    assert [model.index(r, _col("number")).data() for r in range(model.rowCount())] == ["107/UBND-NC"]


def test_overdue_rows_are_marked(conn):
    model = DirectiveTableModel(conn)
    model.set_query(DirectiveQuery(overdue_only=True))
    assert model.rowCount() > 0
    for r in range(model.rowCount()):
        assert model.index(r, 0).data(STATE_ROLE) == "overdue"
        assert model.index(r, _col("status")).data() == "Quá hạn"


def test_register_through_the_form(qtbot, window, runner, no_dialogs):
    view = window.register
    before = view.model.rowCount()
    view.new_directive()
    dialog = view.findChild(DirectiveDialog)
    assert dialog is not None and dialog.isVisible()
    f = dialog.fields
    f["issuer"].setCurrentText("")
    # QTest types ASCII only: Vietnamese text goes in as typed-in text would.
    f["issuer"].lineEdit().insert("Sở Nội vụ tỉnh Quảng Ngãi")
    qtbot.keyClicks(f["number"], "1047/SNV-CCHCVTLT")
    f["issued_date"].setText("30/9/2022")
    f["ngay_den"].setText("03/10/2022")
    f["subject"].insertPlainText("V/v đôn đốc thực hiện nhiệm vụ cải cách hành chính & tuyên truyền <CCHC>")
    f["deadline"].setText("31/10/2022")
    dialog.save()
    assert not dialog.isVisible()
    assert view.model.rowCount() == before + 1
    db = dbmod.open_db(window.db_path)
    row = list(db.query("SELECT * FROM directives WHERE number = '1047/SNV-CCHCVTLT'"))[0]
    db.close()
    assert row["subject"].endswith("& tuyên truyền <CCHC>")
    assert row["so_den_year"] == 2022 and row["ngay_den"] == "2022-10-03"
    # The new row is selected, and the status bar says what happened.
    assert view.selected_id() == row["id"]
    assert "Đã lưu văn bản đến số" in window.statusBar().currentMessage()


def test_form_shows_every_problem_and_stores_nothing(qtbot, window, no_dialogs):
    view = window.register
    before = view.model.rowCount()
    view.new_directive()
    dialog = view.findChild(DirectiveDialog)
    dialog.fields["ngay_den"].setText("31/02/2022")
    dialog.fields["deadline"].setText("mai")
    dialog.save()
    assert dialog.isVisible()
    message = dialog.error_label.text()
    assert "Chưa nhập “Cơ quan ban hành”" in message
    assert "Chưa nhập “Trích yếu nội dung”" in message
    assert "31/02/2022" in message and "không có trên lịch" in message
    assert "dd/mm/yyyy" in message
    assert "c62828" in dialog.fields["issuer"].styleSheet()
    view.refresh()
    assert view.model.rowCount() == before


def test_duplicate_warning_lets_the_clerk_decide(qtbot, window, no_dialogs):
    view = window.register
    before = view.model.rowCount()

    def fill_and_save():
        view.new_directive()
        dialog = [d for d in view.findChildren(DirectiveDialog) if d.isVisible()][-1]
        dialog.fields["issuer"].setCurrentText("UBND TỈNH QUẢNG NGÃI")
        dialog.fields["number"].setText("107/ubnd-nc")
        dialog.fields["issued_date"].setText("09/01/2021")
        dialog.fields["ngay_den"].setText("12/01/2021")
        dialog.fields["subject"].setPlainText("Bản điện tử của công văn 107")
        dialog.save()
        return dialog

    no_dialogs["answers"]["ask"] = False
    dialog = fill_and_save()
    assert "có thể đã được đăng ký" in no_dialogs["ask"][-1]
    assert dialog.isVisible()
    dialog.reject()
    assert view.model.rowCount() == before
    no_dialogs["answers"]["ask"] = True
    fill_and_save()
    assert view.model.rowCount() == before + 1


def test_edit_and_cancel_keep_the_number(qtbot, window, runner, no_dialogs):
    view = window.register
    view.search.setText("107/UBND-NC")
    view.apply_filters()
    assert view.model.rowCount() == 1
    number = view.model.index(0, _col("so_den")).data()
    view.table.selectRow(0)
    view.open_current()
    dialog = view.findChild(DirectiveDialog)
    assert dialog.so_den_label.text() == f"{number}/2021"
    dialog.fields["notes"].setText("Đã báo cáo Sở Nội vụ")
    dialog.save()
    assert not dialog.isVisible()
    view.table.selectRow(0)
    view.cancel_current()
    view.refresh()
    index = view.model.index(0, _col("status"))
    assert index.data() == "Đã hủy"
    assert view.model.index(0, _col("so_den")).data() == number
    db = dbmod.open_db(window.db_path)
    d = directives.get_directive(db, view.model.id_at(0))
    db.close()
    assert d.cancelled and d.cancel_reason == "Nhập nhầm" and d.notes == "Đã báo cáo Sở Nội vụ"
    # Hiding cancelled documents hides it; the number stays taken.
    view.show_cancelled.setChecked(False)
    assert view.model.rowCount() == 0


def test_filters_narrow_the_table(qtbot, window):
    view = window.register
    view.load_filter_choices()
    total = view.model.rowCount()
    view.year.setCurrentIndex(view.year.findData(2021))
    assert 0 < view.model.rowCount() < total
    assert all(
        view.model.index(r, _col("ngay_den")).data().endswith("/2021") for r in range(view.model.rowCount())
    )
    view.doc_type.setCurrentIndex(view.doc_type.findData("Công văn"))
    assert all(
        view.model.index(r, _col("doc_type")).data() == "Công văn" for r in range(view.model.rowCount())
    )
    assert "Tìm thấy" in view.count_label.text()


def test_keyboard_shortcuts(qtbot, window, no_dialogs):
    view = window.register
    window.show_view("register")  # the app opens on "Hôm nay"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = view.findChild(DirectiveDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    opened = [d for d in view.findChildren(DirectiveDialog) if d.isVisible()]
    assert opened and opened[0].directive is not None


def test_first_run_asks_for_the_office_profile(qtbot, tmp_path, no_dialogs):
    from parclerk.ui.app import make_app, open_window
    from parclerk.ui.runner import ImmediateExecutor, Runner

    make_app()
    path = tmp_path / "new.sqlite"
    runner = Runner(path, executor=ImmediateExecutor())
    window = open_window(path, runner)
    qtbot.addWidget(window)
    window.show()
    window.after_first_paint()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.save()
    assert "Chưa nhập “Tên cơ quan, đơn vị”" in dialog.error_label.text()
    dialog.fields["unit_name"].setText("Ủy ban nhân dân xã Ba Tơ")
    dialog.fields["place_name"].setText("Ba Tơ")
    dialog.fields["level"].setCurrentIndex(dialog.fields["level"].findData("xa"))
    dialog.save()
    assert not dialog.isVisible()
    assert "Ba Tơ" in window.windowTitle()
    runner.shutdown()


def test_screenshot_of_the_register(qtbot, window, tmp_path):
    window.after_first_paint()
    out = tmp_path / "register.png"
    assert window.grab().save(str(out))
    assert out.stat().st_size > 10_000


def test_dates_in_the_table_are_dd_mm_yyyy(conn):
    model = DirectiveTableModel(conn)
    model.reload()
    text = model.index(0, _col("ngay_den")).data()
    assert dt.datetime.strptime(text, "%d/%m/%Y")


def test_handling_log_export_and_print_from_the_register(qtbot, window, monkeypatch, tmp_path, no_dialogs):
    from openpyxl import load_workbook

    from parclerk.ui import printing
    from parclerk.ui.dialogs import messages

    view = window.register
    monkeypatch.setattr(view, "_choose_year", lambda title: 2021)
    out = tmp_path / "theo-doi.xlsx"
    monkeypatch.setattr(messages, "save_file_name", lambda *args: str(out))
    no_dialogs["answers"]["ask"] = False  # do not open the file
    view.export_handling_log()
    workbook = load_workbook(out, read_only=True)
    text = " ".join(str(c) for row in workbook.active.iter_rows(values_only=True) for c in row if c)
    workbook.close()
    assert "Tiến độ giải quyết" in text and "107/UBND-NC" in text
    shown = []
    monkeypatch.setattr(
        printing, "preview_html", lambda parent, html, title, **kw: shown.append((html, title))
    )
    view.print_handling_log()
    assert shown and shown[0][1] == "Sổ theo dõi giải quyết văn bản đến năm 2021"
