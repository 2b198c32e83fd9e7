"""Register a new incoming document, or open and edit a registered one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parclerk import dates
from parclerk.errors import ParclerkError, ValidationError
from parclerk.models import Directive, RegisterResult
from parclerk.services import directives as service
from parclerk.services.history import directive_history
from parclerk.ui.dialogs import messages
from parclerk.ui.dialogs.history_dialog import HistoryTable
from parclerk.ui.runner import Runner
from parclerk.ui.widgets.directive_form import DirectiveForm


class DirectiveDialog(QDialog):
    saved = Signal(object)  # Directive

    def __init__(
        self,
        runner: Runner,
        parent: QWidget | None = None,
        *,
        directive: Directive | None = None,
        issuers: list[str] | None = None,
        files: list[Path] | None = None,
        conn=None,
    ):
        super().__init__(parent)
        self.runner = runner
        self.directive = directive
        self.conn = conn  # the UI thread's read connection: with it, a registered directive shows its tasks
        self.task_model = None
        self._pending_files: list[Path] = list(files or [])
        self.setWindowTitle(
            "Đăng ký văn bản đến" if directive is None else f"Văn bản đến số {directive.so_den_label}"
        )
        self._build(issuers or [])
        if directive is not None:
            self._load(directive)
        else:
            self.fields["ngay_den"].set_date(dates.today())
            self.fields["handed_date"].set_date(dates.today())
            self.fields["doc_type"].setCurrentText("Công văn")
            for path in self._pending_files:
                self.file_list.addItem(QListWidgetItem(f"{path.name}  (lưu khi đăng ký)"))
        self.resize(940, self.sizeHint().height())

    # --- layout ----------------------------------------------------------------------------------
    def _build(self, issuers: list[str]) -> None:
        self.form_widget = DirectiveForm(issuers, self)
        self.fields = self.form_widget.fields
        self.so_den_label = self.form_widget.so_den_label

        self.error_label = messages.error_label()
        self.error_label.hide()
        self.cancelled_banner = QLabel()
        self.cancelled_banner.setWordWrap(True)
        self.cancelled_banner.setStyleSheet(
            "background: #eeeeee; color: #555; padding: 6px; font-weight: bold;"
        )
        self.cancelled_banner.hide()

        files_box = QFrame()
        files_layout = QHBoxLayout(files_box)
        files_layout.setContentsMargins(0, 0, 0, 0)
        self.file_list = QListWidget()
        self.file_list.setFixedHeight(84)
        self.file_list.itemActivated.connect(lambda _item: self._open_file())
        file_buttons = QVBoxLayout()
        self.add_file_button = QPushButton("Thêm tệp gốc…")
        self.add_file_button.clicked.connect(self._add_files)
        self.open_file_button = QPushButton("Mở tệp")
        self.open_file_button.clicked.connect(self._open_file)
        file_buttons.addWidget(self.add_file_button)
        file_buttons.addWidget(self.open_file_button)
        file_buttons.addStretch(1)
        files_layout.addWidget(self.file_list, 1)
        files_layout.addLayout(file_buttons)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        messages.set_button_texts(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            "Đăng ký (Ctrl+S)" if self.directive is None else "Lưu (Ctrl+S)"
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.cancel_button = QPushButton("Hủy văn bản…")
        self.cancel_button.setToolTip("Đánh dấu văn bản là đã hủy; số đến được giữ lại trong sổ.")
        self.cancel_button.clicked.connect(self._cancel_or_restore)
        self.cancel_button.setVisible(self.directive is not None)
        bottom = QHBoxLayout()
        bottom.addWidget(self.cancel_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.cancelled_banner)
        layout.addWidget(self.error_label)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addWidget(self.form_widget)
        details_layout.addWidget(QLabel("Tệp gốc (PDF, Word, bản quét) — bấm đúp để mở:"))
        details_layout.addWidget(files_box)
        details_layout.addStretch(1)
        if self.directive is not None and self.conn is not None:
            details_layout.setContentsMargins(0, 0, 0, 0)
            self.tabs = QTabWidget()
            self.tabs.addTab(details, "Thông tin văn bản")
            self.tabs.addTab(self._tasks_tab(), "Nhiệm vụ")
            self._count_tasks()
            self.history_table = HistoryTable(self)
            self.tabs.addTab(self.history_table, "Lịch sử thay đổi")
            self.tabs.currentChanged.connect(lambda _i: self._load_history())
            layout.addWidget(self.tabs, 1)
        else:
            details_layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(details, 1)
        layout.addLayout(bottom)

    def _tasks_tab(self) -> QWidget:
        """The directive's tasks (all of them, also those for other bodies), to open or add to."""
        from parclerk.queries import TaskQuery
        from parclerk.ui.models.task_table import COLUMNS, TaskTableModel

        assert self.directive is not None
        self.task_model = TaskTableModel(
            self.conn, self, query=TaskQuery(directive_id=self.directive.id, own_only=False, sort="ref")
        )
        self.task_model.reload()
        self.task_table = table = QTableView()
        table.setModel(self.task_model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(24)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        shown = {
            "ref": 44,
            "content": 0,
            "lead_unit": 140,
            "coordinating_units": 110,
            "period": 90,
            "due_date": 84,
            "status": 210,
        }
        for i, column in enumerate(COLUMNS):
            table.setColumnHidden(i, column.key not in shown)
            if column.key == "content":
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            elif column.key in shown:
                table.setColumnWidth(i, shown[column.key])
        table.activated.connect(self._task_activated)
        table.doubleClicked.connect(self._task_activated)
        self.add_task_button = QPushButton("Thêm nhiệm vụ…")
        self.add_task_button.clicked.connect(self.add_task)
        self.open_task_button = QPushButton("Mở nhiệm vụ (Enter)")
        self.open_task_button.clicked.connect(self.open_task)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_task_button)
        buttons.addWidget(self.open_task_button)
        buttons.addStretch(1)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.addLayout(buttons)
        page_layout.addWidget(table, 1)
        self.runner.changed.connect(self._tasks_changed)
        return page

    def _count_tasks(self) -> None:
        """'Nhiệm vụ (3)', or 'Nhiệm vụ (1; 24 kỳ)' when a recurring task has a work item per period."""
        model = self.task_model
        if model is None or not hasattr(self, "tabs"):
            return
        items = model.rowCount()
        rows = [model.row_data(r) for r in range(items)]
        task_ids = {row["task_id"] for row in rows if row is not None}
        # A recurring task has a row per period, oldest first: show the first one still open.
        first_open = next(
            (r for r, row in enumerate(rows) if row is not None and row["status"] == "open"), None
        )
        if first_open is not None:
            self.task_table.scrollTo(model.index(first_open, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        text = (
            f"Nhiệm vụ ({len(task_ids)})"
            if len(task_ids) == items
            else f"Nhiệm vụ ({len(task_ids)}; {items} kỳ)"
        )
        self.tabs.setTabText(1, text)

    def _tasks_changed(self, changes) -> None:
        if changes.tasks and self.task_model is not None and self.isVisible():
            self.task_model.reload()
            self._count_tasks()
        self._load_history()

    def _load_history(self) -> None:
        """The directive's history (its fields, files, tasks and their periods), read when the tab is shown."""
        if self.directive is None or self.tabs.currentWidget() is not self.history_table:
            return
        self.runner.run_query(
            self, directive_history, self.directive.id, on_done=self.history_table.show_changes
        )

    def done(self, result: int) -> None:
        if self.task_model is not None:
            self.runner.changed.disconnect(self._tasks_changed)
            self.task_model = None
        super().done(result)

    def add_task(self) -> None:
        from parclerk.tracking import directive_label
        from parclerk.ui.dialogs.task_dialog import NewTaskDialog

        d = self.directive
        assert d is not None
        label = directive_label(
            {
                "directive_id": d.id,
                "directive_number": d.number,
                "directive_date": dates.to_iso(d.issued_date),
            }
        )
        NewTaskDialog(self.runner, self, directive_id=d.id, directive_label=f"{label} — {d.issuer}").open()

    def _task_activated(self, _index) -> None:
        self.open_task()

    def open_task(self) -> None:
        index = self.task_table.currentIndex()
        item_id = self.task_model.id_at(index.row()) if index.isValid() and self.task_model else None
        if item_id is not None:
            from parclerk.ui.views.tasks import open_item

            open_item(self, self.runner, item_id)

    # --- values ----------------------------------------------------------------------------------
    def _load(self, d: Directive) -> None:
        self.form_widget.set_values(d)
        self.so_den_label.setText(d.so_den_label)
        self.file_list.clear()
        for attachment in d.attachments:
            item = QListWidgetItem(
                f"{attachment.original_name}  ({attachment.size / 1024:,.0f} KB)".replace(",", ".")
            )
            item.setData(Qt.ItemDataRole.UserRole, attachment.id)
            self.file_list.addItem(item)
        self.cancel_button.setText("Khôi phục văn bản" if d.cancelled else "Hủy văn bản…")
        if d.cancelled:
            self.cancelled_banner.setText(f"VĂN BẢN ĐÃ HỦY — {d.cancel_reason} (giữ số đến {d.so_den_label})")
        self.cancelled_banner.setVisible(d.cancelled)

    def form(self) -> dict[str, object]:
        return self.form_widget.form()

    def show_errors(self, error: ValidationError) -> None:
        self.form_widget.show_errors(error)
        self.error_label.setText("\n".join(error.fields.values()))
        self.error_label.show()

    def _clear_errors(self) -> None:
        self.form_widget.clear_errors()
        self.error_label.hide()

    # --- actions ---------------------------------------------------------------------------------
    def save(self) -> None:
        try:
            values = service.input_from_form(self.form())
        except ValidationError as error:
            self.show_errors(error)
            return
        self._clear_errors()
        exclude = self.directive.id if self.directive else None
        self.runner.run_query(
            self,
            service.find_duplicates,
            values,
            exclude_id=exclude,
            on_done=lambda hits: self._save_checked(values, hits),
        )

    def _save_checked(self, values, hits) -> None:
        if hits:
            lines = "\n".join(
                f"• Số đến {h.so_den}/{h.so_den_year}, ngày đến {dates.format_dmy(h.ngay_den)}"
                + (" (đã hủy)" if h.cancelled else "")
                for h in hits[:5]
            )
            question = (
                f"Văn bản số {values.number} của {values.issuer} có thể đã được đăng ký:\n{lines}\n\n"
                "Cùng một văn bản thường đến cả bản giấy và bản điện tử. Vẫn lưu văn bản này?"
            )
            if not messages.ask_yes_no(self, "Có thể trùng văn bản", question):
                return
        if self.directive is None:
            self.runner.run_op(
                self,
                service.register_directive,
                values,
                files=list(self._pending_files),
                on_done=self._saved,
                on_error=self._on_error,
                label="Đang đăng ký văn bản…",
            )
        else:
            self.runner.run_op(
                self,
                service.update_directive,
                self.directive.id,
                values,
                on_done=self._saved,
                on_error=self._on_error,
                label="Đang lưu…",
            )

    def _on_error(self, error: ParclerkError) -> bool:
        if isinstance(error, ValidationError):
            self.show_errors(error)
            return True
        return False

    def _saved(self, result: RegisterResult) -> None:
        self.directive = result.directive
        self.saved.emit(result.directive)
        self.accept()

    def _add_files(self) -> None:
        names = messages.open_file_names(
            self,
            "Chọn tệp gốc của văn bản",
            "Văn bản (*.pdf *.docx *.doc *.odt *.txt *.jpg *.jpeg *.png *.tif *.tiff);;Mọi tệp (*)",
        )
        if not names:
            return
        if self.directive is None:
            for name in names:
                self._pending_files.append(Path(name))
                self.file_list.addItem(QListWidgetItem(f"{Path(name).name}  (lưu khi đăng ký)"))
            return
        self.runner.run_op(
            self,
            service.attach_files,
            self.directive.id,
            [Path(n) for n in names],
            on_done=lambda result: self._reload(result.directive),
            label="Đang chép tệp…",
        )

    def _reload(self, directive: Directive) -> None:
        self.directive = directive
        self._load(directive)

    def _open_file(self) -> None:
        item = self.file_list.currentItem() or self.file_list.item(0)
        if item is None:
            messages.info(self, "Tệp gốc", "Văn bản này chưa có tệp gốc. Bấm “Thêm tệp gốc…” để đính kèm.")
            return
        attachment_id = item.data(Qt.ItemDataRole.UserRole)
        if attachment_id is None:
            return
        self.runner.run_query(
            self,
            service.attachment_for_viewing,
            self.directive.id,
            attachment_id,
            on_done=messages.open_path,
        )

    def _cancel_or_restore(self) -> None:
        d = self.directive
        if d is None:
            return
        if d.cancelled:
            if messages.ask_yes_no(self, "Khôi phục văn bản", f"Khôi phục văn bản số đến {d.so_den_label}?"):
                self.runner.run_op(
                    self, service.restore_directive, d.id, on_done=lambda r: self._reload(r.directive)
                )
            return
        reason = messages.ask_text(
            self,
            "Hủy văn bản",
            f"Hủy văn bản số đến {d.so_den_label}? Số đến vẫn được giữ trong sổ và ghi “đã hủy”.\nLý do hủy:",
            ok_text="Hủy văn bản",
        )
        if reason is not None:
            self.runner.run_op(
                self, service.cancel_directive, d.id, reason, on_done=lambda r: self._reload(r.directive)
            )
