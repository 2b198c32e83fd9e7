"""Nhiệm vụ: every work item with search, filters (unit, status, period, person), bulk completion and reopening,
the Excel export of what is shown and the printed checklist."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parclerk import dates
from parclerk.data import tables
from parclerk.queries import Changes, TaskQuery
from parclerk.tracking import PERIOD_CHOICES, STATUS_CHOICES, list_query
from parclerk.ui.dialogs import messages
from parclerk.ui.models.task_table import COLUMN_KEYS, COLUMNS, SOON_DAYS, TaskTableModel
from parclerk.ui.runner import Runner
from parclerk.vntext import format_count

# Shown on request (right-click the header): the width goes to the task's content. "Ngày hoàn thành" shows
# by itself when finished tasks are listed, until the clerk picks the columns.
HIDDEN_AT_FIRST = {"coordinating_units", "completed_date"}


class TasksView(QWidget):
    title = "Nhiệm vụ"
    name = "tasks"
    status_message = Signal(str)

    def __init__(self, runner: Runner, conn, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.conn = conn
        self._stale = True  # the first query runs when the view is first shown, not at start-up
        self._followers: list[str] = []
        self._choices_loaded = False
        self._pending_unit = ""
        self._columns_chosen = False  # the clerk picked columns: stop showing "Ngày hoàn thành" by itself
        self.model = TaskTableModel(conn, self, query=TaskQuery(open_only=True))
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=220)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._search_timer.start)

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("Tìm trong nội dung, mục, đơn vị… (Ctrl+F) — gõ không dấu cũng được")
        self.unit = QComboBox()
        self.unit.addItem("Mọi đơn vị chủ trì", "")
        self.unit.setMinimumContentsLength(18)
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status = QComboBox()
        self.status.addItem("Mọi tình trạng", "")
        for key, label in STATUS_CHOICES.items():
            self.status.addItem(label, key)
        self.period = QComboBox()
        for key, label in PERIOD_CHOICES.items():
            self.period.addItem(label, key)
        self.follower = QComboBox()
        self.follower.addItem("Mọi người theo dõi", "")
        self.own_only = QCheckBox("Chỉ nhiệm vụ của đơn vị mình")
        self.own_only.setChecked(True)
        self.own_only.setToolTip("Bỏ chọn để xem cả nhiệm vụ văn bản giao cho cơ quan, đơn vị khác.")
        self.open_only = QCheckBox("Chỉ chưa hoàn thành")
        self.open_only.setChecked(True)
        for combo in (self.unit, self.period, self.follower):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.status.currentIndexChanged.connect(self._status_changed)
        for box in (self.own_only, self.open_only):
            box.toggled.connect(self.apply_filters)

        self.new_button = QPushButton("Thêm nhiệm vụ…")
        self.new_button.setStyleSheet("font-weight: bold;")
        self.new_button.clicked.connect(self.new_task)
        self.open_button = QPushButton("Mở (Enter)")
        self.open_button.clicked.connect(self.open_current)
        self.complete_button = QPushButton("Đánh dấu hoàn thành…")
        self.complete_button.setToolTip(
            "Đánh dấu các nhiệm vụ đang chọn là đã hoàn thành (chọn nhiều dòng bằng Ctrl, Shift)."
        )
        self.complete_button.clicked.connect(self.complete_selected)
        self.reopen_button = QPushButton("Mở lại…")
        self.reopen_button.setToolTip("Đưa các nhiệm vụ đang chọn trở lại “chưa hoàn thành”.")
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.export_button = QPushButton("Xuất Excel…")
        self.export_button.setToolTip(
            "Xuất các nhiệm vụ đang hiện (đúng bộ lọc, các cột đang hiện) ra tệp Excel (Ctrl+E)."
        )
        self.export_button.clicked.connect(self.export_view)
        self.print_button = QPushButton("In danh sách…")
        self.print_button.setToolTip(
            "In danh sách kiểm tra các nhiệm vụ đang hiện: xem trước, in hoặc lưu PDF (Ctrl+P)."
        )
        self.print_button.clicked.connect(self.print_view)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSortIndicator(
            COLUMNS.index(next(c for c in COLUMNS if c.key == "due_date")), Qt.SortOrder.AscendingOrder
        )
        header.setSortIndicatorShown(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        header.setSectionsClickable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, column in enumerate(COLUMNS):
            self.table.setColumnWidth(i, column.width)
            if column.key == "content":
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            self.table.setColumnHidden(i, column.key in HIDDEN_AT_FIRST)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setToolTip("Bấm để sắp xếp; bấm chuột phải để chọn các cột hiện (và xuất ra Excel).")
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(26)
        vertical.hide()
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)

        self.count_label = QLabel()
        self.count_label.setStyleSheet("font-weight: bold;")
        legend = QLabel(
            "<span style='background:#f6c9c9; color:#7a0010;'><b>&nbsp;Quá hạn trên 30 ngày&nbsp;</b></span>&nbsp; "
            "<span style='background:#fdecea;'><b>&nbsp;Quá hạn&nbsp;</b></span>&nbsp; "
            "<span style='background:#fff6cc;'><i>&nbsp;Sắp đến hạn (≤ 3 ngày)&nbsp;</i></span>&nbsp; "
            "<span style='color:#6b6b6b;'>Đã hoàn thành</span>"
        )

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.unit, 1)
        filters.addWidget(self.status)
        filters.addWidget(self.period)
        filters.addWidget(self.follower)
        options = QHBoxLayout()
        options.addWidget(self.own_only)
        options.addWidget(self.open_only)
        options.addSpacing(16)
        options.addWidget(legend)
        options.addStretch(1)
        options.addWidget(self.count_label)
        actions = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.complete_button, self.reopen_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.print_button)

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addLayout(options)
        layout.addWidget(self.table, 1)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.focus_search)

    # --- filter choices --------------------------------------------------------------------------
    def load_filter_choices(self) -> None:
        """Units, people and years for the filter lists, read by the worker: not needed to show rows."""
        from parclerk.services.tasks import task_filter_choices

        self.runner.run_query(self, task_filter_choices, on_done=self._fill_filter_choices)

    def _fill_filter_choices(self, choices) -> None:
        self._choices_loaded = True
        fixed = {self.unit: 1, self.follower: 1, self.period: len(PERIOD_CHOICES)}
        for combo, items in (
            (self.unit, [(name, fold) for fold, name in choices.units]),
            (self.follower, [(name, name) for name in choices.followers]),
            (self.period, [(f"Năm {year}", str(year)) for year in choices.years]),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > fixed[combo]:
                combo.removeItem(fixed[combo])
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        self._followers = list(choices.followers)
        if self._pending_unit:
            index = self.unit.findText(self._pending_unit)
            self._pending_unit = ""
            if index > 0:
                self.unit.setCurrentIndex(index)  # applies the filter

    # --- filtering -------------------------------------------------------------------------------
    def current_query(self) -> TaskQuery:
        base = replace(
            self.model.query,
            text=self.search.text(),
            unit=self.unit.currentData() or "",
            follower=self.follower.currentData() or "",
            own_only=self.own_only.isChecked(),
            open_only=self.open_only.isChecked(),
            today=None,
        )
        return list_query(
            base,
            status=self.status.currentData() or "",
            period=self.period.currentData() or "",
            today=dates.today(),
        )

    def _status_changed(self) -> None:
        """A 'done' status and 'only unfinished' exclude each other: untick the box rather than show nothing."""
        if (self.status.currentData() or "").startswith("done") and self.open_only.isChecked():
            self.open_only.blockSignals(True)
            self.open_only.setChecked(False)
            self.open_only.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        self._search_timer.stop()
        self._stale = False
        selected = self.selected_ids()
        self._load(self.current_query())
        self.select_ids(selected)

    def _column_menu(self, position) -> None:
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self)
        menu.addSection("Các cột hiện")
        for i, column in enumerate(COLUMNS):
            action = menu.addAction(column.label)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(i))
            action.setEnabled(column.key != "content")
            action.toggled.connect(lambda on, i=i: self.set_column_shown(i, on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def set_column_shown(self, index: int, shown: bool) -> None:
        self._columns_chosen = True
        self.table.setColumnHidden(index, not shown)

    def _auto_columns(self, query: TaskQuery) -> None:
        if not self._columns_chosen:
            index = COLUMN_KEYS.index("completed_date")
            self.table.setColumnHidden(index, query.open_only)

    def _load(self, query: TaskQuery) -> None:
        """One pass counts the matches for the status line (and the model), then the first rows are read."""
        total, overdue, soon = tables.task_item_tally(self.conn, query, soon_days=SOON_DAYS)
        self.model.set_query(query, count=total)
        self._auto_columns(query)
        self.count_label.setText(
            f"{format_count(total)} nhiệm vụ — quá hạn {format_count(overdue)} — sắp đến hạn {format_count(soon)}"
        )

    def show_filtered(
        self, status: str = "", *, unit: str = "", period: str = "", open_only: bool | None = None
    ) -> None:
        """Open on one status, unit (by name) or period, as the dashboard asks; other filters to their defaults."""
        widgets = (
            self.search,
            self.unit,
            self.status,
            self.period,
            self.follower,
            self.own_only,
            self.open_only,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        if unit and self.unit.findText(unit) < 0:
            self._pending_unit = unit  # a unit new since the lists were read: pick it once they are
        self.unit.setCurrentIndex(max(0, self.unit.findText(unit)) if unit else 0)
        self.follower.setCurrentIndex(0)
        self.status.setCurrentIndex(max(0, self.status.findData(status)))
        self.period.setCurrentIndex(max(0, self.period.findData(period)))
        self.own_only.setChecked(True)
        self.open_only.setChecked(not status.startswith("done") if open_only is None else open_only)
        for widget in widgets:
            widget.blockSignals(False)
        self.apply_filters()
        if self._pending_unit:
            self.load_filter_choices()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- selection -------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return [item_id for row in rows if (item_id := self.model.id_at(row)) is not None]

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        if index.isValid():
            return self.model.id_at(index.row())
        ids = self.selected_ids()
        return ids[0] if ids else None

    def select_ids(self, item_ids: list[int]) -> None:
        # Only among the rows already read: keeping a selection must not read 300,000 ids.
        found = (self.model.row_of(item_id, read_all=False) for item_id in item_ids[:200])
        rows = [row for row in found if row is not None]
        if not rows:
            return
        selection = self.table.selectionModel()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        first = self.model.index(rows[0], 0)
        self.table.setCurrentIndex(first)
        for row in rows[1:]:
            selection.select(self.model.index(row, 0), flags)
        self.table.scrollTo(first)

    # --- changes from elsewhere ------------------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        if not (changes.tasks or changes.directives or changes.settings):
            return
        if not self.isVisible():
            self._stale = True
            return
        self.refresh()

    def refresh(self) -> None:
        self._stale = False
        selected = self.selected_ids()
        self._load(self.current_query())
        self.load_filter_choices()
        self.select_ids(selected)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.apply_filters()
            if not self._choices_loaded:
                QTimer.singleShot(0, self.load_filter_choices)

    # --- actions ---------------------------------------------------------------------------------
    def new_task(self) -> None:
        from parclerk.ui.dialogs.task_dialog import NewTaskDialog

        dialog = NewTaskDialog(self.runner, self, followers=self._followers)
        dialog.saved.connect(self._task_added)
        dialog.open()

    def _task_added(self) -> None:
        self.status_message.emit("Đã thêm nhiệm vụ.")

    def _activated(self, _index) -> None:
        self.open_current()

    def open_current(self) -> None:
        item_id = self.current_id()
        if item_id is not None:
            open_item(self, self.runner, item_id)

    def complete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            messages.info(self, "Đánh dấu hoàn thành", "Hãy chọn một hoặc nhiều nhiệm vụ trong danh sách.")
            return
        answer = messages.ask_completion(
            self,
            "Đánh dấu hoàn thành",
            f"Đánh dấu {format_count(len(ids))} nhiệm vụ đang chọn là đã hoàn thành.",
            today=dates.today(),
        )
        if answer is None:
            return
        from parclerk.services.tasks import items_already_done

        self.runner.run_query(
            self, items_already_done, ids, on_done=lambda done: self._complete(ids, answer, done)
        )

    def _complete(self, ids: list[int], answer, already_done: int) -> None:
        completed, reply = answer
        overwrite = False
        if already_done:
            overwrite = messages.ask_yes_no(
                self,
                "Ghi đè ngày hoàn thành?",
                f"{format_count(already_done)} nhiệm vụ đã hoàn thành trước đó; ghi đè ngày hoàn thành?\n\n"
                "Chọn “Không” để giữ nguyên ngày hoàn thành cũ của các nhiệm vụ đó.",
            )
        from parclerk.services.tasks import complete_items

        def done(result) -> None:
            text = f"Đã đánh dấu hoàn thành {format_count(result.changed)} nhiệm vụ ngày {dates.format_dmy(completed)}"
            if result.skipped:
                text += f"; giữ nguyên {format_count(result.skipped)} nhiệm vụ đã hoàn thành trước đó"
            self.status_message.emit(text + ".")

        self.runner.run_op(
            self,
            complete_items,
            ids,
            completed,
            reply_number=reply,
            overwrite=overwrite,
            on_done=done,
            label="Đang ghi…",
        )

    def reopen_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            messages.info(self, "Mở lại nhiệm vụ", "Hãy chọn một hoặc nhiều nhiệm vụ trong danh sách.")
            return
        reason = messages.ask_text(
            self,
            "Mở lại nhiệm vụ",
            f"Đưa {format_count(len(ids))} nhiệm vụ đang chọn trở lại “chưa hoàn thành”? "
            "Ngày hoàn thành cũ được ghi lại trong tiến độ.\nLý do mở lại:",
            ok_text="Mở lại",
        )
        if reason is None:
            return
        from parclerk.services.tasks import reopen_items

        def done(result) -> None:
            text = f"Đã mở lại {format_count(result.changed)} nhiệm vụ"
            if result.skipped:
                text += f" ({format_count(result.skipped)} nhiệm vụ chưa hoàn thành, giữ nguyên)"
            self.status_message.emit(text + ".")

        self.runner.run_op(self, reopen_items, ids, reason=reason, on_done=done)

    def visible_columns(self) -> list[str]:
        header = self.table.horizontalHeader()
        order = sorted(
            (header.visualIndex(i), COLUMNS[i].key)
            for i in range(len(COLUMNS))
            if not header.isSectionHidden(i)
        )
        return [key for _, key in order]

    def export_view(self) -> None:
        path = messages.save_path(
            self,
            "Xuất danh sách nhiệm vụ ra Excel",
            f"Nhiem-vu-{dates.today():%Y-%m-%d}.xlsx",
            "Excel (*.xlsx)",
        )
        if path is None:
            return
        from parclerk.excel.task_exports import export_task_view_xlsx

        def done(result) -> None:
            count = result if isinstance(result, int) else self.model.rowCount()
            messages.offer_to_open(
                self, "Đã xuất danh sách", f"Đã xuất {format_count(count)} nhiệm vụ ra", path
            )

        query = replace(self.model.query, today=self.model.today)
        self.runner.run_query(
            self,
            export_task_view_xlsx,
            query,
            self.visible_columns(),
            path,
            on_done=done,
            label="Đang xuất danh sách nhiệm vụ ra Excel…",
        )

    def print_title(self) -> str:
        """The checklist's heading and a line per filter, in the printed form's words."""
        from parclerk.reports.checklist import checklist_title

        query = self.model.query
        title = checklist_title(
            unit=self.unit.currentText() if self.unit.currentIndex() > 0 else "",
            person=self.follower.currentText() if self.follower.currentIndex() > 0 else "",
            due_from=query.due_from,
            due_to=query.due_to,
            open_only=query.open_only,
        )
        if self.status.currentIndex() > 0:
            title += f"\nTình trạng: {self.status.currentText()}"
        return title

    def print_view(self) -> None:
        from parclerk.reports.checklist import checklist_html
        from parclerk.ui.printing import preview_html

        title = self.print_title()
        query = replace(self.model.query, today=self.model.today)
        self.runner.run_query(
            self,
            checklist_html,
            query,
            title,
            on_done=lambda html: preview_html(self, html, title.splitlines()[0].capitalize(), landscape=True),
            label="Đang chuẩn bị bản in…",
        )


def open_item(parent: QWidget, runner: Runner, item_id: int) -> None:
    """Read one work item on the worker and show it in a TaskDialog (used by every list of tasks)."""
    from parclerk.services.tasks import get_item

    def show(item) -> None:
        from parclerk.ui.dialogs.task_dialog import TaskDialog

        TaskDialog(runner, item, parent).open()

    runner.run_query(parent, get_item, item_id, on_done=show)
