"""Tổng hợp đơn vị: the collecting office's side of the PAR INDEX. Import the units' submission packages (a
preview first), keep the year's list of units, and see the consolidation: the ranking with its chart, the
items where most units lose points, and every submission received (and who has not sent one yet); export the
ranking to Excel or write the Word report announcing it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parclerk import dates, vntext
from parclerk.criteria import format_percent, format_points
from parclerk.queries import Changes
from parclerk.ui.dialogs import messages
from parclerk.ui.runner import Runner

if TYPE_CHECKING:
    from parclerk.services.ranking import Consolidation, Group

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CHART_WIDTH = 1400  # drawn once per consolidation at this width, then scaled by Qt to the room there is
CHART_SHOWN = 1050  # at most this wide on screen: the names stay a little larger than the table's text
_MUTED = QBrush(QColor("#707070"))
_MISSING_BACKGROUND = QBrush(QColor("#fff3cd"))
_MISSING_TEXT = QBrush(QColor("#8a5a00"))

EMPTY_HINT = (
    "Năm {year} chưa có bài nộp nào.\n\n"
    "Các đơn vị xuất bài nộp ở màn hình Tự đánh giá (nút “Xuất bài nộp…”), gửi tệp .zip qua thư điện tử hoặc "
    "USB; bấm “Nhập bài nộp…” để nhập.\n\n"
    "Có thể lập trước danh sách các đơn vị phải nộp (nút “Danh sách đơn vị…”) để biết đơn vị nào chưa nộp."
)


@dataclass(frozen=True)
class YearData:
    """What the view shows for one year, read in one go on the worker."""

    year: int
    years: list[int]  # years with a collection, newest first
    consolidation: Consolidation | None  # None: the year has neither units nor submissions
    units: list[Any]  # services.submissions.CollectionUnit
    submissions: list[Any]  # services.submissions.SubmissionRow


def load_year(db, year: int | None) -> YearData:
    """The year's units, submissions and consolidation; without a year, the newest year that has any."""
    from parclerk.services import ranking, submissions

    years = submissions.collection_years(db)
    if year is None:
        year = years[0] if years else dates.today().year
    units = submissions.list_units(db, year)
    consolidation = ranking.consolidate(db, year) if units else None
    return YearData(year, years, consolidation, units, submissions.list_submissions(db, year))


class SortItem(QTableWidgetItem):
    """A cell that sorts by its SORT_ROLE value (numbers as numbers, names in Vietnamese order)."""

    def __init__(self, text: str, key: Any = None):
        super().__init__(text)
        self.setData(SORT_ROLE, key if key is not None else vntext.sort_key(text))

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        try:
            return mine < theirs
        except TypeError:
            return str(mine) < str(theirs)


def _number_item(text: str, key: Any) -> SortItem:
    item = SortItem(text, key)
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return item


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    return table


class ChartArea(QScrollArea):
    """The ranking chart: a PNG drawn once, scaled (never enlarged) by Qt to the width available."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("background: white;")
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        # Always there, so that showing the bar does not narrow the picture and rescale it again.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.source: QPixmap | None = None
        self._fitted_width = 0

    def set_png(self, png: bytes) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self.source = pixmap
        self._fitted_width = 0
        self.label.setText("")
        self._fit()

    def set_message(self, text: str) -> None:
        self.source = None
        self.label.setPixmap(QPixmap())
        self.label.setText(text)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.source is None or self.source.isNull():
            return
        width = max(200, min(self.viewport().width() - 8, self.source.width(), CHART_SHOWN))
        if width == self._fitted_width:
            return
        self._fitted_width = width
        ratio = self.devicePixelRatioF()
        scaled = self.source.scaledToWidth(round(width * ratio), Qt.TransformationMode.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        self.label.setPixmap(scaled)


class CollectionView(QWidget):
    title = "Tổng hợp đơn vị"
    name = "collection"
    status_message = Signal(str)

    def __init__(self, runner: Runner, conn, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.conn = conn
        self.data: YearData | None = None
        self._stale = True
        self._charts: dict[
            tuple, bytes
        ] = {}  # drawn charts by content: a reload that changes no bar redraws none
        self._chart_key: tuple | None = None
        self._build()

    # --- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.year_choice = QComboBox()
        self.year_choice.setMinimumWidth(90)
        self.year_choice.currentIndexChanged.connect(lambda _i: self._year_chosen())
        self.group_label = QLabel("Nhóm:")
        self.group_choice = QComboBox()
        self.group_choice.currentIndexChanged.connect(lambda _i: self._show_group())
        self.import_button = QPushButton("Nhập bài nộp…")
        self.import_button.setToolTip("Chọn các tệp bài nộp (.zip) của đơn vị: xem trước, rồi mới nhập")
        self.import_button.clicked.connect(self.import_packages)
        self.units_button = QPushButton("Danh sách đơn vị…")
        self.units_button.setToolTip("Các đơn vị phải nộp bài trong năm, đơn vị nào được xếp hạng")
        self.units_button.clicked.connect(self.edit_units)
        self.excel_button = QPushButton("Xuất Excel…")
        self.excel_button.clicked.connect(self.export_xlsx)
        self.word_button = QPushButton("Báo cáo Word…")
        self.word_button.setToolTip("Lập báo cáo kết quả xếp hạng (.docx)")
        self.word_button.clicked.connect(self.write_report)
        top = QHBoxLayout()
        top.addWidget(QLabel("Năm:"))
        top.addWidget(self.year_choice)
        top.addWidget(self.group_label)
        top.addWidget(self.group_choice, 1)
        top.addStretch(1)
        for button in (self.import_button, self.units_button, self.excel_button, self.word_button):
            top.addWidget(button)

        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 11pt; font-weight: bold;")
        self.summary.setWordWrap(True)
        self.note = QLabel()
        self.note.setStyleSheet("color: #555;")
        self.note.setWordWrap(True)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._ranking_page(), "Xếp hạng")
        self.tabs.addTab(self._weak_page(), "Tiêu chí mất điểm")
        self.tabs.addTab(self._submissions_page(), "Bài nộp")

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("font-size: 11pt; color: #333; padding: 40px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)
        self._enable_exports(False)
        self.group_label.hide()
        self.group_choice.hide()

    def _ranking_page(self) -> QWidget:
        self.ranking_table = _table([])
        self.ranking_table.setSortingEnabled(True)
        self.chart = ChartArea()
        self.chart.setMinimumHeight(160)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.ranking_table)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 300])
        self.ranking_splitter = splitter
        self.ranking_empty = QLabel()
        self.ranking_empty.setWordWrap(True)
        self.ranking_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ranking_empty.setStyleSheet("font-size: 11pt; color: #333; padding: 40px;")
        self.ranking_stack = QStackedWidget()
        self.ranking_stack.addWidget(splitter)
        self.ranking_stack.addWidget(self.ranking_empty)
        return self.ranking_stack

    def _weak_page(self) -> QWidget:
        self.weak_note = QLabel()
        self.weak_note.setWordWrap(True)
        self.weak_table = _table(
            ["Mã", "Nội dung", "Điểm tối đa", "Số đơn vị mất điểm", "Điểm bình quân", "Tổng điểm bị mất"]
        )
        self.weak_table.setSortingEnabled(True)
        header = self.weak_table.horizontalHeader()
        for column, width in enumerate((80, 0, 90, 150, 110, 120)):
            if width:
                self.weak_table.setColumnWidth(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.weak_note)
        layout.addWidget(self.weak_table, 1)
        return page

    def _submissions_page(self) -> QWidget:
        self.submissions_note = QLabel()
        self.submissions_note.setWordWrap(True)
        self.submissions_table = _table(
            [
                "Đơn vị",
                "Phiên bản",
                "Xuất lúc",
                "Nhập lúc",
                "Tệp",
                "Tệp kiểm chứng",
                "Mã kiểm tra",
                "Tình trạng",
            ]
        )
        self.submissions_table.setSortingEnabled(True)
        for column, width in enumerate((280, 70, 120, 120, 200, 100, 110, 150)):
            self.submissions_table.setColumnWidth(column, width)
        self.submissions_table.horizontalHeader().setStretchLastSection(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.submissions_note)
        layout.addWidget(self.submissions_table, 1)
        return page

    def _enable_exports(self, on: bool) -> None:
        self.excel_button.setEnabled(on)
        self.word_button.setEnabled(on)

    # --- loading ---------------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def on_changes(self, changes: Changes) -> None:
        if changes.assessment:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    @property
    def year(self) -> int | None:
        return self.year_choice.currentData()

    def refresh(self) -> None:
        self.load(self.year)

    def load(self, year: int | None) -> None:
        self._stale = False
        self.runner.run_query(self, load_year, year, on_done=self._show)

    def _year_chosen(self) -> None:
        if self.year is not None:
            self.load(self.year)

    def _show(self, data: YearData) -> None:
        self.data = data
        years = sorted({*data.years, dates.today().year, data.year}, reverse=True)
        self.year_choice.blockSignals(True)
        self.year_choice.clear()
        for year in years:
            self.year_choice.addItem(str(year), year)
        self.year_choice.setCurrentIndex(self.year_choice.findData(data.year))
        self.year_choice.blockSignals(False)
        consolidation = data.consolidation
        groups = consolidation.groups if consolidation else ()
        chosen = self.group_choice.currentData()
        self.group_choice.blockSignals(True)
        self.group_choice.clear()
        for index, group in enumerate(groups):
            self.group_choice.addItem(
                f"{group.label} — {len(group.results)} đơn vị ({group.set_name})", index
            )
        self.group_choice.setCurrentIndex(max(0, min(chosen or 0, len(groups) - 1)))
        self.group_choice.blockSignals(False)
        self.group_label.setVisible(len(groups) > 1)
        self.group_choice.setVisible(len(groups) > 1)
        self._enable_exports(bool(groups))
        self._fill_submissions(data)
        if consolidation is None:
            self.summary.setText(f"Năm {data.year}: chưa có danh sách đơn vị hay bài nộp nào.")
            self.note.setText("")
            self.empty.setText(EMPTY_HINT.format(year=data.year))
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentWidget(self.tabs)
        self._show_group()

    def current_group(self) -> Group | None:
        consolidation = self.data.consolidation if self.data else None
        if consolidation is None or not consolidation.groups:
            return None
        index = self.group_choice.currentData() or 0
        return consolidation.groups[min(index, len(consolidation.groups) - 1)]

    def _show_group(self) -> None:
        if self.data is None or self.data.consolidation is None:
            return
        consolidation = self.data.consolidation
        group = self.current_group()
        self.summary.setText(summary_text(consolidation, group))
        if group is None:
            self.note.setText("")
            self.ranking_empty.setText(EMPTY_HINT.format(year=consolidation.year))
            self.ranking_stack.setCurrentWidget(self.ranking_empty)
            self.chart.set_message("")
            self._chart_key = None
            self._fill_weak(None)
            return
        survey = (
            f"; không tính {format_points(group.survey_maximum)} điểm điều tra xã hội học (của tỉnh)"
            if group.survey_maximum
            else ""
        )
        self.note.setText(
            f"Bộ chỉ số: {group.set_name}. Điểm do đơn vị tự chấm, chưa thẩm định{survey}. "
            "Tiêu chí đơn vị để trống được tính 0 điểm."
        )
        self.ranking_stack.setCurrentWidget(self.ranking_splitter)
        self._fill_ranking(group)
        self._fill_weak(group)
        self._draw_chart(consolidation.year, group)

    # --- the ranking -----------------------------------------------------------------------------
    def _fill_ranking(self, group: Group) -> None:
        from parclerk.reports.ranking_report import short_name

        table = self.ranking_table
        table.setSortingEnabled(False)
        maximum = group.results[0].maximum if group.results else 0
        columns = (
            ["Hạng", "Đơn vị"]
            + [f"Lĩnh vực {f.code}\n(tối đa {format_points(f.maximum)})" for f in group.fields]
            + [f"Tổng điểm\n(tối đa {format_points(maximum)})", "Chỉ số", "Xếp loại", "Phiên bản", "Ghi chú"]
        )
        table.clear()
        table.setColumnCount(len(columns))
        table.setHorizontalHeaderLabels(columns)
        for offset, field in enumerate(group.fields, start=2):
            table.horizontalHeaderItem(offset).setToolTip(
                f"{field.code}. {field.title} (tối đa {format_points(field.maximum)} điểm)"
            )
        table.setRowCount(len(group.results))
        for row, result in enumerate(group.results):
            notes = []
            if not result.ranked:
                notes.append("Không xếp hạng")
            if result.unscored:
                notes.append(f"{result.unscored} tiêu chí để trống (tính 0 điểm)")
            cells = [
                _number_item(str(result.rank) if result.rank else "—", result.rank or 10**6),
                SortItem(short_name(result.name)),
                *(
                    _number_item(format_points(result.fields.get(f.code, 0)), result.fields.get(f.code, 0))
                    for f in group.fields
                ),
                _number_item(format_points(result.achieved), result.achieved),
                _number_item(format_percent(result.index_percent), float(result.index_percent)),
                SortItem(result.classification or "—", _class_order(group, result.classification)),
                _number_item(str(result.version), result.version),
                SortItem("; ".join(notes)),
            ]
            cells[1].setToolTip(result.name)
            cells[-1].setToolTip("; ".join(notes))
            for column, cell in enumerate(cells):
                if not result.ranked:
                    cell.setForeground(_MUTED)
                table.setItem(row, column, cell)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.resizeColumnsToContents()
        table.setColumnWidth(0, max(table.columnWidth(0), 60))
        table.setColumnWidth(1, min(max(table.columnWidth(1), 220), 320))
        header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)

    def _draw_chart(self, year: int, group: Group) -> None:
        from parclerk.reports import chart
        from parclerk.reports.ranking_report import short_name

        ranked = [r for r in group.results if r.ranked]
        if not ranked:
            self._chart_key = None
            self.chart.set_message("Chưa có đơn vị nào được xếp hạng để vẽ biểu đồ.")
            return
        bars = tuple(chart.Bar(short_name(r.name), r.index_percent, r.classification, r.rank) for r in ranked)
        thresholds = tuple(
            chart.Threshold(c.label, c.minimum_percent)
            for c in group.classifications
            if c.minimum_percent > 0
        )
        title = f"Chỉ số CCHC tự đánh giá năm {year} – {group.label}"
        key = (title, bars, thresholds, group.average_percent)
        self._chart_key = key
        if key in self._charts:
            self.chart.set_png(self._charts[key])
            return
        self.chart.set_message("Đang vẽ biểu đồ…")

        def drawn(png: bytes) -> None:
            if len(self._charts) >= 8:
                self._charts.pop(next(iter(self._charts)))
            self._charts[key] = png
            if self._chart_key == key:
                self.chart.set_png(png)

        self.runner.run_job(
            self,
            chart.bar_chart_png,
            bars,
            title=title,
            thresholds=thresholds,
            average=group.average_percent,
            width_px=CHART_WIDTH,
            on_done=drawn,
        )

    # --- the items where units lose points ---------------------------------------------------------
    def _fill_weak(self, group: Group | None) -> None:
        table = self.weak_table
        table.setSortingEnabled(False)
        items = group.weak_items if group else ()
        table.setRowCount(len(items))
        if group is None:
            self.weak_note.setText("Chưa có bài nộp nào.")
        elif not items:
            self.weak_note.setText("Mọi đơn vị đã nộp đều đạt điểm tối đa ở mọi tiêu chí.")
        else:
            self.weak_note.setText(
                f"{len(items)} tiêu chí có nhiều đơn vị chưa đạt điểm tối đa nhất (trong {len(group.results)} "
                "đơn vị đã nộp, kể cả tiêu chí để trống): nơi cần hướng dẫn, hỗ trợ các đơn vị."
            )
        for row, item in enumerate(items):
            cells = [
                SortItem(item.code, _code_key(item.code)),
                SortItem(item.title),
                _number_item(format_points(item.maximum), item.maximum),
                _number_item(
                    f"{item.losing}/{item.submitted} ({format_percent(item.share_percent)})", item.losing
                ),
                _number_item(format_points(item.average), item.average),
                _number_item(format_points(item.lost_total), item.lost_total),
            ]
            cells[1].setToolTip(item.title)
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)
        table.setSortingEnabled(True)
        table.sortByColumn(3, Qt.SortOrder.DescendingOrder)

    # --- the submissions ---------------------------------------------------------------------------
    def _fill_submissions(self, data: YearData) -> None:
        from parclerk.services.submissions import format_stamp

        table = self.submissions_table
        table.setSortingEnabled(False)
        waiting = [u for u in data.units if u.submission_id is None]
        table.setRowCount(len(waiting) + len(data.submissions))
        row = 0
        for unit in waiting:
            state = "Chưa nộp" if unit.expected else "Chưa nộp (ngoài danh sách)"
            cells = [SortItem(unit.name)] + [SortItem("", "") for _ in range(6)] + [SortItem(state, "0")]
            for column, cell in enumerate(cells):
                cell.setBackground(_MISSING_BACKGROUND)
                cell.setForeground(_MISSING_TEXT)
                table.setItem(row, column, cell)
            font = cells[-1].font()
            font.setBold(True)
            cells[-1].setFont(font)
            row += 1
        for submission in data.submissions:
            cells = [
                SortItem(submission.unit_name),
                _number_item(str(submission.version), submission.version),
                SortItem(format_stamp(submission.exported_at), submission.exported_at),
                SortItem(format_stamp(submission.imported_at), submission.imported_at),
                SortItem(submission.file_name),
                _number_item(str(submission.files_count), submission.files_count),
                SortItem(submission.checksum[:12]),
                SortItem("Đang dùng" if submission.current else "Đã thay bằng bản mới",
                         "1" if submission.current else "2"),
            ]  # fmt: skip
            cells[4].setToolTip(submission.file_name)
            cells[6].setToolTip(f"Mã kiểm tra (SHA-256): {submission.checksum}")
            for column, cell in enumerate(cells):
                if not submission.current:
                    cell.setForeground(_MUTED)
                table.setItem(row, column, cell)
            row += 1
        table.setSortingEnabled(True)
        table.sortByColumn(7, Qt.SortOrder.AscendingOrder)  # the units not yet submitted first, then by name
        expected = sum(1 for u in data.units if u.expected)
        current = sum(1 for s in data.submissions if s.current)
        parts = [f"{current} đơn vị đã nộp"]
        if expected:
            parts.append(
                f"{sum(1 for u in waiting if u.expected)}/{expected} đơn vị trong danh sách chưa nộp"
            )
        if len(data.submissions) > current:
            parts.append(f"{len(data.submissions) - current} bản cũ đã được thay (giữ làm lịch sử)")
        self.submissions_note.setText("; ".join(parts) + ".")

    # --- actions ---------------------------------------------------------------------------------
    def import_packages(self) -> None:
        from parclerk.ui.dialogs.submission_import_dialog import SubmissionImportDialog

        names = messages.open_file_names(self, "Chọn các tệp bài nộp", "Bài nộp Chỉ số CCHC (*.zip)")
        if not names:
            return
        dialog = SubmissionImportDialog(self.runner, [Path(n) for n in names], self)
        if dialog.exec() and dialog.outcome is not None:
            self._imported(dialog.outcome)

    def _imported(self, outcome) -> None:
        years = Counter(p.year for p in outcome.previews if p.accepted and p.year is not None)
        text = f"Đã nhập {outcome.imported} bài nộp"
        if outcome.replaced:
            text += f" ({outcome.replaced} thay bản cũ)"
        if years:
            text += " năm " + ", ".join(str(y) for y in sorted(years))
        text += "."
        left_out = sum(1 for p in outcome.previews if not p.accepted)
        if left_out:
            text += f" {left_out} tệp không nhập (xem lý do ở bảng xem trước)."
        self.status_message.emit(text)
        messages.info(self, "Đã nhập bài nộp", text)
        if years:
            self.load(years.most_common(1)[0][0])

    def edit_units(self) -> None:
        from parclerk.ui.dialogs.collection_units_dialog import CollectionUnitsDialog

        year = self.year or dates.today().year
        CollectionUnitsDialog(self.runner, year, self).exec()

    def export_xlsx(self) -> None:
        from parclerk.excel.ranking_export import export_ranking_xlsx

        consolidation = self.data.consolidation if self.data else None
        if consolidation is None or not consolidation.groups:
            return
        year = consolidation.year
        path = messages.save_path(
            self, "Xuất bảng xếp hạng", f"XepHang-ChiSoCCHC-{year}.xlsx", "Excel (*.xlsx)"
        )
        if path is None:
            return
        self.runner.run_job(
            self,
            export_ranking_xlsx,
            consolidation,
            path,
            on_done=lambda _r: messages.offer_to_open(
                self, "Đã xuất", f"Đã xuất bảng xếp hạng Chỉ số CCHC năm {year} ra", path
            ),
            label="Đang xuất bảng xếp hạng…",
        )

    def write_report(self) -> None:
        from parclerk.services.ranking import write_ranking_report

        consolidation = self.data.consolidation if self.data else None
        if consolidation is None or not consolidation.groups:
            return
        year = consolidation.year
        path = messages.save_path(
            self, "Lưu báo cáo kết quả xếp hạng", f"BaoCao-XepHang-ChiSoCCHC-{year}.docx", "Word (*.docx)"
        )
        if path is None:
            return
        issue = messages.ask_yes_no(
            self,
            "Cấp số văn bản đi?",
            "Lấy số văn bản đi tiếp theo của năm cho báo cáo này và ghi vào Sổ văn bản đi?\n\n"
            "Chọn “Không” để lưu bản dự thảo (chưa cấp số).",
        )
        self.runner.run_op(
            self, write_ranking_report, year, path, issue=issue, on_done=self._report_written,
            label="Đang lập báo cáo…",
        )  # fmt: skip

    def _report_written(self, written) -> None:
        if written.number_symbol:
            self.runner.changed.emit(written.changes)  # the Sổ văn bản đi took a number
            what = f"Đã cấp số {written.number_symbol} và lưu báo cáo kết quả xếp hạng vào"
        else:
            what = "Đã lưu bản dự thảo báo cáo kết quả xếp hạng (chưa cấp số) vào"
        messages.offer_to_open(self, "Đã lập báo cáo", what, written.path)


def summary_text(consolidation: Consolidation, group: Group | None) -> str:
    """'Đã nhận 18/20 bài nộp · Bình quân 76,63% · Xuất sắc 7 · Tốt 2 …'."""
    if consolidation.expected:
        listed = consolidation.submitted - consolidation.outside
        parts = [f"Đã nhận {listed}/{consolidation.expected} bài nộp"]
        if consolidation.outside:
            parts[0] += f" (và {consolidation.outside} của đơn vị ngoài danh sách)"
    else:
        parts = [f"Đã nhận {consolidation.submitted} bài nộp (chưa lập danh sách đơn vị)"]
    if group is not None:
        prefix = f"{group.label}: b" if len(consolidation.groups) > 1 else "B"
        if any(r.ranked for r in group.results):
            parts.append(f"{prefix}ình quân {format_percent(group.average_percent)}")
            parts += [f"{label} {count}" for label, count in group.counts()]
        else:
            parts.append(f"{group.label}: chưa có đơn vị nào được xếp hạng")
    return " · ".join(parts)


def _class_order(group: Group, label: str) -> int:
    labels = [c.label for c in group.classifications]
    return labels.index(label) if label in labels else len(labels)


def _code_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))
