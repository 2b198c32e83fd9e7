"""Tự đánh giá CCHC: score the year's criteria set item by item, with the totals always in sight."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from parclerk.criteria import format_points
from parclerk.errors import ParclerkError, ValidationError
from parclerk.queries import Changes
from parclerk.ui.models.assessment_tree import SELF, AssessmentTreeModel
from parclerk.ui.runner import Runner


class AssessmentView(QWidget):
    title = "Tự đánh giá CCHC"
    name = "assessment"
    status_message = Signal(str)

    def __init__(self, runner: Runner, conn, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.conn = conn
        self.current = None  # services.assessment.AssessmentView
        self._stale = True
        self.model = AssessmentTreeModel(self)
        self.model.score_edited.connect(self.save_score)
        self._build()

    def _build(self) -> None:
        self.chooser = QComboBox()
        self.chooser.currentIndexChanged.connect(lambda _i: self.load())
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 11pt; font-weight: bold;")
        self.summary.setWordWrap(True)
        self.sample_note = QLabel(
            "Đây là bộ chỉ số MẪU để thử phần mềm, không phải bộ chỉ số chính thức của tỉnh. Hãy nhập bộ chỉ số "
            "của năm từ tệp Excel (parclerk import-criteria)."
        )
        self.sample_note.setWordWrap(True)
        self.sample_note.setStyleSheet("background: #fff3b0; border: 1px solid #d4b100; padding: 4px;")
        self.sample_note.hide()

        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        for column, width in enumerate((118, 420, 80, 76, 80, 80, 240)):
            self.tree.setColumnWidth(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.tree.selectionModel().currentChanged.connect(lambda current, _previous: self.show_item(current))

        self.item_title = QLabel()
        self.item_title.setWordWrap(True)
        self.item_title.setStyleSheet("font-weight: bold;")
        self.item_rule = QLabel()
        self.item_rule.setWordWrap(True)
        self.item_evidence = QLabel()
        self.item_evidence.setWordWrap(True)
        self.choices = QVBoxLayout()
        self.score_edit = QLineEdit()
        self.score_edit.setPlaceholderText("ví dụ: 0,5")
        self.score_edit.returnPressed.connect(lambda: self._save_current_score())
        self.explanation = QPlainTextEdit()
        self.explanation.setPlaceholderText("Giải trình: vì sao chưa đạt điểm tối đa, tài liệu còn thiếu …")
        self.save_explanation = QPushButton("Lưu giải trình")
        self.save_explanation.clicked.connect(self._save_explanation)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error_label.setWordWrap(True)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.item_title)
        side_layout.addWidget(self.item_rule)
        side_layout.addLayout(self.choices)
        score_row = QHBoxLayout()
        score_row.addWidget(QLabel("Tự chấm:"))
        score_row.addWidget(self.score_edit)
        side_layout.addLayout(score_row)
        side_layout.addWidget(self.item_evidence)
        side_layout.addWidget(QLabel("Giải trình:"))
        side_layout.addWidget(self.explanation, 1)
        side_layout.addWidget(self.save_explanation)
        side_layout.addWidget(self.error_label)
        side.setMinimumWidth(300)

        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        top = QHBoxLayout()
        top.addWidget(QLabel("Bản tự đánh giá:"))
        top.addWidget(self.chooser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sample_note)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    # --- loading ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def on_changes(self, changes: Changes) -> None:
        if changes.assessment:
            if self.isVisible():
                self.load()
            else:
                self._stale = True

    def refresh(self) -> None:
        from parclerk.services.assessment import list_assessments

        self._stale = False
        self.runner.run_query(self, list_assessments, on_done=self._fill_chooser)

    def _fill_chooser(self, assessments) -> None:
        current = self.chooser.currentData()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for assessment_id, year, set_name in assessments:
            self.chooser.addItem(f"Năm {year} — {set_name}", assessment_id)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(current)))
        self.chooser.blockSignals(False)
        if not assessments:
            self.summary.setText("Chưa có bản tự đánh giá nào. Hãy nhập bộ chỉ số của năm từ tệp Excel.")
            return
        self.load()

    def load(self, *, keep: str | None = None) -> None:
        from parclerk.services.assessment import view_assessment

        assessment_id = self.chooser.currentData()
        if assessment_id is None:
            return
        code = keep or self._current_code()
        self.runner.run_query(self, view_assessment, assessment_id, on_done=lambda v: self._show(v, code))

    def _current_code(self) -> str | None:
        item = self.model.item(self.tree.currentIndex())
        return item.criterion.code if item else None

    def _show(self, view, code: str | None) -> None:
        self.current = view
        self.model.set_rows(view.rows)
        self.tree.expandAll()
        t, a = view.totals, view.appraised_totals
        text = (
            f"Tự chấm: {format_points(t.achieved)}/{format_points(t.maximum)} điểm — chỉ số "
            f"{str(t.index_percent).replace('.', ',')}%"
            + (f" — {t.classification}" if t.classification else "")
        )
        if a.achieved or not a.unscored:
            gap = a.achieved - t.achieved
            text += f"   |   Thẩm định: {format_points(a.achieved)} (chênh {format_points(gap)})"
        if t.unscored:
            text += f"   |   Còn {len(t.unscored)} mục chưa chấm"
        if t.survey_points:
            text += f"   |   Trong đó điều tra XHH: {format_points(t.survey_points)}"
        self.summary.setText(text)
        self.sample_note.setVisible(view.sample)
        index = self.model.index_of(code) if code else self.model.index(0, 0)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.show_item(index)

    # --- one item --------------------------------------------------------------------------------
    def show_item(self, index) -> None:
        row = self.model.item(index)
        while self.choices.count():
            widget = self.choices.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.error_label.clear()
        if row is None:
            return
        c = row.criterion
        leaf = self.model.rowCount(self.model.index_of(c.code)) == 0
        self.item_title.setText(f"{c.code}. {c.title} — tối đa {format_points(c.maximum)} điểm")
        self.item_rule.setText(f"Cách chấm: {c.rule.text}" if c.rule.text else "")
        self.item_evidence.setText(
            (f"Tài liệu kiểm chứng cần có: {c.evidence}\n" if c.evidence else "")
            + f"Minh chứng đã gắn: {row.evidence_count}"
        )
        editable = leaf and not c.survey
        self.score_edit.setEnabled(editable)
        self.score_edit.setText(format_points(row.self_score) if leaf else "")
        self.explanation.setPlainText(row.explanation)
        self.explanation.setEnabled(leaf)
        self.save_explanation.setEnabled(leaf)
        if editable and c.rule.kind == "options":
            for option in c.rule.options:
                button = QPushButton(f"{option.label}: {format_points(option.points)}")
                button.setStyleSheet("text-align: left; padding: 4px;")
                button.clicked.connect(
                    lambda _checked=False, p=option.points: self.save_score(c.code, format_points(p))
                )
                self.choices.addWidget(button)

    def _save_current_score(self) -> None:
        code = self._current_code()
        if code:
            self.save_score(code, self.score_edit.text())

    def save_score(self, code: str, text: str) -> None:
        from parclerk.services.assessment import set_score

        if self.current is None:
            return
        self.runner.run_op(
            self,
            set_score,
            self.current.assessment_id,
            code,
            text.strip() or None,
            on_done=lambda _c: self.load(keep=code),
            on_error=self._error,
        )

    def _save_explanation(self) -> None:
        from parclerk.services.assessment import set_score

        code = self._current_code()
        row = self.model.item(self.tree.currentIndex())
        if self.current is None or code is None or row is None:
            return
        self.runner.run_op(
            self,
            set_score,
            self.current.assessment_id,
            code,
            row.self_score,
            explanation=self.explanation.toPlainText(),
            on_done=lambda _c: self.load(keep=code),
            on_error=self._error,
        )

    def _error(self, error: ParclerkError) -> bool:
        if isinstance(error, ValidationError):
            self.error_label.setText("\n".join(error.fields.values()))
            return True
        return False

    def select_code(self, code: str) -> None:
        index = self.model.index_of(code, SELF)
        if index.isValid():
            self.tree.setCurrentIndex(index)
