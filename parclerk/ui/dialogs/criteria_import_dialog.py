"""Nhập bộ chỉ số từ Excel: read the file, show what it holds or every problem by row, store nothing until
the clerk presses “Nhập”. The blank template is one click away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parclerk import glossary
from parclerk.criteria import format_points
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner

_KINDS = {"options": "chọn mức", "bands": "theo tỷ lệ", "additive": "cộng nội dung", "free": "chấm trực tiếp"}


class CriteriaImportDialog(QDialog):
    """After `exec()`, `imported` holds the services.assessment.ImportedSet, or None."""

    def __init__(self, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.path: Path | None = None
        self.checked = None  # the CriteriaSet read without problems
        self.imported = None
        self.setWindowTitle("Nhập bộ chỉ số CCHC từ Excel")
        self._build()
        self.resize(860, 600)

    def _build(self) -> None:
        intro = QLabel(
            "Chọn tệp Excel bộ chỉ số của tỉnh (cột STT hoặc Mã, Nội dung, Điểm tối đa; có thể thêm Cách chấm, "
            "Tài liệu kiểm chứng, Đơn vị phụ trách). Phần mềm kiểm tra toàn bộ tệp và chỉ nhập khi không còn lỗi."
        )
        intro.setWordWrap(True)
        self.file_label = QLabel("Chưa chọn tệp.")
        self.file_label.setWordWrap(True)
        choose = QPushButton("Chọn tệp Excel…")
        choose.clicked.connect(self.choose_file)
        template = QPushButton("Tải file mẫu…")
        template.setToolTip("Lưu một tệp Excel trống đúng cột, có hướng dẫn, để điền bộ chỉ số")
        template.clicked.connect(self.save_template)
        self.year = QSpinBox()
        self.year.setRange(1999, 2100)
        self.year.setSpecialValueText("theo tệp")
        self.year.setValue(1999)
        self.year.valueChanged.connect(lambda _v: self.check())
        self.level = QComboBox()
        self.level.addItem("theo tệp", None)
        for key, label in glossary.LEVELS.items():
            self.level.addItem(label, key)
        self.level.currentIndexChanged.connect(lambda _i: self.check())

        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(template)
        top.addStretch(1)
        top.addWidget(QLabel("Năm áp dụng:"))
        top.addWidget(self.year)
        top.addWidget(QLabel("Cấp:"))
        top.addWidget(self.level)

        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.problems = QListWidget()
        self.preview = QTreeWidget()
        self.preview.setHeaderLabels(["Mã", "Nội dung", "Điểm tối đa", "Cách chấm"])
        self.preview.setIndentation(14)
        self.preview.setColumnWidth(0, 110)
        self.preview.setColumnWidth(2, 80)
        self.preview.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.preview.header().setStretchLastSection(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(QWidget())
        self.stack.addWidget(self.problems)
        self.stack.addWidget(self.preview)
        self.start = QCheckBox("Mở bản tự đánh giá của năm này (minh chứng năm trước được giữ làm gợi ý)")
        self.start.setChecked(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        messages.set_button_texts(self.buttons)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Nhập bộ chỉ số")
        self.import_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.file_label)
        layout.addWidget(self.verdict)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.start)
        layout.addWidget(self.buttons)

    # --- the file ----------------------------------------------------------------------------------
    def choose_file(self) -> None:
        names = messages.open_file_names(self, "Chọn tệp bộ chỉ số", "Excel (*.xlsx *.xlsm)")
        if names:
            self.open_path(Path(names[0]))

    def open_path(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(f"Tệp: {path}")
        self.check()

    def save_template(self) -> None:
        from parclerk.excel.criteria_import import write_template_xlsx

        path = messages.save_path(self, "Lưu file mẫu bộ chỉ số", "mau-bo-chi-so-cchc.xlsx", "Excel (*.xlsx)")
        if path is None:
            return
        self.runner.run_job(
            self,
            write_template_xlsx,
            path,
            on_done=lambda _r: messages.offer_to_open(
                self, "Đã lưu file mẫu", "Đã lưu file mẫu bộ chỉ số vào", path
            ),
        )

    def check(self) -> None:
        """Read the file again with the chosen year and level (a dry run: nothing is stored)."""
        from parclerk.excel.criteria_import import read_criteria_xlsx

        if self.path is None:
            return
        self.import_button.setEnabled(False)
        year = self.year.value() if self.year.value() != self.year.minimum() else None
        level = self.level.currentData()
        self.runner.run_job(
            self,
            read_criteria_xlsx,
            self.path,
            year=year,
            level=level,
            on_done=self._show,
            on_error=self._unreadable,
            label="Đang đọc và kiểm tra bộ chỉ số…",
        )

    def _unreadable(self, error) -> bool:
        self.checked = None
        self.verdict.setText(f"<b style='color:#b00020'>{error.message}</b> Chưa nhập gì.")
        self.problems.clear()
        self.stack.setCurrentWidget(self.problems)
        return True

    def _show(self, result) -> None:
        criteria_set, problems = result
        self.checked = criteria_set if not problems else None
        if problems or criteria_set is None:
            self.verdict.setText(
                f"<b style='color:#b00020'>Có {len(problems)} lỗi cần sửa trong tệp. Chưa nhập gì.</b> "
                "Sửa tệp trong Excel rồi chọn lại (hoặc chọn năm, cấp ở trên nếu tệp không ghi)."
            )
            self.problems.clear()
            self.problems.addItems([str(problem) for problem in problems])
            self.stack.setCurrentWidget(self.problems)
            return
        items = [c for c in criteria_set.criteria if c.kind == "item"]
        leaves = criteria_set.leaves()
        self.verdict.setText(
            f"<b>{criteria_set.name}</b> — năm {criteria_set.year}, "
            f"{glossary.LEVELS.get(criteria_set.level, criteria_set.level)}; {len(items)} mục ({len(leaves)} mục "
            f"chấm điểm), tổng điểm tối đa {format_points(criteria_set.total_maximum())}. "
            "<b style='color:#1b5e20'>Không có lỗi.</b> Bấm “Nhập bộ chỉ số” để lưu."
        )
        self.preview.clear()
        nodes: dict[str, QTreeWidgetItem] = {}
        for c in criteria_set.criteria:
            row = [
                c.code,
                c.title,
                format_points(c.maximum),
                _KINDS.get(c.rule.kind, "") if c.rule.text else "",
            ]
            parent = nodes.get(c.parent_code)
            node = QTreeWidgetItem(parent, row) if parent is not None else QTreeWidgetItem(self.preview, row)
            node.setToolTip(1, c.title)
            nodes[c.code] = node
        self.preview.expandAll()
        self.stack.setCurrentWidget(self.preview)
        self.start.setText(
            f"Mở bản tự đánh giá năm {criteria_set.year} (minh chứng năm trước được giữ làm gợi ý)"
        )
        self.import_button.setEnabled(True)

    def do_import(self) -> None:
        from parclerk.services.assessment import import_set
        from parclerk.ui.auto_backup import backed_up

        if self.checked is None:
            return
        self.import_button.setEnabled(False)
        self.runner.run_op(
            self,
            backed_up(import_set, self.runner.db_path),  # a "truoc-nhap" backup first
            self.checked,
            start=self.start.isChecked(),
            on_done=self._imported,
            on_error=self._failed,
            label="Đang nhập bộ chỉ số…",
        )

    def _failed(self, _error) -> bool:
        self.import_button.setEnabled(True)  # nothing was stored: the clerk may try again
        return False  # the runner shows the message

    def _imported(self, imported) -> None:
        self.imported = imported
        self.accept()
