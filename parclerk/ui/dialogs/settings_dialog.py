"""Thông tin đơn vị (Cài đặt): the office profile used by the register and, later, every report."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from parclerk import glossary
from parclerk.errors import ParclerkError, ValidationError
from parclerk.models import OfficeProfile
from parclerk.services import settings as service
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner

P = glossary.PROFILE_LABELS
_HINTS = {
    "unit_name": "ví dụ: Ủy ban nhân dân xã Ba Tơ",
    "parent_name": "để trống nếu là UBND; ví dụ: UBND TỈNH QUẢNG TRỊ",
    "unit_abbrev": "ví dụ: UBND",
    "place_name": "ví dụ: Ba Tơ",
    "signer_name": "ví dụ: Nguyễn Văn An",
    "signer_title": "ví dụ: Chủ tịch",
    "signer_authority": "ví dụ: TM. ỦY BAN NHÂN DÂN",
    "reports_to": "ví dụ: Sở Nội vụ tỉnh Quảng Ngãi",
}


class SettingsDialog(QDialog):
    def __init__(self, runner: Runner, profile: OfficeProfile, parent=None, *, first_run: bool = False):
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("Thông tin đơn vị")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Chào mừng đến với parclerk. Hãy nhập thông tin đơn vị của bạn; các báo cáo và sổ sách sẽ dùng "
            "những thông tin này."
            if first_run
            else "Thông tin đơn vị dùng cho sổ văn bản đến, dòng địa danh – ngày tháng và phần ký của báo cáo."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.error_label = messages.error_label()
        self.error_label.hide()
        layout.addWidget(self.error_label)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        for field in dataclasses.fields(OfficeProfile):
            name = field.name
            if name == "level":
                combo = QComboBox()
                for code, label in glossary.LEVELS.items():
                    combo.addItem(label, code)
                combo.setCurrentIndex(max(0, combo.findData(profile.level)))
                self.fields[name] = combo
            else:
                edit = QLineEdit(getattr(profile, name))
                edit.setPlaceholderText(_HINTS.get(name, ""))
                self.fields[name] = edit
            form.addRow(P[name] + (" *" if name in ("unit_name", "place_name") else ""), self.fields[name])
        layout.addLayout(form)
        buttons = messages.dialog_buttons(self, self.save)
        self.history_button = buttons.addButton("Lịch sử thay đổi…", QDialogButtonBox.ButtonRole.ActionRole)
        self.history_button.clicked.connect(self.show_history)
        layout.addWidget(buttons)
        self.resize(760, self.sizeHint().height())

    def show_history(self):
        from parclerk.services.history import settings_history
        from parclerk.ui.dialogs.history_dialog import HistoryDialog

        dialog = HistoryDialog(self.runner, "Lịch sử thay đổi cài đặt và danh mục", settings_history, self)
        dialog.open()
        return dialog

    def profile(self) -> OfficeProfile:
        values = {}
        for name, widget in self.fields.items():
            values[name] = widget.currentData() if isinstance(widget, QComboBox) else widget.text()
        return OfficeProfile(**values)

    def save(self) -> None:
        self.runner.run_op(
            self,
            service.save_profile,
            self.profile(),
            on_done=lambda _c: self.accept(),
            on_error=self._on_error,
        )

    def _on_error(self, error: ParclerkError) -> bool:
        if isinstance(error, ValidationError):
            self.error_label.setText("\n".join(error.fields.values()))
            self.error_label.show()
            return True
        return False
