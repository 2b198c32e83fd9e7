"""Unexpected errors: logged to the rotating log file, then shown in one Vietnamese dialog with a way to save
the details; the app keeps running.

`install` points `sys.excepthook` (an exception in a Qt slot, a timer, a paint) and `threading.excepthook`
(a thread of ours) at one `ErrorReporter`. The hook only logs and posts the error to the UI thread; the dialog
opens from the event loop, never from inside the paint or slot that failed. While a dialog is open, further
errors are added to it instead of opening another; the same error again within a few seconds of closing it
is only logged and said in the status bar, so an error that repeats on every paint cannot lock the clerk
in a loop of dialogs. A known error (ParclerkError) that escapes a slot gets its plain message, as the
runner gives it.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import threading
import time
import traceback
from pathlib import Path
from types import TracebackType

from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parclerk import __version__

log = logging.getLogger("parclerk.crash")

TITLE = "Đã xảy ra lỗi ngoài dự kiến"
EXPLANATION = (
    "parclerk gặp một lỗi ngoài dự kiến. Dữ liệu đã lưu trước đó không bị ảnh hưởng; thao tác vừa rồi có thể "
    "chưa được thực hiện. Bạn có thể tiếp tục làm việc.\n"
    "Hãy bấm “Lưu chi tiết…” và gửi tệp đó cho người hỗ trợ kỹ thuật."
)
QUIET_SECONDS = 10.0  # the same error again this soon after its dialog was closed: logged only

_db_path: Path | None = None  # named in the details; set by the main window


def set_db_path(path: Path | None) -> None:
    global _db_path
    _db_path = Path(path) if path is not None else None


def details_text(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    thread: str = "",
    when: dt.datetime | None = None,
) -> str:
    """What a supporter needs: versions, the database, the time and the traceback (plain text)."""
    import platform  # only when there is something to report (2 ms of start-up)

    try:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        qt = f"{qVersion()} (PySide6 {pyside_version})"
    except Exception:  # noqa: BLE001 - the report must not fail for want of a version
        qt = "?"
    lines = [
        "parclerk — chi tiết lỗi ngoài dự kiến",
        f"Thời điểm: {(when or dt.datetime.now()).isoformat(sep=' ', timespec='seconds')}",
        f"Phiên bản parclerk: {__version__}",
        f"Python: {platform.python_version()} ({platform.python_implementation()}, {platform.architecture()[0]})",
        f"Qt: {qt}",
        f"Hệ điều hành: {platform.platform()}",
        f"Cơ sở dữ liệu: {_db_path if _db_path is not None else '(chưa mở)'}",
    ]
    if thread:
        lines.append(f"Luồng: {thread}")
    lines.append("")
    lines.append("".join(traceback.format_exception(exc_type, exc, tb)).rstrip())
    return "\n".join(lines) + "\n"


def _signature(exc_type: type[BaseException], tb: TracebackType | None) -> tuple:
    """The same error from the same place: its type and the line it was raised on."""
    frames = traceback.extract_tb(tb) if tb is not None else []
    last = frames[-1] if frames else None
    return (exc_type.__qualname__, last.filename if last else "", last.lineno if last else 0)


class ErrorDialog(QDialog):
    """The dialog "Đã xảy ra lỗi ngoài dự kiến": what happened in plain words, the details, Lưu chi tiết… and Đóng."""

    def __init__(self, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.details = details
        self.more = 0
        layout = QVBoxLayout(self)
        heading = QLabel(TITLE)
        heading.setStyleSheet("font-size: 12pt; font-weight: bold; color: #b00020;")
        layout.addWidget(heading)
        text = QLabel(EXPLANATION)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.more_label = QLabel()
        self.more_label.setStyleSheet("color: #8a5a00;")
        self.more_label.hide()
        layout.addWidget(self.more_label)
        self.view = QPlainTextEdit(details)
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.view.setStyleSheet("font-family: monospace; font-size: 9pt;")
        layout.addWidget(self.view, 1)
        self.saved_label = QLabel()
        self.saved_label.setWordWrap(True)
        self.saved_label.hide()
        layout.addWidget(self.saved_label)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("Lưu chi tiết…")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setDefault(True)
        self.save_button.clicked.connect(self.save_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 440)

    def add_error(self, details: str) -> None:
        """Another error while this one is open: appended, not a second dialog."""
        self.more += 1
        self.details += f"\n\n——— Lỗi tiếp theo ({self.more}) ———\n\n{details}"
        self.view.setPlainText(self.details)
        self.more_label.setText(f"Sau đó còn {self.more} lỗi nữa (chi tiết ở cuối khung dưới đây).")
        self.more_label.show()

    def save_details(self) -> Path | None:
        from parclerk.ui.dialogs import messages

        suggested = f"parclerk-loi-{dt.datetime.now():%Y%m%d-%H%M%S}.txt"
        name = messages.save_file_name(self, "Lưu chi tiết lỗi", suggested, "Tệp văn bản (*.txt)")
        if not name:
            return None
        path = Path(name)
        try:
            path.write_text(self.details, encoding="utf-8")
        except OSError as exc:
            messages.error(self, "Chưa lưu được", f"Không ghi được tệp “{path}” ({exc.strerror or exc}).")
            return None
        self.saved_label.setText(f"Đã lưu chi tiết lỗi vào “{path}”.")
        self.saved_label.show()
        return path


class ErrorReporter(QObject):
    """Receives the errors from the hooks (any thread) and shows them on the UI thread, one dialog at a time."""

    _posted = Signal(object, object, object, str)  # (type, exception, traceback, thread name)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.dialog: ErrorDialog | None = None
        self._busy = False  # a known error's message box is open
        self._quiet: dict[tuple, float] = {}
        self._connect_lock = threading.Lock()
        self._connected = False

    # --- the hooks -------------------------------------------------------------------------------
    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb)

    def threading_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else ""
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, thread=name)

    def handle(self, exc_type, exc, tb, *, thread: str = "") -> None:
        """Log at once (whatever happens next, the log has it), then show it from the event loop."""
        from parclerk.errors import ParclerkError

        if not issubclass(exc_type, ParclerkError):
            where = f" in thread {thread}" if thread else ""
            log.error("Unexpected error%s", where, exc_info=(exc_type, exc, tb))
        with self._connect_lock:  # connected on the first error: QtCore.Qt costs 10-20 ms of start-up
            if not self._connected:
                self._posted.connect(self._show, QtCore.Qt.ConnectionType.QueuedConnection)
                self._connected = True
        self._posted.emit(exc_type, exc, tb, thread)

    # --- on the UI thread ------------------------------------------------------------------------
    def _show(self, exc_type, exc, tb, thread: str) -> None:
        from parclerk.errors import ParclerkError

        try:
            if isinstance(exc, ParclerkError):
                self._known(exc)
            else:
                self.show_error(exc_type, exc, tb, thread=thread)
        except Exception:  # noqa: BLE001 - raising here would come back through the hook, again and again
            log.exception("Could not show the error dialog")

    def show_error(self, exc_type, exc, tb, *, thread: str = "", parent: QWidget | None = None) -> None:
        from shiboken6 import isValid

        details = details_text(exc_type, exc, tb, thread=thread)
        if self.dialog is not None and not isValid(self.dialog):
            self.dialog = None  # went with its parent
        if self.dialog is not None:
            self.dialog.add_error(details)
            return
        signature = _signature(exc_type, tb)
        if self._quiet.get(signature, 0.0) > time.monotonic():
            _status(parent, "Lỗi ngoài dự kiến lặp lại (đã ghi vào tệp nhật ký).")
            return
        # On the main window, not on the dialog or view that failed: that one may be closed and deleted.
        dialog = ErrorDialog(details, _main_window(parent))
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setModal(True)
        dialog.finished.connect(lambda _result: self._closed(signature))
        self.dialog = dialog
        dialog.show()

    def _closed(self, signature: tuple) -> None:
        self.dialog = None
        self._quiet[signature] = time.monotonic() + QUIET_SECONDS

    def _known(self, exc) -> None:
        from parclerk.errors import ValidationError
        from parclerk.ui.dialogs import messages

        if self._busy or self.dialog is not None:
            _status(None, exc.message)
            return
        self._busy = True
        try:
            title = "Dữ liệu chưa hợp lệ" if isinstance(exc, ValidationError) else "Không thực hiện được"
            messages.error(_main_window(), title, exc.message)
        finally:
            self._busy = False


def _main_window(near: QWidget | None = None) -> QWidget | None:
    """The main window (of `near` when given), else the active window."""
    from PySide6.QtWidgets import QMainWindow

    if QApplication.instance() is None:
        return None
    widget = near
    while widget is not None:
        if isinstance(widget, QMainWindow):
            return widget
        widget = widget.parentWidget()
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    return windows[0] if windows else QApplication.activeWindow()


def _status(parent: QWidget | None, text: str) -> None:
    from PySide6.QtWidgets import QMainWindow

    window = _main_window(parent)
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 8000)


_reporter: ErrorReporter | None = None


def reporter() -> ErrorReporter:
    """The application's one reporter (made on first use; needs the QApplication)."""
    global _reporter
    if _reporter is None:
        _reporter = ErrorReporter(QApplication.instance())
    return _reporter


def install(*, force: bool = False) -> ErrorReporter | None:
    """Point sys.excepthook and threading.excepthook at the reporter. Leaves alone a hook someone else put
    there (a test harness, a debugger) unless `force`; returns the reporter, or None when it left them."""
    if not force and (
        sys.excepthook is not sys.__excepthook__ or threading.excepthook is not threading.__excepthook__
    ):
        return None
    errors = reporter()
    sys.excepthook = errors.excepthook
    threading.excepthook = errors.threading_excepthook
    return errors


def report(parent: QWidget | None, exc: BaseException) -> None:
    """An unexpected error caught elsewhere (the runner's background jobs; logged there): the same dialog."""
    reporter().show_error(type(exc), exc, exc.__traceback__, parent=parent)
