"""Lịch sử thay đổi through the GUI: a directive's history tab, a task's, a criterion's, the settings', and
the global change log (Công cụ → Nhật ký thay đổi)."""

from __future__ import annotations

import os
from pathlib import Path

from parclerk.data.db import open_db
from parclerk.services import tasks as task_service
from parclerk.ui.dialogs.directive_dialog import DirectiveDialog
from parclerk.ui.dialogs.history_dialog import HistoryDialog, HistoryTable
from parclerk.ui.dialogs.settings_dialog import SettingsDialog
from parclerk.ui.dialogs.task_dialog import TaskDialog


def _rows(table: HistoryTable) -> list[tuple[str, ...]]:
    return [
        tuple(table.item(r, c).text() for c in range(table.columnCount())) for r in range(table.rowCount())
    ]


def _shot(widget, name: str) -> None:
    folder = os.environ.get("PARCLERK_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def test_a_directives_history_tab_shows_edits_and_the_cancellation(qtbot, window, no_dialogs):
    view = window.register
    view.search.setText("107/UBND-NC")
    view.apply_filters()
    view.table.selectRow(0)
    view.open_current()
    dialog = view.findChild(DirectiveDialog)
    dialog.fields["notes"].setText("Đã báo cáo Sở Nội vụ")
    dialog.save()
    view.table.selectRow(0)
    view.cancel_current()  # no_dialogs answers the reason "Nhập nhầm"
    view.table.selectRow(0)
    view.open_current()
    dialog = [d for d in view.findChildren(DirectiveDialog) if d.isVisible()][-1]
    assert dialog.history_table.rowCount() == 0  # read only when the tab is shown
    dialog.tabs.setCurrentWidget(dialog.history_table)
    rows = [row[1:] for row in _rows(dialog.history_table)]
    assert rows[:3] == [
        ("Văn bản", "Sửa Lý do hủy", "(trống)", "Nhập nhầm"),
        ("Văn bản", "Hủy", "Còn hiệu lực", "Đã hủy"),
        ("Văn bản", "Sửa Ghi chú", "Hoàn thành chậm nhất trong tháng 2/2021", "Đã báo cáo Sở Nội vụ"),
    ]
    assert rows[-1][1] == "Vào sổ"
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Lịch sử thay đổi"
    dialog.resize(980, 560)
    _shot(dialog, "directive-history.png")


def test_a_tasks_history_lists_completion(qtbot, window, runner, no_dialogs):
    from parclerk.ui.views.tasks import open_item

    db = open_db(window.db_path)
    try:
        item_id = db.execute(
            "SELECT id FROM task_items WHERE status = 'open' AND scope = 2 LIMIT 1"
        ).fetchone()[0]
        task_service.add_note(db, item_id, "Đã gửi dự thảo")
    finally:
        db.close()
    open_item(window, runner, item_id)
    dialog = [d for d in window.findChildren(TaskDialog) if d.isVisible()][-1]
    dialog.reply_number.setText("15/BC-UBND")
    dialog.complete()
    history = dialog.show_history()
    rows = [row[2:] for row in _rows(history.table)]
    assert ("Hoàn thành", "Đang thực hiện", "Đã hoàn thành") in rows
    assert ("Sửa Số, ký hiệu văn bản trả lời", "(trống)", "15/BC-UBND") in rows
    assert history.count_label.text().endswith("thay đổi.")


def test_a_criterions_history_and_the_settings_history(qtbot, window, no_dialogs):
    from parclerk.ui.models.assessment_tree import SELF

    window.show_view("assessment")
    view = window.view("assessment")
    view.refresh()
    view.tree.setCurrentIndex(view.model.index_of("1.1.1", SELF))
    view.choices.itemAt(1).widget().click()  # "Ban hành không kịp thời: 0,5"
    history = view.show_history()
    assert history.windowTitle() == "Lịch sử thay đổi — tiêu chí 1.1.1"
    assert _rows(history.table)[0][1:] == ("Mã 1.1.1", "Sửa Điểm tự chấm", "1", "0,5")

    window.edit_profile()
    dialog = [d for d in window.findChildren(SettingsDialog) if d.isVisible()][-1]
    dialog.fields["signer_name"].setText("Trần Thị Bình")
    dialog.save()
    window.edit_profile()
    dialog = [d for d in window.findChildren(SettingsDialog) if d.isVisible()][-1]
    rows = _rows(dialog.show_history().table)
    assert rows[0][1:3] == ("Thông tin đơn vị", "Sửa Người ký thường xuyên")
    assert rows[0][4] == "Trần Thị Bình"


def test_the_change_log_narrows_by_kind(qtbot, window, no_dialogs):
    view = window.register
    view.table.selectRow(0)
    view.cancel_current()
    log = window.open_change_log()
    assert isinstance(log, HistoryDialog)
    kinds = [log.kind.itemText(i) for i in range(log.kind.count())]
    assert kinds[:3] == ["Tất cả", "Văn bản đến", "Nhiệm vụ"]
    log.kind.setCurrentIndex(log.kind.findData("directive"))
    rows = _rows(log.table)
    assert rows and all(r[1].startswith("Văn bản đến ") for r in rows)
    assert rows[0][2] == "Sửa Lý do hủy"
    log.kind.setCurrentIndex(log.kind.findData("outgoing"))
    assert all(r[1].startswith("Văn bản đi ") for r in _rows(log.table))
    log.kind.setCurrentIndex(0)
    count = log.table.rowCount()
    assert count > 300 and log.count_label.text() == f"{count} thay đổi."
    _shot(log, "change-log.png")
