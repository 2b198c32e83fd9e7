"""Cài đặt theo dõi nhiệm vụ: the reporting calendar, reminders and the 30% rule's thresholds."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QSpinBox, QVBoxLayout

from parclerk.errors import ParclerkError, ValidationError
from parclerk.services import tasks as service
from parclerk.tracking import TrackingSettings
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner


def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    return box


class TrackingDialog(QDialog):
    def __init__(self, runner: Runner, settings: TrackingSettings, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("Cài đặt theo dõi nhiệm vụ")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Các nhiệm vụ định kỳ (hàng tháng, hàng quý, 6 tháng, hàng năm) được tính hạn theo lịch báo cáo: số liệu "
            "chốt đến ngày dưới đây của tháng cuối kỳ, báo cáo gửi sau đó một số ngày làm việc. Hãy đặt theo hướng dẫn "
            "của tỉnh."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.error_label = messages.error_label()
        self.error_label.hide()
        layout.addWidget(self.error_label)
        form = QFormLayout()
        self.cutoff_day = _spin(1, 28, settings.cutoff_day, "")
        self.due_days = _spin(0, 30, settings.report_due_working_days, " ngày làm việc")
        self.remind = _spin(0, 60, settings.remind_within_days, " ngày")
        self.warn = _spin(1, 100, round(settings.warn_rate * 100), " %")
        self.fail = _spin(1, 100, round(settings.fail_rate * 100), " %")
        form.addRow("Ngày chốt số liệu (của tháng cuối kỳ)", self.cutoff_day)
        form.addRow("Hạn gửi báo cáo sau ngày chốt", self.due_days)
        form.addRow("Nhắc việc đến hạn trong", self.remind)
        form.addRow("Cảnh báo đơn vị khi tỷ lệ chậm, trễ từ", self.warn)
        form.addRow("Đơn vị không hoàn thành nhiệm vụ khi từ", self.fail)
        layout.addLayout(form)
        buttons = messages.dialog_buttons(self, self.save)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def values(self) -> TrackingSettings:
        return TrackingSettings(
            cutoff_day=self.cutoff_day.value(),
            report_due_working_days=self.due_days.value(),
            remind_within_days=self.remind.value(),
            warn_rate=self.warn.value() / 100,
            fail_rate=self.fail.value() / 100,
        )

    def save(self) -> None:
        self.runner.run_op(
            self,
            service.save_tracking_settings,
            self.values(),
            on_done=lambda _c: self.accept(),
            on_error=self._error,
        )

    def _error(self, error: ParclerkError) -> bool:
        if isinstance(error, ValidationError):
            self.error_label.setText("\n".join(error.fields.values()))
            self.error_label.show()
            return True
        return False
