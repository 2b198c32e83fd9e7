"""Danh sách đơn vị nộp bài: the units expected to send their self-assessment for a year, which of them are
ranked (ticked) and which only scored, what each has sent; add names by pasting them, copy last year's list,
take a unit off the list, or delete a unit's submissions so that its package can be imported again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parclerk.errors import ParclerkError, ValidationError
from parclerk.queries import Changes
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner

_ROLE = Qt.ItemDataRole.UserRole
_WAITING = QBrush(QColor("#8a5a00"))


def load_units(db, year: int) -> tuple[list, int | None]:
    """The year's units, and the latest earlier year that has a list (to copy from)."""
    from parclerk.services import submissions

    earlier = [y for y in submissions.collection_years(db) if y < year]
    return submissions.list_units(db, year), (earlier[0] if earlier else None)


def unit_text(unit) -> str:
    """'Ủy ban nhân dân xã Ba Tơ (phiên bản 2)', '… (chưa nộp)'."""
    if unit.submission_id is None:
        state = "chưa nộp"
    else:
        state = f"phiên bản {unit.version}"
    if not unit.expected:
        state += ", ngoài danh sách"
    return f"{unit.name} ({state})"


class CollectionUnitsDialog(QDialog):
    def __init__(self, runner: Runner, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.year = year
        self.units: list = []
        self.previous_year: int | None = None
        self.setWindowTitle(f"Danh sách đơn vị nộp bài năm {year}")
        self._build()
        self.reload()
        self.resize(900, 560)

    def _build(self) -> None:
        intro = QLabel(
            f"Các đơn vị phải nộp bài tự đánh giá Chỉ số CCHC năm {self.year}. Đánh dấu ✓ đơn vị được xếp hạng; "
            "bỏ dấu với đơn vị chỉ chấm điểm, không xếp hạng. Đơn vị gửi bài mà chưa có trong danh sách được "
            "tự thêm khi nhập bài nộp."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.itemChanged.connect(self._ranked_changed)
        self.list.currentRowChanged.connect(lambda _row: self._enable())
        self.count = QLabel()
        self.count.setStyleSheet("color: #555;")

        self.names = QPlainTextEdit()
        self.names.setPlaceholderText(
            "Dán tên đơn vị, mỗi dòng một tên, ví dụ:\nỦy ban nhân dân xã Ba Tơ\nỦy ban nhân dân phường Nghĩa Lộ"
        )
        self.add_button = QPushButton("Thêm")
        self.add_button.setStyleSheet("font-weight: bold;")
        self.add_button.clicked.connect(self.add_names)
        self.error_label = messages.error_label()
        self.error_label.hide()
        self.remove_unit_button = QPushButton("Xóa đơn vị")
        self.remove_unit_button.setToolTip(
            "Bỏ đơn vị khỏi danh sách năm nay, cùng mọi bài nộp đã nhập của đơn vị"
        )
        self.remove_unit_button.clicked.connect(self.remove_unit)
        self.remove_submissions_button = QPushButton("Xóa bài nộp")
        self.remove_submissions_button.setToolTip(
            "Xóa các bài nộp đã nhập của đơn vị, giữ đơn vị trong danh sách (để nhập lại)"
        )
        self.remove_submissions_button.clicked.connect(self.remove_submissions)
        self.copy_button = QPushButton("Chép danh sách năm trước")
        self.copy_button.clicked.connect(self.copy_previous)

        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        right = QVBoxLayout()
        right.addWidget(QLabel("Thêm đơn vị (mỗi dòng một tên):"))
        right.addWidget(self.names, 1)
        right.addLayout(add_row)
        right.addWidget(self.error_label)
        right.addSpacing(12)
        right.addWidget(self.copy_button)
        right.addWidget(self.remove_submissions_button)
        right.addWidget(self.remove_unit_button)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.count)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        messages.set_button_texts(close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addWidget(close)

    # --- the list ----------------------------------------------------------------------------------
    def reload(self) -> None:
        self.runner.run_query(self, load_units, self.year, on_done=self._fill)

    def _fill(self, loaded) -> None:
        units, previous = loaded
        keep = self.current_unit()
        self.units = list(units)
        self.previous_year = previous
        self.list.blockSignals(True)
        self.list.clear()
        for unit in self.units:
            item = QListWidgetItem(unit_text(unit))
            item.setData(_ROLE, unit.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if unit.ranked else Qt.CheckState.Unchecked)
            if unit.submission_id is None:
                item.setForeground(_WAITING)
            self.list.addItem(item)
        self.list.blockSignals(False)
        row = next((i for i, u in enumerate(self.units) if keep and u.id == keep.id), 0 if self.units else -1)
        self.list.setCurrentRow(row)
        listed = sum(1 for u in self.units if u.expected)
        sent = sum(1 for u in self.units if u.submission_id is not None)
        ranked = sum(1 for u in self.units if u.ranked)
        self.count.setText(
            f"{len(self.units)} đơn vị ({listed} trong danh sách), {sent} đã nộp, {ranked} được xếp hạng."
            if self.units
            else "Chưa có đơn vị nào: dán tên các đơn vị vào ô bên phải rồi bấm “Thêm”."
        )
        if previous is not None:
            self.copy_button.setText(f"Chép danh sách năm {previous}")
            self.copy_button.setToolTip(f"Thêm các đơn vị của danh sách năm {previous} (kèm dấu xếp hạng)")
        self.copy_button.setEnabled(previous is not None)
        self._enable()

    def current_unit(self):
        row = self.list.currentRow()
        return self.units[row] if 0 <= row < len(self.units) else None

    def _enable(self) -> None:
        unit = self.current_unit()
        self.remove_unit_button.setEnabled(unit is not None)
        self.remove_submissions_button.setEnabled(unit is not None and unit.submission_id is not None)

    # --- actions -----------------------------------------------------------------------------------
    def _ranked_changed(self, item: QListWidgetItem) -> None:
        from parclerk.services.submissions import set_ranked

        unit_id = item.data(_ROLE)
        if unit_id is None:
            return
        ranked = item.checkState() == Qt.CheckState.Checked
        self.runner.run_op(self, set_ranked, unit_id, ranked, on_done=lambda _c: self.reload())

    def add_names(self) -> None:
        from parclerk.services.submissions import add_expected_units

        names = self.names.toPlainText().splitlines()
        self.runner.run_op(
            self, add_expected_units, self.year, names, on_done=self._added, on_error=self._on_error
        )

    def _added(self, _changes) -> None:
        self.names.clear()
        self.error_label.hide()
        self.reload()

    def _on_error(self, error: ParclerkError) -> bool:
        if isinstance(error, ValidationError):
            self.error_label.setText(error.message)
            self.error_label.show()
            return True
        return False

    def remove_unit(self) -> None:
        from parclerk.services.submissions import remove_unit

        unit = self.current_unit()
        if unit is None:
            return
        text = f"Xóa “{unit.name}” khỏi danh sách đơn vị năm {self.year}?"
        if unit.submission_id is not None:
            text += (
                "\n\nCác bài nộp đã nhập của đơn vị này (mọi phiên bản) cũng bị xóa và đơn vị không còn trong bảng "
                "xếp hạng. Tệp bài nộp gốc vẫn được giữ trong thư mục dữ liệu."
            )
        if messages.ask_yes_no(self, "Xóa đơn vị", text):
            self.runner.run_op(self, remove_unit, unit.id, on_done=lambda _c: self.reload())

    def remove_submissions(self) -> None:
        from parclerk.services.submissions import remove_submissions

        unit = self.current_unit()
        if unit is None or unit.submission_id is None:
            return
        text = (
            f"Xóa mọi bài nộp đã nhập của “{unit.name}” năm {self.year}?\n\nĐơn vị vẫn ở trong danh sách, ghi "
            "“chưa nộp”. Dùng khi cần nhập lại bài nộp của đơn vị, ví dụ đơn vị đã chuyển sang máy khác."
        )
        if messages.ask_yes_no(self, "Xóa bài nộp", text):
            self.runner.run_op(self, remove_submissions, unit.id, on_done=lambda _c: self.reload())

    def copy_previous(self) -> None:
        from parclerk.services.submissions import copy_units_from

        if self.previous_year is None:
            return
        previous = self.previous_year
        self.runner.run_op(
            self, copy_units_from, self.year, previous, on_done=lambda added: self._copied(added, previous)
        )

    def _copied(self, added: int, previous: int) -> None:
        self.runner.changed.emit(Changes(assessment=True))
        self.reload()
        messages.info(
            self,
            "Chép danh sách năm trước",
            f"Đã thêm {added} đơn vị từ danh sách năm {previous}."
            if added
            else f"Danh sách năm {self.year} đã có đủ các đơn vị của năm {previous}.",
        )
