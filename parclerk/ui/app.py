"""The Qt application: main window, start-up order, and the offscreen screenshot.

Start-up paints the main window first: the schema check uses plain sqlite3, the register reads ids
and one page through the UI thread's read-only connection, and everything else (filter lists, the
worker's sqlite-utils connection, the first-run profile dialog) waits until after the first paint.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from parclerk import __version__, paths
from parclerk.data import db as dbmod
from parclerk.errors import ParclerkError
from parclerk.queries import Changes
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner

REMIND_EVERY_MS = 60 * 60 * 1000  # the reminder repeats every hour while the app is open


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
    def __init__(self, db_path: Path, runner: Runner, *, opening: str = "dashboard"):
        super().__init__()
        self.db_path = Path(db_path)
        self.runner = runner
        self.conn = dbmod.connect(self.db_path, read_only=True)
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
        self.nav.currentRowChanged.connect(self._switch)
        self.nav.setCurrentRow(VIEW_NAMES.index(opening))
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.db_label = QLabel(str(self.db_path))
        self.statusBar().addPermanentWidget(self.db_label)
        self.reminder_timer = QTimer(self)
        self.reminder_timer.setInterval(REMIND_EVERY_MS)
        self.reminder_timer.timeout.connect(self.hourly)
        self._build_menus()
        runner.changed.connect(self.on_changes)

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
            self.stack.insertWidget(index, view)
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
        # Ctrl+E and Ctrl+P export or print what is on screen: the task list there, else the register.
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self._export_current)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self._print_current)
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
        help_menu = self.menuBar().addMenu("Trợ &giúp")
        self._action(help_menu, "Giới thiệu parclerk", self.about)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

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

    def after_first_paint(self) -> None:
        """Work the first paint does not need: filter lists, the worker connection, this period's work items
        of recurring duties, the dashboard's figures, the reminder, first-run questions."""
        self.runner.warm_up()
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

    def _items_ensured(self, added: int) -> None:
        if added:  # a new period began: its work items are new rows everywhere
            self.runner.changed.emit(Changes(tasks=True))

    def hourly(self) -> None:
        """The date may have moved on: new periods' work items, then the reminder again."""
        from parclerk.services.tasks import ensure_items

        self.runner.run_op(self, ensure_items, on_done=self._items_ensured)
        for view in self.views:  # "today" may be another day now: states and counts move with it
            view.on_changes(Changes(tasks=True))
        self.remind()

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
        self.reminder_timer.stop()
        self.runner.shutdown()
        self.conn.close()
        super().closeEvent(event)


def setup_logging() -> None:
    """Log to a rotating file in the data folder: the Windows bundle has no console."""
    import logging
    import logging.handlers

    folder = paths.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "parclerk.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


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
    return app


def open_window(db_path: Path, runner: Runner | None = None) -> MainWindow:
    dbmod.ensure_current(db_path)
    return MainWindow(db_path, runner or Runner(db_path))


def run_gui(db_path: Path) -> int:
    app = make_app()
    try:
        window = open_window(db_path)
    except ParclerkError as exc:
        messages.error(None, "Không mở được dữ liệu", exc.message)
        return 1
    window.resize(1366, 768)
    window.show()
    if os.environ.get("PARCLERK_QUIT_AFTER_PAINT"):
        # Benchmarks and smoke tests: paint, say when (epoch seconds), and quit.
        QTimer.singleShot(0, lambda: _painted_then_quit(window, app))
        return app.exec()
    QTimer.singleShot(0, setup_logging)
    QTimer.singleShot(0, window.after_first_paint)
    return app.exec()


def _painted_then_quit(window: MainWindow, app: QApplication) -> None:
    import time

    window.repaint()
    print(f"painted {time.time():.6f}", flush=True)
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
