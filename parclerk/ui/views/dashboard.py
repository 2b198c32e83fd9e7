"""Hôm nay: the view the app opens on. What is late, what falls due this week, what arrived lately, and which
units are near or past the 30% line, each count a way into the Nhiệm vụ list.

First paint needs only the two short lists (a few dozen rows each, read by index); the counts and the
units' rates come from the worker after the window is painted (`load_figures`).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from parclerk import dates
from parclerk.queries import Changes, TaskQuery
from parclerk.ui.models.task_table import COLUMNS, TaskTableModel
from parclerk.ui.runner import Runner
from parclerk.vntext import format_count

SHORT_LIST = 50  # rows in each of the dashboard's lists; the full list is one click away
_SHORT_WIDTHS = {"content": 0, "lead_unit": 118, "due_date": 90, "status": 116}  # 0: takes the rest
_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

RATE_COLUMNS = (
    "Đơn vị",
    "Số nhiệm vụ",
    "Đúng hạn",
    "Trễ hạn",
    "Quá hạn chưa xong",
    "Tỷ lệ chậm, trễ (%)",
    "Đánh giá",
)
LEVEL_TEXT = {"fail": "Vượt ngưỡng {fail}%", "warn": "Gần ngưỡng", "ok": "Trong ngưỡng"}
_LEVEL_LOOK = {
    "fail": (QColor("#f6c9c9"), QColor("#7a0010"), True),
    "warn": (QColor("#fff6cc"), None, True),
    "ok": (None, None, False),
}


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}".replace(".", ",")


# Connections here are to bound methods, never lambdas that hold the view: a lambda kept by PySide's signal
# machinery outlives the view's wrapper, and deleting a top-level dashboard then warned "shared QObject was
# deleted directly" (and could crash at exit).


class CountCard(QPushButton):
    """A big number and what it counts; a click opens the list behind it."""

    chosen = Signal(str)  # its key

    def __init__(self, key: str, caption: str, colour: str, hint: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.clicked.connect(self._chosen)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(hint)
        self.setMinimumHeight(92)
        self.setStyleSheet(
            f"QPushButton {{ background: {colour}; border: 1px solid #b8b8b8; border-radius: 6px; text-align: left; }}"
            "QPushButton:hover { border: 2px solid #5a5a5a; }"
            "QPushButton:focus { border: 2px solid #1a5fb4; }"
        )
        self.number = QLabel("…")
        self.number.setStyleSheet(
            "font-size: 26pt; font-weight: bold; background: transparent; border: none;"
        )
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("font-size: 10.5pt; background: transparent; border: none;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 8)
        layout.setSpacing(0)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def _chosen(self) -> None:
        self.chosen.emit(self.key)

    def set_count(self, value: int | None) -> None:
        self.number.setText("…" if value is None else format_count(value))


class CountLink(QPushButton):
    """A "Xem tất cả →" link to the task list with one status."""

    chosen = Signal(str)

    def __init__(self, text: str, key: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.key = key
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet("QPushButton { color: #1a5fb4; text-decoration: underline; border: none; }")
        self.clicked.connect(self._chosen)

    def _chosen(self) -> None:
        self.chosen.emit(self.key)


class DashboardView(QWidget):
    title = "Hôm nay"
    name = "dashboard"
    status_message = Signal(str)
    show_tasks = Signal(object)  # TasksView.show_filtered's keywords: {"status": "open_overdue"}
    show_register = Signal()

    def __init__(self, runner: Runner, conn, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.conn = conn
        self._stale = False
        self.summary = None
        self.rates: list = []
        self.settings = None
        today = dates.today()
        self.overdue_model = TaskTableModel(
            conn,
            self,
            query=TaskQuery(bucket="open_overdue", today=today),
            limit=SHORT_LIST,
            short_status=True,
        )
        self.week_model = TaskTableModel(
            conn,
            self,
            query=TaskQuery(bucket="open_in_time", due_to=today + dt.timedelta(days=7), today=today),
            limit=SHORT_LIST,
            short_status=True,
        )
        self._build()
        # The short lists are read with the figures, after the first paint (MainWindow.after_first_paint).

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = QFrame()
        self.banner.setStyleSheet(
            "QFrame { background: #fff3b0; border: 1px solid #d4b100; border-radius: 4px; }"
        )
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_text.setStyleSheet("font-weight: bold; border: none;")
        self.banner_close = QToolButton()
        self.banner_close.setText("✕")
        self.banner_close.setToolTip("Ẩn thông báo này")
        self.banner_close.setAutoRaise(True)
        self.banner_close.clicked.connect(self.dismiss_banner)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 4, 4, 4)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.banner_close)
        self.banner.hide()

        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.refresh_button = QPushButton("Làm mới")
        self.refresh_button.clicked.connect(self.refresh)

        self.cards = {
            "open_overdue": CountCard(
                "open_overdue",
                "Nhiệm vụ quá hạn",
                "#fdecea",
                "Các nhiệm vụ đã quá hạn mà chưa hoàn thành. Bấm để xem danh sách.",
            ),
            "due_week": CountCard(
                "due_week",
                "Đến hạn trong 7 ngày tới",
                "#fff6cc",
                "Các nhiệm vụ chưa hoàn thành có hạn trong 7 ngày tới.",
            ),
            "overdue_30": CountCard(
                "overdue_30",
                "Quá hạn trên 30 ngày",
                "#f6c9c9",
                "Các nhiệm vụ đã quá hạn hơn 30 ngày mà chưa hoàn thành.",
            ),
            "recent": CountCard(
                "recent",
                "Văn bản đến 7 ngày qua",
                "#e8f0fa",
                "Văn bản đến trong 7 ngày qua. Bấm để mở Sổ văn bản đến.",
            ),
        }
        for card in self.cards.values():
            card.chosen.connect(self.open_count)
        self.cards["overdue_30"].number.setStyleSheet(
            self.cards["overdue_30"].number.styleSheet() + " color: #7a0010;"
        )

        self.overdue_title = QLabel("Quá hạn chưa hoàn thành")
        self.week_title = QLabel("Đến hạn trong 7 ngày tới")
        self.overdue_table = self._short_table(self.overdue_model)
        self.week_table = self._short_table(self.week_model)
        self.overdue_all = self._link("Xem tất cả", "open_overdue")
        self.week_all = self._link("Xem tất cả", "due_week")
        self.overdue_table.activated.connect(self._open_overdue)
        self.overdue_table.doubleClicked.connect(self._open_overdue)
        self.week_table.activated.connect(self._open_week)
        self.week_table.doubleClicked.connect(self._open_week)

        self.rates_title = QLabel()
        self.rates_note = QLabel(
            "Tỷ lệ chậm, trễ = (trễ hạn + quá hạn chưa xong) / số nhiệm vụ đã đến hạn hoặc đã hoàn thành trong năm. "
            "Đơn vị chậm, trễ từ 30% số nhiệm vụ trở lên trong năm bị đánh giá không hoàn thành nhiệm vụ."
        )
        self.rates_note.setWordWrap(True)
        self.rates_note.setStyleSheet("color: #555;")
        self.rates_table = QTableWidget(0, len(RATE_COLUMNS))
        self.rates_table.setHorizontalHeaderLabels(list(RATE_COLUMNS))
        self.rates_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rates_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rates_table.verticalHeader().hide()
        self.rates_table.verticalHeader().setDefaultSectionSize(24)
        header = self.rates_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((0, 90, 80, 80, 120, 130, 130)):
            if column:
                self.rates_table.setColumnWidth(column, width)
        self.rates_table.cellDoubleClicked.connect(self._open_unit)
        self.rates_table.setToolTip("Bấm đúp vào một đơn vị để xem các nhiệm vụ trong năm đơn vị đó chủ trì.")

        for label in (self.overdue_title, self.week_title, self.rates_title):
            label.setStyleSheet("font-size: 11pt; font-weight: bold;")

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.refresh_button)
        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card, 1)

        lists = QGridLayout()
        lists.addLayout(self._titled(self.overdue_title, self.overdue_all), 0, 0)
        lists.addLayout(self._titled(self.week_title, self.week_all), 0, 1)
        lists.addWidget(self.overdue_table, 1, 0)
        lists.addWidget(self.week_table, 1, 1)
        lists.setColumnStretch(0, 1)
        lists.setColumnStretch(1, 1)
        lists.setRowStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addLayout(lists, 3)
        layout.addWidget(self.rates_title)
        layout.addWidget(self.rates_table, 2)
        layout.addWidget(self.rates_note)

    def _short_table(self, model: TaskTableModel) -> QTableView:
        """A short list: few columns, two lines of content per row (50 rows: wrapping costs nothing)."""
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(True)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(40)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, column in enumerate(COLUMNS):
            table.setColumnHidden(i, column.key not in _SHORT_WIDTHS)
            if column.key == "content":
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            elif column.key in _SHORT_WIDTHS:
                table.setColumnWidth(i, _SHORT_WIDTHS[column.key])
        table.setToolTip("Bấm đúp (hoặc Enter) để mở nhiệm vụ, ghi tiến độ, đánh dấu hoàn thành.")
        return table

    def _link(self, text: str, status: str) -> CountLink:
        link = CountLink(text + " →", status)
        link.chosen.connect(self.open_count)
        return link

    def open_count(self, key: str) -> None:
        """A count or a "Xem tất cả" link: the task list with that status, or the register for "recent"."""
        if key == "recent":
            self.show_register.emit()
        else:
            self.show_tasks.emit({"status": key})

    def _open_overdue(self, index) -> None:
        self._open_item(self.overdue_model, index.row())

    def _open_week(self, index) -> None:
        self._open_item(self.week_model, index.row())

    @staticmethod
    def _titled(label: QLabel, link: CountLink) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(label)
        row.addStretch(1)
        row.addWidget(link)
        return row

    # --- data ------------------------------------------------------------------------------------
    def reload_lists(self) -> None:
        """The two short lists, read by index on the UI thread's connection (a few ms at any size)."""
        today = dates.today()
        self.heading.setText(f"Hôm nay: {_WEEKDAYS[today.weekday()]}, ngày {dates.format_dmy(today)}")
        for model, query in (
            (self.overdue_model, TaskQuery(bucket="open_overdue", today=today)),
            (
                self.week_model,
                TaskQuery(bucket="open_in_time", due_to=today + dt.timedelta(days=7), today=today),
            ),
        ):
            model.set_query(query)

    def load_figures(self) -> None:
        """The counts and the units' rates, from the worker: they are not needed for the first paint."""
        from parclerk.services import tasks

        year = dates.today().year
        self.rates_title.setText(f"Tỷ lệ thực hiện nhiệm vụ của các đơn vị năm {year}")
        self.runner.run_query(self, tasks.summary, on_done=self._show_summary)
        self.runner.run_query(self, tasks.get_tracking_settings, on_done=self._keep_settings)
        self.runner.run_query(self, tasks.unit_rates, year, on_done=self._show_rates)

    def _show_summary(self, summary) -> None:
        self.summary = summary
        self.cards["open_overdue"].set_count(summary.overdue)
        self.cards["due_week"].set_count(summary.due_soon)
        self.cards["overdue_30"].set_count(summary.overdue_30)
        self.cards["recent"].set_count(summary.recent_directives)
        self.overdue_title.setText(f"Quá hạn chưa hoàn thành: {format_count(summary.overdue)}")
        shown = self.overdue_model.rowCount()
        self.overdue_all.setToolTip(
            f"Ở đây là {shown} nhiệm vụ quá hạn lâu nhất; bấm để xem cả {format_count(summary.overdue)} nhiệm vụ."
            if summary.overdue > shown
            else "Mở danh sách Nhiệm vụ, lọc các nhiệm vụ quá hạn."
        )
        self.week_title.setText(f"Đến hạn trong 7 ngày tới: {format_count(summary.due_soon)}")

    def _keep_settings(self, settings) -> None:
        self.settings = settings
        fail, warn = (_percent(rate).removesuffix(",0") for rate in (settings.fail_rate, settings.warn_rate))
        self.rates_title.setText(
            f"{self.rates_title.text().split(' (')[0]} (ngưỡng {fail}%, cảnh báo từ {warn}%)"
        )
        self.rates_note.setText(
            "Tỷ lệ chậm, trễ = (trễ hạn + quá hạn chưa xong) / số nhiệm vụ đã đến hạn hoặc đã hoàn thành trong "
            f"năm. Đơn vị chậm, trễ từ {fail}% số nhiệm vụ trở lên trong năm bị đánh giá không hoàn thành nhiệm vụ."
        )

    def _show_rates(self, rates) -> None:
        from parclerk.tracking import TrackingSettings

        settings = self.settings or TrackingSettings()
        self.rates = list(rates)
        table = self.rates_table
        table.setRowCount(len(self.rates))
        bold = QFont()
        bold.setBold(True)
        for row, rate in enumerate(self.rates):
            level = rate.level(settings)
            values = (
                rate.unit,
                format_count(rate.assigned),
                format_count(rate.done_on_time),
                format_count(rate.done_late),
                format_count(rate.open_overdue),
                _percent(rate.rate),
                LEVEL_TEXT[level].format(fail=_percent(settings.fail_rate).removesuffix(",0")),
            )
            background, foreground, strong = _LEVEL_LOOK[level]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, level)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if background is not None:
                    item.setBackground(QBrush(background))
                if foreground is not None:
                    item.setForeground(QBrush(foreground))
                if strong and column in (0, 5, 6):
                    item.setFont(bold)
                table.setItem(row, column, item)
        if not self.rates:
            table.setRowCount(1)
            empty = QTableWidgetItem("Chưa có nhiệm vụ nào đến hạn trong năm.")
            table.setItem(0, 0, empty)
            table.setSpan(0, 0, 1, len(RATE_COLUMNS))
        else:
            table.clearSpans()

    def _open_item(self, model: TaskTableModel, row: int) -> None:
        item_id = model.id_at(row)
        if item_id is not None:
            from parclerk.ui.views.tasks import open_item

            open_item(self, self.runner, item_id)

    def _open_unit(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.rates):
            self.show_tasks.emit({"unit": self.rates[row].unit, "period": "year", "open_only": False})

    # --- the reminder banner ---------------------------------------------------------------------
    def show_reminder(self, text: str) -> None:
        """A notice at the top of the view, never a modal box; the clerk can hide it."""
        self.banner_text.setText(text)
        self.banner.setVisible(bool(text))

    def dismiss_banner(self) -> None:
        self.banner.hide()

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
        self.reload_lists()
        self.load_figures()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()
