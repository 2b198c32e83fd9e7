"""Sổ văn bản đến: the register table with search, filters and the clerk's actions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parclerk import glossary
from parclerk.data import tables
from parclerk.queries import Changes, DirectiveQuery
from parclerk.ui.dialogs import messages
from parclerk.ui.models.directive_table import COLUMNS, DirectiveTableModel
from parclerk.ui.runner import Runner
from parclerk.vntext import format_count

_ALL = None


class RegisterView(QWidget):
    title = "Sổ văn bản đến"
    name = "register"
    status_message = Signal(str)

    def __init__(self, runner: Runner, conn, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.conn = conn
        self._stale = False
        self._issuer_names: list[str] = []
        self.model = DirectiveTableModel(conn, self)
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=220)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self._update_count()

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            "Tìm theo số, ký hiệu, trích yếu, cơ quan, người ký… (Ctrl+F) — gõ không dấu cũng được"
        )
        self.year = QComboBox()
        self.year.addItem("Tất cả các năm", _ALL)
        self.issuer = QComboBox()
        self.issuer.addItem("Mọi cơ quan ban hành", "")
        self.issuer.setMinimumContentsLength(22)
        self.issuer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.doc_type = QComboBox()
        self.doc_type.addItem("Mọi loại văn bản", "")
        self.urgency = QComboBox()
        self.urgency.addItem("Mọi độ khẩn", _ALL)
        for code, label in glossary.URGENCY.items():
            self.urgency.addItem(label, code)
        self.overdue = QCheckBox("Chỉ văn bản quá hạn")
        self.show_cancelled = QCheckBox("Hiện văn bản đã hủy")
        self.show_cancelled.setChecked(True)
        for combo in (self.year, self.issuer, self.doc_type, self.urgency):
            combo.currentIndexChanged.connect(self.apply_filters)
        for box in (self.overdue, self.show_cancelled):
            box.toggled.connect(self.apply_filters)

        self.new_button = QPushButton("Đăng ký văn bản đến (Ctrl+N)")
        self.new_button.setStyleSheet("font-weight: bold;")
        self.new_button.clicked.connect(self.new_directive)
        self.open_file_button = QPushButton("Đọc từ tệp… (Ctrl+O)")
        self.open_file_button.setToolTip(
            "Đọc số, ngày, trích yếu và nhiệm vụ từ tệp .docx, .pdf hoặc .txt. Có thể kéo thả tệp vào sổ."
        )
        self.open_file_button.clicked.connect(self.read_file)
        self.paste_button = QPushButton("Dán văn bản… (Ctrl+Shift+V)")
        self.paste_button.setToolTip("Dán nội dung văn bản để parclerk đọc các thông tin và nhiệm vụ.")
        self.paste_button.clicked.connect(self.paste_text)
        self.open_button = QPushButton("Mở / sửa (Enter)")
        self.open_button.clicked.connect(self.open_current)
        self.cancel_button = QPushButton("Hủy văn bản (Del)")
        self.cancel_button.clicked.connect(self.cancel_current)
        self.export_button = QPushButton("Xuất sổ ra Excel…")
        self.export_button.clicked.connect(self.export_register)
        self.print_button = QPushButton("In sổ…")
        self.print_button.clicked.connect(self.print_register)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        # Enabling sorting runs the one id query of start-up, newest số đến first.
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, column in enumerate(COLUMNS):
            self.table.setColumnWidth(i, column.width)
            if column.key == "subject":
                self.table.horizontalHeader().setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(26)
        vertical.hide()
        self.table.activated.connect(lambda _index: self.open_current())
        self.table.doubleClicked.connect(lambda _index: self.open_current())

        self.count_label = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.year)
        filters.addWidget(self.issuer, 1)
        filters.addWidget(self.doc_type)
        filters.addWidget(self.urgency)
        options = QHBoxLayout()
        options.addWidget(self.overdue)
        options.addWidget(self.show_cancelled)
        options.addStretch(1)
        options.addWidget(self.count_label)
        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.open_file_button)
        actions.addWidget(self.paste_button)
        actions.addWidget(self.open_button)
        actions.addWidget(self.cancel_button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.print_button)

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addLayout(options)
        layout.addWidget(self.table, 1)

        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.focus_search)
        QShortcut(QKeySequence("Ctrl+O"), self, activated=self.read_file)
        QShortcut(QKeySequence("Ctrl+Shift+V"), self, activated=self.paste_text)
        self.setAcceptDrops(True)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, activated=self.cancel_current)

    def load_filter_choices(self) -> None:
        """Years, issuers and types for the filter lists, read by the worker: not needed to show rows."""
        from parclerk.services.directives import filter_choices

        self.runner.run_query(self, filter_choices, on_done=self._fill_filter_choices)

    def _fill_filter_choices(self, choices) -> None:
        for combo, items in (
            (self.year, [(str(y), y) for y in choices.years]),
            (self.issuer, [(name, fold) for fold, name in choices.issuers]),
            (self.doc_type, [(name, name) for name in choices.doc_types]),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        self._issuer_names = [name for _fold, name in choices.issuers]

    # --- filtering -------------------------------------------------------------------------------
    def current_query(self) -> DirectiveQuery:
        return replace(
            self.model.query,
            text=self.search.text(),
            year=self.year.currentData(),
            issuer=self.issuer.currentData() or "",
            doc_type=self.doc_type.currentData() or "",
            urgency=self.urgency.currentData(),
            overdue_only=self.overdue.isChecked(),
            include_cancelled=self.show_cancelled.isChecked(),
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        selected = self.selected_id()
        self.model.set_query(self.current_query())
        self._update_count()
        self.select_id(selected)

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        total = tables.directive_count(self.conn)
        text = (
            f"{format_count(shown)} văn bản"
            if shown == total
            else f"Tìm thấy {format_count(shown)} / {format_count(total)} văn bản"
        )
        self.count_label.setText(text)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- selection -------------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def select_id(self, directive_id: int | None) -> None:
        row = self.model.row_of(directive_id) if directive_id is not None else None
        if row is None:
            return
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    # --- changes from elsewhere ------------------------------------------------------------------
    def on_changes(self, changes: Changes) -> None:
        if not (changes.directives or changes.settings):
            return
        if not self.isVisible():
            self._stale = True
            return
        self.refresh()

    def refresh(self) -> None:
        self._stale = False
        selected = self.selected_id()
        self.model.reload()
        self.load_filter_choices()
        self._update_count()
        self.select_id(selected)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # --- actions ---------------------------------------------------------------------------------
    def new_directive(self) -> None:
        from parclerk.ui.dialogs.directive_dialog import DirectiveDialog

        dialog = DirectiveDialog(self.runner, self, issuers=self._issuer_names)
        dialog.saved.connect(self._after_save)
        dialog.open()

    def _after_save(self, directive) -> None:
        self.refresh()
        self.select_id(directive.id)
        self.status_message.emit(f"Đã lưu văn bản đến số {directive.so_den_label}.")

    def open_current(self) -> None:
        directive_id = self.selected_id()
        if directive_id is None:
            return
        from parclerk.services.directives import get_directive

        self.runner.run_query(self, get_directive, directive_id, on_done=self._open_dialog)

    def _open_dialog(self, directive) -> None:
        from parclerk.ui.dialogs.directive_dialog import DirectiveDialog

        dialog = DirectiveDialog(
            self.runner, self, directive=directive, issuers=self._issuer_names, conn=self.conn
        )
        dialog.saved.connect(self._after_save)
        dialog.open()

    def cancel_current(self) -> None:
        directive_id = self.selected_id()
        if directive_id is None:
            return
        from parclerk.services.directives import get_directive

        self.runner.run_query(self, get_directive, directive_id, on_done=self._ask_cancel)

    def _ask_cancel(self, directive) -> None:
        if directive.cancelled:
            messages.info(
                self, "Hủy văn bản", f"Văn bản số đến {directive.so_den_label} đã được hủy trước đó."
            )
            return
        reason = messages.ask_text(
            self,
            "Hủy văn bản",
            f"Hủy văn bản số đến {directive.so_den_label} ({directive.number or 'không số'})?\n"
            "Số đến vẫn được giữ trong sổ và ghi “đã hủy”. Lý do hủy:",
            ok_text="Hủy văn bản",
        )
        if reason is not None:
            from parclerk.services.directives import cancel_directive

            self.runner.run_op(
                self,
                cancel_directive,
                directive.id,
                reason,
                on_done=lambda r: self.status_message.emit(
                    f"Đã hủy văn bản số đến {r.directive.so_den_label}."
                ),
            )

    # --- reading a directive ---------------------------------------------------------------------
    def read_file(self) -> None:
        names = messages.open_file_names(
            self, "Chọn văn bản đến để đọc", "Văn bản (*.docx *.pdf *.txt);;Mọi tệp (*)"
        )
        for name in names[:1]:
            self.read_path(Path(name))

    def read_path(self, path: Path) -> None:
        from parclerk.services.intake import parse_file

        self.runner.run_job(
            self,
            parse_file,
            path,
            on_done=lambda parsed: self.review(parsed, files=[path], source_name=path.name),
            on_error=lambda error: self._unreadable(path, error),
            label="Đang đọc văn bản…",
        )

    def _unreadable(self, path: Path, error) -> bool:
        """A file the parser cannot read can still be registered by hand, with the file attached."""
        if messages.ask_yes_no(
            self,
            "Không đọc được văn bản",
            f"{error.message}\n\nĐăng ký văn bản bằng cách nhập tay, kèm tệp “{path.name}”?",
            default_yes=True,
        ):
            from parclerk.ui.dialogs.directive_dialog import DirectiveDialog

            dialog = DirectiveDialog(self.runner, self, issuers=self._issuer_names, files=[path])
            dialog.saved.connect(self._after_save)
            dialog.open()
        return True

    def paste_text(self) -> None:
        from parclerk.services.intake import parse_text
        from parclerk.ui.dialogs.review_dialog import PasteDialog

        dialog = PasteDialog(self)
        if dialog.exec() != PasteDialog.DialogCode.Accepted or not dialog.text.toPlainText().strip():
            return
        self.runner.run_job(
            self,
            parse_text,
            dialog.text.toPlainText(),
            on_done=lambda parsed: self.review(parsed),
            label="Đang đọc văn bản…",
        )

    def review(self, parsed, *, files: list[Path] | None = None, source_name: str = "") -> None:
        """Open the review dialog, warning up front when the register already holds this number."""
        from parclerk.services.directives import find_duplicates
        from parclerk.services.intake import draft_from_parsed
        from parclerk.ui.dialogs.review_dialog import ReviewDialog

        def show(hits) -> None:
            warnings = [
                f"Số {h.number} của {h.issuer} đã có trong sổ: số đến {h.so_den}/{h.so_den_year}"
                f"{' (đã hủy)' if h.cancelled else ''}. Có thể là bản giấy của cùng văn bản."
                for h in hits[:3]
            ]
            dialog = ReviewDialog(
                self.runner,
                parsed,
                self,
                files=files,
                source_name=source_name,
                issuers=self._issuer_names,
                extra_warnings=warnings,
            )
            dialog.saved.connect(self._after_save)
            dialog.open()

        self.runner.run_query(self, find_duplicates, draft_from_parsed(parsed), on_done=show)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        files = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.read_path(files[0])

    def _choose_year(self, title: str) -> int | None:
        years = tables.register_years(self.conn)
        if not years:
            messages.info(self, title, "Sổ văn bản đến chưa có văn bản nào.")
            return None
        preferred = self.year.currentData() or years[0]
        labels = [str(y) for y in years]
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText("Năm của sổ:")
        dialog.setComboBoxItems(labels)
        dialog.setTextValue(str(preferred))
        dialog.setOkButtonText("Tiếp tục")
        dialog.setCancelButtonText("Hủy bỏ")
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return None
        return int(dialog.textValue())

    # The year books kept from the register: (name, file name stem, Excel writer, print HTML builder).
    _BOOKS = {
        "register": (
            "Sổ đăng ký văn bản đến",
            "So-van-ban-den",
            "parclerk.excel.register_export:export_register_xlsx",
            "parclerk.reports.register_print:register_print_html",
        ),
        "handling": (
            "Sổ theo dõi giải quyết văn bản đến",
            "So-theo-doi-giai-quyet",
            "parclerk.excel.task_exports:export_handling_log_xlsx",
            "parclerk.reports.handling_log:handling_log_html",
        ),
    }

    @staticmethod
    def _book_function(spec: str):
        """Imported on use: openpyxl and the report code stay off start-up."""
        import importlib

        module, name = spec.split(":")
        return getattr(importlib.import_module(module), name)

    def export_register(self) -> None:
        self._export_book("register")

    def export_handling_log(self) -> None:
        self._export_book("handling")

    def print_register(self) -> None:
        self._print_book("register")

    def print_handling_log(self) -> None:
        self._print_book("handling")

    def _export_book(self, book: str) -> None:
        title, stem, writer, _html = self._BOOKS[book]
        year = self._choose_year(f"Xuất {title}")
        if year is None:
            return
        path = messages.save_path(self, "Lưu sổ ra tệp Excel", f"{stem}-{year}.xlsx", "Excel (*.xlsx)")
        if path is None:
            return
        self.runner.run_query(
            self,
            self._book_function(writer),
            year,
            path,
            on_done=lambda count: messages.offer_to_open(
                self, "Đã xuất sổ", f"Đã xuất {format_count(count)} văn bản năm {year} ({title}) ra", path
            ),
            label="Đang xuất sổ ra Excel…",
        )

    def _print_book(self, book: str) -> None:
        title, _stem, _writer, html = self._BOOKS[book]
        year = self._choose_year(f"In {title}")
        if year is None:
            return
        from parclerk.ui import printing

        self.runner.run_query(
            self,
            self._book_function(html),
            year,
            on_done=lambda text: printing.preview_html(self, text, f"{title} năm {year}"),
            label="Đang chuẩn bị bản in…",
        )
