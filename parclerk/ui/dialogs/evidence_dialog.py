"""Thêm minh chứng: a document from the register (found by number or words, without diacritics), a file on
this PC, or a document named by hand (an outgoing report), with the section/page and the document's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parclerk import dates
from parclerk.errors import ParclerkError, ValidationError
from parclerk.queries import DirectiveQuery
from parclerk.tracking import document_head
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner
from parclerk.ui.widgets.date_edit import DateEdit

_ROLE = Qt.ItemDataRole.UserRole


class EvidenceDialog(QDialog):
    """Collects the keyword arguments of services.assessment.add_evidence and saves them."""

    def __init__(self, runner: Runner, assessment_id: int, code: str, title: str, year: int, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.assessment_id = assessment_id
        self.code = code
        self.year = year
        self.file: Path | None = None
        self.setWindowTitle(f"Thêm minh chứng cho mục {code}")
        self._build(title)
        self.resize(760, 520)
        self.search()

    def _build(self, title: str) -> None:
        heading = QLabel(f"<b>{self.code}.</b> {title}")
        heading.setWordWrap(True)
        self.tabs = QTabWidget()

        register = QWidget()
        self.query = QLineEdit()
        self.query.setPlaceholderText(
            "Tìm theo số, ký hiệu, trích yếu, cơ quan ban hành (gõ không dấu cũng được)"
        )
        self.query.returnPressed.connect(self.search)
        find = QPushButton("Tìm")
        find.clicked.connect(self.search)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(find)
        self.results = QListWidget()
        self.results.currentItemChanged.connect(lambda current, _previous: self._picked(current))
        self.results.itemDoubleClicked.connect(lambda _item: self.save())
        register_layout = QVBoxLayout(register)
        register_layout.addLayout(row)
        register_layout.addWidget(self.results, 1)
        self.tabs.addTab(register, "Văn bản trong sổ")

        file_page = QWidget()
        self.file_label = QLabel("Chưa chọn tệp.")
        self.file_label.setWordWrap(True)
        choose = QPushButton("Chọn tệp…")
        choose.clicked.connect(self.choose_file)
        file_layout = QVBoxLayout(file_page)
        file_layout.addWidget(
            QLabel("Tệp được chép vào thư mục dữ liệu của phần mềm (bản gốc trên máy giữ nguyên).")
        )
        file_layout.addWidget(choose)
        file_layout.addWidget(self.file_label)
        file_layout.addStretch(1)
        self.tabs.addTab(file_page, "Tệp trên máy")

        other = QWidget()
        self.description = QLineEdit()
        self.description.setPlaceholderText(
            "ví dụ: Báo cáo số 12/BC-UBND ngày 14/6/2025 của UBND xã (văn bản đi)"
        )
        other_layout = QFormLayout(other)
        other_layout.addRow("Tên tài liệu:", self.description)
        self.tabs.addTab(other, "Văn bản khác")

        self.locator = QLineEdit()
        self.locator.setPlaceholderText("ví dụ: Mục II, trang 3")
        self.date = DateEdit()
        self.date_note = QLabel()
        self.date_note.setStyleSheet("color: #8a5a00;")
        self.date.textChanged.connect(lambda _t: self._check_year())
        details = QFormLayout()
        details.addRow("Mục, trang:", self.locator)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date)
        date_row.addWidget(self.date_note, 1)
        details.addRow("Ngày của tài liệu:", date_row)
        self.error_label = messages.error_label()

        buttons = messages.dialog_buttons(self, self.save, text="Thêm minh chứng")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(details)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    # --- the register ------------------------------------------------------------------------------
    def search(self) -> None:
        from parclerk.services.directives import search_directives

        query = DirectiveQuery(text=self.query.text().strip(), include_cancelled=False)
        self.runner.run_query(self, search_directives, query, limit=100, on_done=self._fill)

    def _fill(self, found) -> None:
        self.results.clear()
        for directive in found:
            head = document_head(directive.number, directive.issued_date, directive.doc_type)
            item = QListWidgetItem(f"{head} — {directive.issuer}\n    {directive.subject}")
            item.setData(_ROLE, (directive.id, directive.issued_date))
            item.setToolTip(directive.subject)
            self.results.addItem(item)
        if not found:
            self.results.addItem("Không tìm thấy văn bản nào.")

    def _picked(self, item: QListWidgetItem | None) -> None:
        data = item.data(_ROLE) if item is not None else None
        if data and data[1]:
            self.date.set_date(data[1])

    # --- a file ------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        names = messages.open_file_names(self, "Chọn tệp minh chứng", "Mọi tệp (*)")
        if names:
            self.file = Path(names[0])
            self.file_label.setText(f"Tệp: {self.file}")

    # --- saving ------------------------------------------------------------------------------------
    def _check_year(self) -> None:
        try:
            day = dates.parse_dmy(self.date.text())
        except ValidationError:
            day = None
        outside = day is not None and day.year != self.year
        self.date_note.setText(f"Ngoài năm đánh giá {self.year}: kiểm tra lại." if outside else "")

    def evidence_kwargs(self) -> dict:
        """What add_evidence needs for the open tab; a bad date raises ValidationError."""
        day: dt.date | None = dates.parse_dmy(self.date.text(), "Ngày của tài liệu")
        kwargs: dict = {"locator": self.locator.text(), "evidence_date": day}
        page = self.tabs.currentIndex()
        if page == 0:
            item = self.results.currentItem()
            data = item.data(_ROLE) if item is not None else None
            if not data:
                raise ValidationError({"Văn bản": "Hãy chọn một văn bản trong danh sách."})
            kwargs["directive_id"] = data[0]
        elif page == 1:
            if self.file is None:
                raise ValidationError({"Tệp": "Hãy chọn tệp minh chứng."})
            kwargs["file"] = self.file
        else:
            kwargs["description"] = self.description.text()
        return kwargs

    def save(self) -> None:
        from parclerk.services.assessment import add_evidence

        try:
            kwargs = self.evidence_kwargs()
        except ValidationError as error:
            self._error(error)
            return
        self.runner.run_op(
            self,
            add_evidence,
            self.assessment_id,
            self.code,
            **kwargs,
            on_done=lambda _c: self.accept(),
            on_error=self._error,
            label="Đang lưu minh chứng…" if "file" in kwargs else None,
        )

    def _error(self, error: ParclerkError) -> bool:
        self.error_label.setText(error.message)
        return True
