"""Check what parclerk read from a directive, fix it, choose the tasks, and register it with them.

The source text is on the left, the register fields and the tasks on the right; what the parser was
unsure of is shaded yellow, and its warnings are listed at the top.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parclerk import dates, glossary
from parclerk.errors import ParclerkError, ValidationError
from parclerk.models import RegisterResult
from parclerk.parsing.model import ParsedDirective
from parclerk.services import directives, intake
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner
from parclerk.ui.widgets.directive_form import DirectiveForm

T = glossary.TASK_LABELS
# (key, header, width)
TASK_COLUMNS = [
    ("keep", "Lưu", 44),
    ("ref", T["ref"], 56),
    ("content", T["content"], 330),
    ("lead_unit", T["lead_unit"], 170),
    ("coordinating_units", T["coordinating_units"], 170),
    ("deadline", T["deadline"], 90),
    ("deadline_text", "Nguyên văn thời hạn", 150),
    ("recurrence", T["recurrence"], 96),
    ("concerns_office", "Đơn vị mình", 84),
]
_COL = {key: index for index, (key, _, _) in enumerate(TASK_COLUMNS)}
_YELLOW = Qt.GlobalColor.yellow


class ReviewDialog(QDialog):
    saved = Signal(object)  # Directive

    def __init__(
        self,
        runner: Runner,
        parsed: ParsedDirective,
        parent: QWidget | None = None,
        *,
        files: list[Path] | None = None,
        source_name: str = "",
        issuers: list[str] | None = None,
        extra_warnings: list[str] | None = None,
    ):
        super().__init__(parent)
        self.runner = runner
        self.parsed = parsed
        self.files = list(files or [])
        self.setWindowTitle(
            f"Kiểm tra văn bản đến — {source_name}" if source_name else "Kiểm tra văn bản đến"
        )

        self.source = QPlainTextEdit(parsed.text)
        self.source.setReadOnly(True)
        self.source.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("background: #fff4c2; border: 1px solid #d9b600; padding: 6px;")
        warnings = [*(extra_warnings or []), *parsed.warnings]
        self.warning_label.setText("Cần kiểm tra:\n" + "\n".join(f"• {w}" for w in warnings))
        self.warning_label.setVisible(bool(warnings))
        self.error_label = messages.error_label()
        self.error_label.hide()

        self.form = DirectiveForm(issuers or [], self, review=True)
        self.form.set_values(intake.draft_from_parsed(parsed))
        self.form.mark_uncertain(set(parsed.uncertain))

        self.tasks = QTableWidget(len(parsed.tasks), len(TASK_COLUMNS))
        self.tasks.setHorizontalHeaderLabels([header for _, header, _ in TASK_COLUMNS])
        self.tasks.verticalHeader().hide()
        self.tasks.setWordWrap(True)
        self.tasks.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for index, (_, _, width) in enumerate(TASK_COLUMNS):
            self.tasks.setColumnWidth(index, width)
        self.tasks.horizontalHeader().setSectionResizeMode(_COL["content"], QHeaderView.ResizeMode.Stretch)
        self._fill_tasks()
        self.task_label = QLabel()
        self.task_label.setWordWrap(True)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.warning_label)
        right_layout.addWidget(self.error_label)
        right_layout.addWidget(self.form)
        right_layout.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Văn bản gốc:"))
        left_layout.addWidget(self.source)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        top.addWidget(right)
        top.setStretchFactor(0, 2)
        top.setStretchFactor(1, 3)
        top.setSizes([520, 800])
        bottom_pane = QWidget()
        bottom_layout = QVBoxLayout(bottom_pane)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.task_label)
        bottom_layout.addWidget(self.tasks)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom_pane)
        splitter.setSizes([520, 330])

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        messages.set_button_texts(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        files_note = QLabel(
            "Tệp gốc được lưu kèm: " + ", ".join(f.name for f in self.files)
            if self.files
            else "Văn bản dán vào: không có tệp gốc."
        )
        bottom = QHBoxLayout()
        bottom.addWidget(files_note, 1)
        bottom.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.tasks.itemChanged.connect(lambda _item: self._count_tasks())
        self._count_tasks()

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.resize(1340, 900)

    # --- tasks -----------------------------------------------------------------------------------
    def _fill_tasks(self) -> None:
        self.tasks.blockSignals(True)
        for row, task in enumerate(self.parsed.tasks):
            keep = QTableWidgetItem()
            keep.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            keep.setCheckState(Qt.CheckState.Unchecked if "text" in task.uncertain else Qt.CheckState.Checked)
            self.tasks.setItem(row, _COL["keep"], keep)
            values = {
                "ref": task.ref,
                "content": task.text,
                "lead_unit": task.lead_unit,
                "coordinating_units": "; ".join(task.coordinating_units),
                "deadline": dates.format_dmy(task.deadline),
                "deadline_text": task.deadline_text,
                "recurrence": glossary.RECURRENCE_LABELS.get(task.recurrence or "", ""),
            }
            for key, value in values.items():
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if key in ("deadline_text", "recurrence"):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if key in task.uncertain or (key == "content" and "text" in task.uncertain):
                    item.setBackground(_YELLOW)
                self.tasks.setItem(row, _COL[key], item)
            mine = QTableWidgetItem()
            mine.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            mine.setCheckState(Qt.CheckState.Checked)
            mine.setToolTip("Bỏ dấu nếu nhiệm vụ này không giao cho đơn vị mình (chỉ để biết).")
            self.tasks.setItem(row, _COL["concerns_office"], mine)
        self.tasks.resizeRowsToContents()
        for row in range(self.tasks.rowCount()):  # at most four lines a row; the tooltip has the rest
            self.tasks.setRowHeight(row, min(self.tasks.rowHeight(row), 84))
        self.tasks.blockSignals(False)

    def _count_tasks(self) -> None:
        kept = sum(1 for row in range(self.tasks.rowCount()) if self._checked(row, "keep"))
        self.task_label.setText(
            f"Nhiệm vụ trong văn bản: {self.tasks.rowCount()} (lưu {kept}). Bỏ dấu ở cột “Lưu” để bỏ qua một "
            "nhiệm vụ; bỏ dấu “Của đơn vị mình” với nhiệm vụ chỉ để biết."
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(f"Vào sổ và tạo {kept} nhiệm vụ (Ctrl+S)" if kept else "Vào sổ (Ctrl+S)")

    def _checked(self, row: int, key: str) -> bool:
        item = self.tasks.item(row, _COL[key])
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def task_rows(self) -> list[dict[str, object]]:
        """The kept tasks as the clerk left them, as texts for the service to parse and check."""
        rows = []
        for row, parsed in enumerate(self.parsed.tasks):
            if not self._checked(row, "keep"):
                continue
            text = {
                key: self.tasks.item(row, _COL[key]).text()
                for key in ("ref", "content", "lead_unit", "coordinating_units", "deadline")
            }
            rows.append(
                {
                    **text,
                    "deadline_text": parsed.deadline_text,
                    "recurrence": parsed.recurrence,
                    "concerns_office": self._checked(row, "concerns_office"),
                }
            )
        return rows

    # --- saving ----------------------------------------------------------------------------------
    def save(self) -> None:
        try:
            values = directives.input_from_form(self.form.form())
            tasks = intake.tasks_from_rows(self.task_rows())
        except ValidationError as error:
            self._show_errors(error)
            return
        self.form.clear_errors()
        self.error_label.hide()
        self.runner.run_query(
            self,
            directives.find_duplicates,
            values,
            on_done=lambda hits: self._save_checked(values, tasks, hits),
        )

    def _save_checked(self, values, tasks, hits) -> None:
        if hits:
            first = hits[0]
            question = (
                f"Văn bản số {values.number} của {values.issuer} có thể đã được đăng ký: số đến "
                f"{first.so_den}/{first.so_den_year}, ngày đến {dates.format_dmy(first.ngay_den)}.\n\n"
                "Vẫn vào sổ văn bản này?"
            )
            if not messages.ask_yes_no(self, "Có thể trùng văn bản", question):
                return
        from parclerk.ui.auto_backup import backed_up

        self.runner.run_op(
            self,
            backed_up(intake.register_with_tasks, self.runner.db_path),  # a "truoc-nhap" backup first
            values,
            tasks,
            files=self.files,
            on_done=self._saved,
            on_error=self._on_error,
            label="Đang vào sổ…",
        )

    def _show_errors(self, error: ValidationError) -> None:
        self.form.show_errors(error)
        self.error_label.setText("\n".join(error.fields.values()))
        self.error_label.show()

    def _on_error(self, error: ParclerkError) -> bool:
        if isinstance(error, ValidationError):
            self._show_errors(error)
            return True
        return False

    def _saved(self, result: RegisterResult) -> None:
        self.saved.emit(result.directive)
        self.accept()


class PasteDialog(QDialog):
    """A box to paste a directive's text into; "Đọc văn bản" hands it to the parser."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Dán nội dung văn bản")
        layout = QVBoxLayout(self)
        hint = QLabel(
            "Dán toàn bộ nội dung văn bản (từ Word, PDF hoặc trang điện tử) vào ô dưới đây, rồi bấm “Đọc văn bản”. "
            "parclerk sẽ tìm số, ngày, cơ quan ban hành, trích yếu và các nhiệm vụ để bạn kiểm tra."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.text = QPlainTextEdit()
        layout.addWidget(self.text, 1)
        buttons = messages.dialog_buttons(self, self.accept, text="Đọc văn bản", save=False)
        layout.addWidget(buttons)
        self.resize(760, 620)
