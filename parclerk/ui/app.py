"""The Qt application: main window, start-up order, and the offscreen screenshot.

Start-up paints the main window first: the schema check uses plain sqlite3, the register reads ids
and one page through the UI thread's read-only connection, and everything else (filter lists, the
worker's sqlite-utils connection, the first-run profile dialog) waits until after the first paint.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QMainWindow, QSplitter, QStackedWidget

from parclerk import __version__, paths
from parclerk.data import db as dbmod
from parclerk.errors import ParclerkError
from parclerk.models import Changes
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner


class MainWindow(QMainWindow):
    def __init__(self, db_path: Path, runner: Runner):
        super().__init__()
        from parclerk.ui.views.register import RegisterView

        self.db_path = Path(db_path)
        self.runner = runner
        self.conn = dbmod.connect(self.db_path, read_only=True)
        self.setWindowTitle(f"parclerk — {self.db_path.name}")
        self.views = [RegisterView(runner, self.conn, self)]
        self.stack = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setMaximumWidth(200)
        for view in self.views:
            self.stack.addWidget(view)
            self.nav.addItem(view.title)
            view.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.nav.setVisible(len(self.views) > 1)  # a menu of one is noise; later views join it
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.db_label = QLabel(str(self.db_path))
        self.statusBar().addPermanentWidget(self.db_label)
        self._build_menus()
        runner.changed.connect(self.on_changes)

    @property
    def register(self):
        return self.views[0]

    def _build_menus(self) -> None:
        register = self.register
        file_menu = self.menuBar().addMenu("&Tệp")
        self._action(
            file_menu, "Đăng ký văn bản đến mới…", register.new_directive, QKeySequence.StandardKey.New
        )
        self._action(
            file_menu, "Xuất sổ văn bản đến ra Excel…", register.export_register, QKeySequence("Ctrl+E")
        )
        self._action(file_menu, "In sổ văn bản đến…", register.print_register, QKeySequence.StandardKey.Print)
        file_menu.addSeparator()
        self._action(file_menu, "Mở thư mục dữ liệu", self.open_data_folder)
        file_menu.addSeparator()
        self._action(file_menu, "Thoát", self.close, QKeySequence("Ctrl+Q"))
        tools = self.menuBar().addMenu("&Công cụ")
        self._action(tools, "Thông tin đơn vị…", self.edit_profile)
        help_menu = self.menuBar().addMenu("Trợ &giúp")
        self._action(help_menu, "Giới thiệu parclerk", self.about)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def after_first_paint(self) -> None:
        """Work the first paint does not need: filter lists, the worker connection, first-run questions."""
        self.register.load_filter_choices()
        self.runner.warm_up()
        from parclerk.services.settings import get_profile

        self.runner.run_query(self, get_profile, on_done=self._check_profile)

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
        if changes.settings:
            from parclerk.services.settings import get_profile

            self.runner.run_query(
                self, get_profile, on_done=lambda p: self.setWindowTitle(f"parclerk — {p.unit_name}")
            )

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.db_path.parent)))

    def about(self) -> None:
        messages.info(
            self,
            "Giới thiệu parclerk",
            f"parclerk {__version__}\nSổ văn bản đến, theo dõi nhiệm vụ và Chỉ số cải cách hành chính "
            f"cho văn thư UBND xã, phường.\n\nCơ sở dữ liệu: {self.db_path}",
        )

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
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
    """Render a main view offscreen to a PNG, as the clerk would see it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_app()
    window = open_window(Path(db_path))
    window.resize(*size)
    index = {"register": 0}[view]
    window.nav.setCurrentRow(index)
    window.show()
    window.after_first_paint()
    for _ in range(5):
        app.processEvents()
    table = window.register.table
    if window.register.model.rowCount():
        table.selectRow(0)
    app.processEvents()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise ParclerkError(f"Không lưu được ảnh vào “{out}”.")
    window.close()
    app.processEvents()
