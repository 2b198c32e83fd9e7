"""Nhập bài nộp: read every chosen package and show, one row per file, what it holds and what importing it
would do (new, replacing an older version, already there, or refused and why). Nothing is stored until the
clerk presses “Nhập N bài nộp”; the good files then go in together and the others change nothing."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from parclerk import glossary
from parclerk.criteria import format_percent, format_points
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner

COLUMNS = ["Tệp", "Đơn vị", "Năm", "Phiên bản", "Xuất lúc", "Điểm", "Chỉ số", "Xếp loại", "Kết quả"]
RESULT = COLUMNS.index("Kết quả")
_INDEX_ROLE = Qt.ItemDataRole.UserRole
# status -> (row background, text colour of the result, standard icon)
_LOOK = {
    "new": ("#e8f5e9", "#1b5e20", QStyle.StandardPixmap.SP_DialogApplyButton),
    "replace": ("#e3f2fd", "#0d47a1", QStyle.StandardPixmap.SP_BrowserReload),
    "same": ("#f1f1f1", "#555555", QStyle.StandardPixmap.SP_MessageBoxInformation),
    "rejected": ("#fdecea", "#b00020", QStyle.StandardPixmap.SP_MessageBoxCritical),
}
_COUNTED = {"new": "nhập mới", "replace": "thay bản cũ", "same": "đã có (bỏ qua)", "rejected": "không nhập"}


class SubmissionImportDialog(QDialog):
    """After `exec()`, `outcome` holds the services.submissions.ImportOutcome, or None (nothing stored)."""

    def __init__(
        self, runner: Runner, files: list[Path], parent: QWidget | None = None, *, year: int | None = None
    ):
        super().__init__(parent)
        self.runner = runner
        self.files = _unique([Path(f) for f in files])
        self.year = year
        self.previews: list = []
        self.outcome = None
        self._checked_once = False
        self.setWindowTitle("Nhập bài nộp Chỉ số CCHC của các đơn vị")
        self._build()
        self.resize(1180, 640)

    def _build(self) -> None:
        intro = QLabel(
            "Phần mềm đọc và kiểm tra từng tệp bài nộp trước; chưa lưu gì cho đến khi bấm nút “Nhập”. Chỉ các "
            "tệp “Nhập mới” và “Thay bản cũ” được nhập; chọn một dòng để xem chi tiết, lý do không nhập."
        )
        intro.setWordWrap(True)
        self.verdict = QLabel("Chưa chọn tệp nào.")
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        for column, width in enumerate((220, 250, 50, 70, 120, 80, 70, 85, 150)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda row, _c, _pr, _pc: self._show_details(row))
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([400, 160])

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        messages.set_button_texts(self.buttons)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Nhập 0 bài nộp")
        self.import_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        self.add_button = QPushButton("Thêm tệp…")
        self.add_button.setToolTip("Chọn thêm tệp bài nộp vào danh sách này")
        self.add_button.clicked.connect(self.add_files)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.verdict)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

    # --- the files ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._checked_once and self.files:
            QTimer.singleShot(0, self._first_check)  # after the dialog is painted: the progress shows over it

    def _first_check(self) -> None:
        if not self._checked_once:
            self.check()

    def add_files(self) -> None:
        names = messages.open_file_names(self, "Chọn thêm tệp bài nộp", "Bài nộp Chỉ số CCHC (*.zip)")
        if names:
            self.files = _unique(self.files + [Path(n) for n in names])
            self.check()

    def check(self) -> None:
        """Read and check every file again (a dry run: nothing is stored)."""
        from parclerk.services.submissions import preview_import

        self._checked_once = True
        if not self.files:
            return
        self.import_button.setEnabled(False)
        self.runner.run_query(
            self,
            preview_import,
            list(self.files),
            year=self.year,
            on_done=self._show,
            label=f"Đang đọc và kiểm tra {len(self.files)} tệp bài nộp…",
        )

    def _show(self, previews) -> None:
        self.previews = list(previews)
        style = self.style()
        table = self.table
        table.setUpdatesEnabled(False)
        table.setRowCount(len(self.previews))
        for row, preview in enumerate(self.previews):
            background, colour, icon = _LOOK[preview.status]
            points = (
                f"{format_points(preview.achieved)}/{format_points(preview.maximum)}"
                if preview.achieved is not None
                else ""
            )
            result = preview.status_label
            if preview.accepted and preview.warnings:
                result += " (có lưu ý)"
            values = [
                preview.path.name,
                preview.unit_name,
                str(preview.year or ""),
                str(preview.version or ""),
                preview.exported_text,
                points,
                format_percent(preview.index_percent) if preview.index_percent is not None else "",
                preview.classification,
                result,
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(_INDEX_ROLE, row)
                item.setBackground(QBrush(QColor(background)))
                if 2 <= column <= 6:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(row, column, item)
            table.item(row, 0).setToolTip(str(preview.path))
            table.item(row, 1).setToolTip(preview.unit_name)
            mark = table.item(row, RESULT)
            mark.setIcon(style.standardIcon(icon))
            mark.setForeground(QBrush(QColor(colour)))
            font = mark.font()
            font.setBold(True)
            mark.setFont(font)
            mark.setToolTip("\n".join([*preview.problems, *preview.warnings, preview.change]).strip())
        table.resizeColumnToContents(RESULT)
        table.setColumnWidth(RESULT, max(table.columnWidth(RESULT) + 8, 150))
        table.setUpdatesEnabled(True)
        accepted = sum(1 for p in self.previews if p.accepted)
        self.verdict.setText(verdict_text(self.previews))
        self.import_button.setText(f"Nhập {accepted} bài nộp")
        self.import_button.setEnabled(accepted > 0)
        first = next((i for i, p in enumerate(self.previews) if p.status == "rejected"), 0)
        if self.previews:
            table.setCurrentCell(first, 0)
            self._show_details(first)

    def _show_details(self, row: int) -> None:
        if not 0 <= row < len(self.previews):
            self.details.clear()
            return
        self.details.setHtml(details_html(self.previews[row]))

    # --- importing ---------------------------------------------------------------------------------
    def do_import(self) -> None:
        from parclerk.services.submissions import import_submissions
        from parclerk.ui.auto_backup import backed_up

        accepted = sum(1 for p in self.previews if p.accepted)
        if not accepted:
            return
        self.import_button.setEnabled(False)
        self.runner.run_op(
            self,
            backed_up(import_submissions, self.runner.db_path),  # a "truoc-nhap" backup first
            list(self.files),
            year=self.year,
            on_done=self._imported,
            on_error=self._failed,
            label=f"Đang nhập {accepted} bài nộp…",
        )

    def _failed(self, _error) -> bool:
        self.import_button.setEnabled(any(p.accepted for p in self.previews))
        return False  # the runner shows the message

    def _imported(self, outcome) -> None:
        self.outcome = outcome
        self.accept()


def verdict_text(previews) -> str:
    """'18 tệp: 16 nhập mới, 1 thay bản cũ, 1 không nhập. Chưa lưu gì: …'."""
    if not previews:
        return "Chưa chọn tệp nào."
    counts = Counter(p.status for p in previews)
    parts = [f"{counts[status]} {label}" for status, label in _COUNTED.items() if counts[status]]
    text = f"{len(previews)} tệp: {', '.join(parts)}."
    years = sorted({p.year for p in previews if p.accepted and p.year is not None})
    if len(years) > 1:
        text += f" Có bài nộp của các năm {', '.join(str(y) for y in years)}."
    accepted = sum(1 for p in previews if p.accepted)
    if accepted:
        text += f" Chưa lưu gì: bấm “Nhập {accepted} bài nộp” để nhập."
    else:
        text += " Không có tệp nào để nhập."
    return text


def details_html(preview) -> str:
    """One file's preview for the panel under the table."""
    e = html.escape
    _background, colour, _icon = _LOOK[preview.status]
    lines = [
        f"<b>{e(preview.path.name)}</b> <span style='color:#666'>({e(str(preview.path.parent))})</span>",
        f"Kết quả: <b style='color:{colour}'>{e(preview.status_label)}</b>",
    ]
    if preview.unit_name:
        level = glossary.LEVELS.get(preview.unit_level, preview.unit_level)
        lines.append(
            f"Đơn vị: <b>{e(preview.unit_name)}</b>" + (f" ({e(level)})" if level else "")
            + f" — năm {preview.year}, phiên bản {preview.version}, xuất lúc {e(preview.exported_text)}"
        )  # fmt: skip
    if preview.set_name:
        lines.append(f"Bộ chỉ số: {e(preview.set_name)}")
    if preview.achieved is not None and preview.index_percent is not None:
        lines.append(
            f"Điểm tự chấm: {format_points(preview.achieved)}/{format_points(preview.maximum)} — chỉ số "
            f"{format_percent(preview.index_percent)}"
            + (f" — {e(preview.classification)}" if preview.classification else "")
            + f"; {preview.scored}/{preview.leaves} tiêu chí có điểm"
        )
    if preview.unit_name:
        lines.append(f"Tài liệu kiểm chứng: {preview.evidence_count} mục, {preview.files_count} tệp gửi kèm")
    if preview.change:
        lines.append(f"<span style='color:#0d47a1'>→ {e(preview.change)}</span>")
    for warning in preview.warnings:
        lines.append(f"<span style='color:#8a5a00'>Lưu ý: {e(warning)}</span>")
    for problem in preview.problems:
        lines.append(f"<span style='color:#b00020'><b>Không nhập:</b> {e(problem)}</span>")
    return "<br>".join(lines)


def _unique(files: list[Path]) -> list[Path]:
    """The files in order, each once (the same file chosen twice is read once)."""
    seen: set[str] = set()
    out = []
    for path in files:
        key = str(path.resolve()) if path.exists() else str(path)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out
