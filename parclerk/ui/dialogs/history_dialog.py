"""Lịch sử thay đổi: the audit trail of one record (a directive, a task, a criterion, the settings) or of all
records, newest first. Read-only: the history is kept by the database and cannot be edited here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parclerk.services import history
from parclerk.ui.dialogs import messages

if TYPE_CHECKING:
    from parclerk.services.history import Change
    from parclerk.ui.runner import Runner

HEADERS = ("Thời điểm", "Mục", "Thay đổi", "Giá trị cũ", "Giá trị mới")
LIMIT = 1000  # rows a window shows; the CLI (`parclerk history --limit`) reaches further back


class HistoryTable(QTableWidget):
    """Changes as rows: when, which part of the record, what was done, old value, new value."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(HEADERS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(24)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate((120, 170, 190, 200)):
            self.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

    def show_changes(self, changes: Sequence[Change]) -> None:
        self.setRowCount(len(changes))
        for row, change in enumerate(changes):
            what = f"{change.action} {change.field}".strip() if change.field else change.action
            old, new = change.old, change.new
            if change.kind == "update":
                old, new = old or history.EMPTY, new or history.EMPTY
            for column, text in enumerate((change.when, change.record, what, old, new)):
                flat = " / ".join(text.splitlines())
                item = QTableWidgetItem(flat)
                item.setToolTip(text if len(text) < 2000 else text[:2000] + "…")
                self.setItem(row, column, item)


class HistoryDialog(QDialog):
    """A record's history (`load(db) -> changes` on the worker) or, with `kinds`, the log of all records."""

    def __init__(
        self,
        runner: Runner,
        title: str,
        load: Callable[..., list[Change]] | None = None,
        parent: QWidget | None = None,
        *,
        intro: str = "",
    ):
        super().__init__(parent)
        self.runner = runner
        self._load = load
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.intro = QLabel(
            intro
            or "Mọi thay đổi được ghi tự động khi lưu: sửa gì, lúc nào, giá trị cũ và giá trị mới. "
            "Lịch sử không sửa, xóa được. Di chuột lên một ô để xem hết nội dung."
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.kind = None
        if load is None:
            row = QHBoxLayout()
            row.addWidget(QLabel("Loại:"))
            self.kind = QComboBox()
            for key, (label, _prefixes) in history.KINDS.items():
                self.kind.addItem(label, key)
            self.kind.currentIndexChanged.connect(self.reload)
            row.addWidget(self.kind)
            row.addStretch(1)
            layout.addLayout(row)
        self.table = HistoryTable(self)
        if load is None:
            self.table.setColumnWidth(1, 290)  # the record's name: "Văn bản đến 53/2026 (145/BCĐ-CCHC)"
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        messages.set_button_texts(buttons)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(1000, 560)
        self.runner.changed.connect(lambda _changes: self.reload())
        self.reload()

    def reload(self) -> None:
        if self._load is not None:
            self.runner.run_query(self, self._load, on_done=self._show)
        else:
            assert self.kind is not None
            kind = self.kind.currentData() or ""
            self.runner.run_query(self, _recent, kind, on_done=self._show)

    def _show(self, changes: list[Change]) -> None:
        self.table.show_changes(changes)
        if not changes:
            self.count_label.setText("Chưa có thay đổi nào được ghi lại.")
        elif len(changes) >= LIMIT:
            self.count_label.setText(f"{LIMIT:,} thay đổi mới nhất.".replace(",", "."))
        else:
            self.count_label.setText(f"{len(changes):,} thay đổi.".replace(",", "."))


def _recent(db, kind: str) -> list[Change]:
    return history.recent(db, kind=kind, limit=LIMIT)
