"""One work item: what it asks, who leads, when it is due, its progress notes (a history, never edited), and the
clerk's three actions on it: add a dated note, mark it done (date + reply number), reopen it with a reason.
Also the form for a task entered by hand (the office's own, or for a directive)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parclerk import dates, glossary, tracking
from parclerk.errors import ParclerkError, ValidationError
from parclerk.models import TaskInput
from parclerk.services import tasks as service
from parclerk.ui.dialogs import messages
from parclerk.ui.models.task_table import SOON_DAYS, look_of, status_text
from parclerk.ui.runner import Runner
from parclerk.ui.widgets.date_edit import DateEdit

_L = glossary.TASK_LABELS


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class TaskDialog(QDialog):
    """Shows one work item; every write goes through the runner and the dialog reloads the item after it."""

    def __init__(self, runner: Runner, item: service.ItemDetail, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.item = item
        self._build()
        self._load(item)
        self.resize(860, 700)

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.content_label = _value_label()
        self.content_label.setStyleSheet("font-size: 11pt; font-weight: bold;")
        self.status_banner = QLabel()
        self.status_banner.setWordWrap(True)
        self.error_label = messages.error_label()
        self.error_label.hide()

        self.values: dict[str, QLabel] = {}
        facts = QFormLayout()
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, label in (
            ("directive", "Văn bản giao"),
            ("lead_unit", _L["lead_unit"]),
            ("coordinating_units", _L["coordinating_units"]),
            ("follower", _L["follower"]),
            ("period", _L["period"]),
            ("due_date", _L["due_date"]),
            ("deadline_text", _L["deadline_text"]),
            ("completed_date", _L["completed_date"]),
            ("reply_number", _L["reply_number"]),
        ):
            self.values[key] = _value_label()
            facts.addRow(f"{label}:", self.values[key])

        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        self.notes.setAlternatingRowColors(True)
        self.note_date = DateEdit()
        self.note_date.setFixedWidth(130)
        self.note_text = QLineEdit()
        self.note_text.setPlaceholderText("Nội dung tiến độ: đã làm gì, kết quả, vướng mắc…")
        self.note_text.returnPressed.connect(self.add_note)
        self.note_button = QPushButton("Ghi tiến độ")
        self.note_button.clicked.connect(self.add_note)
        note_row = QHBoxLayout()
        note_row.addWidget(QLabel("Ngày:"))
        note_row.addWidget(self.note_date)
        note_row.addWidget(self.note_text, 1)
        note_row.addWidget(self.note_button)
        notes_box = QGroupBox("Tiến độ thực hiện (lịch sử, không sửa xóa)")
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.addWidget(self.notes, 1)
        notes_layout.addLayout(note_row)

        self.done_date = DateEdit()
        self.done_date.setFixedWidth(130)
        self.reply_number = QLineEdit()
        self.reply_number.setPlaceholderText("số, ký hiệu báo cáo hoặc công văn trả lời (có thể để trống)")
        self.complete_button = QPushButton("Đánh dấu hoàn thành")
        self.complete_button.setStyleSheet("font-weight: bold;")
        self.complete_button.clicked.connect(self.complete)
        self.reopen_button = QPushButton("Mở lại…")
        self.reopen_button.setToolTip(
            "Nhiệm vụ chưa thật sự hoàn thành: trở lại “chưa hoàn thành”, ghi lý do."
        )
        self.reopen_button.clicked.connect(self.reopen)
        done_row = QHBoxLayout()
        done_row.addWidget(QLabel("Ngày hoàn thành:"))
        done_row.addWidget(self.done_date)
        done_row.addWidget(QLabel("Văn bản trả lời:"))
        done_row.addWidget(self.reply_number, 1)
        done_row.addWidget(self.complete_button)
        done_row.addWidget(self.reopen_button)
        self.done_box = QGroupBox("Hoàn thành")
        self.done_box.setLayout(done_row)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        messages.set_button_texts(close)
        close.rejected.connect(self.reject)
        self.history_button = close.addButton("Lịch sử thay đổi…", QDialogButtonBox.ButtonRole.ActionRole)
        self.history_button.clicked.connect(self.show_history)

        layout = QVBoxLayout(self)
        layout.addWidget(self.content_label)
        layout.addWidget(self.status_banner)
        layout.addLayout(facts)
        layout.addWidget(self.error_label)
        layout.addWidget(notes_box, 1)
        layout.addWidget(self.done_box)
        layout.addWidget(close)

    def show_history(self):
        from parclerk.services.history import task_history
        from parclerk.ui.dialogs.history_dialog import HistoryDialog

        task_id = self.item.task_id
        dialog = HistoryDialog(
            self.runner, "Lịch sử thay đổi của nhiệm vụ", lambda db: task_history(db, task_id), self
        )
        dialog.open()
        return dialog

    # --- values ----------------------------------------------------------------------------------
    def _load(self, item: service.ItemDetail) -> None:
        self.item = item
        today = dates.today()
        self.setWindowTitle(f"Nhiệm vụ — {item.directive_label}")
        self.content_label.setText((f"Mục {item.ref}: " if item.ref else "") + item.content)
        row = {"due_date": dates.to_iso(item.due_date), "completed_date": dates.to_iso(item.completed_date)}
        state = (
            tracking.bucket(item.status, item.due_date, item.completed_date, today),
            tracking.age_band(item.status, item.due_date, today, SOON_DAYS),
        )
        self.state = state
        self.status_banner.setText(f"Tình trạng: {status_text(row, state, today)}")
        look = look_of(state)
        style = "padding: 6px; border: 1px solid #c8c8c8;"
        if look is not None:
            if look.background is not None:
                style += f" background: {look.background.color().name()};"
            if look.foreground is not None:
                style += f" color: {look.foreground.color().name()};"
            style += " font-weight: bold;" if look.bold else ""
            style += " font-style: italic;" if look.italic else ""
        self.status_banner.setStyleSheet(style)
        recurrence = glossary.RECURRENCE_LABELS.get(item.recurrence or "", "")
        shown = {
            "directive": item.directive_label,
            "lead_unit": item.lead_unit or "(chưa ghi)",
            "coordinating_units": "; ".join(item.coordinating_units) or "—",
            "follower": item.follower or "(chưa giao)",
            "period": item.period_label + (f" ({recurrence.lower()})" if recurrence else "")
            if item.period_label
            else "—",
            "due_date": dates.format_dmy(item.due_date) or "không có thời hạn",
            "deadline_text": item.deadline_text or "—",
            "completed_date": dates.format_dmy(item.completed_date) or "—",
            "reply_number": item.reply_number or "—",
        }
        for key, text in shown.items():
            self.values[key].setText(text)
        self.notes.clear()
        for day, text in item.notes:
            self.notes.addItem(QListWidgetItem(f"{dates.format_dmy(day)} — {text}"))
        if not item.notes:
            empty = QListWidgetItem("Chưa có ghi chép tiến độ nào.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.notes.addItem(empty)
        self.notes.scrollToBottom()
        self.note_date.set_date(today)
        self.note_text.clear()
        done = item.status == "done"
        self.done_date.set_date(item.completed_date if done else today)
        self.reply_number.setText(item.reply_number)
        self.complete_button.setText("Sửa ngày hoàn thành" if done else "Đánh dấu hoàn thành")
        self.reopen_button.setEnabled(done)

    def reload(self) -> None:
        self.runner.run_query(self, service.get_item, self.item.item_id, on_done=self._load)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _on_error(self, error: ParclerkError) -> bool:
        if isinstance(error, ValidationError):
            self._show_error(error.message)
            return True
        return False

    def _after_write(self, _result=None) -> None:
        self.error_label.hide()
        self.reload()

    # --- actions ---------------------------------------------------------------------------------
    def add_note(self) -> None:
        text = self.note_text.text().strip()
        if not text:
            self._show_error("Chưa nhập nội dung tiến độ.")
            self.note_text.setFocus()
            return
        try:
            day = dates.parse_dmy(self.note_date.text(), "Ngày ghi tiến độ") or dates.today()
        except ValidationError as error:
            self._show_error(error.message)
            return
        self.runner.run_op(
            self,
            service.add_note,
            self.item.item_id,
            text,
            note_date=day,
            on_done=self._after_write,
            on_error=self._on_error,
        )

    def complete(self) -> None:
        try:
            day = dates.parse_dmy(self.done_date.text(), "Ngày hoàn thành")
        except ValidationError as error:
            self._show_error(error.message)
            return
        if day is None:
            self._show_error("Chưa nhập ngày hoàn thành.")
            return
        overwrite = self.item.status == "done"
        if overwrite and not messages.ask_yes_no(
            self,
            "Sửa ngày hoàn thành",
            f"Nhiệm vụ này đã hoàn thành ngày {dates.format_dmy(self.item.completed_date)}; "
            f"ghi đè bằng ngày {dates.format_dmy(day)}?",
        ):
            return
        self.runner.run_op(
            self,
            service.complete_items,
            [self.item.item_id],
            day,
            reply_number=self.reply_number.text(),
            overwrite=overwrite,
            on_done=self._after_write,
            on_error=self._on_error,
        )

    def reopen(self) -> None:
        reason = messages.ask_text(
            self,
            "Mở lại nhiệm vụ",
            "Nhiệm vụ sẽ trở lại “chưa hoàn thành”; ngày hoàn thành cũ được ghi lại trong tiến độ.\nLý do mở lại:",
            ok_text="Mở lại",
        )
        if reason is None:
            return
        self.runner.run_op(
            self, service.reopen_items, [self.item.item_id], reason=reason, on_done=self._after_write
        )


RECURRENCE_CHOICES = {"": "Không định kỳ (một lần)", **glossary.RECURRENCE_LABELS}


class NewTaskDialog(QDialog):
    """A task entered by hand: the office's own (no directive), or one more task of a directive."""

    saved = Signal()

    def __init__(
        self,
        runner: Runner,
        parent: QWidget | None = None,
        *,
        directive_id: int | None = None,
        directive_label: str = "",
        followers: list[str] | None = None,
    ):
        super().__init__(parent)
        self.runner = runner
        self.directive_id = directive_id
        self.setWindowTitle("Thêm nhiệm vụ")
        self._build(directive_label, followers or [])
        self.runner.run_query(self, service.list_units, on_done=self._fill_units)
        self.resize(720, self.sizeHint().height())

    def _build(self, directive_label: str, followers: list[str]) -> None:
        source = QLabel(
            f"Văn bản giao: {directive_label}"
            if self.directive_id is not None
            else "Nhiệm vụ của đơn vị (không theo văn bản nào). Để thêm nhiệm vụ của một văn bản, "
            "mở văn bản đó trong Sổ văn bản đến, thẻ “Nhiệm vụ”."
        )
        source.setWordWrap(True)
        self.error_label = messages.error_label()
        self.error_label.hide()
        self.fields: dict[str, QWidget] = {}
        self.fields["ref"] = ref = QLineEdit()
        ref.setMaximumWidth(90)
        self.fields["content"] = content = QPlainTextEdit()
        content.setTabChangesFocus(True)
        content.setFixedHeight(90)
        self.fields["lead_unit"] = lead = QComboBox()
        lead.setEditable(True)
        lead.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.fields["coordinating_units"] = coordinating = QLineEdit()
        coordinating.setPlaceholderText("các đơn vị cách nhau bằng dấu chấm phẩy (;)")
        self.fields["follower"] = follower = QComboBox()
        follower.setEditable(True)
        follower.addItems(["", *followers])
        self.fields["deadline"] = DateEdit()
        self.fields["deadline_text"] = deadline_text = QLineEdit()
        deadline_text.setPlaceholderText("ví dụ: trước ngày 15/12/2025, hàng quý, trong tháng 11 hàng năm")
        self.fields["recurrence"] = recurrence = QComboBox()
        for key, label in RECURRENCE_CHOICES.items():
            recurrence.addItem(label, key)
        recurrence.setToolTip(
            "Nhiệm vụ định kỳ có một lần thực hiện cho mỗi kỳ (tháng, quý, 6 tháng, năm), hạn theo lịch báo cáo;"
            " nếu nhập “Hạn xử lý”, ngày đó cho biết ngày trong kỳ (và tháng, với nhiệm vụ hằng năm)."
        )
        self.fields["concerns_office"] = concerns = QCheckBox(
            "Nhiệm vụ đơn vị mình phải thực hiện hoặc theo dõi"
        )
        concerns.setChecked(True)
        concerns.setVisible(self.directive_id is not None)

        form = QFormLayout()
        form.addRow(f"{_L['ref']}:", ref)
        form.addRow(f"{_L['content']}:", content)
        form.addRow(f"{_L['lead_unit']}:", lead)
        form.addRow(f"{_L['coordinating_units']}:", coordinating)
        form.addRow(f"{_L['follower']}:", follower)
        form.addRow(f"{_L['deadline']}:", self.fields["deadline"])
        form.addRow(f"{_L['deadline_text']}:", deadline_text)
        form.addRow(f"{_L['recurrence']}:", recurrence)
        form.addRow("", concerns)

        buttons = messages.dialog_buttons(self, self.save, text="Lưu nhiệm vụ")
        layout = QVBoxLayout(self)
        layout.addWidget(source)
        layout.addWidget(self.error_label)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _fill_units(self, units) -> None:
        combo = self.fields["lead_unit"]
        assert isinstance(combo, QComboBox)
        typed = combo.currentText()
        combo.clear()
        combo.addItem("")
        for unit in units:
            combo.addItem(unit.name)
        combo.setCurrentText(typed)

    def task_input(self) -> TaskInput:
        """What the form says, as a TaskInput; a bad date raises ValidationError."""
        f = self.fields
        units = f["coordinating_units"].text().split(";")  # type: ignore[attr-defined]
        return TaskInput(
            content=f["content"].toPlainText().strip(),  # type: ignore[attr-defined]
            ref=f["ref"].text().strip(),  # type: ignore[attr-defined]
            lead_unit=f["lead_unit"].currentText().strip(),  # type: ignore[attr-defined]
            coordinating_units=tuple(u.strip() for u in units if u.strip()),
            deadline=dates.parse_dmy(f["deadline"].text(), _L["deadline"]),  # type: ignore[attr-defined]
            deadline_text=f["deadline_text"].text().strip(),  # type: ignore[attr-defined]
            recurrence=f["recurrence"].currentData() or None,  # type: ignore[attr-defined]
            concerns_office=self.directive_id is None or f["concerns_office"].isChecked(),  # type: ignore[attr-defined]
        )

    def save(self) -> None:
        try:
            task = self.task_input()
        except ValidationError as error:
            self._on_error(error)
            return
        follower = self.fields["follower"].currentText()  # type: ignore[attr-defined]
        self.runner.run_op(
            self,
            service.create_task,
            task,
            directive_id=self.directive_id,
            follower=follower,
            on_done=self._saved,
            on_error=self._on_error,
        )

    def _on_error(self, error: ParclerkError) -> bool:
        if not isinstance(error, ValidationError):
            return False
        self.error_label.setText(error.message)
        self.error_label.show()
        return True

    def _saved(self, _changes) -> None:
        self.saved.emit()
        self.accept()
