"""The fields of an incoming document, as one form used by the edit dialog and the review dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from parclerk import glossary
from parclerk.errors import ValidationError
from parclerk.models import DirectiveInput
from parclerk.ui.widgets.date_edit import DateEdit

L = glossary.LABELS
ERROR_STYLE = "border: 1px solid #c62828; background: #fff5f5;"
UNCERTAIN_STYLE = "background: #fff4c2;"  # "check this": light yellow, still readable printed in grey
_REQUIRED = {"ngay_den", "issuer", "subject"}
_LINE_FIELDS = (
    "number", "issued_place", "signer", "signer_title", "assigned_to", "reply_number", "file_code", "notes",
)  # fmt: skip
_TEXT_FIELDS = ("subject", "direction", "recipients", "noi_nhan", "related_documents")
_DATE_FIELDS = ("ngay_den", "issued_date", "handed_date", "deadline", "handled_date")

# (field, row, column, column span); the review form leaves out what is filled in later.
_FULL_LAYOUT = [
    ("ngay_den", 0, 1, 1), ("issuer", 1, 0, 3), ("number", 2, 0, 1), ("issued_date", 2, 1, 1),
    ("doc_type", 3, 0, 1), ("issued_place", 3, 1, 1), ("subject", 4, 0, 3), ("signer", 5, 0, 1),
    ("signer_title", 5, 1, 1), ("urgency", 6, 0, 1), ("secrecy", 6, 1, 1), ("assigned_to", 7, 0, 1),
    ("handed_date", 7, 1, 1), ("deadline", 8, 0, 1), ("page_count", 8, 1, 1), ("direction", 9, 0, 3),
    ("handled_date", 10, 0, 1), ("reply_number", 10, 1, 1), ("file_code", 11, 0, 1), ("notes", 11, 1, 1),
]  # fmt: skip
_REVIEW_LAYOUT = [
    ("ngay_den", 0, 1, 1), ("issuer", 1, 0, 3), ("number", 2, 0, 1), ("issued_date", 2, 1, 1),
    ("doc_type", 3, 0, 1), ("issued_place", 3, 1, 1), ("subject", 4, 0, 3), ("signer", 5, 0, 1),
    ("signer_title", 5, 1, 1), ("urgency", 6, 0, 1), ("deadline", 6, 1, 1), ("assigned_to", 7, 0, 3),
    ("recipients", 8, 0, 3), ("related_documents", 9, 0, 3),
]  # fmt: skip


class DirectiveForm(QWidget):
    def __init__(self, issuers: list[str], parent: QWidget | None = None, *, review: bool = False):
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        f = self.fields
        for name in _DATE_FIELDS:
            f[name] = DateEdit()
        for name in _LINE_FIELDS:
            f[name] = QLineEdit()
        for name in _TEXT_FIELDS:
            f[name] = QPlainTextEdit()
            f[name].setTabChangesFocus(True)
            f[name].setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            f[name].setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            f[name].setFixedHeight(72 if name == "subject" else 52)
        f["number"].setPlaceholderText("ví dụ: 107/UBND-NC")
        f["issuer"] = QComboBox()
        f["issuer"].setEditable(True)
        f["issuer"].addItems(issuers)
        f["issuer"].setCurrentText("")
        completer = QCompleter(issuers, self)
        completer.setFilterMode(completer.filterMode().MatchContains)
        completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
        f["issuer"].setCompleter(completer)
        f["doc_type"] = QComboBox()
        f["doc_type"].setEditable(True)
        f["doc_type"].addItems(list(glossary.DOC_TYPES))
        f["urgency"] = QComboBox()
        for code, label in glossary.URGENCY.items():
            f["urgency"].addItem(label, code)
        f["secrecy"] = QComboBox()
        for code, label in glossary.SECRECY.items():
            f["secrecy"].addItem(label, code)
        f["page_count"] = QLineEdit()
        f["page_count"].setMaximumWidth(80)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        self.so_den_label = QLabel("Cấp tự động khi lưu")
        self.so_den_label.setStyleSheet("font-weight: bold;")
        grid.addWidget(QLabel(L["so_den"]), 0, 0)
        grid.addWidget(self.so_den_label, 0, 1)
        layout = _REVIEW_LAYOUT if review else _FULL_LAYOUT
        for name, row, col, span in layout:
            label = QLabel(L[name] + (" *" if name in _REQUIRED else ""))
            label.setBuddy(f[name])
            self.labels[name] = label
            grid.addWidget(label, row, col * 2)
            grid.addWidget(f[name], row, col * 2 + 1, 1, span)
        for name in set(f) - {entry[0] for entry in layout}:
            f[name].hide()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    def set_values(self, values: DirectiveInput) -> None:
        f = self.fields
        for name in _DATE_FIELDS:
            f[name].set_date(getattr(values, name))
        for name in _LINE_FIELDS:
            f[name].setText(getattr(values, name))
            f[name].setCursorPosition(0)  # show the start of a long entry, not its end
        for name in _TEXT_FIELDS:
            f[name].setPlainText(getattr(values, name))
        f["issuer"].setCurrentText(values.issuer)
        f["doc_type"].setCurrentText(values.doc_type)
        f["urgency"].setCurrentIndex(max(0, f["urgency"].findData(values.urgency)))
        f["secrecy"].setCurrentIndex(max(0, f["secrecy"].findData(values.secrecy)))
        f["page_count"].setText("" if values.page_count is None else str(values.page_count))

    def form(self) -> dict[str, object]:
        """What the clerk typed, as texts: the service parses and checks it."""
        values: dict[str, object] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText()
            elif name in ("urgency", "secrecy"):
                values[name] = widget.currentData()
            elif isinstance(widget, QComboBox):
                values[name] = widget.currentText()
            else:
                values[name] = widget.text()
        return values

    def show_errors(self, error: ValidationError) -> None:
        by_label = {L[name]: name for name in self.fields}
        for name, widget in self.fields.items():
            widget.setStyleSheet(ERROR_STYLE if L[name] in error.fields else "")
        first = next((by_label[label] for label in error.fields if label in by_label), None)
        if first:
            self.fields[first].setFocus()

    def mark_uncertain(self, names: set[str]) -> None:
        for name in names:
            if name in self.fields:
                self.fields[name].setStyleSheet(UNCERTAIN_STYLE)
                self.fields[name].setToolTip("parclerk chưa chắc chắn về thông tin này: hãy kiểm tra lại.")

    def clear_errors(self) -> None:
        for widget in self.fields.values():
            widget.setStyleSheet("")
