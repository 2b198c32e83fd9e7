"""Task tracking as the clerk uses it: the task table model, the Nhiệm vụ list (filters, bulk completion, reopening,
export, print), the task dialog's history, the Hôm nay dashboard (counts, lists, the 30% rule, the reminder
banner), the tasks inside a directive's dialog, and a screenshot of each main view.

Tasks are added with explicit due dates relative to a pinned "today", under a follower no demo task has, so the
tests can pick out exactly their own rows among the demo's.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from parclerk import dates
from parclerk.data import db as dbmod
from parclerk.data import tables
from parclerk.models import DirectiveInput, TaskInput
from parclerk.queries import TaskQuery
from parclerk.services import intake, tasks
from parclerk.ui.dialogs.directive_dialog import DirectiveDialog
from parclerk.ui.dialogs.task_dialog import NewTaskDialog, TaskDialog
from parclerk.ui.models.task_table import COLUMNS, ID_ROLE, STATE_ROLE, TaskTableModel

TODAY = dt.date(2026, 6, 15)  # a Monday
FOLLOWER = "Hồ Kiểm Thử"


def _col(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0), tick=False):
        yield TODAY


@pytest.fixture
def conn(demo_path):
    connection = dbmod.connect(demo_path, read_only=True)
    yield connection
    connection.close()


def add_task(
    path,
    content: str,
    *,
    due: dt.date | None = None,
    lead: str = "Tổ Kiểm thử",
    done: dt.date | None = None,
    follower: str = FOLLOWER,
) -> int:
    """A task of the office's own with one work item; returns the item's id."""
    db = dbmod.open_db(path)
    try:
        tasks.create_task(db, TaskInput(content=content, lead_unit=lead, deadline=due), follower=follower)
        (item_id,) = db.execute(
            "SELECT i.id FROM task_items i JOIN tasks t ON t.id = i.task_id WHERE t.content = ?", [content]
        ).fetchone()
        if done is not None:
            tasks.complete_items(db, [item_id], done, today=max(done, TODAY))
    finally:
        db.close()
    return item_id


def item_row(path, item_id: int) -> dict:
    db = dbmod.open_db(path)
    try:
        return dict(next(iter(db.query("SELECT * FROM task_items WHERE id = ?", [item_id]))))
    finally:
        db.close()


@pytest.fixture
def ours(demo_path):
    """Six items, one per state, all followed by FOLLOWER."""
    days = dt.timedelta
    return {
        "overdue_30": add_task(demo_path, "Báo cáo công tác dân vận chính quyền quý I", due=TODAY - days(45)),
        "overdue": add_task(demo_path, "Rà soát thủ tục hành chính lĩnh vực hộ tịch", due=TODAY - days(5)),
        "due_soon": add_task(demo_path, "Cập nhật dữ liệu dịch vụ công trực tuyến", due=TODAY + days(2)),
        "in_time": add_task(
            demo_path, "Tổng hợp ý kiến cử tri về đất đai & <xây dựng>", due=TODAY + days(20)
        ),
        "done": add_task(
            demo_path,
            "Niêm yết công khai thủ tục tại Bộ phận Một cửa",
            due=TODAY - days(10),
            done=TODAY - days(12),
        ),
        "no_deadline": add_task(demo_path, "Thường xuyên kiểm tra hộp thư góp ý"),
    }


def _our_query(**kwargs) -> TaskQuery:
    return TaskQuery(follower=FOLLOWER, today=TODAY, **kwargs)


def _rows_by_id(model: TaskTableModel) -> dict[int, int]:
    return {model.index(r, 0).data(ID_ROLE): r for r in range(model.rowCount())}


def _tasks_view(window):
    window.show_view("tasks")
    view = window.tasks
    view.load_filter_choices()
    return view


def _show_ours(view, *, open_only: bool = False) -> None:
    view.follower.setCurrentIndex(view.follower.findData(FOLLOWER))
    view.open_only.setChecked(open_only)
    view.apply_filters()


# --- the model -------------------------------------------------------------------------------------


def test_model_contract(qtmodeltester, conn, ours):
    model = TaskTableModel(conn, query=TaskQuery(own_only=False, today=TODAY))
    model.reload()
    assert model.rowCount() == tables.task_item_count(conn, TaskQuery(own_only=False, today=TODAY)) > 6
    qtmodeltester.check(model)
    short = TaskTableModel(conn, query=_our_query(), limit=3, short_status=True)
    short.reload()
    assert short.rowCount() == 3
    qtmodeltester.check(short)


def test_rows_show_state_in_colour_and_type(conn, ours):
    model = TaskTableModel(conn, query=_our_query())
    model.reload()
    rows = _rows_by_id(model)
    assert set(rows) == set(ours.values())
    state = {name: model.index(rows[item], 0).data(STATE_ROLE) for name, item in ours.items()}
    assert state == {
        "overdue_30": ("open_overdue", "overdue_30"),
        "overdue": ("open_overdue", "overdue"),
        "due_soon": ("open_in_time", "due_soon"),
        "in_time": ("open_in_time", ""),
        "done": ("done_on_time", ""),
        "no_deadline": ("no_deadline", ""),
    }

    def cell(name, key, role=Qt.ItemDataRole.DisplayRole):
        return model.index(rows[ours[name]], _col(key)).data(role)

    assert cell("overdue_30", "status") == "Quá hạn chưa hoàn thành (45 ngày)"
    assert cell("due_soon", "status") == "Đang thực hiện trong hạn (còn 2 ngày)"
    assert cell("done", "status") == "Hoàn thành đúng hạn"
    assert cell("overdue", "due_date") == dates.format_dmy(TODAY - dt.timedelta(days=5))
    assert cell("done", "completed_date") == "03/06/2026"
    assert cell("in_time", "directive") == "Nhiệm vụ của đơn vị"
    # Readable in black and white: overdue is bold, due soon italic, done grey; the background only adds colour.
    font = cell("overdue_30", "content", Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert cell("overdue", "content", Qt.ItemDataRole.FontRole).bold()
    assert cell("due_soon", "content", Qt.ItemDataRole.FontRole).italic()
    assert cell("overdue_30", "content", Qt.ItemDataRole.BackgroundRole) is not None
    assert cell("done", "content", Qt.ItemDataRole.ForegroundRole).color().name() == "#6b6b6b"
    assert cell("in_time", "content", Qt.ItemDataRole.BackgroundRole) is None
    tip = cell("in_time", "lead_unit", Qt.ItemDataRole.ToolTipRole)
    assert "Tổng hợp ý kiến cử tri về đất đai & <xây dựng>" in tip and "Chủ trì: Tổ Kiểm thử" in tip


def test_sort_requeries_and_limited_models_never_count(conn, ours, monkeypatch):
    model = TaskTableModel(conn, query=_our_query())
    model.sort(_col("due_date"), Qt.SortOrder.AscendingOrder)
    due = [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]
    assert due[:2] == [ours["overdue_30"], ours["done"]] and due[-1] == ours["no_deadline"]  # undated last
    model.sort(_col("content"), Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "content" and model.query.descending
    assert model.index(0, _col("content")).data().startswith("Tổng hợp")
    model.sort(_col("content"), Qt.SortOrder.AscendingOrder)
    assert model.index(0, _col("content")).data().startswith("Báo cáo")

    def no_counting(*args, **kwargs):
        raise AssertionError("a short list must not count every match")

    monkeypatch.setattr(tables, "task_item_count", no_counting)
    short = TaskTableModel(conn, query=TaskQuery(own_only=False, today=TODAY), limit=5)
    short.reload()
    assert short.rowCount() == 5


def test_first_paint_reads_only_the_first_ids(conn, ours, monkeypatch):
    from parclerk.ui.models import lazy_table

    monkeypatch.setattr(lazy_table, "PAGE_SIZE", 5)
    monkeypatch.setattr(lazy_table, "FIRST_IDS", 10)
    query = TaskQuery(own_only=False, today=TODAY)
    model = TaskTableModel(conn, query=query)
    model.reload()
    total = tables.task_item_count(conn, query)
    assert model.rowCount() == total > 10 and len(model._ids) == 10
    assert model.index(7, _col("content")).data()
    assert len(model._ids) == 10  # rows within the first ids need no more
    deepest = tables.task_item_ids(conn, query)[-1]
    assert model.row_of(deepest, read_all=False) is None and len(model._ids) == 10
    assert model.index(total - 1, 0).data(ID_ROLE) == deepest  # the rest is read when a row needs it
    assert len(model._ids) == total and model.row_of(deepest) == total - 1


# --- the Nhiệm vụ view -----------------------------------------------------------------------------


def test_filter_by_status_bucket(qtbot, window, ours, conn):
    view = _tasks_view(window)
    _show_ours(view, open_only=True)
    assert view.model.rowCount() == 5  # all but the finished one
    assert view.count_label.text() == "5 nhiệm vụ — quá hạn 2 — sắp đến hạn 1"
    view.status.setCurrentIndex(view.status.findData("open_overdue"))
    states = {view.model.index(r, 0).data(STATE_ROLE)[0] for r in range(view.model.rowCount())}
    assert states == {"open_overdue"} and view.model.rowCount() == 2
    view.status.setCurrentIndex(view.status.findData("overdue_30"))
    assert [view.model.index(r, 0).data(ID_ROLE) for r in range(view.model.rowCount())] == [
        ours["overdue_30"]
    ]
    # A "done" status unticks "only unfinished" instead of showing nothing.
    view.status.setCurrentIndex(view.status.findData("done_on_time"))
    assert not view.open_only.isChecked()
    assert [view.model.index(r, 0).data(ID_ROLE) for r in range(view.model.rowCount())] == [ours["done"]]
    assert not view.table.isColumnHidden(_col("completed_date"))  # finished tasks listed: their dates show
    # Every unfinished task of the office, across units and people, agrees with SQL.
    view.show_filtered("open_overdue")
    assert view.follower.currentIndex() == 0
    assert view.model.rowCount() == tables.task_item_count(
        conn, TaskQuery(bucket="open_overdue", today=TODAY)
    )


def test_unit_and_period_filters(qtbot, window, ours):
    view = _tasks_view(window)
    view.open_only.setChecked(False)
    view.unit.setCurrentIndex(view.unit.findText("Tổ Kiểm thử"))
    assert view.model.rowCount() == 6
    view.period.setCurrentIndex(
        view.period.findData("month")
    )  # June 2026: all but the 45-day-old and undated
    got = {view.model.index(r, 0).data(ID_ROLE) for r in range(view.model.rowCount())}
    assert got == {ours["overdue"], ours["due_soon"], ours["done"]}
    view.period.setCurrentIndex(view.period.findData("2026"))
    assert view.model.rowCount() == 5


def test_search_is_debounced_and_ignores_diacritics(qtbot, window, ours):
    view = _tasks_view(window)
    view.open_only.setChecked(False)
    with qtbot.waitSignal(view._search_timer.timeout, timeout=2000):
        view.search.setText("cu tri dat dai")
    assert [view.model.index(r, 0).data(ID_ROLE) for r in range(view.model.rowCount())] == [ours["in_time"]]


@pytest.mark.parametrize("overwrite", [True, False])
def test_bulk_complete_asks_before_overwriting(qtbot, window, ours, no_dialogs, overwrite):
    view = _tasks_view(window)
    _show_ours(view)
    picked = [ours["overdue"], ours["due_soon"], ours["done"]]
    rows = _rows_by_id(view.model)
    view.table.clearSelection()
    for item_id in picked:
        view.table.selectionModel().select(
            view.model.index(rows[item_id], 0),
            view.table.selectionModel().SelectionFlag.Select | view.table.selectionModel().SelectionFlag.Rows,
        )
    assert sorted(view.selected_ids()) == sorted(picked)
    no_dialogs["answers"]["completion"] = (TODAY, "45/BC-UBND")
    no_dialogs["answers"]["ask"] = overwrite
    view.complete_selected()
    assert no_dialogs["completion"] == ["Đánh dấu 3 nhiệm vụ đang chọn là đã hoàn thành."]
    assert no_dialogs["ask"][0].startswith("1 nhiệm vụ đã hoàn thành trước đó; ghi đè ngày hoàn thành?")
    for item_id in (ours["overdue"], ours["due_soon"]):
        row = item_row(window.db_path, item_id)
        assert (row["status"], row["completed_date"], row["reply_number"]) == (
            "done",
            "2026-06-15",
            "45/BC-UBND",
        )
    earlier = item_row(window.db_path, ours["done"])["completed_date"]
    assert earlier == ("2026-06-15" if overwrite else "2026-06-03")
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Đã đánh dấu hoàn thành {3 if overwrite else 2} nhiệm vụ ngày 15/06/2026")
    assert ("giữ nguyên 1" in message) is not overwrite
    # The list refreshed itself (Changes): the finished ones show as done, late or on time.
    rows = _rows_by_id(view.model)
    assert view.model.index(rows[ours["overdue"]], 0).data(STATE_ROLE) == ("done_late", "")


def test_no_question_when_nothing_was_done_before(qtbot, window, ours, no_dialogs):
    view = _tasks_view(window)
    _show_ours(view)
    view.select_ids([ours["in_time"]])
    view.complete_selected()
    assert no_dialogs["ask"] == []
    assert item_row(window.db_path, ours["in_time"])["status"] == "done"


def test_reopen_with_a_reason(qtbot, window, ours, no_dialogs):
    view = _tasks_view(window)
    _show_ours(view)
    view.select_ids([ours["done"]])
    view.reopen_selected()
    row = item_row(window.db_path, ours["done"])
    assert row["status"] == "open" and row["completed_date"] is None
    db = dbmod.open_db(window.db_path)
    notes = [n for _, n in tasks.get_item(db, ours["done"]).notes]
    db.close()
    assert notes[-1] == "Mở lại: Nhập nhầm"
    assert window.statusBar().currentMessage() == "Đã mở lại 1 nhiệm vụ."


def test_add_a_task_by_hand(qtbot, window, no_dialogs):
    view = _tasks_view(window)
    view.new_task()
    dialog = view.findChild(NewTaskDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.save()
    assert "Chưa nhập nội dung nhiệm vụ" in dialog.error_label.text()
    dialog.fields["content"].setPlainText("Kiểm tra việc niêm yết thủ tục hành chính tại các thôn")
    dialog.fields["lead_unit"].setCurrentText("Văn phòng - Thống kê")
    dialog.fields["follower"].setCurrentText(FOLLOWER)
    dialog.fields["deadline"].setText("31/02/2026")
    dialog.save()
    assert "không có trên lịch" in dialog.error_label.text() and dialog.isVisible()
    dialog.fields["deadline"].setText("30/06/2026")
    dialog.save()
    assert not dialog.isVisible()
    _show_ours(view, open_only=True)
    assert view.model.rowCount() == 1
    row = view.model.row_data(0)
    assert row["directive_id"] is None and row["due_date"] == "2026-06-30"
    assert view.model.index(0, _col("directive")).data() == "Nhiệm vụ của đơn vị"


def test_export_writes_the_visible_columns(qtbot, window, ours, no_dialogs, monkeypatch, tmp_path):
    from openpyxl import load_workbook

    from parclerk.ui.dialogs import messages

    view = _tasks_view(window)
    _show_ours(view)
    view.set_column_shown(_col("follower"), False)
    out = tmp_path / "nhiem-vu.xlsx"
    monkeypatch.setattr(messages, "save_file_name", lambda *args: str(out))
    no_dialogs["answers"]["ask"] = False  # do not open the file
    view.export_view()
    assert "Đã xuất 6 nhiệm vụ" in no_dialogs["ask"][0]
    book = load_workbook(out, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    shown = [c.label for i, c in enumerate(COLUMNS) if not view.table.isColumnHidden(i)]
    assert [cell for cell in rows[0] if cell] == [
        {"Chủ trì": "Đơn vị chủ trì", "Phối hợp": "Đơn vị phối hợp"}.get(label, label) for label in shown
    ]
    assert len(rows) == 7


def test_print_previews_the_checklist(qtbot, window, ours, monkeypatch):
    from parclerk.ui import printing

    shown = {}
    monkeypatch.setattr(
        printing, "preview_html", lambda parent, html, title, **kw: shown.update(html=html, title=title)
    )
    view = _tasks_view(window)
    _show_ours(view, open_only=True)
    view.print_view()
    assert "Rà soát thủ tục hành chính lĩnh vực hộ tịch" in shown["html"]
    assert "Niêm yết công khai" not in shown["html"]  # finished: not in an "unfinished" list
    assert f"Người theo dõi: {FOLLOWER}" in shown["html"]


# --- the task dialog -------------------------------------------------------------------------------


def _open_dialog(view, item_id: int) -> TaskDialog:
    view.select_ids([item_id])
    view.open_current()
    dialogs = [d for d in view.findChildren(TaskDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_progress_notes_are_a_dated_history(qtbot, window, ours, no_dialogs):
    view = _tasks_view(window)
    _show_ours(view)
    dialog = _open_dialog(view, ours["overdue"])
    assert dialog.content_label.text() == "Rà soát thủ tục hành chính lĩnh vực hộ tịch"
    assert dialog.values["directive"].text() == "Nhiệm vụ của đơn vị"
    assert dialog.status_banner.text() == "Tình trạng: Quá hạn chưa hoàn thành (5 ngày)"
    assert "font-weight: bold" in dialog.status_banner.styleSheet()
    dialog.note_date.setText("12/06/2026")
    dialog.note_text.setText("Đã rà soát 12/20 thủ tục; chờ Tư pháp - Hộ tịch góp ý")
    dialog.add_note()
    dialog.note_text.setText("Đã gửi dự thảo báo cáo")
    dialog.add_note()
    history = [dialog.notes.item(i).text() for i in range(dialog.notes.count())]
    assert history == [
        "12/06/2026 — Đã rà soát 12/20 thủ tục; chờ Tư pháp - Hộ tịch góp ý",
        "15/06/2026 — Đã gửi dự thảo báo cáo",
    ]
    dialog.note_text.clear()
    dialog.add_note()
    assert dialog.error_label.text() == "Chưa nhập nội dung tiến độ."
    # Completing adds to the history; nothing before it changes.
    dialog.done_date.setText("14/06/2026")
    dialog.reply_number.setText("52/BC-UBND")
    dialog.complete()
    assert dialog.status_banner.text() == "Tình trạng: Hoàn thành quá hạn (4 ngày)"
    assert dialog.values["reply_number"].text() == "52/BC-UBND"
    history = [dialog.notes.item(i).text() for i in range(dialog.notes.count())]
    assert history[:2] == [
        "12/06/2026 — Đã rà soát 12/20 thủ tục; chờ Tư pháp - Hộ tịch góp ý",
        "15/06/2026 — Đã gửi dự thảo báo cáo",
    ]
    assert history[2].startswith("15/06/2026 — Hoàn thành ngày 14/06/2026, văn bản trả lời 52/BC-UBND")
    assert dialog.reopen_button.isEnabled()
    # A date after today is refused, in the dialog, and nothing changes.
    dialog.done_date.setText("20/06/2026")
    dialog.complete()
    assert "sau hôm nay" in dialog.error_label.text()
    assert item_row(window.db_path, ours["overdue"])["completed_date"] == "2026-06-14"
    dialog.reopen()
    assert dialog.status_banner.text() == "Tình trạng: Quá hạn chưa hoàn thành (5 ngày)"
    assert not dialog.reopen_button.isEnabled()


# --- the dashboard ---------------------------------------------------------------------------------


def test_app_opens_on_the_dashboard_with_counts_from_the_summary(qtbot, window, ours, no_dialogs):
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "Hôm nay",
        "Sổ văn bản đến",
        "Nhiệm vụ",
        "Tự đánh giá",
        "Báo cáo",
        "Tổng hợp đơn vị",
    ]
    # The window paints its frame first; the opening view is built right after (start-up, issue 9).
    assert window.nav.isVisible() and window.nav.currentRow() == 0 and not window.views
    window.after_first_paint()
    assert window.stack.currentWidget() is window.dashboard and window.dashboard.isVisible()
    board = window.dashboard
    db = dbmod.open_db(window.db_path)
    summary = tasks.summary(db)
    db.close()
    shown = {key: card.number.text() for key, card in board.cards.items()}
    assert shown == {
        "open_overdue": f"{summary.overdue:,}".replace(",", "."),
        "due_week": str(summary.due_soon),
        "overdue_30": str(summary.overdue_30),
        "recent": str(summary.recent_directives),
    }
    assert summary.overdue >= 2 and summary.due_soon >= 1
    # The short lists: the most overdue first, then what falls due this week, with the short status.
    overdue = [
        board.overdue_model.index(r, 0).data(STATE_ROLE)[0] for r in range(board.overdue_model.rowCount())
    ]
    assert set(overdue) == {"open_overdue"} and board.overdue_model.rowCount() == min(summary.overdue, 50)
    week_ids = [board.week_model.index(r, 0).data(ID_ROLE) for r in range(board.week_model.rowCount())]
    assert ours["due_soon"] in week_ids and ours["in_time"] not in week_ids
    row = week_ids.index(ours["due_soon"])
    assert board.week_model.index(row, _col("status")).data() == "Còn 2 ngày"
    assert no_dialogs["info"] == no_dialogs["error"] == []  # nothing modal at start-up


def test_a_count_opens_the_task_list_filtered(qtbot, window, ours):
    window.after_first_paint()
    board = window.dashboard
    qtbot.mouseClick(board.cards["overdue_30"], Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.tasks
    view = window.tasks
    assert view.status.currentData() == "overdue_30"
    assert {view.model.index(r, 0).data(STATE_ROLE)[1] for r in range(view.model.rowCount())} == {
        "overdue_30"
    }
    window.show_view("dashboard")
    qtbot.mouseClick(board.cards["recent"], Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.register


def test_opening_an_overdue_item_from_the_dashboard(qtbot, window, ours, no_dialogs):
    board = window.dashboard
    board.reload_lists()
    row = _rows_by_id(board.overdue_model)[ours["overdue"]]
    board._open_item(board.overdue_model, row)
    dialog = [d for d in board.findChildren(TaskDialog) if d.isVisible()][0]
    dialog.complete()  # done today
    # Changes reached the dashboard: the item left the overdue list.
    assert ours["overdue"] not in _rows_by_id(board.overdue_model)


def test_unit_rates_mark_units_past_and_near_the_30_percent_line(qtbot, window, demo_path):
    days = dt.timedelta
    for n in range(3):  # Tổ Quá hạn: 2 of 3 late or undone -> 66,7% -> fails
        add_task(
            demo_path, f"Việc {n} của tổ quá hạn", lead="Tổ Quá hạn", due=TODAY - days(20 + n), done=None
        )
    add_task(
        demo_path, "Việc xong của tổ quá hạn", lead="Tổ Quá hạn", due=TODAY - days(30), done=TODAY - days(31)
    )
    for n in range(4):  # Tổ Sát ngưỡng: 1 of 4 late -> 25% -> near the line
        done = TODAY - days(40) if n else TODAY - days(2)
        add_task(
            demo_path, f"Việc {n} của tổ sát ngưỡng", lead="Tổ Sát ngưỡng", due=TODAY - days(35), done=done
        )
    board = window.dashboard
    board.load_figures()
    table = board.rates_table
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    failing = [table.item(rows["Tổ Quá hạn"], c).text() for c in range(table.columnCount())]
    assert failing == ["Tổ Quá hạn", "4", "1", "0", "3", "75,0", "Vượt ngưỡng 30%"]
    assert table.item(rows["Tổ Quá hạn"], 6).background().color().name() == "#f6c9c9"
    assert table.item(rows["Tổ Quá hạn"], 0).font().bold()
    near = [table.item(rows["Tổ Sát ngưỡng"], c).text() for c in (1, 3, 5, 6)]
    assert near == ["4", "1", "25,0", "Gần ngưỡng"]
    assert rows["Tổ Quá hạn"] < rows["Tổ Sát ngưỡng"]  # worst first
    assert "năm 2026" in board.rates_title.text()
    # A unit's row opens its tasks for the year.
    board._open_unit(rows["Tổ Quá hạn"], 0)
    view = window.tasks
    assert view.unit.currentText() == "Tổ Quá hạn" and view.model.rowCount() == 4


def test_reminder_is_a_banner_and_a_status_line_never_a_box(qtbot, window, ours, no_dialogs):
    window.after_first_paint()
    db = dbmod.open_db(window.db_path)
    reminder = tasks.reminder(db)
    db.close()
    expected = (
        f"Có {reminder.due_soon} nhiệm vụ đến hạn trong 3 ngày tới, {reminder.overdue} nhiệm vụ quá hạn."
    )
    board = window.dashboard
    assert board.banner.isVisible() and board.banner_text.text() == expected
    assert window.statusBar().currentMessage() == expected
    assert window.reminder_timer.isActive() and window.reminder_timer.interval() == 60 * 60 * 1000
    assert no_dialogs["info"] == no_dialogs["ask"] == []
    # It follows the work: completing the item due soon lowers the figure.
    db = dbmod.open_db(window.db_path)
    tasks.complete_items(db, [ours["due_soon"]], TODAY)
    db.close()
    window.hourly()
    assert reminder.due_soon == 1  # ours, due in 2 days
    assert board.banner_text.text() == f"Có {reminder.overdue} nhiệm vụ quá hạn."
    qtbot.mouseClick(board.banner_close, Qt.MouseButton.LeftButton)
    assert not board.banner.isVisible()


def test_hidden_views_mark_themselves_stale(qtbot, window, ours, no_dialogs):
    view = _tasks_view(window)
    _show_ours(view, open_only=True)
    assert view.model.rowCount() == 5
    window.show_view("dashboard")
    board = window.dashboard
    board.reload_lists()
    row = _rows_by_id(board.overdue_model)[ours["overdue_30"]]
    board._open_item(board.overdue_model, row)
    [d for d in board.findChildren(TaskDialog) if d.isVisible()][0].complete()
    assert view._stale
    window.show_view("tasks")
    assert not view._stale and view.model.rowCount() == 4


# --- a directive's tasks -----------------------------------------------------------------------------


def test_directive_dialog_lists_and_adds_its_tasks(qtbot, window, no_dialogs):
    db = dbmod.open_db(window.db_path)
    intake.register_with_tasks(
        db,
        DirectiveInput(
            ngay_den=TODAY - dt.timedelta(days=3),
            issuer="Phòng Nội vụ huyện Sơn Tây",
            number="77/PNV-KT",
            issued_date=TODAY - dt.timedelta(days=5),
            subject="V/v báo cáo kết quả thực hiện quy chế dân chủ",
        ),
        [
            TaskInput(
                content="Báo cáo kết quả thực hiện quy chế dân chủ",
                ref="1",
                deadline=TODAY + dt.timedelta(days=10),
            ),
            TaskInput(content="Gửi danh sách thôn điển hình", ref="2", lead_unit="Văn hóa - Xã hội"),
        ],
        today=TODAY,
    )
    db.close()
    register = window.register
    window.show_view("register")
    register.search.setText("77/PNV-KT")
    register.apply_filters()
    register.table.selectRow(0)
    register.open_current()
    dialog = [d for d in register.findChildren(DirectiveDialog) if d.isVisible()][0]
    assert dialog.tabs.tabText(1) == "Nhiệm vụ (2)"
    contents = [dialog.task_model.index(r, _col("content")).data() for r in range(2)]
    assert contents == ["Báo cáo kết quả thực hiện quy chế dân chủ", "Gửi danh sách thôn điển hình"]
    dialog.add_task()
    new = [d for d in dialog.findChildren(NewTaskDialog) if d.isVisible()][0]
    assert new.directive_id == dialog.directive.id
    new.fields["ref"].setText("3")
    new.fields["content"].setPlainText("Tổ chức hội nghị đối thoại với Nhân dân")
    new.save()
    assert dialog.tabs.tabText(1) == "Nhiệm vụ (3)"
    dialog.task_table.setCurrentIndex(dialog.task_model.index(0, 0))
    dialog.open_task()
    opened = [d for d in dialog.findChildren(TaskDialog) if d.isVisible()][0]
    assert opened.values["directive"].text() == "77/PNV-KT ngày 10/06/2026"


# --- screenshots -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dashboard", "register", "tasks"])
def test_screenshot_of_each_view(qtbot, window, ours, tmp_path, name):
    window.after_first_paint()
    window.show_view(name)
    out = tmp_path / f"{name}.png"
    assert window.grab().save(str(out))
    assert out.stat().st_size > 10_000


def test_screenshot_command_knows_every_view(demo_path, tmp_path):
    from parclerk.cli import VIEWS
    from parclerk.ui.app import screenshot

    assert VIEWS == ("dashboard", "register", "tasks", "assessment", "reports", "collection")
    out = tmp_path / "tasks.png"
    screenshot(demo_path, "tasks", out, (1366, 768))
    assert out.stat().st_size > 10_000


# --- units, recurring duties, shortcuts --------------------------------------------------------------


def test_units_dialog_adds_an_alias_that_regroups_tasks(qtbot, window, demo_path, no_dialogs):
    from parclerk.ui.dialogs.units_dialog import UnitsDialog

    add_task(demo_path, "Việc ghi tên viết tắt", lead="TKT", due=TODAY - dt.timedelta(days=3))
    window.edit_units()
    dialog = window.findChild(UnitsDialog)
    assert dialog is not None and dialog.isVisible() and dialog.list.count() >= 7
    dialog.new_unit()
    dialog.save()
    assert "Chưa nhập tên đơn vị" in dialog.error_label.text()
    dialog.name.setText("Tổ Kiểm thử")
    dialog.aliases.setPlainText("TKT\n")
    dialog.save()
    assert dialog.units[dialog.list.currentRow()].aliases == ("TKT",)
    view = _tasks_view(window)
    view.open_only.setChecked(False)
    view.unit.setCurrentIndex(view.unit.findText("Tổ Kiểm thử"))
    contents = {view.model.index(r, _col("content")).data() for r in range(view.model.rowCount())}
    assert "Việc ghi tên viết tắt" in contents


def test_recurring_duties_get_each_period_on_the_hour(qtbot, window, demo_path):
    db = dbmod.open_db(demo_path)
    tasks.create_task(
        db, TaskInput(content="Báo cáo tháng về công tác một cửa", recurrence="monthly"), follower=FOLLOWER
    )
    db.close()
    window.after_first_paint()
    view = _tasks_view(window)
    _show_ours(view)
    assert [view.model.index(r, _col("period")).data() for r in range(view.model.rowCount())] == [
        "Tháng 6/2026"
    ]
    with time_machine.travel(dt.datetime(2026, 8, 3, 9, 0), tick=False):
        window.hourly()  # the app stayed open into August
        periods = [view.model.index(r, _col("period")).data() for r in range(view.model.rowCount())]
        assert periods == ["Tháng 6/2026", "Tháng 7/2026", "Tháng 8/2026"]
        assert view.model.index(0, 0).data(STATE_ROLE)[0] == "open_overdue"  # June's report, missed


def test_keyboard_in_the_task_list(qtbot, window, ours, no_dialogs):
    view = _tasks_view(window)
    _show_ours(view)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    view.table.setFocus()
    view.select_ids([ours["in_time"]])
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    opened = [d for d in view.findChildren(TaskDialog) if d.isVisible()]
    assert opened and opened[0].item.item_id == ours["in_time"]
    opened[0].reject()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.dashboard


def test_ctrl_p_prints_what_is_on_screen(qtbot, window, ours, monkeypatch):
    from parclerk.ui import printing

    printed = []
    monkeypatch.setattr(printing, "preview_html", lambda parent, html, title, **kw: printed.append(title))
    monkeypatch.setattr(window.register, "print_register", lambda: printed.append("register"))
    _tasks_view(window)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    window.show_view("register")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed == ["Danh sách kiểm tra nhiệm vụ", "register"]


def test_tracking_settings_move_the_lines(qtbot, window, no_dialogs):
    from parclerk.ui.dialogs.tracking_dialog import TrackingDialog

    window.after_first_paint()
    board = window.dashboard
    assert "(ngưỡng 30%, cảnh báo từ 20%)" in board.rates_title.text()
    window.edit_tracking()
    dialog = window.findChild(TrackingDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.fail.setValue(25)
    dialog.remind.setValue(5)
    dialog.save()
    assert not dialog.isVisible()
    assert "(ngưỡng 25%, cảnh báo từ 20%)" in board.rates_title.text()
    assert "từ 25% số nhiệm vụ" in board.rates_note.text()
    assert "trong 5 ngày tới" in board.banner_text.text() or "đến hạn" not in board.banner_text.text()


# Heavy libraries a clerk's first minute never needs: loaded on first use only.
HEAVY = ("openpyxl", "docx", "docxtpl", "jinja2", "lxml", "pypdf", "sqlite_utils")

STARTUP_CHECK = """
import sys
from pathlib import Path
from parclerk.ui import app as appmod
qt_app = appmod.make_app()
window = appmod.start(Path(sys.argv[1]), auto_backup=False)
window.show()
window.repaint()
loaded = lambda names: sorted(set(m if m in names else m.split('.')[0] for m in sys.modules if m in names or m.split('.')[0] in names))
print("frame:", loaded({heavy} + ("parclerk.ui.views.dashboard", "parclerk.queries")))
window.build_opening()
print("opening:", loaded({heavy}))
print("current:", type(window.stack.currentWidget()).__name__)
window.close()
"""


def test_the_frame_paints_before_the_opening_view_and_nothing_heavy_loads(demo_path):
    """Start-up order (issue 9): the window's frame paints with neither the dashboard's modules nor any heavy
    library loaded; the dashboard follows without openpyxl, python-docx, docxtpl, pypdf or sqlite-utils."""
    code = STARTUP_CHECK.format(heavy=HEAVY)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", code, str(demo_path)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["frame: []", "opening: []", "current: DashboardView"], result.stdout
