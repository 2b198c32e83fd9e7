"""Xếp loại: a criteria set's classification labels and their minimum index (%), as the province decides."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from parclerk.errors import ParclerkError
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner


class ClassificationDialog(QDialog):
    """Xếp loại: the set's labels and minimum % (e.g. Xuất sắc 90, Tốt 80, Khá 70, Trung bình 50, Yếu 0)."""

    ROWS = 6

    def __init__(self, runner: Runner, set_id: int, ranks, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.set_id = set_id
        self.setWindowTitle("Xếp loại theo chỉ số")
        note = QLabel(
            "Ghi tên xếp loại và chỉ số tối thiểu (%) theo quyết định của tỉnh. Để trống một dòng để bỏ mức đó."
        )
        note.setWordWrap(True)
        form = QFormLayout()
        self.rows: list[tuple[QLineEdit, QLineEdit]] = []
        ranks = list(ranks)
        for index in range(max(self.ROWS, len(ranks))):
            label = QLineEdit(ranks[index].label if index < len(ranks) else "")
            minimum = QLineEdit(
                str(ranks[index].minimum_percent).replace(".", ",") if index < len(ranks) else ""
            )
            minimum.setMaximumWidth(80)
            row = QHBoxLayout()
            row.addWidget(label, 1)
            row.addWidget(QLabel("từ"))
            row.addWidget(minimum)
            row.addWidget(QLabel("%"))
            form.addRow(f"Mức {index + 1}:", row)
            self.rows.append((label, minimum))
        self.error_label = messages.error_label()
        buttons = messages.dialog_buttons(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def save(self) -> None:
        from parclerk.services.assessment import set_classifications

        ranks = [(label.text(), minimum.text()) for label, minimum in self.rows]
        self.runner.run_op(
            self,
            set_classifications,
            self.set_id,
            ranks,
            on_done=lambda _c: self.accept(),
            on_error=self._error,
        )

    def _error(self, error: ParclerkError) -> bool:
        self.error_label.setText(error.message)
        return True
