"""The Qt application: main window, start-up order, and the offscreen screenshot.

Start-up paints the main window's frame first (menus, navigation, status bar; the schema check uses plain
sqlite3), then its opening view (`build_opening`: the dashboard's skeleton and short lists, through the UI
thread's read-only connection), then everything else (the other views, filter lists, the worker's
sqlite-utils connection, the figures, the first-run profile dialog, the daily backup). Nothing on the frame's
path touches the `QtCore.Qt` namespace, whose first use costs 10-20 ms (PySide builds all its enums).

One window per database: `start` takes the database's lock (`data.lock`) before anything else and a
second instance is told so and ends. The window keeps the lock until it closes, after the backup on exit.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QLocale, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from parclerk import __version__, paths
from parclerk.data import db as dbmod
from parclerk.errors import ParclerkError
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner

if TYPE_CHECKING:
    from parclerk.queries import Changes

REMIND_EVERY_MS = 60 * 60 * 1000  # the reminder repeats every hour while the app is open
ONE_WINDOW = "parclerk chỉ mở một cửa sổ cho mỗi cơ sở dữ liệu để tránh mất dữ liệu."

log = logging.getLogger("parclerk.app")


# The main views: (name, title, module, class). Only the opening one is built before the first paint;
# the others on first use or right after the paint (each costs imports and Qt type set-up).
VIEW_SPECS = [
    ("dashboard", "Hôm nay", "parclerk.ui.views.dashboard", "DashboardView"),
    ("register", "Sổ văn bản đến", "parclerk.ui.views.register", "RegisterView"),
    ("tasks", "Nhiệm vụ", "parclerk.ui.views.tasks", "TasksView"),
    ("assessment", "Tự đánh giá", "parclerk.ui.views.assessment", "AssessmentView"),
    ("reports", "Báo cáo", "parclerk.ui.views.reports", "ReportsView"),
    ("collection", "Tổng hợp đơn vị", "parclerk.ui.views.collection", "CollectionView"),
]
VIEW_NAMES = [name for name, *_ in VIEW_SPECS]


class MainWindow(QMainWindow):
    def __init__(
        self, db_path: Path, runner: Runner, *, opening: str = "dashboard", auto_backup: bool = False
    ):
        super().__init__()
        self.db_path = Path(db_path)
        self.runner = runner
        self.conn = dbmod.connect(self.db_path, read_only=True)
        self.auto_backup = auto_backup  # daily and on exit; the app sets it, tests need not
        self.lock = None  # the database's DatabaseLock, released on close (set by `start`)
        self._wrote = False  # a write was broadcast in this session: the backup on exit is worth making
        self._closed = False
        from parclerk.ui import crash

        crash.set_db_path(self.db_path)
        self.setWindowTitle(f"parclerk — {self.db_path.name}")
        self._built: dict[str, QWidget] = {}
        self.reminder_text = ""
        self._after_paint_done = False
        self.stack = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setFixedWidth(136)
        self.nav.setStyleSheet("QListWidget { font-size: 10.5pt; } QListWidget::item { padding: 8px 4px; }")
        for _name, title, *_ in VIEW_SPECS:
            self.stack.addWidget(QWidget())  # a placeholder until the view is built
            self.nav.addItem(title)
        # The opening view is built after the first paint (`build_opening`): its imports, Qt types and first
        # queries are most of parclerk's own start-up. Until then its page is an empty placeholder.
        self.nav.setCurrentRow(VIEW_NAMES.index(opening))
        self.stack.setCurrentIndex(VIEW_NAMES.index(opening))
        self.nav.currentRowChanged.connect(self._switch)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self._build_banner()
        column.addWidget(self.banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        column.addLayout(row, 1)
        self.setCentralWidget(central)
        self.db_label = QLabel(str(self.db_path))
        self.statusBar().addPermanentWidget(self.db_label)
        self.reminder_timer = QTimer(self)
        self.reminder_timer.setInterval(REMIND_EVERY_MS)
        self.reminder_timer.timeout.connect(self.hourly)
        self._shortcuts: list[tuple[QAction, object]] = []
        self._build_menus()
        QTimer.singleShot(0, self._bind_shortcuts)
        runner.changed.connect(self.on_changes)
        runner.changed.connect(self._note_write)

    def _build_banner(self) -> None:
        """A yellow line above every view for what the clerk should know but need not answer (the database
        in a network or synced folder, a daily backup that failed); never a modal box. Filled on first use:
        its alignment and text flags are QtCore.Qt enums, which cost 10-20 ms the first time."""
        self.banner = QFrame()
        self.banner.setStyleSheet(
            "QFrame { background: #fff3b0; border: none; border-bottom: 1px solid #d4b100; }"
        )
        self.banner.hide()
        self.banner_text: QLabel | None = None

    def _fill_banner(self) -> QLabel:
        text = QLabel()
        text.setWordWrap(True)
        text.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setStyleSheet("font-weight: bold; border: none;")
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Ẩn thông báo này")
        close.setAutoRaise(True)
        close.clicked.connect(self.banner.hide)
        layout = QHBoxLayout(self.banner)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(QLabel("⚠"), 0, QtCore.Qt.AlignmentFlag.AlignTop)
        layout.addWidget(text, 1)
        layout.addWidget(close, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        self.banner_text = text
        return text

    def show_banner(self, text: str) -> None:
        """Add a line to the banner (a line already there is not repeated) and show it."""
        label = self.banner_text or self._fill_banner()
        lines = [line for line in label.text().split("\n") if line]
        if text not in lines:
            lines.append(text)
        label.setText("\n".join(lines))
        self.banner.show()

    def _note_write(self, _changes) -> None:
        self._wrote = True

    @property
    def views(self) -> list:
        """The views built so far, in menu order (one not built yet has nothing to refresh)."""
        return [self._built[name] for name in VIEW_NAMES if name in self._built]

    def view(self, name: str):
        """The named view, built on first use."""
        if name not in self._built:
            import importlib

            _, _title, module, cls = VIEW_SPECS[VIEW_NAMES.index(name)]
            view = getattr(importlib.import_module(module), cls)(self.runner, self.conn, self)
            index = VIEW_NAMES.index(name)
            placeholder = self.stack.widget(index)
            shown = self.stack.currentWidget() is placeholder
            self.stack.insertWidget(index, view)
            if shown:
                self.stack.setCurrentWidget(view)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            view.status_message.connect(self._status)
            self._built[name] = view
            if name == "dashboard":
                view.show_tasks.connect(self._show_tasks)
                view.show_register.connect(self._show_register)
                if self.reminder_text:
                    view.show_reminder(self.reminder_text)
            if self._after_paint_done and hasattr(view, "load_filter_choices"):
                view.load_filter_choices()
        return self._built[name]

    def _status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _switch(self, row: int) -> None:
        if 0 <= row < len(VIEW_NAMES):
            self.stack.setCurrentWidget(self.view(VIEW_NAMES[row]))

    @property
    def dashboard(self):
        return self.view("dashboard")

    @property
    def register(self):
        return self.view("register")

    @property
    def tasks(self):
        return self.view("tasks")

    def show_view(self, name: str) -> None:
        self.nav.setCurrentRow(VIEW_NAMES.index(name))

    def _show_register(self) -> None:
        self.show_view("register")

    def _show_tasks(self, filters: dict) -> None:
        self.show_view("tasks")
        self.tasks.show_filtered(**filters)

    def _build_menus(self) -> None:
        # Slots go through the properties, so a menu never builds a view before it is used.
        file_menu = self.menuBar().addMenu("&Tệp")
        self._action(
            file_menu,
            "Đăng ký văn bản đến mới…",
            lambda: self.register.new_directive(),
            QKeySequence.StandardKey.New,
        )
        self._action(file_menu, "Xuất sổ văn bản đến ra Excel…", lambda: self.register.export_register())
        self._action(file_menu, "In sổ văn bản đến…", lambda: self.register.print_register())
        self._action(
            file_menu,
            "Xuất Sổ theo dõi giải quyết văn bản đến ra Excel…",
            lambda: self.register.export_handling_log(),
        )
        self._action(
            file_menu, "In Sổ theo dõi giải quyết văn bản đến…", lambda: self.register.print_handling_log()
        )
        file_menu.addSeparator()
        self._action(file_menu, "Thêm nhiệm vụ…", self._new_task)
        self._action(file_menu, "Xuất danh sách nhiệm vụ ra Excel…", lambda: self.tasks.export_view())
        self._action(file_menu, "In danh sách kiểm tra nhiệm vụ…", lambda: self.tasks.print_view())
        file_menu.addSeparator()
        self._action(file_menu, "Sao lưu và khôi phục…", self.open_backups)
        self._action(file_menu, "Mở thư mục dữ liệu", self.open_data_folder)
        file_menu.addSeparator()
        self._action(file_menu, "Thoát", self.close, QKeySequence("Ctrl+Q"))
        go = self.menuBar().addMenu("&Xem")
        for number, (name, title, *_) in enumerate(VIEW_SPECS, start=1):
            self._action(
                go, title, lambda _checked=False, n=name: self.show_view(n), QKeySequence(f"Ctrl+{number}")
            )
        tools = self.menuBar().addMenu("&Công cụ")
        self._action(tools, "Thông tin đơn vị…", self.edit_profile)
        self._action(tools, "Danh sách đơn vị (phòng ban, bộ phận)…", self.edit_units)
        self._action(tools, "Cài đặt theo dõi nhiệm vụ…", self.edit_tracking)
        tools.addSeparator()
        self._action(tools, "Nhật ký thay đổi…", self.open_change_log)
        help_menu = self.menuBar().addMenu("Trợ &giúp")
        self._action(help_menu, "Giới thiệu parclerk", self.about)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            self._shortcuts.append((action, shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _bind_shortcuts(self) -> None:
        """The menus' keyboard shortcuts, set once the event loop runs (just after the first paint): the first
        shortcut set makes PySide build every QtCore.Qt enum, 10-20 ms."""
        for action, shortcut in self._shortcuts:
            action.setShortcut(shortcut)
        self._shortcuts.clear()
        # Ctrl+E and Ctrl+P export or print what is on screen: the task list there, else the register.
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self._export_current)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self._print_current)

    def edit_units(self) -> None:
        from parclerk.ui.dialogs.units_dialog import UnitsDialog

        UnitsDialog(self.runner, self).open()

    def edit_tracking(self) -> None:
        from parclerk.services.tasks import get_tracking_settings

        def show(settings) -> None:
            from parclerk.ui.dialogs.tracking_dialog import TrackingDialog

            TrackingDialog(self.runner, settings, self).open()

        self.runner.run_query(self, get_tracking_settings, on_done=show)

    def _current_is_tasks(self) -> bool:
        return "tasks" in self._built and self.stack.currentWidget() is self._built["tasks"]

    def _export_current(self) -> None:
        (self.tasks.export_view if self._current_is_tasks() else self.register.export_register)()

    def _print_current(self) -> None:
        (self.tasks.print_view if self._current_is_tasks() else self.register.print_register)()

    def _new_task(self) -> None:
        self.show_view("tasks")
        self.tasks.new_task()

    def build_opening(self) -> None:
        """The view the window opened on (the dashboard), built and painted."""
        self._switch(self.nav.currentRow())
        self.repaint()

    def after_first_paint(self) -> None:
        """Work the first paint does not need: the opening view (painted at once), then the other views,
        filter lists, the worker connection, this period's work items of recurring duties, the dashboard's
        figures, the reminder, first-run questions."""
        self.build_opening()
        self.runner.warm_up()
        from PySide6.QtGui import QIcon

        # The window and taskbar icon (the exe's own icon is not one Qt finds): 4 ms, so after the first paint.
        QApplication.instance().setWindowIcon(QIcon(str(paths.resource_path("icons", "parclerk.ico"))))
        from parclerk.services.settings import get_profile
        from parclerk.services.tasks import ensure_items

        self._after_paint_done = True
        self.runner.run_op(self, ensure_items, on_done=self._items_ensured)
        self.dashboard.refresh()
        for name in VIEW_NAMES:  # build the other views now, off the first paint's path
            view = self.view(name)
            if hasattr(view, "load_filter_choices"):
                view.load_filter_choices()
        self.remind()
        self.reminder_timer.start()
        self.runner.run_query(self, get_profile, on_done=self._check_profile)
        if self.auto_backup:  # queued behind the work above, on the worker thread
            QTimer.singleShot(0, self.daily_backup)
        self.runner.run_job(self, _remove_incoming, self.db_path, on_done=_log_removed)

    def _items_ensured(self, added: int) -> None:
        if added:  # a new period began: its work items are new rows everywhere
            from parclerk.queries import Changes

            self.runner.changed.emit(Changes(tasks=True))

    def hourly(self) -> None:
        """The date may have moved on: new periods' work items, then the reminder again."""
        from parclerk.queries import Changes
        from parclerk.services.tasks import ensure_items

        self.runner.run_op(self, ensure_items, on_done=self._items_ensured)
        for view in self.views:  # "today" may be another day now: states and counts move with it
            view.on_changes(Changes(tasks=True))
        self.remind()
        if self.auto_backup:  # a new day: its backup
            self.daily_backup()

    # --- backups ---------------------------------------------------------------------------------
    def daily_backup(self) -> None:
        """The day's backup (then the rotation) when none was made today, off the UI thread."""
        from parclerk.services.backup import backup_if_due

        self.runner.run_job(
            self, backup_if_due, self.db_path, on_done=self._daily_done, on_error=self._daily_failed
        )

    def _daily_done(self, info) -> None:
        if info is not None:
            log.info("Daily backup: %s", info.path)
            self.statusBar().showMessage("Đã sao lưu dữ liệu hằng ngày.", 8000)

    def _daily_failed(self, error: ParclerkError) -> bool:
        log.warning("Daily backup failed: %s", error.message)
        self.show_banner(f"Chưa sao lưu hằng ngày được: {error.message}")
        return True

    def open_change_log(self):
        """Công cụ → Nhật ký thay đổi: every recorded change, newest first, by kind of record."""
        from parclerk.ui.dialogs.history_dialog import HistoryDialog

        dialog = HistoryDialog(self.runner, "Nhật ký thay đổi", None, self)
        dialog.open()
        return dialog

    def open_backups(self):
        """Tệp → Sao lưu và khôi phục…"""
        from parclerk.ui.dialogs.backup_dialog import BackupDialog

        dialog = BackupDialog(self, self)
        dialog.open()
        return dialog

    def restore_from(
        self,
        source: Path,
        parent: QWidget,
        on_done: Callable[[object, str], None],
        on_failed: Callable[[], None] | None = None,
    ) -> None:
        """Replace the database with the backup `source`: wait for the work under way, close every connection
        and view, restore (the service keeps the current state as a "truoc-khoi-phuc" backup first), bring an
        older backup's schema up to date, then reopen and rebuild every view.

        `on_done(result, problem)` gets the RestoreResult and '' or what went wrong after the swap; a refusal
        is shown here (the database is left as it was) and `on_failed` called."""
        self.reminder_timer.stop()
        self.runner.close_connections()  # the work under way finishes
        QApplication.processEvents()  # and its results reach the views while they have their connection
        self._tear_down_views()
        self.conn.close()
        self.runner.close_connections()  # again: delivering those results may have opened it

        def job(db_path: Path, backup_path: Path):
            from parclerk.services import backup

            try:
                result = backup.restore(db_path, backup_path)
            except BaseException as exc:  # noqa: BLE001 - handed back below, after the views are back
                return None, exc
            try:
                dbmod.ensure_current(db_path)  # a backup made by an older parclerk
            except ParclerkError as exc:
                return result, exc
            return result, None

        def finished(outcome) -> None:
            result, exc = outcome
            self.conn = dbmod.connect(self.db_path, read_only=True)
            self._rebuild_views()
            if result is not None:
                self._wrote = True  # the backup on exit keeps the restored state
                log.info("Restored %s (safety backup %s)", source, result.safety_backup)
                on_done(result, exc.message if isinstance(exc, ParclerkError) else "")
                if exc is not None and not isinstance(exc, ParclerkError):
                    self._report(parent, exc)
                return
            self._report(parent, exc)
            if on_failed is not None:
                on_failed()

        self.runner.run_job(
            parent, job, self.db_path, Path(source), on_done=finished, label="Đang khôi phục dữ liệu…"
        )

    def _report(self, parent: QWidget, exc: BaseException) -> None:
        import sqlite3

        from parclerk.errors import from_sqlite

        if isinstance(exc, sqlite3.Error):
            mapped = from_sqlite(exc)
            exc = mapped if isinstance(mapped, ParclerkError) else exc
        if isinstance(exc, ParclerkError):
            messages.error(parent, "Chưa khôi phục được", exc.message)
        else:
            log.error("Unexpected error while restoring", exc_info=exc)
            messages.bug_report(parent, exc)

    def _tear_down_views(self) -> None:
        """Every built view goes (each holds the connection that is about to close); placeholders stay."""
        for name in list(self._built):
            view = self._built.pop(name)
            index = VIEW_NAMES.index(name)
            self.stack.insertWidget(index, QWidget())
            self.stack.removeWidget(view)
            view.deleteLater()
        self.stack.setCurrentIndex(max(self.nav.currentRow(), 0))

    def _rebuild_views(self) -> None:
        """The views again, on the new connection, as after the first paint."""
        self._switch(self.nav.currentRow())
        if not self._after_paint_done:
            return
        from parclerk.services.settings import get_profile
        from parclerk.services.tasks import ensure_items

        self.runner.run_op(self, ensure_items, on_done=self._items_ensured)
        for name in VIEW_NAMES:
            self.view(name)
        self.dashboard.refresh()
        self.remind()
        self.reminder_timer.start()
        self.runner.run_query(
            self,
            get_profile,
            on_done=lambda p: self.setWindowTitle(f"parclerk — {p.unit_name or self.db_path.name}"),
        )

    def remind(self) -> None:
        from parclerk.services.tasks import reminder

        self.runner.run_query(self, reminder, on_done=self._show_reminder)

    def _show_reminder(self, reminder) -> None:
        """A line in the status bar and a banner on the dashboard; never a modal box."""
        parts = []
        if reminder.due_soon:
            parts.append(f"{reminder.due_soon} nhiệm vụ đến hạn trong {reminder.within_days} ngày tới")
        if reminder.overdue:
            parts.append(f"{reminder.overdue} nhiệm vụ quá hạn")
        text = f"Có {', '.join(parts)}." if parts else ""
        self.reminder_text = text
        if text:
            self.statusBar().showMessage(text)
        if "dashboard" in self._built:
            self._built["dashboard"].show_reminder(text)

    def _check_profile(self, profile) -> None:
        self.setWindowTitle(f"parclerk — {profile.unit_name or self.db_path.name}")
        if profile.is_empty:
            self.edit_profile(first_run=True)

    def edit_profile(self, first_run: bool = False) -> None:
        from parclerk.services.settings import get_profile
        from parclerk.ui.dialogs.settings_dialog import SettingsDialog

        def show(profile) -> None:
            SettingsDialog(self.runner, profile, self, first_run=first_run).open()

        self.runner.run_query(self, get_profile, on_done=show)

    def on_changes(self, changes: Changes) -> None:
        for view in self.views:
            view.on_changes(changes)
        dashboard = self._built.get("dashboard")
        if (changes.tasks or changes.settings) and dashboard is not None and dashboard.banner.isVisible():
            self.remind()  # keep the banner's figures true until the clerk hides it
        if changes.settings:
            from parclerk.services.settings import get_profile

            self.runner.run_query(
                self, get_profile, on_done=lambda p: self.setWindowTitle(f"parclerk — {p.unit_name}")
            )

    def open_data_folder(self) -> None:
        messages.open_path(self.db_path.parent)

    def about(self) -> None:
        messages.info(
            self,
            "Giới thiệu parclerk",
            f"parclerk {__version__}\nSổ văn bản đến, theo dõi nhiệm vụ và Chỉ số cải cách hành chính "
            f"cho văn thư UBND xã, phường.\n\nCơ sở dữ liệu: {self.db_path}",
        )

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self._closed:
            self._closed = True
            self.reminder_timer.stop()
            self.runner.shutdown()
            self.conn.close()
            if self.auto_backup:
                self._backup_on_exit()
            if self.lock is not None:
                self.lock.release()
        super().closeEvent(event)

    def _backup_on_exit(self) -> None:
        """The "khi-thoat" backup, on the closed database (a consistent copy), then the rotation."""
        from parclerk.ui import auto_backup

        QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            auto_backup.on_exit(self.db_path, wrote=self._wrote)
        except ParclerkError as exc:
            log.warning("Backup on exit failed: %s", exc.message)
            QApplication.restoreOverrideCursor()
            messages.error(
                self, "Chưa sao lưu được khi thoát", f"{exc.message}\n\nDữ liệu đã lưu không bị ảnh hưởng."
            )
            return
        except Exception:  # noqa: BLE001 - leaving: logged, nothing else to do
            log.exception("Backup on exit failed")
        QApplication.restoreOverrideCursor()


_crash_file = None  # faulthandler's file, open for the app's life


def _rotate_at_start(log: Path, *, max_bytes: int, keep: int) -> None:
    """parclerk.log becomes parclerk.log.1 (… .1 becomes .2, up to `keep`) once it has grown past `max_bytes`.
    Checked at start only: logging.handlers.RotatingFileHandler would cost its import (socket, pickle, queue:
    5 ms of start-up), and a session does not write a megabyte of log."""
    try:
        if log.stat().st_size < max_bytes:
            return
        for n in range(keep - 1, 0, -1):
            older = log.with_name(f"{log.name}.{n}")
            if older.exists():
                os.replace(older, log.with_name(f"{log.name}.{n + 1}"))
        os.replace(log, log.with_name(f"{log.name}.1"))
    except OSError:
        pass  # no log yet, or a file in use: log on into the same file


def setup_logging() -> None:
    """Log to a rotating file in the data folder's logs/ (the Windows bundle has no console): parclerk.log,
    and crash.log for what faulthandler writes when the interpreter itself dies."""
    import faulthandler

    global _crash_file
    for name in ("stdout", "stderr"):  # None in the windowed exe: anything printed would fail
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the app's life
    folder = paths.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _rotate_at_start(folder / "parclerk.log", max_bytes=1_000_000, keep=5)
        handler: logging.Handler = logging.FileHandler(folder / "parclerk.log", encoding="utf-8")
        if not faulthandler.is_enabled():
            _crash_file = open(folder / "crash.log", "a", encoding="utf-8")  # noqa: SIM115
            faulthandler.enable(file=_crash_file)
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def _remove_incoming(db_path: Path) -> int:
    """Temporary copies of originals left by a crash, removed after the first paint."""
    from parclerk import paths
    from parclerk.services.attachments import remove_incoming

    return remove_incoming(paths.files_dir(db_path))


def _log_removed(count: int) -> None:
    if count:
        log.info("Removed %d temporary leftovers from the files folder", count)


def make_app(argv: list[str] | None = None) -> QApplication:
    from parclerk.ui.qt_fixes import guard_none_refcount

    guard_none_refcount()
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    app.setApplicationName("parclerk")
    app.setApplicationDisplayName("parclerk")
    from parclerk.ui.qt_strings import VietnameseQtStrings

    translator = VietnameseQtStrings(app)
    app.installTranslator(translator)
    from parclerk.ui import crash

    crash.install()  # an unexpected error: logged, then a dialog; the app goes on (not over a test's hook)
    return app


def open_window(db_path: Path, runner: Runner | None = None, *, auto_backup: bool = False) -> MainWindow:
    dbmod.ensure_current(db_path)
    return MainWindow(db_path, runner or Runner(db_path), auto_backup=auto_backup)


def start(db_path: Path, runner: Runner | None = None, *, auto_backup: bool = True) -> MainWindow | None:
    """Lock the database, bring it up to date and open its window; None (the clerk was told why) when it is
    open in another parclerk or cannot be opened. A database in a network or synced folder gets a warning."""
    from parclerk.data import lock

    db_path = Path(db_path)
    try:
        held = lock.acquire(db_path)
    except lock.LockedError as exc:
        log.warning("Database is locked: %s (holder %s)", db_path, exc.holder)
        messages.error(None, "Cơ sở dữ liệu đang được mở", f"{exc.message}\n\n{ONE_WINDOW}")
        return None
    except ParclerkError as exc:
        log.warning("Cannot lock %s: %s", db_path, exc.message)
        messages.error(None, "Không mở được dữ liệu", exc.message)
        return None
    try:
        window = open_window(db_path, runner, auto_backup=auto_backup)
    except ParclerkError as exc:
        held.release()
        messages.error(None, "Không mở được dữ liệu", exc.message)
        return None
    except BaseException:
        held.release()
        raise
    window.lock = held
    warning = lock.storage_warning(db_path)
    if warning:
        log.warning("Storage: %s", warning)
        window.show_banner(warning)
    return window


def run_gui(db_path: Path) -> int:
    setup_logging()
    app = make_app()
    window = start(db_path)
    if window is None:
        return 1
    window.resize(1366, 768)
    window.show()
    window.repaint()  # now, before the queued work below: a platform may deliver its paint event last
    if os.environ.get("PARCLERK_QUIT_AFTER_PAINT"):
        # Benchmarks and smoke tests: say when (epoch seconds) the window painted and when its opening view
        # did, and quit (no backup on the way out).
        import time

        print(f"painted {time.time():.6f}", flush=True)
        window.auto_backup = False
        QTimer.singleShot(0, lambda: _opened_then_quit(window, app))
        return app.exec()
    QTimer.singleShot(0, window.after_first_paint)
    return app.exec()


def _opened_then_quit(window: MainWindow, app: QApplication) -> None:
    import time

    window.build_opening()
    print(f"opened {time.time():.6f}", flush=True)
    app.quit()


def screenshot(db_path: Path, view: str, out: Path, size: tuple[int, int]) -> None:
    """Render a main view offscreen to a PNG, as the clerk would see it (after-first-paint work included)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from parclerk.ui.runner import ImmediateExecutor

    app = make_app()
    db_path = Path(db_path)
    window = open_window(db_path, Runner(db_path, executor=ImmediateExecutor()))
    window.resize(*size)
    window.show_view(view)
    window.show()
    window.after_first_paint()
    for _ in range(5):
        app.processEvents()
    shown = window.view(view)
    table = getattr(shown, "table", None)
    if table is not None and table.model().rowCount():
        table.selectRow(0)
    app.processEvents()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise ParclerkError(f"Không lưu được ảnh vào “{out}”.")
    window.close()
    app.processEvents()
