"""Báo cáo: pick the kind and the period (or the directive, or the year), see the figures, write the
narrative section by section, preview the pages, save the Word file as a draft or issue it with the year's
next number; the Sổ văn bản đi lists what was issued."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parclerk import dates
from parclerk.errors import ParclerkError, ValidationError
from parclerk.queries import Changes
from parclerk.reports.periodic import PERIOD_CHOICES
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner

_ROLE = Qt.ItemDataRole.UserRole


class ReportsView(QWidget):
    title = "Báo cáo"
    name = "reports"
    status_message = Signal(str)

    def __init__(self, runner: Runner, conn, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.conn = conn
        self.draft = None  # services.reports.Draft being edited
        self._section: str | None = None
        self._build()

    # --- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        from parclerk.services.reports import KINDS

        self.kind = QComboBox()
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dates.today().year)
        self.period = QComboBox()
        for key, label in PERIOD_CHOICES.items():
            self.period.addItem(label, key)
        self.number = QLineEdit()
        self.number.setPlaceholderText("Số, ký hiệu văn bản đến, ví dụ 107/UBND-NC")
        self.number.returnPressed.connect(self.open_draft)
        self.open_button = QPushButton("Mở báo cáo")
        self.open_button.clicked.connect(self.open_draft)
        top = QHBoxLayout()
        top.addWidget(QLabel("Loại:"))
        top.addWidget(self.kind, 2)
        self.year_label = QLabel("Năm:")
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        self.period_label = QLabel("Kỳ:")
        top.addWidget(self.period_label)
        top.addWidget(self.period)
        top.addWidget(self.number, 2)
        top.addWidget(self.open_button)

        self.heading = QLabel("Chọn loại báo cáo và kỳ, rồi bấm “Mở báo cáo”.")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 11pt; font-weight: bold;")
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sections = QListWidget()
        self.sections.setWordWrap(True)  # long headings wrap instead of running off the side
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.currentItemChanged.connect(lambda current, previous: self._switch(current, previous))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Nội dung phần này (mỗi đoạn một dòng). Để trống nếu chỉ cần số liệu.")
        self.section_title = QLabel()
        self.section_title.setStyleSheet("font-weight: bold;")
        self.section_title.setWordWrap(True)
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.section_title)
        editor_layout.addWidget(self.text, 1)
        splitter = QSplitter()
        splitter.addWidget(self.sections)
        splitter.addWidget(editor)
        splitter.setSizes([360, 800])

        self.outline_button = QPushButton("Sửa dàn ý…")
        self.outline_button.clicked.connect(self.edit_outline)
        self.save_button = QPushButton("Lưu nội dung")
        self.save_button.clicked.connect(self.save)
        self.preview_button = QPushButton("Xem trước")
        self.preview_button.clicked.connect(self.preview)
        self.draft_button = QPushButton("Lưu bản dự thảo (.docx)…")
        self.draft_button.clicked.connect(lambda: self.write(issue=False))
        self.issue_button = QPushButton("Cấp số và lưu (.docx)…")
        self.issue_button.setToolTip(
            "Lấy số văn bản đi tiếp theo của năm, ghi vào Sổ văn bản đi, rồi lưu tệp Word"
        )
        self.issue_button.clicked.connect(lambda: self.write(issue=True))
        buttons = QHBoxLayout()
        for button in (self.outline_button, self.save_button, self.preview_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.issue_button)

        writing = QWidget()
        layout = QVBoxLayout(writing)
        layout.addWidget(self.heading)
        layout.addWidget(self.figures)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.outgoing_year = QSpinBox()
        self.outgoing_year.setRange(2000, 2100)
        self.outgoing_year.setValue(dates.today().year)
        self.outgoing_year.valueChanged.connect(lambda _v: self.load_outgoing())
        self.outgoing = QTableWidget(0, 5)
        self.outgoing.setHorizontalHeaderLabels(["Số, ký hiệu", "Ngày", "Loại", "Trích yếu", "Nơi nhận"])
        self.outgoing.horizontalHeader().setStretchLastSection(True)
        self.outgoing.setColumnWidth(3, 520)
        self.outgoing.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        book = QWidget()
        book_layout = QVBoxLayout(book)
        row = QHBoxLayout()
        row.addWidget(QLabel("Năm:"))
        row.addWidget(self.outgoing_year)
        row.addStretch(1)
        book_layout.addLayout(row)
        book_layout.addWidget(self.outgoing, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(writing, "Lập báo cáo")
        self.tabs.addTab(book, "Sổ văn bản đi")
        self.tabs.currentChanged.connect(lambda index: self.load_outgoing() if index == 1 else None)
        main = QVBoxLayout(self)
        main.addLayout(top)
        main.addWidget(self.tabs, 1)
        self._kind_changed()
        self._enable(False)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.period.setVisible(kind in ("periodic", "units"))
        self.period_label.setVisible(kind in ("periodic", "units"))
        self.year.setVisible(kind != "directive")
        self.year_label.setVisible(kind != "directive")
        self.number.setVisible(kind == "directive")
        self.outline_button.setVisible(kind == "periodic")

    def _enable(self, on: bool) -> None:
        for widget in (self.save_button, self.preview_button, self.draft_button, self.issue_button,
                       self.outline_button, self.text):  # fmt: skip
            widget.setEnabled(on)

    # --- loading ---------------------------------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        if self.tabs.currentIndex() == 1 and self.isVisible():
            self.load_outgoing()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.draft is None:
            self.refresh()

    def refresh(self) -> None:
        """Open the periodic report of the period we are in (the one due next)."""
        today = dates.today()
        self.kind.setCurrentIndex(self.kind.findData("periodic"))
        self.year.setValue(today.year)
        current = "Q1" if today.month <= 3 else "H1" if today.month <= 6 else "Q3" if today.month <= 9 else ""
        self.period.setCurrentIndex(self.period.findData(current))
        self.open_draft()

    def subject(self) -> tuple[str, str]:
        """(kind, what the clerk chose): a period key, a year, or the directive's number."""
        kind = self.kind.currentData()
        if kind == "directive":
            return kind, self.number.text().strip()
        if kind == "assessment":
            return kind, str(self.year.value())
        suffix = self.period.currentData()
        return kind, f"{self.year.value()}-{suffix}" if suffix else str(self.year.value())

    def open_draft(self) -> None:
        from parclerk.services.reports import open_for_editing

        kind, chosen = self.subject()
        if kind == "directive" and not chosen:
            messages.error(self, "Báo cáo", "Hãy nhập số, ký hiệu của văn bản đến cần báo cáo.")
            return
        self.runner.run_query(self, open_for_editing, kind, chosen, on_done=self._show_draft)

    def _show_draft(self, opened) -> None:
        self.draft = opened.draft
        self._section = None
        self.heading.setText(
            opened.title
            + (f" — đã cấp số {', '.join(opened.draft.issued)}" if opened.draft.issued else " — bản dự thảo")
        )
        self.figures.setText(opened.figures)
        self.sections.clear()
        for key, label in opened.sections:
            item = QListWidgetItem(label)
            item.setData(_ROLE, key)
            item.setToolTip(label.strip())
            self.sections.addItem(item)
        if opened.draft.started_from:
            self.status_message.emit(
                f"Nội dung bắt đầu từ báo cáo {opened.draft.started_from}; hãy sửa cho kỳ này."
            )
        self._enable(True)
        self._kind_changed()
        if self.sections.count():
            self.sections.setCurrentRow(0)

    def _switch(self, current: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        self._keep_text()
        self._section = current.data(_ROLE) if current is not None else None
        title = current.text().strip() if current is not None else ""
        if title.endswith("[có số liệu]"):
            title = (
                title.removesuffix("[có số liệu]")
                + "— phần mềm tự điền số liệu (dòng trên); viết thêm nếu cần"
            )
        self.section_title.setText(title)
        self.text.setPlainText(
            self.draft.narrative.get(self._section, "") if self.draft and self._section else ""
        )

    def _keep_text(self) -> None:
        if self.draft is not None and self._section is not None:
            narrative = dict(self.draft.narrative)
            narrative[self._section] = self.text.toPlainText()
            self.draft = dataclasses.replace(self.draft, narrative=narrative)

    # --- actions ---------------------------------------------------------------------------------
    def save(self) -> None:
        from parclerk.services.reports import save_draft

        self._keep_text()
        if self.draft is None:
            return
        self.runner.run_op(
            self,
            save_draft,
            self.draft,
            on_done=lambda _r: self.status_message.emit("Đã lưu nội dung báo cáo."),
        )

    def preview(self) -> None:
        from parclerk.services.reports import preview_html
        from parclerk.ui import printing

        self._keep_text()
        if self.draft is None:
            return
        self.runner.run_query(
            self,
            preview_html,
            self.draft,
            on_done=lambda html: printing.preview_html(self, html, self.heading.text(), landscape=False),
            label="Đang dựng bản xem trước…",
        )

    def write(self, *, issue: bool) -> None:
        from parclerk.services.reports import answerable_items

        self._keep_text()
        if self.draft is None:
            return
        if issue:
            self.runner.run_query(self, answerable_items, on_done=self._ask_task)
        else:
            self._save_file(issue=False, task_item_id=None)

    def _ask_task(self, items) -> None:
        accepted, task_item_id = IssueDialog.ask(self, items)
        if accepted:
            self._save_file(issue=True, task_item_id=task_item_id)

    def _save_file(self, *, issue: bool, task_item_id: int | None) -> None:
        from parclerk.services.reports import write_report

        path = messages.save_path(self, "Lưu báo cáo Word", _file_name(self.draft), "Word (*.docx)")
        if path is None:
            return
        self.runner.run_op(
            self,
            write_report,
            self.draft,
            path,
            issue=issue,
            task_item_id=task_item_id,
            on_done=self._written,
            label="Đang lập báo cáo…",
        )

    def _written(self, written) -> None:
        what = (
            f"Đã cấp số {written.number_symbol} và lưu báo cáo vào"
            if written.number_symbol
            else ("Đã lưu bản dự thảo (chưa cấp số) vào")
        )
        messages.offer_to_open(self, "Đã lập báo cáo", what, written.path)
        self.open_draft()

    def edit_outline(self) -> None:
        from parclerk.services.reports import save_outline

        if self.draft is None:
            return
        dialog = OutlineDialog(self.draft.outline, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        outline = dialog.text.toPlainText()
        if dialog.remember.isChecked():
            self.runner.run_op(self, save_outline, outline, on_error=self._outline_error)
        self.draft = dataclasses.replace(self.draft, outline=outline)
        self._keep_text()
        self.save()
        self.open_draft()

    def _outline_error(self, error: ParclerkError) -> bool:
        if isinstance(error, ValidationError):
            messages.error(self, "Dàn ý chưa hợp lệ", error.message)
            return True
        return False

    def load_outgoing(self) -> None:
        from parclerk.services.reports import list_outgoing

        self.runner.run_query(self, list_outgoing, self.outgoing_year.value(), on_done=self._fill_outgoing)

    def _fill_outgoing(self, entries) -> None:
        self.outgoing.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            values = (entry.number_symbol, dates.format_dmy(entry.issued_date), entry.doc_type, entry.subject,
                      entry.recipients)  # fmt: skip
            for column, value in enumerate(values):
                self.outgoing.setItem(row, column, QTableWidgetItem(value))


def _file_name(draft) -> str:
    stem = {"periodic": "bao-cao-cchc", "assessment": "bao-cao-tu-danh-gia", "directive": "bao-cao-thuc-hien",
            "units": "bao-cao-nhiem-vu"}[draft.kind]  # fmt: skip
    return f"{stem}-{draft.subject_key}.docx"


class OutlineDialog(QDialog):
    """The periodic report's outline as text: one heading per line, markers for the figures."""

    def __init__(self, outline: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Dàn ý báo cáo định kỳ")
        help_text = QLabel(
            "Mỗi dòng một mục, có số thứ tự ở đầu: “I.” (phần), “1.” (mục), “a)” (ý). Thêm [số liệu văn bản], "
            "[số liệu nhiệm vụ] hoặc [chỉ số CCHC] sau tên mục để phần mềm điền số liệu; {KỲ TỚI} được thay bằng "
            "tên kỳ sau (ví dụ QUÝ II NĂM 2026)."
        )
        help_text.setWordWrap(True)
        self.text = QPlainTextEdit(outline)
        self.remember = QCheckBox("Dùng dàn ý này cho các kỳ báo cáo sau")
        self.remember.setChecked(True)
        buttons = messages.dialog_buttons(self, self.check)
        self.error_label = messages.error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.remember)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(760, 560)

    def check(self) -> None:
        from parclerk.reports.periodic import parse_outline

        try:
            parse_outline(self.text.toPlainText())
        except ValidationError as error:
            self.error_label.setText(error.message)
            return
        self.accept()


class IssueDialog(QDialog):
    """Before a number is taken: which task, if any, this report answers (it is then marked done)."""

    def __init__(self, items: list[tuple[int, str]], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Cấp số văn bản đi")
        note = QLabel(
            "Báo cáo sẽ nhận số văn bản đi tiếp theo của năm và được ghi vào Sổ văn bản đi. Nếu báo cáo này trả lời "
            "một nhiệm vụ, hãy chọn nhiệm vụ đó: nhiệm vụ được đánh dấu hoàn thành với số báo cáo."
        )
        note.setWordWrap(True)
        self.items = QComboBox()
        self.items.addItem("(không trả lời nhiệm vụ nào)", None)
        for item_id, label in items:
            self.items.addItem(label, item_id)
        buttons = messages.dialog_buttons(self, self.accept, text="Cấp số", save=False)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.items)
        layout.addWidget(buttons)
        self.resize(720, 160)

    @classmethod
    def ask(cls, parent, items: list[tuple[int, str]]) -> tuple[bool, int | None]:
        """(accepted, the task item it answers or None)."""
        dialog = cls(items, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False, None
        return True, dialog.items.currentData()
