"""Every message box the clerk sees, with Vietnamese button texts (Qt ships no Vietnamese translation)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

# The widgets are imported inside each function: none of this is needed before the first paint.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox, QWidget

BUTTON_TEXT = {
    "Yes": "Có",
    "No": "Không",
    "Ok": "Đồng ý",
    "Cancel": "Hủy bỏ",
    "Close": "Đóng",
    "Save": "Lưu",
    "Open": "Mở",
}


def _box(parent, icon, title: str, text: str, buttons, default=None) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(icon, title, text, buttons, parent)
    for name, label in BUTTON_TEXT.items():
        button = box.button(getattr(QMessageBox.StandardButton, name))
        if button is not None:
            button.setText(label)
    if default is not None:
        box.setDefaultButton(default)
    return box


def info(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    _box(parent, QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok).exec()


def error(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    _box(parent, QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok).exec()


def ask_yes_no(parent: QWidget | None, title: str, text: str, *, default_yes: bool = False) -> bool:
    from PySide6.QtWidgets import QMessageBox

    sb = QMessageBox.StandardButton
    box = _box(
        parent, QMessageBox.Icon.Question, title, text, sb.Yes | sb.No, sb.Yes if default_yes else sb.No
    )
    return box.exec() == sb.Yes


ERROR_STYLE = "color: #b00020; font-weight: bold;"


def error_label() -> QLabel:
    """The red line under a form where a refused value is explained, empty until then."""
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def dialog_buttons(dialog, accept, *, text: str = "", save: bool = True) -> QDialogButtonBox:
    """Lưu (or Đồng ý) and Hủy bỏ, in Vietnamese, wired to `accept` and the dialog's reject."""
    from PySide6.QtWidgets import QDialogButtonBox

    main = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
    buttons = QDialogButtonBox(main | QDialogButtonBox.StandardButton.Cancel)
    set_button_texts(buttons)
    if text:
        buttons.button(main).setText(text)
    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def open_path(path) -> None:
    """Open a file or folder in its usual program (Word, Excel, the PDF reader, Explorer)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def offer_to_open(parent: QWidget | None, title: str, text: str, path) -> None:
    """After an export: say where the file went and offer to open it in its usual program."""
    if ask_yes_no(parent, title, f"{text}\n{path}\n\nMở tệp ngay?", default_yes=True):
        open_path(path)


def set_button_texts(buttons: QDialogButtonBox) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    mapping = {
        QDialogButtonBox.StandardButton.Ok: "Đồng ý",
        QDialogButtonBox.StandardButton.Cancel: "Hủy bỏ",
        QDialogButtonBox.StandardButton.Save: "Lưu",
        QDialogButtonBox.StandardButton.Close: "Đóng",
        QDialogButtonBox.StandardButton.Yes: "Có",
        QDialogButtonBox.StandardButton.No: "Không",
    }
    for standard, label in mapping.items():
        button = buttons.button(standard)
        if button is not None:
            button.setText(label)


def ask_text(parent: QWidget | None, title: str, label: str, *, ok_text: str = "Đồng ý") -> str | None:
    """A one-line answer, or None when the clerk cancels."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    prompt = QLabel(label)
    prompt.setWordWrap(True)
    layout.addWidget(prompt)
    edit = QLineEdit()
    layout.addWidget(edit)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    set_button_texts(buttons)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(460, dialog.sizeHint().height())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return edit.text()


def ask_completion(
    parent: QWidget | None, title: str, text: str, *, today: dt.date, ok_text: str = "Đánh dấu hoàn thành"
) -> tuple[dt.date, str] | None:
    """The completion date (today unless changed) and the reply's số/ký hiệu (may be empty), or None."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

    from parclerk import dates
    from parclerk.errors import ValidationError
    from parclerk.ui.widgets.date_edit import DateEdit

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    prompt = QLabel(text)
    prompt.setWordWrap(True)
    layout.addWidget(prompt)
    form = QFormLayout()
    day = DateEdit()
    day.set_date(today)
    reply = QLineEdit()
    reply.setPlaceholderText("ví dụ 45/BC-UBND (có thể để trống)")
    form.addRow("Ngày hoàn thành:", day)
    form.addRow("Số, ký hiệu văn bản trả lời:", reply)
    layout.addLayout(form)
    problem = QLabel()
    problem.setStyleSheet(ERROR_STYLE)
    problem.setWordWrap(True)
    problem.hide()
    layout.addWidget(problem)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    set_button_texts(buttons)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    answer: list[dt.date] = []

    def accept() -> None:
        try:
            chosen = dates.parse_dmy(day.text(), "Ngày hoàn thành")
        except ValidationError as exc:
            problem.setText(exc.message)
            problem.show()
            return
        if chosen is None:
            problem.setText("Chưa nhập ngày hoàn thành.")
            problem.show()
            return
        answer.append(chosen)
        dialog.accept()

    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(480, dialog.sizeHint().height())
    if dialog.exec() != QDialog.DialogCode.Accepted or not answer:
        return None
    return answer[0], reply.text().strip()


def save_file_name(parent: QWidget | None, title: str, suggested: str, pattern: str) -> str | None:
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, pattern)
    return name or None


def save_path(parent: QWidget | None, title: str, suggested: str, pattern: str) -> Path | None:
    """Ask where to save; the suggested name's suffix (".xlsx") is added when the clerk typed a name without
    it. None when the clerk cancelled."""
    name = save_file_name(parent, title, suggested, pattern)
    if not name:
        return None
    suffix = Path(suggested).suffix
    return Path(name if name.lower().endswith(suffix.lower()) else name + suffix)


def open_file_names(parent: QWidget | None, title: str, pattern: str) -> list[str]:
    from PySide6.QtWidgets import QFileDialog

    names, _ = QFileDialog.getOpenFileNames(parent, title, "", pattern)
    return names


def bug_report(parent: QWidget | None, exc: BaseException) -> None:
    """An unexpected error: say so plainly, and let the clerk save the details for whoever supports them
    (the dialog of `parclerk.ui.crash`, one at a time, with versions and the database named)."""
    from parclerk.ui import crash

    crash.report(parent, exc)
