"""Sao lưu và khôi phục: the database's backups, newest first, with their date, why they were made and what
they hold; back up now, save a copy with the original files to a USB stick, open the backup folder, and
restore the chosen backup (or a file from elsewhere) after one confirmation.

Restoring yesterday's state takes three clicks once the dialog is open: the newest daily or on-exit backup of
an earlier day is selected already, so "Khôi phục bản đã chọn" and the confirmation are enough (a click on
another row first when another day is wanted). The current state is kept as a "Trước khi khôi phục" backup
by the service, so a restore can itself be undone from this list.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parclerk import paths
from parclerk.services import backup
from parclerk.ui.dialogs import messages
from parclerk.vntext import format_count

REASON_LABELS = {
    "thu-cong": "Sao lưu thủ công",
    "hang-ngay": "Hằng ngày",
    "khi-thoat": "Khi thoát",
    "truoc-nhap": "Trước khi nhập",
    "truoc-nang-cap": "Trước khi nâng cấp",
    "truoc-khoi-phuc": "Trước khi khôi phục",
}
# The counts shown as columns (the others are in the line under the table and the row's tooltip).
COUNT_COLUMNS = ("directives", "tasks", "outgoing", "reports")
COLUMNS = [
    "Ngày giờ",
    "Lý do",
    *(backup.COUNTED[table] for table in COUNT_COLUMNS),
    "Dung lượng",
    "Ghi chú",
]
SIZE_COLUMN = 2 + len(COUNT_COLUMNS)
NOTE_COLUMN = SIZE_COLUMN + 1
# Backups that hold the state at the end of a day's work: the one to offer for "yesterday".
DAY_END_REASONS = ("hang-ngay", "khi-thoat")
_PROBLEM = QBrush(QColor("#b00020"))
_ROLE = Qt.ItemDataRole.UserRole


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason, backup.REASONS.get(reason, reason))


def format_when(when: dt.datetime) -> str:
    return f"{when:%d/%m/%Y %H:%M}"


def format_size(size: int) -> str:
    """'850 KB', '12,4 MB': a decimal comma, as Vietnamese writes it."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    if size < 1024**3:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
    return f"{size / 1024**3:.2f} GB".replace(".", ",")


def counts_text(counts: dict[str, int]) -> str:
    """'1.234 văn bản đến · 56 nhiệm vụ · …' in the service's order."""
    return " · ".join(
        f"{format_count(n)} {label[:1].lower()}{label[1:]}" for label, n in backup.iter_counts(counts)
    )


def yesterday_row(infos: list[backup.BackupInfo], today: dt.date) -> int:
    """The newest daily or on-exit backup made before today (the state at the end of the last working day),
    or -1."""
    for row, info in enumerate(infos):
        if info.reason in DAY_END_REASONS and info.created.date() < today and not info.problem:
            return row
    return -1


def current_counts(db) -> dict[str, int]:
    """The counts of the database in use, as a backup's sidecar gives them (for comparing)."""
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    return {
        table: int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        for table in backup.COUNTED
        if table in names
    }


class BackupDialog(QDialog):
    """`host` is the main window: it owns the connections and views a restore closes and rebuilds."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.runner = host.runner
        self.db_path = Path(host.db_path)
        self.infos: list[backup.BackupInfo] = []
        self.suggested = -1
        self._restoring = ""  # what is being restored, in words, for the report
        self.setWindowTitle("Sao lưu và khôi phục")
        self._build()
        self.reload()
        self.resize(980, 560)

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        intro = QLabel(
            "parclerk tự sao lưu mỗi ngày, khi thoát và trước mỗi lần nhập, nâng cấp hay khôi phục. "
            "Chọn một bản sao lưu rồi bấm “Khôi phục bản đã chọn” để đưa dữ liệu về đúng thời điểm đó; "
            "dữ liệu hiện tại được sao lưu trước nên luôn có thể quay lại."
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555;")
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(
            "background: #e8f4e8; border: 1px solid #8fbc8f; border-radius: 4px; padding: 4px 8px;"
        )
        self.hint.hide()

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        self.empty_label = QLabel("Chưa có bản sao lưu nào. Bấm “Sao lưu ngay” để tạo bản đầu tiên.")
        self.empty_label.setStyleSheet("color: #8a5a00;")
        self.empty_label.hide()

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setStyleSheet("color: #333;")
        folder = paths.backup_dir(self.db_path)
        self.folder_label = QLabel(f"Thư mục sao lưu: {folder}")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setStyleSheet("color: #555;")

        self.backup_button = QPushButton("Sao lưu ngay")
        self.backup_button.setToolTip("Tạo một bản sao lưu của dữ liệu hiện tại trong thư mục sao lưu")
        self.backup_button.clicked.connect(self.backup_now)
        self.usb_button = QPushButton("Lưu bản sao ra USB…")
        self.usb_button.setToolTip(
            "Lưu một tệp .zip gồm dữ liệu và các tệp gốc (PDF, Word…) vào nơi bạn chọn, ví dụ ổ USB"
        )
        self.usb_button.clicked.connect(self.save_to_usb)
        self.folder_button = QPushButton("Mở thư mục sao lưu")
        self.folder_button.clicked.connect(self.open_folder)
        self.file_button = QPushButton("Khôi phục từ tệp…")
        self.file_button.setToolTip("Khôi phục từ một bản sao lưu ở nơi khác (ổ USB, tệp .zip hoặc .sqlite)")
        self.file_button.clicked.connect(self.restore_from_file)
        self.restore_button = QPushButton("Khôi phục bản đã chọn")
        self.restore_button.setStyleSheet("font-weight: bold;")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_button.setEnabled(False)
        actions = QHBoxLayout()
        for button in (self.backup_button, self.usb_button, self.folder_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.file_button)
        actions.addWidget(self.restore_button)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        messages.set_button_texts(close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.current_label)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.details)
        layout.addLayout(actions)
        layout.addWidget(self.folder_label)
        layout.addWidget(close)

    # --- the list --------------------------------------------------------------------------------
    def reload(self, select: Path | None = None) -> None:
        self.runner.run_query(self, current_counts, on_done=self._show_current)
        self.runner.run_job(
            self, backup.list_backups, self.db_path, on_done=lambda infos: self._fill(infos, select)
        )

    def _show_current(self, counts: dict[str, int]) -> None:
        self.current_label.setText(f"<b>Dữ liệu hiện tại:</b> {counts_text(counts) or 'chưa có dữ liệu'}.")

    def _fill(self, infos, select: Path | None) -> None:
        self.infos = list(infos)
        self.suggested = yesterday_row(self.infos, dt.date.today())
        self.table.blockSignals(True)
        self.table.clearContents()
        self.table.setRowCount(len(self.infos))
        for row, info in enumerate(self.infos):
            self._fill_row(row, info)
        self.table.blockSignals(False)
        self.empty_label.setVisible(not self.infos)
        chosen = next((i for i, info in enumerate(self.infos) if info.path == select), None)
        if chosen is not None:
            row = chosen
        else:
            row = self.suggested if self.suggested >= 0 else (0 if self.infos else -1)
        if chosen is None and self.suggested >= 0:
            info = self.infos[self.suggested]
            self.hint.setText(
                f"Đã chọn sẵn bản sao lưu cuối ngày {info.created:%d/%m/%Y} ({reason_label(info.reason).lower()}, "
                f"lúc {info.created:%H:%M}). Bấm “Khôi phục bản đã chọn” để đưa dữ liệu về thời điểm đó."
            )
            self.hint.show()
        else:
            self.hint.hide()
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollToItem(self.table.item(row, 0))
        self._selection_changed()

    def _fill_row(self, row: int, info: backup.BackupInfo) -> None:
        values = [format_when(info.created), reason_label(info.reason)]
        for table in COUNT_COLUMNS:
            values.append(format_count(info.counts[table]) if table in info.counts else "—")
        values.append(format_size(info.size))
        notes = []
        if info.problem:
            notes.append(f"Lỗi: {info.problem}")
        if info.with_files:
            notes.append(f"kèm {format_count(info.files_included)} tệp gốc (.zip)")
        values.append("; ".join(notes))
        tip = f"{info.path.name}\n{counts_text(info.counts)}" if info.counts else info.path.name
        for column, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            if 2 <= column <= SIZE_COLUMN:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if info.problem:
                item.setForeground(_PROBLEM)
            if column == 0:
                item.setData(_ROLE, str(info.path))
            self.table.setItem(row, column, item)
        if row == self.suggested:  # the one offered for "yesterday"
            font = QFont(self.table.font())
            font.setBold(True)
            for column in range(len(values)):
                self.table.item(row, column).setFont(font)

    def selected(self) -> backup.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        return self.infos[row] if 0 <= row < len(self.infos) else None

    def _selection_changed(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None)
        if info is None:
            self.details.setText("")
            return
        parts = [f"<b>{format_when(info.created)} — {reason_label(info.reason)}</b>"]
        if info.problem:
            parts.append(f"<span style='color:#b00020'>{info.problem}</span>")
        elif info.counts:
            parts.append(counts_text(info.counts))
        if info.with_files:
            parts.append(f"kèm {format_count(info.files_included)} tệp gốc")
        parts.append(f"tệp {html.escape(info.path.name)}")
        self.details.setText(" · ".join(parts))

    # --- making backups --------------------------------------------------------------------------
    def backup_now(self) -> None:
        self.backup_button.setEnabled(False)
        self.runner.run_job(
            self,
            backup.make_backup,
            self.db_path,
            reason="thu-cong",
            on_done=self._backed_up,
            on_error=self._backup_failed,
            label="Đang sao lưu…",
        )

    def _backed_up(self, info: backup.BackupInfo) -> None:
        self.backup_button.setEnabled(True)
        self.reload(select=info.path)
        status = getattr(self.host, "statusBar", None)
        if status is not None:
            status().showMessage(f"Đã sao lưu dữ liệu lúc {info.created:%H:%M}.", 8000)

    def _backup_failed(self, _error) -> bool:
        self.backup_button.setEnabled(True)
        return False  # the runner shows the message

    def save_to_usb(self) -> None:
        now = dt.datetime.now()
        suggested = f"{self.db_path.stem}-{now:%Y%m%d-%H%M%S}-thu-cong.zip"
        name = messages.save_file_name(
            self, "Lưu bản sao lưu ra USB", suggested, "Bản sao lưu parclerk kèm tệp gốc (*.zip)"
        )
        if not name:
            return
        out = Path(name)
        if out.suffix.lower() != ".zip":
            out = out.with_name(out.name + ".zip")
        self.runner.run_job(
            self,
            backup.make_backup,
            self.db_path,
            reason="thu-cong",
            out=out,
            with_files=True,
            on_done=self._saved_copy,
            label="Đang lưu bản sao lưu kèm tệp gốc…",
        )

    def _saved_copy(self, info: backup.BackupInfo) -> None:
        text = (
            f"Đã lưu bản sao lưu kèm {format_count(info.files_included)} tệp gốc vào:\n{info.path}\n\n"
            "Để khôi phục từ tệp này: Tệp → Sao lưu và khôi phục… → “Khôi phục từ tệp…”."
        )
        lost = (*info.files_check.missing, *info.files_check.damaged)
        if lost:
            names = ", ".join(f"“{ref.label}”" for ref in lost[:5])
            more = f" và {len(lost) - 5} tệp khác" if len(lost) > 5 else ""
            text += (
                f"\n\nLưu ý: {len(lost)} tệp gốc bị thiếu hoặc hỏng trong thư mục files nên không có trong bản "
                f"sao lưu: {names}{more}."
            )
        messages.info(self, "Đã lưu bản sao lưu", text)

    def open_folder(self) -> None:
        folder = paths.backup_dir(self.db_path)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            messages.error(
                self, "Không mở được thư mục", f"Không tạo được thư mục “{folder}” ({exc.strerror})."
            )
            return
        messages.open_path(folder)

    # --- restoring -------------------------------------------------------------------------------
    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        what = f"bản sao lưu ngày {format_when(info.created)} ({reason_label(info.reason)})"
        holds = f"Bản này có {counts_text(info.counts)}.\n" if info.counts else ""
        self._confirm_and_restore(info.path, what, holds)

    def restore_from_file(self) -> None:
        names = messages.open_file_names(
            self,
            "Chọn bản sao lưu để khôi phục",
            "Bản sao lưu parclerk (*.zip *.sqlite);;Mọi tệp (*)",
        )
        if not names:
            return
        path = Path(names[0])
        self._confirm_and_restore(path, f"tệp “{path.name}”", "")

    def _confirm_and_restore(self, source: Path, what: str, holds: str) -> None:
        question = (
            f"Khôi phục dữ liệu về {what}?\n\n{holds}"
            "Những gì nhập sau thời điểm đó sẽ không còn trong dữ liệu đang dùng.\n\n"
            "Dữ liệu hiện tại sẽ được sao lưu trước (bản “Trước khi khôi phục”) nên có thể quay lại."
        )
        if not messages.ask_yes_no(self, "Khôi phục dữ liệu", question, default_yes=True):
            return
        self._restoring = what
        self._set_busy(True)
        self.host.restore_from(source, self, on_done=self._restored, on_failed=lambda: self._set_busy(False))

    def _set_busy(self, busy: bool) -> None:
        for button in (self.backup_button, self.usb_button, self.file_button, self.restore_button):
            button.setEnabled(not busy)
        if not busy:
            self._selection_changed()

    def _restored(self, result: backup.RestoreResult, problem: str) -> None:
        self._set_busy(False)
        self.reload(select=result.safety_backup)
        messages.info(self, "Đã khôi phục dữ liệu", restore_report(result, problem, what=self._restoring))


ALWAYS_REPORTED = ("directives", "tasks")


def restore_report(result: backup.RestoreResult, problem: str = "", *, what: str = "") -> str:
    """What a restore changed, before → after (văn bản đến and nhiệm vụ always, the rest when they changed),
    and where the state before it is kept."""
    lines = [f"Đã khôi phục dữ liệu về {what or f'tệp “{result.restored_from.name}”'}.", ""]
    shown, same = [], 0
    for table, label in backup.COUNTED.items():
        if table not in result.before and table not in result.after:
            continue
        before, after = result.before.get(table), result.after.get(table)
        if before == after and table not in ALWAYS_REPORTED:
            same += 1
            continue
        old = format_count(before) if before is not None else "—"
        new = format_count(after) if after is not None else "—"
        shown.append(f"  • {label}: {old} → {new}")
    if shown:
        lines.append("Số bản ghi trước → sau khi khôi phục:")
        lines.extend(shown)
        if same:
            lines.append("  • Các mục khác không thay đổi.")
        lines.append("")
    if result.safety_backup is not None:
        lines.append(
            "Dữ liệu ngay trước khi khôi phục được giữ trong bản “Trước khi khôi phục” ở đầu danh sách sao lưu; "
            "muốn quay lại, chọn bản đó rồi bấm “Khôi phục bản đã chọn”."
        )
    lost = (*result.files.missing, *result.files.damaged)
    if lost:
        names = ", ".join(f"“{ref.label}”" for ref in lost[:5])
        more = f" và {len(lost) - 5} tệp khác" if len(lost) > 5 else ""
        lines.append(
            f"\nLưu ý: {len(lost)} tệp gốc (văn bản, minh chứng) bị thiếu hoặc hỏng trong thư mục files: "
            f"{names}{more}. Hãy khôi phục từ bản sao lưu .zip kèm tệp gốc nếu có."
        )
    if result.files_restored:
        lines.append(f"\nĐã chép lại {format_count(result.files_restored)} tệp gốc từ bản sao lưu.")
    if problem:
        lines.append(f"\nLưu ý: {problem}")
    return "\n".join(lines)
