"""The criteria tree of one assessment as a Qt item model: Mã / Nội dung / Điểm tối đa / Tự chấm /
Thẩm định / Minh chứng / Giải trình. Parents show their rolled-up points; the self-score of an item
without children is editable in place (typed as the clerk writes it, "0,5"), and so is the appraised score
once the province sends it (survey items take only that one)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from parclerk.criteria import format_points

COLUMNS = ("Mã", "Nội dung", "Điểm tối đa", "Tự chấm", "Thẩm định", "Minh chứng", "Giải trình")
SELF, APPRAISED, EVIDENCE = 3, 4, 5
_LOST = QBrush(QColor("#fdecea"))
_UNSCORED = QBrush(QColor("#fff6cc"))
_GREY = QBrush(QColor("#707070"))


class AssessmentTreeModel(QAbstractItemModel):
    score_edited = Signal(str, str, bool)  # code, text typed, appraised

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []  # services.assessment.ItemRow, in set order
        self._children: dict[int, list[int]] = {}  # parent row index (-1 for the root) -> child row indexes
        self._parent: dict[int, int] = {}
        self._appraised = False  # no appraised score yet: parents show none either
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._appraised = any(row.appraised_score is not None for row in self._rows)
        position = {row.criterion.code: i for i, row in enumerate(self._rows)}
        self._children = {-1: []}
        self._parent = {}
        for i, row in enumerate(self._rows):
            parent = position.get(row.criterion.parent_code, -1) if row.criterion.kind == "item" else -1
            self._parent[i] = parent
            self._children.setdefault(parent, []).append(i)
            self._children.setdefault(i, [])
        self.endResetModel()

    def item(self, index: QModelIndex | QPersistentModelIndex):
        return self._rows[index.internalId()] if index.isValid() else None

    def index_of(self, code: str, column: int = 0) -> QModelIndex:
        for i, row in enumerate(self._rows):
            if row.criterion.code == code:
                parent = self._parent[i]
                return self.createIndex(self._children[parent].index(i), column, i)
        return QModelIndex()

    # --- structure -------------------------------------------------------------------------------
    def index(
        self,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex = QModelIndex(),  # noqa: B008
    ) -> QModelIndex:  # noqa: B008
        key = parent.internalId() if parent.isValid() else -1
        children = self._children.get(key, [])
        if not (0 <= row < len(children) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = self._parent.get(index.internalId(), -1)
        if parent == -1:
            return QModelIndex()
        grand = self._parent.get(parent, -1)
        return self.createIndex(self._children[grand].index(parent), 0, parent)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId() if parent.isValid() else -1, []))

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def _is_leaf(self, i: int) -> bool:
        return not self._children.get(i)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self._rows[index.internalId()]
        leaf = self._is_leaf(index.internalId())
        if leaf and (index.column() == APPRAISED or (index.column() == SELF and not row.criterion.survey)):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # --- values ----------------------------------------------------------------------------------
    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        i = index.internalId()
        row = self._rows[i]
        c = row.criterion
        leaf = self._is_leaf(i)
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            own = row.self_score if leaf else row.rolled_self
            appraised = row.appraised_score if leaf else row.rolled_appraised
            values = (
                c.code,
                c.title + (" (điều tra XHH)" if c.survey else ""),
                format_points(c.maximum),
                "" if leaf and row.self_score is None else format_points(own),
                ""
                if (leaf and row.appraised_score is None) or (not leaf and not self._appraised)
                else format_points(appraised),
                _evidence_text(row.evidence_count, row.suggested_count),
                row.explanation,
            )
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [f"{c.code}. {c.title}", f"Điểm tối đa: {format_points(c.maximum)}"]
            if c.rule.text:
                parts.append(f"Cách chấm: {c.rule.text}")
            if c.evidence:
                parts.append(f"Tài liệu kiểm chứng: {c.evidence}")
            if c.department:
                parts.append(f"Đơn vị phụ trách: {c.department}")
            return "\n".join(parts)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and (not leaf or c.depth == 0):
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and column == SELF and leaf and not c.survey:
            if row.self_score is None:
                return _UNSCORED
            if row.self_score < c.maximum:
                return _LOST
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and column == EVIDENCE
            and leaf
            and not c.survey
            and not row.evidence_count
        ):
            return _UNSCORED  # no confirmed evidence yet
        if role == Qt.ItemDataRole.ForegroundRole and c.survey:
            return _GREY
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        code = self._rows[index.internalId()].criterion.code
        self.score_edited.emit(code, str(value), index.column() == APPRAISED)
        return False  # the view reloads from the store once the service has saved (or refused) it


def _evidence_text(confirmed: int, suggested: int) -> str:
    """'2', '1 (+1 gợi ý)', 'gợi ý 1', or ''."""
    if confirmed and suggested:
        return f"{confirmed} (+{suggested} gợi ý)"
    if suggested:
        return f"gợi ý {suggested}"
    return str(confirmed) if confirmed else ""
