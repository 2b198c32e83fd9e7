"""Danh sách đơn vị: the units tasks are assigned to, kept once, each with the other names directives use for it
("Văn phòng - Thống kê" = "VP-TK" = "Công chức Văn phòng - Thống kê"), so its tasks count together."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parclerk.errors import ParclerkError, ValidationError
from parclerk.queries import Changes
from parclerk.services import tasks as service
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner

KINDS = ("Công chức chuyên môn", "Bộ phận", "Đơn vị", "Thôn, tổ dân phố", "Cơ quan cấp trên")


class UnitsDialog(QDialog):
    def __init__(self, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.units: list[service.Unit] = []
        self.setWindowTitle("Danh sách đơn vị")
        self._build()
        self.reload()
        self.resize(820, 480)

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._show)
        self.name = QLineEdit()
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(["", *KINDS])
        self.aliases = QPlainTextEdit()
        self.aliases.setPlaceholderText("Mỗi dòng một tên, ví dụ:\nVP-TK\nCông chức Văn phòng - Thống kê")
        self.error_label = messages.error_label()
        self.error_label.hide()
        help_text = QLabel(
            "Tên gọi khác: các cách văn bản ghi tên đơn vị này (viết tắt, tên đầy đủ). Nhiệm vụ ghi bằng tên "
            "nào cũng được tính cho đơn vị này khi theo dõi và khi tính tỷ lệ 30%."
        )
        help_text.setWordWrap(True)
        help_text.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow("Tên đơn vị:", self.name)
        form.addRow("Loại:", self.kind)
        form.addRow("Tên gọi khác:", self.aliases)
        self.new_button = QPushButton("Thêm đơn vị mới")
        self.new_button.clicked.connect(self.new_unit)
        self.save_button = QPushButton("Lưu đơn vị")
        self.save_button.setStyleSheet("font-weight: bold;")
        self.save_button.clicked.connect(self.save)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.new_button)
        buttons_row.addStretch(1)
        buttons_row.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(help_text)
        right.addWidget(self.error_label)
        right.addStretch(1)
        right.addLayout(buttons_row)
        body = QHBoxLayout()
        body.addWidget(self.list, 2)
        body.addLayout(right, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        messages.set_button_texts(close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)

    def reload(self, select_id: int | None = None) -> None:
        self.runner.run_query(self, service.list_units, on_done=lambda units: self._fill(units, select_id))

    def _fill(self, units, select_id: int | None) -> None:
        self.units = list(units)
        self.list.blockSignals(True)
        self.list.clear()
        for unit in self.units:
            item = QListWidgetItem(unit.name)
            item.setData(Qt.ItemDataRole.UserRole, unit.id)
            if unit.aliases:
                item.setToolTip("Tên gọi khác: " + "; ".join(unit.aliases))
            self.list.addItem(item)
        self.list.blockSignals(False)
        row = next((i for i, u in enumerate(self.units) if u.id == select_id), 0 if self.units else -1)
        self.list.setCurrentRow(row)
        self._show(row)

    def _show(self, row: int) -> None:
        self.error_label.hide()
        unit = self.units[row] if 0 <= row < len(self.units) else None
        self.name.setText(unit.name if unit else "")
        self.kind.setCurrentText(unit.kind if unit else "")
        self.aliases.setPlainText("\n".join(unit.aliases) if unit else "")

    def current_unit_id(self) -> int | None:
        row = self.list.currentRow()
        return self.units[row].id if 0 <= row < len(self.units) else None

    def new_unit(self) -> None:
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self._show(-1)
        self.name.setFocus()

    def save(self) -> None:
        aliases = [line.strip() for line in self.aliases.toPlainText().splitlines() if line.strip()]
        self.runner.run_op(
            self,
            service.save_unit,
            self.name.text(),
            kind=self.kind.currentText().strip(),
            aliases=aliases,
            unit_id=self.current_unit_id(),
            on_done=self._saved,
            on_error=self._on_error,
        )

    def _saved(self, unit) -> None:
        self.error_label.hide()
        self.runner.changed.emit(Changes(tasks=True))  # tasks written with these names now count for it
        self.reload(select_id=unit.id)

    def _on_error(self, error: ParclerkError) -> bool:
        if isinstance(error, ValidationError):
            self.error_label.setText(error.message)
            self.error_label.show()
            return True
        return False
