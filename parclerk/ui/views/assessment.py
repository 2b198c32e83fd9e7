"""Tự đánh giá CCHC: score the year's criteria set item by item with evidence and explanations, the totals
always in sight; see where points are lost and how this year compares with last year; import the year's
set from Excel, start a new year from last year's, export the scoring table."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parclerk import dates
from parclerk.criteria import format_percent, format_points
from parclerk.errors import ParclerkError, ValidationError
from parclerk.queries import Changes
from parclerk.ui.dialogs import messages
from parclerk.ui.models.assessment_tree import SELF, AssessmentTreeModel
from parclerk.ui.runner import Runner

_ROLE = Qt.ItemDataRole.UserRole
_RED = QBrush(QColor("#b00020"))
_GREEN = QBrush(QColor("#1b5e20"))
_AMBER = QBrush(QColor("#8a5a00"))


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

    # --- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.chooser = QComboBox()
        self.chooser.currentIndexChanged.connect(lambda _i: self.load())
        self.import_button = QPushButton("Nhập bộ chỉ số từ Excel…")
        self.import_button.clicked.connect(self.import_criteria)
        self.new_year_button = QPushButton("Năm mới từ năm trước…")
        self.new_year_button.setToolTip(
            "Mở bản tự đánh giá năm sau theo bộ chỉ số đang xem: điểm để trống, minh chứng giữ làm gợi ý"
        )
        self.new_year_button.clicked.connect(self.start_new_year)
        self.ranks_button = QPushButton("Xếp loại…")
        self.ranks_button.clicked.connect(self.edit_classifications)
        self.export_button = QPushButton("Xuất Excel…")
        self.export_button.clicked.connect(self.export_xlsx)
        self.submission_button = QPushButton("Xuất bài nộp…")
        self.submission_button.setToolTip(
            "Xuất bản tự đánh giá thành một tệp .zip gửi cơ quan tổng hợp (thư điện tử hoặc USB)"
        )
        self.submission_button.clicked.connect(self.export_submission)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 11pt; font-weight: bold;")
        self.summary.setWordWrap(True)
        self.sample_note = QLabel(
            "Đây là bộ chỉ số MẪU để thử phần mềm, không phải bộ chỉ số chính thức của tỉnh. Hãy nhập bộ chỉ số "
            "của năm từ tệp Excel (nút “Nhập bộ chỉ số từ Excel…”)."
        )
        self.sample_note.setWordWrap(True)
        self.sample_note.setStyleSheet("background: #fff3b0; border: 1px solid #d4b100; padding: 4px;")
        self.sample_note.hide()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._scoring_page(), "Chấm điểm")
        self.tabs.addTab(self._lost_page(), "Điểm bị mất")
        self.tabs.addTab(self._compare_page(), "So với năm trước")
        self.tabs.currentChanged.connect(lambda _i: self._load_tab())

        top = QHBoxLayout()
        top.addWidget(QLabel("Bản tự đánh giá:"))
        top.addWidget(self.chooser, 1)
        for button in (self.import_button, self.new_year_button, self.ranks_button, self.export_button,
                       self.submission_button):  # fmt: skip
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sample_note)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    def _scoring_page(self) -> QWidget:
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
        self.tree.setIndentation(14)
        for column, width in enumerate((92, 300, 82, 66, 76, 96, 170)):
            self.tree.setColumnWidth(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.tree.selectionModel().currentChanged.connect(lambda current, _previous: self.show_item(current))

        self.item_title = QLabel()
        self.item_title.setWordWrap(True)
        self.item_title.setStyleSheet("font-weight: bold;")
        self.item_rule = QLabel()
        self.item_rule.setWordWrap(True)
        self.choices = QVBoxLayout()
        self.score_edit = QLineEdit()
        self.score_edit.setPlaceholderText("ví dụ: 0,5")
        self.score_edit.returnPressed.connect(lambda: self._save_current_score())
        self.appraised_edit = QLineEdit()
        self.appraised_edit.setPlaceholderText("của tỉnh")
        self.appraised_edit.returnPressed.connect(lambda: self._save_current_score(appraised=True))
        self.item_evidence = QLabel()
        self.item_evidence.setWordWrap(True)
        self.evidence_list = QListWidget()
        self.evidence_list.setWordWrap(True)
        self.evidence_list.setMaximumHeight(130)
        self.evidence_list.currentItemChanged.connect(lambda _c, _p: self._evidence_buttons())
        self.evidence_list.itemDoubleClicked.connect(lambda _item: self.open_evidence())
        self.add_evidence_button = QPushButton("Thêm minh chứng…")
        self.add_evidence_button.clicked.connect(self.add_evidence)
        self.confirm_button = QPushButton("Dùng cho năm nay")
        self.confirm_button.setToolTip("Giữ minh chứng gợi ý từ năm trước làm minh chứng của năm nay")
        self.confirm_button.clicked.connect(self.confirm_evidence)
        self.open_button = QPushButton("Mở tệp")
        self.open_button.clicked.connect(self.open_evidence)
        self.remove_button = QPushButton("Gỡ minh chứng")
        self.remove_button.clicked.connect(self.remove_evidence)
        self.explanation = QPlainTextEdit()
        self.explanation.setTabChangesFocus(True)
        self.explanation.setPlaceholderText("Giải trình: vì sao chưa đạt điểm tối đa, tài liệu còn thiếu …")
        self.save_explanation = QPushButton("Lưu giải trình")
        self.save_explanation.clicked.connect(self._save_explanation)
        self.history_button = QPushButton("Lịch sử điểm…")
        self.history_button.setToolTip("Các lần sửa điểm, giải trình và minh chứng của tiêu chí này")
        self.history_button.clicked.connect(self.show_history)
        self.error_label = messages.error_label()

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.item_title)
        side_layout.addWidget(self.item_rule)
        side_layout.addLayout(self.choices)
        score_row = QHBoxLayout()
        score_row.addWidget(QLabel("Tự chấm:"))
        score_row.addWidget(self.score_edit)
        score_row.addWidget(QLabel("Thẩm định:"))
        score_row.addWidget(self.appraised_edit)
        side_layout.addLayout(score_row)
        side_layout.addWidget(self.item_evidence)
        side_layout.addWidget(self.evidence_list)
        evidence_buttons = QGridLayout()
        evidence_buttons.addWidget(self.add_evidence_button, 0, 0)
        evidence_buttons.addWidget(self.confirm_button, 0, 1)
        evidence_buttons.addWidget(self.open_button, 1, 0)
        evidence_buttons.addWidget(self.remove_button, 1, 1)
        side_layout.addLayout(evidence_buttons)
        side_layout.addWidget(QLabel("Giải trình:"))
        side_layout.addWidget(self.explanation, 1)
        explanation_row = QHBoxLayout()
        explanation_row.addWidget(self.save_explanation, 1)
        explanation_row.addWidget(self.history_button)
        side_layout.addLayout(explanation_row)
        side_layout.addWidget(self.error_label)
        side.setMinimumWidth(300)

        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([880, 340])
        return splitter

    def _lost_page(self) -> QWidget:
        self.lost_grouping = QComboBox()
        self.lost_grouping.addItem("Theo lĩnh vực", "field")
        self.lost_grouping.addItem("Theo đơn vị phụ trách", "department")
        self.lost_grouping.currentIndexChanged.connect(lambda _i: self._load_tab())
        self.lost_summary = QLabel()
        self.lost_summary.setWordWrap(True)
        self.lost_tree = QTreeWidget()
        self.lost_tree.setHeaderLabels(["Mã", "Nội dung", "Tự chấm", "Nguy cơ mất", "Vì sao", "Giải trình"])
        self.lost_tree.setAlternatingRowColors(True)
        for column, width in enumerate((100, 380, 80, 90, 260)):
            self.lost_tree.setColumnWidth(column, width)
        self.lost_tree.itemDoubleClicked.connect(lambda item, _c: self._go_to(item.data(0, _ROLE)))
        row = QHBoxLayout()
        row.addWidget(QLabel("Nhóm:"))
        row.addWidget(self.lost_grouping)
        row.addWidget(self.lost_summary, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.lost_tree, 1)
        layout.addWidget(QLabel("Nhấp đúp một mục để chấm điểm, thêm minh chứng hoặc giải trình."))
        return page

    def _compare_page(self) -> QWidget:
        self.compare_summary = QLabel()
        self.compare_summary.setWordWrap(True)
        self.compare_tree = QTreeWidget()
        self.compare_tree.setRootIsDecorated(False)
        self.compare_tree.setAlternatingRowColors(True)
        self.compare_tree.setHeaderLabels(
            ["Mã", "Nội dung", "Điểm tối đa", "Năm nay", "Năm trước", "Chênh lệch"]
        )
        for column, width in enumerate((100, 480, 80, 80, 80, 80)):
            self.compare_tree.setColumnWidth(column, width)
        self.compare_tree.itemDoubleClicked.connect(lambda item, _c: self._go_to(item.data(0, _ROLE)))
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.compare_summary)
        layout.addWidget(self.compare_tree, 1)
        return page

    # --- loading ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def on_changes(self, changes: Changes) -> None:
        if changes.assessment or changes.directives:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def refresh(self) -> None:
        from parclerk.services.assessment import list_assessments

        self._stale = False
        self.runner.run_query(self, list_assessments, on_done=self._fill_chooser)

    def _fill_chooser(self, assessments, select: int | None = None) -> None:
        current = select if select is not None else self.chooser.currentData()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for assessment_id, year, set_name in assessments:
            self.chooser.addItem(f"Năm {year} — {set_name}", assessment_id)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(current)))
        self.chooser.blockSignals(False)
        for button in (self.new_year_button, self.ranks_button, self.export_button, self.submission_button):
            button.setEnabled(bool(assessments))
        if not assessments:
            self.current = None
            self.model.set_rows([])
            self.summary.setText(
                "Chưa có bản tự đánh giá nào. Bấm “Nhập bộ chỉ số từ Excel…” để nhập bộ chỉ số của năm."
            )
            return
        self.load()

    def select_assessment(self, assessment_id: int) -> None:
        from parclerk.services.assessment import list_assessments

        self.runner.run_query(
            self, list_assessments, on_done=lambda found: self._fill_chooser(found, select=assessment_id)
        )

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
            f"Tự chấm: {format_points(t.achieved)}/{format_points(t.maximum)} điểm — chỉ số {format_percent(t.index_percent)}"
            + (f" — {t.classification}" if t.classification else "")
        )
        if a.achieved or not a.unscored:
            gap = a.achieved - t.achieved
            text += (
                f"   |   Thẩm định: {format_points(a.achieved)} — {format_percent(a.index_percent)}"
                f" (chênh {format_points(gap)})"
            )
        if t.unscored:
            text += f"   |   Còn {len(t.unscored)} mục chưa chấm"
        survey = a.survey_points or t.survey_points
        if survey:
            text += f"   |   Trong đó điều tra XHH: {format_points(survey)}"
        self.summary.setText(text)
        self.sample_note.setVisible(view.sample)
        index = self.model.index_of(code) if code else self.model.index(0, 0)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.show_item(index)
        self._load_tab()

    def _load_tab(self) -> None:
        from parclerk.services.assessment import compare_years, lost_points

        if self.current is None:
            return
        if self.tabs.currentIndex() == 1:
            self.runner.run_query(self, lost_points, self.current.assessment_id, on_done=self._show_lost)
        elif self.tabs.currentIndex() == 2:
            self.runner.run_query(self, compare_years, self.current.assessment_id, on_done=self._show_compare)

    def _show_lost(self, items) -> None:
        from parclerk.services.assessment import LOST_REASONS, group_lost

        self.lost_tree.clear()
        total = sum(item.at_stake for item in items)
        self.lost_summary.setText(
            f"{len(items)} mục cần xem lại — {format_points(total)} điểm có nguy cơ mất "
            "(điểm tự chấm còn thiếu, cộng điểm đã chấm mà chưa có minh chứng)."
            if items
            else "Không có mục nào bị mất điểm, thiếu minh chứng hay thiếu giải trình."
        )
        for label, group, at_stake in group_lost(items, self.lost_grouping.currentData()):
            head = QTreeWidgetItem(
                self.lost_tree, [f"{label} — {len(group)} mục, {format_points(at_stake)} điểm có nguy cơ mất"]
            )
            head.setFirstColumnSpanned(True)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            for item in group:
                c = item.criterion
                own = format_points(item.self_score) if item.self_score is not None else "—"
                node = QTreeWidgetItem(
                    head,
                    [
                        c.code,
                        c.title,
                        f"{own}/{format_points(c.maximum)}",
                        format_points(item.at_stake),
                        "; ".join(LOST_REASONS[r] for r in item.reasons),
                        item.explanation,
                    ],
                )
                node.setData(0, _ROLE, c.code)
                node.setToolTip(1, c.title)
                node.setToolTip(5, item.explanation)
                if "below" in item.reasons or "unscored" in item.reasons:
                    node.setForeground(3, _RED)
            head.setData(0, _ROLE, group[0].criterion.code)
        self.lost_tree.expandAll()

    def _show_compare(self, comparison) -> None:
        self.compare_tree.clear()
        if comparison.last_year is None:
            self.compare_summary.setText("Chưa có bản tự đánh giá của năm trước để so sánh.")
        else:
            gap = comparison.this_total - (comparison.last_total or 0)
            parts = [
                f"Năm {comparison.this_year}: {format_points(comparison.this_total)} điểm; năm "
                f"{comparison.last_year}: {format_points(comparison.last_total)} điểm "
                f"({'+' if gap > 0 else ''}{format_points(gap)}).",
                f"{comparison.matched} mục trùng mã được so sánh",
            ]
            if comparison.only_this:
                parts.append(f"{comparison.only_this} mục mới năm nay")
            if comparison.only_last:
                parts.append(f"{comparison.only_last} mục chỉ có năm trước (cuối bảng)")
            self.compare_summary.setText(parts[0] + " " + ", ".join(parts[1:]) + ".")
        for row in comparison.rows:
            difference = row.difference
            node = QTreeWidgetItem(
                self.compare_tree,
                [
                    row.code,
                    ("    " * row.depth) + row.title,
                    format_points(row.maximum),
                    format_points(row.this_year),
                    format_points(row.last_year),
                    ("+" if difference and difference > 0 else "") + format_points(difference),
                ],
            )
            node.setData(0, _ROLE, row.code if row.maximum is not None else None)
            node.setToolTip(1, row.title)
            if difference:
                node.setForeground(5, _GREEN if difference > 0 else _RED)
            if row.maximum is None:
                node.setForeground(1, _AMBER)
            if row.depth == 0:
                font = node.font(0)
                font.setBold(True)
                for column in range(6):
                    node.setFont(column, font)
            for column in range(2, 6):
                node.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)

    def _go_to(self, code: str | None) -> None:
        if code:
            self.tabs.setCurrentIndex(0)
            self.select_code(code)

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
            (f"Tài liệu kiểm chứng cần có: {c.evidence}" if c.evidence else "Minh chứng:")
            + (f"\nĐơn vị phụ trách: {c.department}" if c.department else "")
        )
        editable = leaf and not c.survey
        self.score_edit.setEnabled(editable)
        self.score_edit.setText(format_points(row.self_score) if leaf else "")
        self.appraised_edit.setEnabled(leaf)
        self.appraised_edit.setText(format_points(row.appraised_score) if leaf else "")
        self.explanation.setPlainText(row.explanation)
        self.explanation.setEnabled(leaf)
        self.save_explanation.setEnabled(leaf)
        self.add_evidence_button.setEnabled(leaf)
        if editable and c.rule.kind == "options":
            for option in c.rule.options:
                button = QPushButton(f"{option.label}: {format_points(option.points)}")
                button.setStyleSheet("text-align: left; padding: 4px;")
                button.setCheckable(True)
                button.setChecked(row.self_score == option.points)
                button.clicked.connect(
                    lambda _checked=False, p=option.points: self.save_score(c.code, format_points(p))
                )
                self.choices.addWidget(button)
        self._load_evidence(c.code if leaf else None)

    def _save_current_score(self, *, appraised: bool = False) -> None:
        code = self._current_code()
        if code:
            edit = self.appraised_edit if appraised else self.score_edit
            self.save_score(code, edit.text(), appraised)

    def save_score(self, code: str, text: str, appraised: bool = False) -> None:
        from parclerk.services.assessment import set_score

        if self.current is None:
            return
        self.runner.run_op(
            self,
            set_score,
            self.current.assessment_id,
            code,
            text.strip() or None,
            appraised=appraised,
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

    def show_history(self):
        """The chosen criterion's history: scores, explanations, evidence (with its sub-criteria's)."""
        from parclerk.services.history import score_history
        from parclerk.ui.dialogs.history_dialog import HistoryDialog

        code = self._current_code()
        if self.current is None or code is None:
            return None
        assessment_id = self.current.assessment_id
        dialog = HistoryDialog(
            self.runner,
            f"Lịch sử thay đổi — tiêu chí {code}",
            lambda db: score_history(db, assessment_id, code),
            self,
        )
        dialog.open()
        return dialog

    def _error(self, error: ParclerkError) -> bool:
        if isinstance(error, ValidationError):
            self.error_label.setText("\n".join(error.fields.values()))
            return True
        return False

    def select_code(self, code: str) -> None:
        index = self.model.index_of(code, SELF)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    # --- evidence --------------------------------------------------------------------------------
    def _load_evidence(self, code: str | None) -> None:
        from parclerk.services.assessment import list_evidence

        self.evidence_list.clear()
        self._evidence_buttons()
        if code is None or self.current is None:
            return
        self.runner.run_query(
            self, list_evidence, self.current.assessment_id, code, on_done=self._show_evidence
        )

    def _show_evidence(self, items) -> None:
        self.evidence_list.clear()
        for item in items:
            text = item.label
            details = [part for part in (item.locator, dates.format_dmy(item.evidence_date)) if part]
            if details:
                text += f" ({', '.join(details)})"
            if item.suggested:
                text = f"[Gợi ý từ năm trước] {text}"
            elif item.out_of_year:
                text += f" — ngoài năm {self.current.year}"
            entry = QListWidgetItem(text)
            entry.setData(_ROLE, item)
            entry.setToolTip(text)
            if item.suggested:
                entry.setForeground(QBrush(QColor("#707070")))
            elif item.out_of_year:
                entry.setForeground(_AMBER)
            self.evidence_list.addItem(entry)
        if not items:
            self.evidence_list.addItem("Chưa có minh chứng.")
        self._evidence_buttons()

    def _selected_evidence(self):
        item = self.evidence_list.currentItem()
        return item.data(_ROLE) if item is not None else None

    def _evidence_buttons(self) -> None:
        chosen = self._selected_evidence()
        self.confirm_button.setEnabled(bool(chosen and chosen.suggested))
        self.open_button.setEnabled(bool(chosen and (chosen.sha256 or chosen.directive_id)))
        self.remove_button.setEnabled(chosen is not None)

    def add_evidence(self) -> None:
        from parclerk.ui.dialogs.evidence_dialog import EvidenceDialog

        row = self.model.item(self.tree.currentIndex())
        if self.current is None or row is None:
            return
        code = row.criterion.code
        dialog = EvidenceDialog(
            self.runner, self.current.assessment_id, code, row.criterion.title, self.current.year, self
        )
        if dialog.exec():
            self.load(keep=code)

    def confirm_evidence(self) -> None:
        from parclerk.services.assessment import confirm_evidence

        chosen = self._selected_evidence()
        if chosen is None or self.current is None:
            return
        code = chosen.code
        self.runner.run_op(self, confirm_evidence, chosen.id, on_done=lambda _c: self.load(keep=code))

    def remove_evidence(self) -> None:
        from parclerk.services.assessment import remove_evidence

        chosen = self._selected_evidence()
        if chosen is None:
            return
        if not messages.ask_yes_no(
            self, "Gỡ minh chứng", f"Gỡ minh chứng “{chosen.label}” khỏi mục {chosen.code}?"
        ):
            return
        code = chosen.code
        self.runner.run_op(self, remove_evidence, chosen.id, on_done=lambda _c: self.load(keep=code))

    def open_evidence(self) -> None:
        from parclerk.services.assessment import evidence_file_for_viewing

        chosen = self._selected_evidence()
        if chosen is None or not (chosen.sha256 or chosen.directive_id):
            return
        self.runner.run_query(self, evidence_file_for_viewing, chosen.id, on_done=messages.open_path)

    # --- the set and the year --------------------------------------------------------------------
    def import_criteria(self) -> None:
        from parclerk.ui.dialogs.criteria_import_dialog import CriteriaImportDialog

        dialog = CriteriaImportDialog(self.runner, self)
        if dialog.exec() and dialog.imported is not None:
            imported = dialog.imported
            if imported.assessment_id is not None:
                self.select_assessment(imported.assessment_id)
                note = " Minh chứng của năm trước được giữ làm gợi ý." if imported.carried_from else ""
                self.status_message.emit(f"Đã nhập bộ chỉ số và mở bản tự đánh giá mới.{note}")
            else:
                self.status_message.emit("Đã nhập bộ chỉ số.")

    def start_new_year(self) -> None:
        from parclerk.services.assessment import start_from_previous

        if self.current is None:
            return
        year = self.current.year + 1
        if not messages.ask_yes_no(
            self,
            "Năm mới từ năm trước",
            f"Mở bản tự đánh giá năm {year} theo bộ chỉ số của năm {self.current.year}?\n\n"
            "Điểm và giải trình để trống; minh chứng năm trước được giữ làm gợi ý để xác nhận lại. "
            f"Khi tỉnh ban hành bộ chỉ số năm {year}, hãy nhập bộ chỉ số đó từ Excel thay vì dùng cách này.",
        ):
            return
        self.runner.run_op(
            self, start_from_previous, self.current.assessment_id, year, on_done=self.select_assessment
        )

    def edit_classifications(self) -> None:
        from parclerk.services.assessment import load_set
        from parclerk.ui.dialogs.classification_dialog import ClassificationDialog

        if self.current is None:
            return
        set_id = self.current.set_id
        self.runner.run_query(
            self,
            load_set,
            set_id,
            on_done=lambda s: ClassificationDialog(self.runner, set_id, s.classifications, self).exec(),
        )

    def export_xlsx(self) -> None:
        from parclerk.excel.assessment_export import export_assessment_xlsx

        if self.current is None:
            return
        year = self.current.year
        path = messages.save_path(
            self, "Xuất bảng tự đánh giá", f"tu-danh-gia-cchc-{year}.xlsx", "Excel (*.xlsx)"
        )
        if path is None:
            return
        self.runner.run_query(
            self,
            export_assessment_xlsx,
            self.current.assessment_id,
            path,
            on_done=lambda count: messages.offer_to_open(
                self, "Đã xuất", f"Đã xuất bảng tự đánh giá năm {year} ({count} mục) ra", path
            ),
            label="Đang xuất bảng tự đánh giá…",
        )

    def export_submission(self) -> None:
        """The year's self-assessment as a package for the collecting office (services.submissions)."""
        from parclerk.services.submissions import next_export

        if self.current is None:
            return
        year = self.current.year
        self.runner.run_query(
            self, next_export, year, on_done=lambda found: self._save_submission(year, found[1])
        )

    def _save_submission(self, year: int, suggested: str) -> None:
        from parclerk.services.submissions import export_submission

        path = messages.save_path(self, "Xuất bài nộp", suggested, "Bài nộp Chỉ số CCHC (*.zip)")
        if path is None:
            return
        with_files = messages.ask_yes_no(
            self,
            "Xuất bài nộp",
            "Kèm tệp tài liệu kiểm chứng?\n\n“Có”: gửi kèm các tệp minh chứng đã lưu trong phần mềm (tệp bài nộp "
            "lớn hơn). “Không”: chỉ gửi điểm, giải trình và danh mục minh chứng.",
        )
        self.runner.run_op(
            self, export_submission, year, path, with_files=with_files, on_done=self._submission_written,
            label="Đang xuất bài nộp…",
        )  # fmt: skip

    def _submission_written(self, exported) -> None:
        text = f"Đã xuất bài nộp phiên bản {exported.version}: {exported.scored}/{exported.leaves} tiêu chí có điểm"
        if exported.files_count:
            text += f", {exported.files_count} tệp kiểm chứng kèm theo"
        if not exported.new_version:
            text += " (nội dung không đổi so với lần xuất trước)"
        text += "."
        if exported.missing_files:
            text += (
                f"\nKhông tìm thấy {len(exported.missing_files)} tệp kiểm chứng trong thư mục dữ liệu: "
                + ", ".join(exported.missing_files[:5])
                + ("…" if len(exported.missing_files) > 5 else "")
            )
        self.status_message.emit(text.splitlines()[0])
        if messages.ask_yes_no(
            self, "Đã xuất bài nộp", f"{text}\n{exported.path}\n\nMở thư mục chứa tệp?", default_yes=True
        ):
            messages.open_path(exported.path.parent)
