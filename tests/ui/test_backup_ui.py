"""Sao lưu và khôi phục: the list of backups, backing up now, restoring yesterday's state in three clicks with
every view reloaded; the automatic backups; one window per database; the dialog for an unexpected error."""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from parclerk.data import db as dbmod
from parclerk.data import lock
from parclerk.errors import ParclerkError
from parclerk.models import DirectiveInput
from parclerk.queries import Changes
from parclerk.services import backup, directives
from parclerk.ui import auto_backup, crash
from parclerk.ui.dialogs.backup_dialog import COLUMNS, BackupDialog, format_size

NOW = dt.datetime.now().replace(microsecond=0)
YESTERDAY = NOW - dt.timedelta(days=1)


def _shot(widget, tmp_path: Path, name: str) -> None:
    assert widget.grab().save(str(tmp_path / name))
    if os.environ.get("PARCLERK_SHOTS"):  # for a person to look at
        widget.grab().save(os.path.join(os.environ["PARCLERK_SHOTS"], name))


def _cell(dialog: BackupDialog, row: int, title: str) -> str:
    return dialog.table.item(row, COLUMNS.index(title)).text()


def _directive_count(path: Path) -> int:
    db = dbmod.open_db(path)
    try:
        return db.execute("SELECT count(*) FROM directives").fetchone()[0]
    finally:
        db.close()


def _register_one(path: Path, number: str) -> None:
    db = dbmod.open_db(path)
    try:
        directives.register_directive(
            db,
            DirectiveInput(
                ngay_den=NOW.date(),
                issuer="Phòng Nội vụ huyện Sơn Tây",
                number=number,
                issued_date=NOW.date(),
                subject="V/v kiểm tra sao lưu",
            ),
        )
    finally:
        db.close()


def _open(window) -> BackupDialog:
    dialog = window.open_backups()
    assert dialog.isVisible()
    return dialog


# --- the list ----------------------------------------------------------------------------------------


def test_the_dialog_lists_the_backups_with_their_counts_and_offers_yesterday(
    qtbot, window, no_dialogs, tmp_path
):
    path = window.db_path
    count = _directive_count(path)
    backup.make_backup(path, reason="hang-ngay", now=YESTERDAY.replace(hour=8, minute=0))
    yesterday_exit = backup.make_backup(path, reason="khi-thoat", now=YESTERDAY.replace(hour=17, minute=5))
    backup.make_backup(path, reason="truoc-nhap", now=NOW - dt.timedelta(minutes=5))
    backup.make_backup(path, reason="hang-ngay", now=NOW - dt.timedelta(minutes=30))

    dialog = _open(window)
    assert dialog.windowTitle() == "Sao lưu và khôi phục"
    assert dialog.table.rowCount() == 4
    # Newest first, the reason in words, the counts and the size.
    assert [_cell(dialog, row, "Lý do") for row in range(4)] == [
        "Trước khi nhập",
        "Hằng ngày",
        "Khi thoát",
        "Hằng ngày",
    ]
    assert _cell(dialog, 2, "Ngày giờ") == f"{YESTERDAY:%d/%m/%Y} 17:05"
    assert _cell(dialog, 0, "Văn bản đến") == f"{count:,}".replace(",", ".")
    assert _cell(dialog, 0, "Nhiệm vụ").replace(".", "").isdigit()
    assert _cell(dialog, 2, "Dung lượng") == format_size(yesterday_exit.size)
    assert "văn bản đến" in dialog.current_label.text()
    # Yesterday's end-of-day backup is selected already: Khôi phục and the confirmation are enough.
    assert dialog.selected().path == yesterday_exit.path
    assert dialog.restore_button.isEnabled()
    assert dialog.hint.isVisible() and f"{YESTERDAY:%d/%m/%Y}" in dialog.hint.text()
    assert "khi-thoat" in dialog.details.text()
    dialog.resize(1000, 520)
    _shot(dialog, tmp_path, "backup-dialog.png")


def test_back_up_now_adds_a_row_and_the_folder_opens(qtbot, window, no_dialogs):
    dialog = _open(window)
    assert dialog.table.rowCount() == 0 and dialog.empty_label.isVisibleTo(dialog)
    assert not dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1
    assert _cell(dialog, 0, "Lý do") == "Sao lưu thủ công"
    assert dialog.selected().reason == "thu-cong" and dialog.selected().path.is_file()
    assert not dialog.empty_label.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert no_dialogs["opened"] == [window.db_path.parent / "backups"]


def test_a_copy_with_the_originals_goes_to_a_usb_stick(qtbot, window, no_dialogs, monkeypatch, tmp_path):
    from parclerk.ui.dialogs import messages

    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(messages, "save_file_name", lambda *args: str(usb / "sao-luu"))
    dialog = _open(window)
    qtbot.mouseClick(dialog.usb_button, Qt.MouseButton.LeftButton)
    made = usb / "sao-luu.zip"
    assert made.is_file()
    assert "Đã lưu bản sao lưu kèm" in no_dialogs["info"][-1] and str(made) in no_dialogs["info"][-1]
    assert dialog.table.rowCount() == 0  # not in the backup folder


# --- restoring ---------------------------------------------------------------------------------------


def test_restoring_brings_back_the_earlier_state_and_reloads_every_view(qtbot, window, no_dialogs):
    path = window.db_path
    count = _directive_count(path)
    earlier = backup.make_backup(path, reason="khi-thoat", now=YESTERDAY)
    _register_one(path, "901/PNV-SL")
    _register_one(path, "902/PNV-SL")
    window.runner.changed.emit(Changes(directives=True))
    window.show_view("register")
    old_register = window.register
    assert old_register.model.rowCount() == count + 2

    dialog = _open(window)
    assert dialog.selected().path == earlier.path  # preselected: yesterday's end of day
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    question = no_dialogs["ask"][-1]
    assert f"{YESTERDAY:%d/%m/%Y %H:%M}" in question and "(Khi thoát)" in question
    assert (
        "Dữ liệu hiện tại sẽ được sao lưu trước (bản “Trước khi khôi phục”) nên có thể quay lại" in question
    )
    assert _directive_count(path) == count
    # The views were rebuilt on a new connection: the register shows the restored state.
    register = window.register
    assert register is not old_register and register.model.rowCount() == count
    assert register.count_label.text().startswith(f"{count:,}".replace(",", "."))
    assert window.stack.currentWidget() is register
    report = no_dialogs["info"][-1]
    number = f"{count:,}".replace(",", ".")
    assert f"Văn bản đến: {f'{count + 2:,}'.replace(',', '.')} → {number}" in report
    assert "Trước khi khôi phục" in report
    # The state before it is the newest backup now, selected: undoing the restore is one more restore.
    assert dialog.table.rowCount() == 2
    assert dialog.selected().reason == "truoc-khoi-phuc"
    assert dialog.selected().counts["directives"] == count + 2
    assert no_dialogs["error"] == []
    # Other views work on the new connection too.
    window.show_view("tasks")
    assert window.tasks.model.rowCount() > 0

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)  # and back again
    assert _directive_count(path) == count + 2
    assert window.register.model.rowCount() == count + 2


def test_a_refused_file_leaves_the_database_and_the_views_working(
    qtbot, window, no_dialogs, monkeypatch, tmp_path
):
    from parclerk.ui.dialogs import messages

    not_a_backup = tmp_path / "khong-phai.sqlite"
    not_a_backup.write_bytes(b"just some bytes, not a database" * 10)
    monkeypatch.setattr(messages, "open_file_names", lambda *args: [str(not_a_backup)])
    count = _directive_count(window.db_path)
    dialog = _open(window)
    qtbot.mouseClick(dialog.file_button, Qt.MouseButton.LeftButton)
    assert "tệp “khong-phai.sqlite”" in no_dialogs["ask"][-1]
    assert "không phải là bản sao lưu" in no_dialogs["error"][-1]
    assert _directive_count(window.db_path) == count
    assert window.register.model.rowCount() == count
    assert dialog.backup_button.isEnabled()


def test_restoring_a_file_from_elsewhere(qtbot, window, no_dialogs, monkeypatch, tmp_path):
    from parclerk.ui.dialogs import messages

    path = window.db_path
    count = _directive_count(path)
    usb = backup.make_backup(path, reason="thu-cong", out=tmp_path / "usb.zip", with_files=True)
    _register_one(path, "903/PNV-SL")
    monkeypatch.setattr(messages, "open_file_names", lambda *args: [str(usb.path)])
    dialog = _open(window)
    qtbot.mouseClick(dialog.file_button, Qt.MouseButton.LeftButton)
    assert _directive_count(path) == count
    assert window.register.model.rowCount() == count
    assert "usb.zip" in no_dialogs["info"][-1]


# --- automatic backups, one window per database ------------------------------------------------------


def test_backups_before_an_import_at_most_every_ten_minutes(demo_path):
    first = auto_backup.before_import(demo_path, now=NOW)
    assert first is not None and first.name.endswith("-truoc-nhap.sqlite")
    assert auto_backup.before_import(demo_path, now=NOW + dt.timedelta(minutes=9)) is None
    assert auto_backup.before_import(demo_path, now=NOW + dt.timedelta(minutes=11)) is not None
    calls = []
    wrapped = auto_backup.backed_up(lambda db, x, y=0: calls.append((db, x, y)) or "done", demo_path)
    assert wrapped("db", 1, y=2) == "done" and calls == [("db", 1, 2)]


def test_the_app_locks_its_database_backs_up_daily_and_on_exit(qtbot, runner, demo_path, monkeypatch):
    from parclerk.ui import app

    monkeypatch.setattr(
        lock, "storage_warning", lambda path: "Cơ sở dữ liệu nằm trong thư mục đồng bộ OneDrive."
    )
    app.make_app()
    window = app.start(demo_path, runner, auto_backup=True)
    qtbot.addWidget(window)
    window.show()
    assert window.lock is not None and window.lock.held
    assert window.banner.isVisible() and "OneDrive" in window.banner_text.text()
    window.daily_backup()
    assert [info.reason for info in backup.list_backups(demo_path)] == ["hang-ngay"]
    window.daily_backup()  # once a day
    assert len(backup.list_backups(demo_path)) == 1
    window.close()  # nothing written in this session: today's backup holds it already
    assert [info.reason for info in backup.list_backups(demo_path)] == ["hang-ngay"]
    assert not window.lock.held
    lock.acquire(demo_path).release()  # free for the next start


def test_leftovers_of_a_crashed_copy_are_removed_after_the_first_paint(qtbot, runner, demo_path):
    import os
    import time

    from parclerk import paths
    from parclerk.ui import app

    leftover = paths.files_dir(demo_path) / ".incoming-k1ll3d"
    leftover.write_bytes(b"half")
    os.utime(leftover, (time.time() - 7200, time.time() - 7200))
    app.make_app()
    window = app.start(demo_path, runner, auto_backup=False)
    qtbot.addWidget(window)
    window.after_first_paint()
    assert not leftover.exists()
    window.close()


def test_the_backup_on_exit_after_a_change(qtbot, runner, demo_path):
    from parclerk.ui import app

    app.make_app()
    window = app.start(demo_path, runner, auto_backup=True)
    qtbot.addWidget(window)
    assert not window.banner.isVisibleTo(window)  # a local folder: no warning
    runner.changed.emit(Changes(directives=True))
    window.close()
    assert [info.reason for info in backup.list_backups(demo_path)] == ["khi-thoat"]


def test_a_second_instance_is_told_and_exits_with_code_1(qtbot, demo_path, no_dialogs, monkeypatch):
    from parclerk.ui import app

    monkeypatch.setattr(app, "setup_logging", lambda: None)
    held = lock.acquire(demo_path)
    try:
        assert app.run_gui(demo_path) == 1
    finally:
        held.release()
    (message,) = no_dialogs["error"]
    assert "đang được mở trong" in message
    assert message.endswith("parclerk chỉ mở một cửa sổ cho mỗi cơ sở dữ liệu để tránh mất dữ liệu.")


# --- unexpected errors -------------------------------------------------------------------------------


@pytest.fixture
def reporter(qtbot, monkeypatch):
    """The app's hooks installed for one test (pytest-qt's own are put back afterwards)."""
    from parclerk.ui.app import make_app

    make_app()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(crash, "_reporter", None)
    errors = crash.install(force=True)
    yield errors
    if errors.dialog is not None:
        errors.dialog.close()


def _raising_button(qtbot, make_error) -> QPushButton:
    button = QPushButton("Bấm")
    qtbot.addWidget(button)

    def boom() -> None:
        raise make_error()

    button.clicked.connect(boom)
    return button


def test_an_unexpected_error_shows_one_dialog_and_its_details_can_be_saved(
    qtbot, reporter, window, no_dialogs, monkeypatch, tmp_path, caplog
):
    from parclerk.ui.dialogs import messages

    button = _raising_button(qtbot, lambda: RuntimeError("hỏng ở đâu đó"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    dialog = reporter.dialog
    assert dialog.windowTitle() == "Đã xảy ra lỗi ngoài dự kiến"
    assert dialog.save_button.text() == "Lưu chi tiết…" and dialog.close_button.text() == "Đóng"
    assert "RuntimeError: hỏng ở đâu đó" in dialog.details
    assert f"Cơ sở dữ liệu: {window.db_path}" in dialog.details
    assert "Phiên bản parclerk:" in dialog.details and "Qt:" in dialog.details
    assert any("Unexpected error" in r.message and r.exc_info for r in caplog.records)  # in the log file

    # Another error while it is open, from a slot and from a thread: added to it, no second dialog.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    thread = threading.Thread(target=lambda: 1 / 0, name="thu-nghiem")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: dialog.more == 2)
    assert (
        reporter.dialog is dialog
        and "ZeroDivisionError" in dialog.details
        and "Luồng: thu-nghiem" in dialog.details
    )
    assert dialog.more_label.isVisible()
    dialog.resize(720, 440)
    _shot(dialog, tmp_path, "error-dialog.png")

    out = tmp_path / "chi-tiet.txt"
    monkeypatch.setattr(messages, "save_file_name", lambda *args: str(out))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = out.read_text(encoding="utf-8")
    assert "RuntimeError: hỏng ở đâu đó" in saved and str(window.db_path) in saved
    assert "ZeroDivisionError" in saved and "Traceback" in saved
    assert dialog.saved_label.isVisible()

    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert reporter.dialog is None
    # The same error straight again (a paint that keeps failing) is logged, not another dialog.
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.wait(20)
    assert reporter.dialog is None
    assert "lặp lại" in window.statusBar().currentMessage()
    assert window.isVisible()  # the app goes on


def test_a_known_error_escaping_a_slot_gets_its_plain_message(qtbot, reporter, window, no_dialogs):
    button = _raising_button(qtbot, lambda: ParclerkError("Ổ đĩa đã đầy."))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: no_dialogs["error"] == ["Ổ đĩa đã đầy."])
    assert reporter.dialog is None
